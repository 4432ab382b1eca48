/**
 * Reading resource inputs as the policy runtime delivers them. Policies work on the raw
 * deserialized inputs (no per-access proxy cost) and test for the engine's unknown sentinels
 * themselves, so a value that is unknown at preview time is either decided without or handed back
 * to the runtime, whose unknown-checking proxy turns it into the "can't run during preview"
 * advisory.
 */
import { isUnknown } from "@platform/model";
import type { ResourceValidationArgs } from "@pulumi/policy";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Props = Record<string, any>;

/** Property key under which the runtime's unknown-checking proxy exposes its target. */
const PROXY_TARGET = "__getSpecialProxyTarget";

/** The object behind the runtime's proxy (or the value itself when it is not proxied). */
export function raw(value: Props): Props {
  return (value && (value as Props)[PROXY_TARGET]) || value;
}

/** True when the value or anything inside it is unknown. */
export function containsUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object")
    return Object.values(value).some(containsUnknown);
  return false;
}

/**
 * Hands an undecidable check back to the runtime: reading the unknown value through its proxy throws
 * the runtime's UnknownValueError, which it reports as an advisory "can't run during preview".
 */
export function undecidable(args: ResourceValidationArgs, path: readonly string[]): never {
  let v: Props = args.props;
  for (const key of path) v = v?.[key];
  // Only reached when nothing on the path was unknown (a policy bug): skip rather than crash.
  return args.notApplicable(`no unknown value at .${path.join(".")} to defer on`);
}

export function asArray<T = unknown>(value: unknown): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? (value as T[]) : [value as T];
}

/** Provider inputs of object type arrive JSON-encoded (generated providers stringify them). */
export function jsonish(value: unknown): unknown {
  if (typeof value !== "string" || isUnknown(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export function isObject(value: unknown): value is Props {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** `0.0.0.0/0`, `::/0` and equivalents with a zero-length prefix. */
export function isAnywhere(cidr: unknown): boolean {
  return typeof cidr === "string" && /\/0$/.test(cidr.trim());
}

/** Resource-friendly label for messages, e.g. `RDS instance "orders"`. */
export function label(kind: string, name: string): string {
  return `${kind} "${name}"`;
}
