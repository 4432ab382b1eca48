"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.pb = void 0;
exports.levelFromProto = levelFromProto;
exports.levelToProto = levelToProto;
exports.toStruct = toStruct;
exports.toOptions = toOptions;
exports.toAnalyzeRequest = toAnalyzeRequest;
exports.toStackRequest = toStackRequest;
exports.toConfigureRequest = toConfigureRequest;
exports.fromDiagnostics = fromDiagnostics;
exports.fromAnalyzerInfo = fromAnalyzerInfo;
/**
 * Conversions between the plain types of ./types and the protobuf messages of the Analyzer
 * protocol. The stubs and google-protobuf are loaded from where @pulumi/pulumi resolves them, so the
 * messages are the very classes its generated service definition serializes.
 */
const module_1 = require("module");
const requireFromPulumi = (0, module_1.createRequire)(
  require.resolve("@pulumi/pulumi/proto/analyzer_pb"),
);
exports.pb = requireFromPulumi("./analyzer_pb.js");
const { Struct } = requireFromPulumi("google-protobuf/google/protobuf/struct_pb.js");
const LEVELS = ["advisory", "mandatory", "disabled", "remediate"];
const SEVERITIES = ["", "low", "medium", "high", "critical"];
const POLICY_TYPES = ["unknown", "resource", "stack"];
function levelFromProto(value) {
  const level = LEVELS[value];
  if (!level) throw new Error(`unknown enforcement level ${value} in analyzer response`);
  return level;
}
function levelToProto(level) {
  const value = LEVELS.indexOf(level);
  if (value < 0)
    throw new Error(`enforcement level must be one of ${LEVELS.join(", ")} (got ${level})`);
  return value;
}
/** Drops `undefined` members, which a protobuf Struct cannot carry (the SDK omits them too). */
function withoutUndefined(value) {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (value !== null && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[k] = withoutUndefined(v);
    }
    return out;
  }
  return value;
}
function toStruct(properties) {
  return Struct.fromJavaScript(withoutUndefined(properties));
}
function toOptions(options) {
  const o = options ?? {};
  const msg = new exports.pb.AnalyzerResourceOptions();
  msg.setProtect(o.protect ?? false);
  msg.setIgnorechangesList([...(o.ignoreChanges ?? [])]);
  if (o.deleteBeforeReplace !== undefined) {
    msg.setDeletebeforereplace(o.deleteBeforeReplace);
    msg.setDeletebeforereplacedefined(true);
  }
  msg.setAliasesList([...(o.aliases ?? [])]);
  msg.setAdditionalsecretoutputsList([...(o.additionalSecretOutputs ?? [])]);
  if (o.customTimeouts) {
    const timeouts = new exports.pb.AnalyzerResourceOptions.CustomTimeouts();
    timeouts.setCreate(o.customTimeouts.create ?? 0);
    timeouts.setUpdate(o.customTimeouts.update ?? 0);
    timeouts.setDelete(o.customTimeouts.delete ?? 0);
    msg.setCustomtimeouts(timeouts);
  }
  if (o.parent) msg.setParent(o.parent);
  return msg;
}
function toProvider(resource) {
  const p = resource.provider;
  if (!p) return undefined;
  const msg = new exports.pb.AnalyzerProviderResource();
  msg.setUrn(p.urn);
  msg.setType(p.type);
  msg.setName(p.name);
  msg.setProperties(toStruct(p.properties));
  return msg;
}
function toAnalyzeRequest(resource) {
  const msg = new exports.pb.AnalyzeRequest();
  msg.setUrn(resource.urn);
  msg.setType(resource.type);
  msg.setName(resource.name);
  msg.setProperties(toStruct(resource.properties));
  msg.setOptions(toOptions(resource.options));
  const provider = toProvider(resource);
  if (provider) msg.setProvider(provider);
  return msg;
}
function toStackRequest(resources) {
  const msg = new exports.pb.AnalyzeStackRequest();
  msg.setResourcesList(
    resources.map((resource) => {
      const r = new exports.pb.AnalyzerResource();
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
        const d = new exports.pb.AnalyzerPropertyDependencies();
        d.setUrnsList([...urns]);
        deps.set(key, d);
      }
      return r;
    }),
  );
  return msg;
}
function toConfigureRequest(config) {
  const msg = new exports.pb.ConfigureAnalyzerRequest();
  const map = msg.getPolicyconfigMap();
  for (const [name, c] of Object.entries(config)) {
    const pc = new exports.pb.PolicyConfig();
    pc.setEnforcementlevel(levelToProto(c.enforcementLevel));
    pc.setProperties(toStruct(c.properties));
    map.set(name, pc);
  }
  return msg;
}
function fromDiagnostics(response, defaultUrn) {
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
function fromAnalyzerInfo(info) {
  const policies = info.getPoliciesList().map((p) => {
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
            properties: schema.getProperties()?.toJavaScript() ?? {},
            required: schema.getRequiredList(),
          }
        : undefined,
    };
  });
  const initialConfig = {};
  info.getInitialconfigMap().forEach((c, name) => {
    initialConfig[name] = {
      enforcementLevel: levelFromProto(c.getEnforcementlevel()),
      properties: c.getProperties()?.toJavaScript() ?? {},
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
//# sourceMappingURL=wire.js.map
