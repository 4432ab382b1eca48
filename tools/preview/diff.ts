/**
 * The resource diff of a preview against a base report, as `pulumi preview` would show it:
 * resources to create, update, replace and delete by URN, with the inputs that change. Values come
 * from the reports' displayed inputs, so secrets are already `[secret]`; long values are cut.
 */
import { quoteValue } from "@platform/core";
import { coversPath, replacementFor } from "./replacement";

export type ChangeKind = "create" | "update" | "replace" | "delete";

/** What a diff needs of a report's resource entry (a base report may come from an older tool). */
export interface DiffableResource {
  readonly urn: string;
  readonly type: string;
  readonly protect: boolean;
  readonly inputs: unknown;
  readonly ignoreChanges?: readonly string[];
  readonly replaceOnChanges?: readonly string[];
}

export interface PropertyChange {
  /** Input path, e.g. `tags.Name`, `ingress[0].cidrBlocks`, `tags["platform:owner"]`. */
  readonly path: string;
  /** The value before and after, quoted and shortened; `nothing` when absent. */
  readonly before: string;
  readonly after: string;
  /** true: forces replacement; false: updated in place; "unknown": the provider may replace. */
  readonly replaces: boolean | "unknown";
}

export interface ResourceChange {
  readonly urn: string;
  readonly type: string;
  readonly kind: ChangeKind;
  /** An update of a type whose replacement rules are unknown: the provider may replace it. */
  readonly mayReplace: boolean;
  readonly protect: boolean;
  /** Why it is replaced (the source of the rule), for `replace`. */
  readonly replaceReason?: string;
  readonly properties: readonly PropertyChange[];
}

export interface ResourceDiff {
  readonly create: number;
  readonly update: number;
  readonly replace: number;
  readonly delete: number;
  readonly same: number;
  /** Protected resources this change would delete or replace (`pulumi up` refuses; data at stake). */
  readonly protectedAtRisk: readonly string[];
  /** Every change, protected deletes and replaces first, then by kind and URN. */
  readonly changes: readonly ResourceChange[];
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function childPath(prefix: string, key: string): string {
  const part = IDENTIFIER.test(key) ? key : `[${JSON.stringify(key)}]`;
  if (!prefix) return IDENTIFIER.test(key) ? key : part;
  return IDENTIFIER.test(key) ? `${prefix}.${key}` : `${prefix}${part}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Leaf values by path; arrays of scalars count as one value, arrays of objects by index. */
function leaves(value: unknown, prefix: string, into: Map<string, unknown>): void {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) leaves(v, childPath(prefix, k), into);
    return;
  }
  if (Array.isArray(value) && value.some((v) => isPlainObject(v) || Array.isArray(v))) {
    value.forEach((v, i) => leaves(v, `${prefix}[${i}]`, into));
    return;
  }
  into.set(prefix, value);
}

/** The inputs that differ between two displayed input objects, in path order. */
export function changedPaths(
  before: unknown,
  after: unknown,
): { path: string; before: unknown; after: unknown }[] {
  const was = new Map<string, unknown>();
  const now = new Map<string, unknown>();
  leaves(before ?? {}, "", was);
  leaves(after ?? {}, "", now);
  const paths = [...new Set([...was.keys(), ...now.keys()])].sort();
  return paths
    .filter((p) => JSON.stringify(was.get(p)) !== JSON.stringify(now.get(p)))
    .map((p) => ({ path: p, before: was.get(p), after: now.get(p) }));
}

const KIND_ORDER: Record<ChangeKind, number> = { delete: 0, replace: 1, create: 2, update: 3 };

/** Compares the resources of a base report with the current ones, by URN. */
export function diffResources(
  base: readonly DiffableResource[],
  current: readonly DiffableResource[],
): ResourceDiff {
  const before = new Map(base.map((r) => [r.urn, r]));
  const after = new Map(current.map((r) => [r.urn, r]));
  const changes: ResourceChange[] = [];
  let same = 0;
  for (const r of current) {
    const old = before.get(r.urn);
    if (!old) {
      changes.push({
        urn: r.urn,
        type: r.type,
        kind: "create",
        mayReplace: false,
        protect: r.protect,
        properties: [],
      });
      continue;
    }
    // Pulumi leaves the paths a resource's ignoreChanges names alone.
    const ignored = r.ignoreChanges ?? [];
    const differing = changedPaths(old.inputs, r.inputs).filter(
      (c) => !ignored.some((i) => coversPath(i, c.path)),
    );
    if (differing.length === 0) {
      same++;
      continue;
    }
    const rules = differing.map((c) => replacementFor(r.type, c.path, r.replaceOnChanges));
    const properties: PropertyChange[] = differing.map((c, i) => ({
      path: c.path,
      before: quoteValue(c.before),
      after: quoteValue(c.after),
      replaces: rules[i].replaces,
    }));
    const forcing = rules.findIndex((rule) => rule.replaces === true);
    const rule = rules[forcing];
    changes.push({
      urn: r.urn,
      type: r.type,
      kind: forcing >= 0 ? "replace" : "update",
      mayReplace: forcing < 0 && rules.some((x) => x.replaces === "unknown"),
      protect: r.protect,
      ...(rule?.replaces === true
        ? { replaceReason: `${differing[forcing].path}: ${rule.source}` }
        : {}),
      properties,
    });
  }
  for (const r of base) {
    if (after.has(r.urn)) continue;
    changes.push({
      urn: r.urn,
      type: r.type,
      kind: "delete",
      mayReplace: false,
      protect: r.protect,
      properties: [],
    });
  }
  const atRisk = (c: ResourceChange) => c.protect && (c.kind === "delete" || c.kind === "replace");
  changes.sort(
    (a, b) =>
      Number(atRisk(b)) - Number(atRisk(a)) ||
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      a.urn.localeCompare(b.urn),
  );
  const count = (kind: ChangeKind) => changes.filter((c) => c.kind === kind).length;
  return {
    create: count("create"),
    update: count("update"),
    replace: count("replace"),
    delete: count("delete"),
    same,
    protectedAtRisk: changes.filter(atRisk).map((c) => c.urn),
    changes,
  };
}
