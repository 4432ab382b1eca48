/**
 * The engine's wire form of property values (a protobuf Struct as plain JS) and how to show it.
 * Secrets travel as signature objects and unknowns as a sentinel string; we keep that form for
 * the policy pack (it is what the engine sends) and render it safely for people.
 */
import { SECRET_SIG, SECRET_SIG_KEY as SIG_KEY, UNKNOWN } from "@platform/model";

export { SECRET_SIG, SIG_KEY, UNKNOWN };
export const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
export const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
export const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
export const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";

export const SECRET_PLACEHOLDER = "[secret]";
export const UNKNOWN_PLACEHOLDER = "(known after deploy)";

export function wireSecret(value: unknown): Record<string, unknown> {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/** Replaces secrets with a placeholder and unknowns with a marker; nothing secret survives. */
export function displayValue(value: unknown): unknown {
  if (value === UNKNOWN) return UNKNOWN_PLACEHOLDER;
  if (Array.isArray(value)) return value.map(displayValue);
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    switch (obj[SIG_KEY]) {
      case SECRET_SIG:
        return SECRET_PLACEHOLDER;
      case RESOURCE_SIG:
        return `resource(${String(obj.urn)})`;
      case OUTPUT_VALUE_SIG:
        if (obj.secret === true) return SECRET_PLACEHOLDER;
        return "value" in obj ? displayValue(obj.value) : UNKNOWN_PLACEHOLDER;
      case ASSET_SIG:
      case ARCHIVE_SIG:
        return "(asset)";
      default:
        return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, displayValue(v)]));
    }
  }
  return value;
}

/** True when the wire value holds an unknown anywhere inside it. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object")
    return Object.values(value).some(containsUnknown);
  return false;
}
