/**
 * Conversions between the plain types of ./types and the protobuf messages of the Analyzer
 * protocol. The stubs and google-protobuf are loaded from where @pulumi/pulumi resolves them, so the
 * messages are the very classes its generated service definition serializes.
 */
import { createRequire } from "module";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import type * as structPb from "google-protobuf/google/protobuf/struct_pb";
import type {
  AnalyzerInfo,
  AnalyzerResource,
  AnalyzerResourceOptions,
  EffectivePolicyConfig,
  EnforcementLevel,
  PolicyInfo,
  PolicyResult,
  Severity,
  WireProperties,
} from "./types";

const requireFromPulumi = createRequire(require.resolve("@pulumi/pulumi/proto/analyzer_pb"));
export const pb: typeof analyzerPb = requireFromPulumi("./analyzer_pb.js");
/** The generated Analyzer service and the gRPC library it was generated for. */
export const stubs: typeof analyzerGrpc = requireFromPulumi("./analyzer_grpc_pb.js");
export const grpc: typeof grpcTypes = requireFromPulumi("@grpc/grpc-js");
/** The request of GetAnalyzerInfo. */
export const { Empty } = requireFromPulumi("google-protobuf/google/protobuf/empty_pb.js");
const { Struct }: typeof structPb = requireFromPulumi(
  "google-protobuf/google/protobuf/struct_pb.js",
);
const { BinaryReader } = requireFromPulumi("google-protobuf");

/** Diagnostics of an AnalyzeResponse; `not_applicable` entries are skipped, not decoded. */
export interface Diagnostics {
  getDiagnosticsList(): analyzerPb.AnalyzeDiagnostic[];
}

/** `AnalyzeResponse.diagnostics` (field 3 holds the not-applicable entries we skip); see analyzer.proto. */
export const ANALYZE_RESPONSE_DIAGNOSTICS_FIELD = 2;

/**
 * Decodes only the diagnostics of an AnalyzeResponse. The runtime lists every policy that does not
 * apply to the resource as well; decoding those dozens of messages per request would cost the
 * client more than the diagnostics themselves.
 */
export function decodeDiagnostics(bytes: Uint8Array): Diagnostics {
  const list: analyzerPb.AnalyzeDiagnostic[] = [];
  const reader = new BinaryReader(bytes);
  while (reader.nextField()) {
    if (reader.isEndGroup()) break;
    if (reader.getFieldNumber() === ANALYZE_RESPONSE_DIAGNOSTICS_FIELD) {
      const d = new pb.AnalyzeDiagnostic();
      reader.readMessage(d, pb.AnalyzeDiagnostic.deserializeBinaryFromReader);
      list.push(d);
    } else {
      reader.skipField();
    }
  }
  return { getDiagnosticsList: () => list };
}

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "disabled", "remediate"];
const SEVERITIES: readonly Severity[] = ["", "low", "medium", "high", "critical"];
const POLICY_TYPES = ["unknown", "resource", "stack"] as const;

export function levelFromProto(value: number): EnforcementLevel {
  const level = LEVELS[value];
  if (!level) throw new Error(`unknown enforcement level ${value} in analyzer response`);
  return level;
}

export function levelToProto(level: EnforcementLevel): number {
  const value = LEVELS.indexOf(level);
  if (value < 0)
    throw new Error(`enforcement level must be one of ${LEVELS.join(", ")} (got ${level})`);
  return value;
}

/** Drops `undefined` members, which a protobuf Struct cannot carry (the SDK omits them too). */
function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[k] = withoutUndefined(v);
    }
    return out;
  }
  return value;
}

export function toStruct(properties: WireProperties): structPb.Struct {
  return Struct.fromJavaScript(
    withoutUndefined(properties) as Record<string, structPb.JavaScriptValue>,
  );
}

export function toOptions(
  options: AnalyzerResourceOptions | undefined,
): analyzerPb.AnalyzerResourceOptions {
  const o = options ?? {};
  const msg = new pb.AnalyzerResourceOptions();
  msg.setProtect(o.protect ?? false);
  msg.setIgnorechangesList([...(o.ignoreChanges ?? [])]);
  if (o.deleteBeforeReplace !== undefined) {
    msg.setDeletebeforereplace(o.deleteBeforeReplace);
    msg.setDeletebeforereplacedefined(true);
  }
  msg.setAliasesList([...(o.aliases ?? [])]);
  msg.setAdditionalsecretoutputsList([...(o.additionalSecretOutputs ?? [])]);
  if (o.customTimeouts) {
    const timeouts = new pb.AnalyzerResourceOptions.CustomTimeouts();
    timeouts.setCreate(o.customTimeouts.create ?? 0);
    timeouts.setUpdate(o.customTimeouts.update ?? 0);
    timeouts.setDelete(o.customTimeouts.delete ?? 0);
    msg.setCustomtimeouts(timeouts);
  }
  if (o.parent) msg.setParent(o.parent);
  return msg;
}

function toProvider(resource: AnalyzerResource): analyzerPb.AnalyzerProviderResource | undefined {
  const p = resource.provider;
  if (!p) return undefined;
  const msg = new pb.AnalyzerProviderResource();
  msg.setUrn(p.urn);
  msg.setType(p.type);
  msg.setName(p.name);
  msg.setProperties(toStruct(p.properties));
  return msg;
}

export function toAnalyzeRequest(resource: AnalyzerResource): analyzerPb.AnalyzeRequest {
  const msg = new pb.AnalyzeRequest();
  msg.setUrn(resource.urn);
  msg.setType(resource.type);
  msg.setName(resource.name);
  msg.setProperties(toStruct(resource.properties));
  msg.setOptions(toOptions(resource.options));
  const provider = toProvider(resource);
  if (provider) msg.setProvider(provider);
  return msg;
}

export function toStackRequest(
  resources: readonly AnalyzerResource[],
): analyzerPb.AnalyzeStackRequest {
  const msg = new pb.AnalyzeStackRequest();
  msg.setResourcesList(
    resources.map((resource) => {
      const r = new pb.AnalyzerResource();
      r.setUrn(resource.urn);
      r.setType(resource.type);
      r.setName(resource.name);
      r.setProperties(toStruct(resource.properties));
      r.setOptions(toOptions(resource.options));
      const provider = toProvider(resource);
      if (provider) r.setProvider(provider);
      const parent = resource.parent ?? resource.options?.parent;
      if (parent) r.setParent(parent);
      r.setDependenciesList([...(resource.dependencies ?? [])]);
      const deps = r.getPropertydependenciesMap();
      for (const [key, urns] of Object.entries(resource.propertyDependencies ?? {})) {
        const d = new pb.AnalyzerPropertyDependencies();
        d.setUrnsList([...urns]);
        deps.set(key, d);
      }
      return r;
    }),
  );
  return msg;
}

export function toConfigureRequest(
  config: EffectivePolicyConfig,
): analyzerPb.ConfigureAnalyzerRequest {
  const msg = new pb.ConfigureAnalyzerRequest();
  const map = msg.getPolicyconfigMap();
  for (const [name, c] of Object.entries(config)) {
    const pc = new pb.PolicyConfig();
    pc.setEnforcementlevel(levelToProto(c.enforcementLevel) as analyzerPb.EnforcementLevel);
    pc.setProperties(toStruct(c.properties as WireProperties));
    map.set(name, pc);
  }
  return msg;
}

export function fromDiagnostics(response: Diagnostics, defaultUrn: string): PolicyResult[] {
  return response.getDiagnosticsList().map((d) => ({
    policy: d.getPolicyname(),
    packName: d.getPolicypackname(),
    packVersion: d.getPolicypackversion(),
    level: levelFromProto(d.getEnforcementlevel()),
    urn: d.getUrn() || defaultUrn,
    message: d.getMessage(),
    description: d.getDescription(),
    severity: SEVERITIES[d.getSeverity()] ?? "",
  }));
}

export function fromAnalyzerInfo(info: analyzerPb.AnalyzerInfo): AnalyzerInfo {
  const policies: PolicyInfo[] = info.getPoliciesList().map((p) => {
    const schema = p.getConfigschema();
    return {
      name: p.getName(),
      displayName: p.getDisplayname(),
      description: p.getDescription(),
      enforcementLevel: levelFromProto(p.getEnforcementlevel()),
      type: POLICY_TYPES[p.getPolicyType()] ?? "unknown",
      severity: SEVERITIES[p.getSeverity()] ?? "",
      tags: p.getTagsList(),
      configSchema: schema
        ? {
            properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
            required: schema.getRequiredList(),
          }
        : undefined,
    };
  });
  const initialConfig: Record<string, EffectivePolicyConfig[string]> = {};
  info.getInitialconfigMap().forEach((c, name) => {
    initialConfig[name] = {
      enforcementLevel: levelFromProto(c.getEnforcementlevel()),
      properties: (c.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
    };
  });
  return {
    name: info.getName(),
    displayName: info.getDisplayname(),
    version: info.getVersion(),
    supportsConfig: info.getSupportsconfig(),
    policies,
    initialConfig,
  };
}
