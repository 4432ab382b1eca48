"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.resolvePolicyConfig = resolvePolicyConfig;
/**
 * Merges a policy config file into the configuration the engine sends with `Configure`, the way the
 * Pulumi CLI does for `--policy-pack-config`: start from each policy's default level and the
 * defaults in its `configSchema`, apply the pack's initial config, then the `all` entry, then the
 * entry for the policy itself; validate the result against the schema and report every problem.
 */
const validation_1 = require("../../components/core/validation");
const LEVELS = ["advisory", "mandatory", "remediate", "disabled"];
function typeOf(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}
function checkAgainstSchema(problems, path, value, schema) {
  if (schema.type !== undefined) {
    const allowed = typeof schema.type === "string" ? [schema.type] : schema.type;
    const actual = typeOf(value);
    const ok = allowed.includes(actual) || (actual === "integer" && allowed.includes("number"));
    if (!problems.check(ok, path, value, `be of type ${allowed.join(" or ")}`)) return;
  }
  if (schema.enum) problems.oneOf(path, value, schema.enum);
  if (typeof value === "number") {
    if (schema.minimum !== undefined) {
      problems.check(value >= schema.minimum, path, value, `be at least ${schema.minimum}`);
    }
    if (schema.maximum !== undefined) {
      problems.check(value <= schema.maximum, path, value, `be at most ${schema.maximum}`);
    }
  }
  if (Array.isArray(value) && schema.items) {
    const items = schema.items;
    value.forEach((item, i) => checkAgainstSchema(problems, `${path}[${i}]`, item, items));
  }
}
function splitEntry(entry) {
  if (entry === undefined) return { properties: {} };
  if (typeof entry === "string") return { level: entry, properties: {} };
  const { enforcementLevel, ...properties } = entry;
  return { level: enforcementLevel, properties };
}
/**
 * Returns the full configuration of every policy in the pack; throws a `ValidationError` naming
 * each bad key (unknown policy, unknown property, wrong type or range, bad enforcement level).
 */
function resolvePolicyConfig(info, config = {}) {
  const problems = new validation_1.Problems();
  const known = new Set(info.policies.map((p) => p.name));
  for (const key of Object.keys(config)) {
    problems.check(
      key === "all" || known.has(key),
      key,
      key,
      "name a policy of the pack or be all",
    );
  }
  const all = splitEntry(config.all);
  problems.check(
    Object.keys(all.properties).length === 0,
    "all",
    config.all,
    "set only enforcementLevel",
  );
  if (all.level !== undefined) problems.oneOf("all.enforcementLevel", all.level, LEVELS);
  const result = {};
  for (const policy of info.policies) {
    const schemaProps = policy.configSchema?.properties ?? {};
    const defaults = {};
    for (const [key, schema] of Object.entries(schemaProps)) {
      if (schema.default !== undefined) defaults[key] = schema.default;
    }
    const initial = info.initialConfig[policy.name];
    const own = splitEntry(config[policy.name]);
    const level = own.level ?? all.level ?? initial?.enforcementLevel ?? policy.enforcementLevel;
    problems.oneOf(`${policy.name}.enforcementLevel`, level, LEVELS);
    const properties = { ...defaults, ...(initial?.properties ?? {}), ...own.properties };
    for (const [key, value] of Object.entries(properties)) {
      const schema = schemaProps[key];
      if (
        !problems.check(
          schema !== undefined,
          `${policy.name}.${key}`,
          value,
          "be a property of the policy's configSchema",
        )
      ) {
        continue;
      }
      checkAgainstSchema(problems, `${policy.name}.${key}`, value, schema);
    }
    for (const key of policy.configSchema?.required ?? []) {
      problems.check(
        key in properties,
        `${policy.name}.${key}`,
        undefined,
        "be set (it is required)",
      );
    }
    result[policy.name] = { enforcementLevel: level, properties };
  }
  if (problems.list.length > 0)
    throw new validation_1.ValidationError("policy pack config", problems.list);
  return result;
}
//# sourceMappingURL=config.js.map
