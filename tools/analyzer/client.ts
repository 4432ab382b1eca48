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
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { resolvePolicyConfig } from "./config";
import type {
  AnalyzerInfo,
  AnalyzerResource,
  EffectivePolicyConfig,
  PolicyPackConfig,
  PolicyResult,
  StackContext,
} from "./types";
import * as wire from "./wire";

const { Empty, grpc, stubs } = wire;

/** The generated service, reading only the diagnostics of Analyze responses (see decodeDiagnostics). */
const AnalyzerClient = grpc.makeGenericClientConstructor(
  {
    ...stubs.AnalyzerService,
    analyze: { ...stubs.AnalyzerService.analyze, responseDeserialize: wire.decodeDiagnostics },
  },
  "Analyzer",
) as unknown as typeof stubs.AnalyzerClient;

/** The placeholder engine address: run-policy-pack discards its first argument. */
const ENGINE_ADDRESS = "127.0.0.1:0";
/** Matches the policy runtime's own limit, so large stacks fit in one AnalyzeStack call. */
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

export interface StartPolicyPackOptions {
  /** The pack's directory: package.json (whose `main` is the compiled pack) and PulumiPolicy.yaml. */
  readonly packDir: string;
  /** The policy config file's content (`--policy-pack-config`). @default {} */
  readonly config?: PolicyPackConfig;
  /** Sent with ConfigureStack when given, as the engine does before analysing. */
  readonly stack?: StackContext;
  /** Requests kept in flight by `analyze`. @default 16 */
  readonly concurrency?: number;
  /** Milliseconds to wait for the pack to print its port. @default 30000 */
  readonly startTimeoutMs?: number;
  /** Environment of the pack process. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

export interface PolicyPackSession {
  /** host:port the pack serves the Analyzer service on. */
  readonly address: string;
  readonly info: AnalyzerInfo;
  /** The configuration sent with Configure (defaults merged with `config`). */
  readonly config: EffectivePolicyConfig;
  /** Analyze each resource (one request per resource, `concurrency` in flight); results in input order. */
  analyze(resources: readonly AnalyzerResource[]): Promise<PolicyResult[]>;
  /** One AnalyzeStack request holding every resource. */
  analyzeStack(resources: readonly AnalyzerResource[]): Promise<PolicyResult[]>;
  /** Replaces the policy configuration (Configure), as a new `--policy-pack-config` would. */
  configure(config: PolicyPackConfig): Promise<EffectivePolicyConfig>;
  /** Closes the channel and stops the pack process. */
  close(): Promise<void>;
}

function readPort(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill();
      reject(new Error(`policy pack did not start: ${why}\n${stderr.trim()}`));
    };
    const timer = setTimeout(() => fail(`no port printed within ${timeoutMs} ms`), timeoutMs);
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const onData = (chunk: Buffer) => {
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
    const onExit = (code: number | null) => fail(`process exited with code ${code}`);
    child.stdout?.on("data", onData);
    child.on("exit", onExit);
  });
}

function unary<Req, Res>(
  client: analyzerGrpc.AnalyzerClient,
  method: (req: Req, cb: (err: grpcTypes.ServiceError | null, res: Res) => void) => unknown,
  request: Req,
): Promise<Res> {
  return new Promise((resolve, reject) =>
    method.call(client, request, (err, res) => (err ? reject(err) : resolve(res))),
  );
}

/** Starts the pack, reads its info, sends Configure (and ConfigureStack), and returns a session. */
export async function startPolicyPack(options: StartPolicyPackOptions): Promise<PolicyPackSession> {
  const packDir = path.resolve(options.packDir);
  const pkg = JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8"));
  const main = path.join(packDir, pkg.main ?? "index.js");
  if (!fs.existsSync(main)) {
    throw new Error(`${main} does not exist: build the pack first (npm run build)`);
  }
  const runPolicyPack = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
  const child = spawn(process.execPath, [runPolicyPack, ENGINE_ADDRESS, "."], {
    cwd: packDir,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const port = await readPort(child, options.startTimeoutMs ?? 30_000);
  // Keep draining the pipes so a chatty pack never blocks on a full pipe buffer.
  child.stdout?.resume();
  child.stderr?.resume();

  const address = `127.0.0.1:${port}`;
  const client = new AnalyzerClient(address, grpc.credentials.createInsecure(), {
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
    const info = wire.fromAnalyzerInfo(
      await unary<typeof Empty, analyzerPb.AnalyzerInfo>(
        client,
        client.getAnalyzerInfo,
        new Empty(),
      ),
    );
    const configure = async (config: PolicyPackConfig) => {
      const effective = resolvePolicyConfig(info, config);
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

    const analyzeOne = async (resource: AnalyzerResource) => {
      const res = await unary<analyzerPb.AnalyzeRequest, wire.Diagnostics>(
        client,
        client.analyze,
        wire.toAnalyzeRequest(resource),
      );
      return wire.fromDiagnostics(res, resource.urn);
    };

    return {
      address,
      info,
      get config() {
        return effectiveConfig;
      },
      async analyze(resources) {
        const results: PolicyResult[][] = new Array(resources.length);
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
        const res = await unary<analyzerPb.AnalyzeStackRequest, analyzerPb.AnalyzeResponse>(
          client,
          client.analyzeStack,
          wire.toStackRequest(resources),
        );
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
