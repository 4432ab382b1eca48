"use strict";
var __createBinding =
  (this && this.__createBinding) ||
  (Object.create
    ? function (o, m, k, k2) {
        if (k2 === undefined) k2 = k;
        var desc = Object.getOwnPropertyDescriptor(m, k);
        if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
          desc = {
            enumerable: true,
            get: function () {
              return m[k];
            },
          };
        }
        Object.defineProperty(o, k2, desc);
      }
    : function (o, m, k, k2) {
        if (k2 === undefined) k2 = k;
        o[k2] = m[k];
      });
var __setModuleDefault =
  (this && this.__setModuleDefault) ||
  (Object.create
    ? function (o, v) {
        Object.defineProperty(o, "default", { enumerable: true, value: v });
      }
    : function (o, v) {
        o["default"] = v;
      });
var __importStar =
  (this && this.__importStar) ||
  (function () {
    var ownKeys = function (o) {
      ownKeys =
        Object.getOwnPropertyNames ||
        function (o) {
          var ar = [];
          for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
          return ar;
        };
      return ownKeys(o);
    };
    return function (mod) {
      if (mod && mod.__esModule) return mod;
      var result = {};
      if (mod != null)
        for (var k = ownKeys(mod), i = 0; i < k.length; i++)
          if (k[i] !== "default") __createBinding(result, mod, k[i]);
      __setModuleDefault(result, mod);
      return result;
    };
  })();
Object.defineProperty(exports, "__esModule", { value: true });
exports.startPolicyPack = startPolicyPack;
/**
 * Runs a compiled CrossGuard policy pack the way the Pulumi CLI does and talks to it over the
 * Analyzer gRPC protocol.
 *
 * The CLI starts `node node_modules/@pulumi/pulumi/cmd/run-policy-pack <engine-address> .` in the
 * pack's directory (the pulumi-analyzer-policy shim); run-policy-pack drops the engine address
 * and requires the directory, whose package.json `main` points at the compiled pack; the
 * `PolicyPack` constructor serves the Analyzer service on 127.0.0.1 and prints the port on stdout.
 * Because the address is discarded, no Engine service is needed on our side.
 */
const child_process_1 = require("child_process");
const fs = __importStar(require("fs"));
const path = __importStar(require("path"));
const module_1 = require("module");
const config_1 = require("./config");
const wire = __importStar(require("./wire"));
const requireFromPulumi = (0, module_1.createRequire)(
  require.resolve("@pulumi/pulumi/proto/analyzer_pb"),
);
const grpc = requireFromPulumi("@grpc/grpc-js");
const stubs = requireFromPulumi("./analyzer_grpc_pb.js");
const { Empty } = requireFromPulumi("google-protobuf/google/protobuf/empty_pb.js");
/** The placeholder engine address: run-policy-pack discards its first argument. */
const ENGINE_ADDRESS = "127.0.0.1:0";
/** Matches the policy runtime's own limit, so large stacks fit in one AnalyzeStack call. */
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;
function readPort(child, timeoutMs) {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    const fail = (why) => {
      clearTimeout(timer);
      child.kill();
      reject(new Error(`policy pack did not start: ${why}\n${stderr.trim()}`));
    };
    const timer = setTimeout(() => fail(`no port printed within ${timeoutMs} ms`), timeoutMs);
    child.stderr?.on("data", (chunk) => (stderr += chunk.toString()));
    const onData = (chunk) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf("\n");
      if (newline < 0) return;
      const port = Number(stdout.slice(0, newline).trim());
      child.stdout?.off("data", onData);
      child.off("exit", onExit);
      clearTimeout(timer);
      if (Number.isInteger(port) && port > 0) resolve(port);
      else fail(`expected a port on stdout, got ${JSON.stringify(stdout.slice(0, newline))}`);
    };
    const onExit = (code) => fail(`process exited with code ${code}`);
    child.stdout?.on("data", onData);
    child.on("exit", onExit);
  });
}
function unary(client, method, request) {
  return new Promise((resolve, reject) =>
    method.call(client, request, (err, res) => (err ? reject(err) : resolve(res))),
  );
}
/** Starts the pack, reads its info, sends Configure (and ConfigureStack), and returns a session. */
async function startPolicyPack(options) {
  const packDir = path.resolve(options.packDir);
  const pkg = JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8"));
  const main = path.join(packDir, pkg.main ?? "index.js");
  if (!fs.existsSync(main)) {
    throw new Error(`${main} does not exist: build the pack first (npm run build)`);
  }
  const runPolicyPack = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
  const child = (0, child_process_1.spawn)(process.execPath, [runPolicyPack, ENGINE_ADDRESS, "."], {
    cwd: packDir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const port = await readPort(child, options.startTimeoutMs ?? 30_000);
  // Keep draining the pipes so a chatty pack never blocks on a full pipe buffer.
  child.stdout?.resume();
  child.stderr?.resume();
  const client = new stubs.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
    "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
  });
  const close = async () => {
    client.close();
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill();
      await exited;
    }
  };
  try {
    const info = wire.fromAnalyzerInfo(await unary(client, client.getAnalyzerInfo, new Empty()));
    const configure = async (config) => {
      const effective = (0, config_1.resolvePolicyConfig)(info, config);
      await unary(client, client.configure, wire.toConfigureRequest(effective));
      return effective;
    };
    let effectiveConfig = await configure(options.config ?? {});
    if (options.stack) {
      const s = options.stack;
      const req = new wire.pb.AnalyzerStackConfigureRequest();
      req.setStack(s.stack);
      req.setProject(s.project);
      req.setOrganization(s.organization ?? "organization");
      req.setDryRun(s.dryRun ?? true);
      for (const [k, v] of Object.entries(s.tags ?? {})) req.getTagsMap().set(k, v);
      await unary(client, client.configureStack, req);
    }
    const concurrency = Math.max(1, options.concurrency ?? 16);
    const analyzeOne = async (resource) => {
      const res = await unary(client, client.analyze, wire.toAnalyzeRequest(resource));
      return wire.fromDiagnostics(res, resource.urn);
    };
    return {
      info,
      get config() {
        return effectiveConfig;
      },
      async analyze(resources) {
        const results = new Array(resources.length);
        let next = 0;
        const worker = async () => {
          while (next < resources.length) {
            const i = next++;
            results[i] = await analyzeOne(resources[i]);
          }
        };
        await Promise.all(Array.from({ length: Math.min(concurrency, resources.length) }, worker));
        return results.flat();
      },
      async analyzeStack(resources) {
        const res = await unary(client, client.analyzeStack, wire.toStackRequest(resources));
        return wire.fromDiagnostics(res, "");
      },
      async configure(config) {
        effectiveConfig = await configure(config);
        return effectiveConfig;
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
//# sourceMappingURL=client.js.map
