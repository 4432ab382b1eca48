/**
 * Two start-up patches to the @pulumi/policy Analyzer server. Neither changes a byte the pack sends
 * (tests compare responses with the patches on and off); both cut what each Analyze request costs.
 *
 * The 1.21.0 runtime handles a request by walking every policy of the pack, and:
 * 1. for each policy that is not bound to a single type (ours that read several types, and
 *    cost-known-price, which reads all of them), deserializes the resource's properties and its
 *    provider's again: a dozen full decodes of the same protobuf Struct per request. The first
 *    patch memoizes `deserializeProperties` per Struct object (plain decodes only: the remediation
 *    path, which asks for secret-preserving proxies and mutates what it gets, is left alone).
 *    Our policies never mutate props (lib/values.ts `raw`), so sharing one decode is safe.
 * 2. for each single-type policy the resource is not of, adds a "not applicable" entry (policy
 *    name and reason) to the response: about 70 per request, re-encoded into UTF-8 protobuf each
 *    time. The second patch encodes each distinct (policy, reason) entry once and copies the bytes.
 *
 * On the bench's 10,000 resources they cut the pack's CPU for Analyze by about a third. They rely
 * on internals, so they apply only to the @pulumi/policy version they were
 * checked against; on any other the pack runs unpatched (correct, slower) and says so on stderr.
 * PLATFORM_POLICY_RUNTIME_PATCHES=off turns them off.
 */
import { createRequire } from "module";

/** The @pulumi/policy version whose internals these patches were read against. */
export const PATCHED_POLICY_SDK_VERSION = "1.21.0";
export const PATCHES_SWITCH = "PLATFORM_POLICY_RUNTIME_PATCHES";

type Struct = object;

interface DeserializeModule {
  deserializeProperties(struct: Struct, proxySecrets: boolean): Record<string, unknown>;
}

interface NotApplicableMessage {
  getPolicyName(): string;
  getReason(): string;
}

interface AnalyzeResponseMessage {
  getNotApplicableList(): NotApplicableMessage[];
  setNotApplicableList(list: NotApplicableMessage[]): void;
}

interface BinaryWriter {
  writeMessage(
    field: number,
    message: NotApplicableMessage,
    write: (m: NotApplicableMessage, w: BinaryWriter) => void,
  ): void;
  writeSerializedMessage(bytes: Uint8Array, start: number, end: number): void;
  getResultBuffer(): Uint8Array;
}

interface AnalyzerProto {
  AnalyzeResponse: {
    serializeBinaryToWriter(message: AnalyzeResponseMessage, writer: BinaryWriter): void;
  };
  PolicyNotApplicable: {
    serializeBinaryToWriter(message: NotApplicableMessage, writer: BinaryWriter): void;
  };
}

/** Modules as the policy runtime itself resolves them, so the patches reach its instances. */
export const fromPolicySdk = createRequire(require.resolve("@pulumi/policy"));

function memoizeDeserialization(module: DeserializeModule): void {
  const original = module.deserializeProperties;
  const decoded = new WeakMap<Struct, Record<string, unknown>>();
  module.deserializeProperties = (struct, proxySecrets) => {
    if (proxySecrets) return original(struct, proxySecrets);
    let props = decoded.get(struct);
    if (props === undefined) {
      props = original(struct, false);
      decoded.set(struct, props);
    }
    return props;
  };
}

/** `AnalyzeResponse.not_applicable` (analyzer.proto), the response's last field. */
const NOT_APPLICABLE_FIELD = 3;
/** The runtime's own reason per policy is one ("Policy only applies to resources of type ..."). */
const REASONS_KEPT_PER_POLICY = 8;

function encodeNotApplicableOnce(proto: AnalyzerProto, Writer: new () => BinaryWriter): void {
  const original = proto.AnalyzeResponse.serializeBinaryToWriter;
  const writeEntry = proto.PolicyNotApplicable.serializeBinaryToWriter;
  // Each entry's whole field (tag, length, policy name, reason), by policy name. The runtime
  // builds a new reason string per entry, so reasons are compared, not hashed as map keys. A
  // policy's own notApplicable() reasons may differ per resource: past a few, they are not kept.
  const encoded = new Map<string, { reason: string; bytes: Uint8Array }[]>();
  const fieldBytes = (entry: NotApplicableMessage) => {
    const name = entry.getPolicyName();
    const reason = entry.getReason();
    let known = encoded.get(name);
    if (known === undefined) encoded.set(name, (known = []));
    for (const k of known) if (k.reason === reason) return k.bytes;
    const own = new Writer();
    own.writeMessage(NOT_APPLICABLE_FIELD, entry, writeEntry);
    const bytes = own.getResultBuffer();
    if (known.length < REASONS_KEPT_PER_POLICY) known.push({ reason, bytes });
    return bytes;
  };
  proto.AnalyzeResponse.serializeBinaryToWriter = (message, writer) => {
    const entries = message.getNotApplicableList();
    if (entries.length === 0) return original(message, writer);
    // The other fields as the generated code writes them, then the entries, as it would last.
    message.setNotApplicableList([]);
    original(message, writer);
    message.setNotApplicableList(entries);
    const parts = entries.map(fieldBytes);
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of parts) {
      all.set(p, offset);
      offset += p.length;
    }
    writer.writeSerializedMessage(all, 0, all.length);
  };
}

/** The version of the @pulumi/policy this process loads (published as "v1.21.0"). */
export function policySdkVersion(): string {
  return String(fromPolicySdk("./package.json").version).replace(/^v/, "");
}

/** "apply", or why the patches must not be applied. */
export function runtimePatchDecision(env: NodeJS.ProcessEnv, sdkVersion: string): string {
  if (env[PATCHES_SWITCH] === "off") return `off (${PATCHES_SWITCH}=off)`;
  if (sdkVersion !== PATCHED_POLICY_SDK_VERSION) {
    return `skipped: written for @pulumi/policy ${PATCHED_POLICY_SDK_VERSION}, found ${sdkVersion}; re-check policy-pack/lib/runtime.ts against its server.js`;
  }
  return "apply";
}

let outcome: string | undefined;

/** Applies both patches once per process; returns "applied", or why they were not. */
export function patchPolicyRuntime(env: NodeJS.ProcessEnv = process.env): string {
  if (outcome !== undefined) return outcome;
  const decision = runtimePatchDecision(env, policySdkVersion());
  if (decision === "apply") {
    memoizeDeserialization(fromPolicySdk("./deserialize"));
    encodeNotApplicableOnce(
      fromPolicySdk("@pulumi/pulumi/proto/analyzer_pb"),
      fromPolicySdk("google-protobuf").BinaryWriter,
    );
  }
  outcome = decision === "apply" ? "applied" : decision;
  return outcome;
}
