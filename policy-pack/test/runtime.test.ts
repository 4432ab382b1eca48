/**
 * The runtime patches (lib/runtime.ts) change what a request costs, never what the pack answers:
 * the same requests, sent to the pack with the patches on and off, get byte-identical responses.
 */
import * as assert from "assert";
import type * as grpcTypes from "@grpc/grpc-js";
import {
  startPolicyPack,
  toAnalyzerResources,
  type AnalyzerResource,
  type PolicyPackSession,
} from "../../tools/analyzer";
import * as wire from "../../tools/analyzer/wire";
import { readPolicyConfig } from "../../tools/preview/policy";
import { readStackFile } from "../../stacks/stack-files";
import {
  PATCHED_POLICY_SDK_VERSION,
  fromPolicySdk,
  PATCHES_SWITCH,
  patchPolicyRuntime,
  policySdkVersion,
  runtimePatchDecision,
} from "../lib/runtime";
import { ensurePackBuilt } from "../../tools/preview/policy";
import { PACK_DIR, runStack } from "../../tools/testing";

const { grpc, stubs } = wire;

/** A client that hands back each response's bytes exactly as they came off the wire. */
const RawClient = grpc.makeGenericClientConstructor(
  {
    analyze: { ...stubs.AnalyzerService.analyze, responseDeserialize: (b: Buffer) => b },
    analyzeStack: { ...stubs.AnalyzerService.analyzeStack, responseDeserialize: (b: Buffer) => b },
  },
  "RawAnalyzer",
);

type RawCall = (req: unknown, cb: (err: Error | null, res: Buffer) => void) => void;

function call(client: grpcTypes.Client, method: string, request: unknown): Promise<Buffer> {
  const fn = (client as unknown as Record<string, RawCall>)[method];
  return new Promise((resolve, reject) =>
    fn.call(client, request, (err, res) => (err ? reject(err) : resolve(res))),
  );
}

async function rawResponses(session: PolicyPackSession, resources: readonly AnalyzerResource[]) {
  const client = new RawClient(session.address, grpc.credentials.createInsecure(), {
    "grpc.max_receive_message_length": 400 * 1024 * 1024,
    "grpc.max_send_message_length": 400 * 1024 * 1024,
  });
  try {
    const analyze = await Promise.all(
      resources.map((r) => call(client, "analyze", wire.toAnalyzeRequest(r))),
    );
    const stack = await call(client, "analyzeStack", wire.toStackRequest(resources));
    return { analyze, stack };
  } finally {
    client.close();
  }
}

describe("policy runtime patches", function () {
  this.timeout(180_000);

  it("apply to the pinned @pulumi/policy only, and can be switched off", () => {
    assert.strictEqual(policySdkVersion(), PATCHED_POLICY_SDK_VERSION);
    assert.strictEqual(runtimePatchDecision({}, PATCHED_POLICY_SDK_VERSION), "apply");
    assert.match(
      runtimePatchDecision({}, "1.22.0"),
      /^skipped: written for @pulumi\/policy 1\.21\.0, found 1\.22\.0/,
    );
    assert.match(
      runtimePatchDecision({ [PATCHES_SWITCH]: "off" }, PATCHED_POLICY_SDK_VERSION),
      /^off/,
    );
  });

  it("decode each properties Struct once, and only plain decodes", () => {
    assert.strictEqual(patchPolicyRuntime({}), "applied");
    const { Struct } = fromPolicySdk("google-protobuf/google/protobuf/struct_pb.js");
    const { deserializeProperties } = fromPolicySdk("./deserialize");
    const a = Struct.fromJavaScript({ bucket: "logs", tags: { team: "platform" } });
    const b = Struct.fromJavaScript({ bucket: "data" });
    const first = deserializeProperties(a, false);
    assert.deepStrictEqual(first, { bucket: "logs", tags: { team: "platform" } });
    assert.strictEqual(deserializeProperties(a, false), first, "same Struct, same decode");
    assert.deepStrictEqual(deserializeProperties(b, false), { bucket: "data" });
    assert.notStrictEqual(deserializeProperties(a, true), deserializeProperties(a, true));
  });

  it("encode not-applicable entries as the generated code does, reasons that vary included", () => {
    assert.strictEqual(patchPolicyRuntime({}), "applied");
    const { BinaryWriter } = fromPolicySdk("google-protobuf");
    const pb = fromPolicySdk("@pulumi/pulumi/proto/analyzer_pb");
    const entries = Array.from({ length: 20 }, (_, i) => {
      const na = new pb.PolicyNotApplicable();
      na.setPolicyName(i % 2 ? "k8s-pinned-images" : "allowed-regions");
      na.setReason(`no unknown value at .spec.containers.${i}.image to defer on`);
      return na;
    });
    // Field 3 of AnalyzeResponse, written entry by entry with the generated serializer.
    const writer = new BinaryWriter();
    writer.writeRepeatedMessage(3, entries, pb.PolicyNotApplicable.serializeBinaryToWriter);
    const expected = Buffer.from(writer.getResultBuffer());
    const response = new pb.AnalyzeResponse();
    response.setNotApplicableList(entries);
    for (let round = 0; round < 2; round++) {
      assert.deepStrictEqual(Buffer.from(response.serializeBinary()), expected, `round ${round}`);
    }
  });

  it("leave every Analyze and AnalyzeStack response byte-identical", async () => {
    ensurePackBuilt(PACK_DIR);
    // A first deploy with a budget far below the estimate: unknowns, advisories and a mandatory
    // stack violation, besides the dozens of "not applicable" entries of every response.
    const stack = "prod-us-west-2";
    const run = await runStack({
      stack,
      firstDeploy: true,
      overrides: { "platform:monthlyBudgetUsd": "100" },
    });
    const resources = toAnalyzerResources(run.resources, stack, readStackFile(stack).config);
    const { config } = readPolicyConfig(PACK_DIR, stack);
    const responses = async (env: NodeJS.ProcessEnv) => {
      const session = await startPolicyPack({ packDir: PACK_DIR, config, env });
      try {
        return await rawResponses(session, resources);
      } finally {
        await session.close();
      }
    };
    const patched = await responses({ ...process.env, [PATCHES_SWITCH]: "" });
    const unpatched = await responses({ ...process.env, [PATCHES_SWITCH]: "off" });

    assert.strictEqual(patched.analyze.length, resources.length);
    const differing = resources.filter((_, i) => !patched.analyze[i].equals(unpatched.analyze[i]));
    assert.deepStrictEqual(
      differing.map((r) => r.urn),
      [],
      "Analyze responses differ with the patches",
    );
    assert.ok(patched.stack.equals(unpatched.stack), "AnalyzeStack response differs");

    // The comparison covered what the patches touch: not-applicable entries and diagnostics.
    const decoded = patched.analyze.map((b) => wire.pb.AnalyzeResponse.deserializeBinary(b));
    assert.ok(decoded.every((r) => r.getNotApplicableList().length > 50));
    assert.ok(decoded.some((r) => r.getDiagnosticsList().length > 0));
    const stackDiagnostics = wire.pb.AnalyzeResponse.deserializeBinary(patched.stack)
      .getDiagnosticsList()
      .map((d) => d.getPolicyname());
    assert.ok(stackDiagnostics.includes("stack-budget"), stackDiagnostics.join(", "));
  });
});
