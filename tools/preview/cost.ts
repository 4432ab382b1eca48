/**
 * The cost seam of the preview. The estimate itself lives in @platform/model (components/model/cost); this
 * file is the one place the preview asks for it, and the shape the report prints.
 */
import { estimateStack, fromRecordedResources } from "@platform/model";
import type { RecordedResource } from "../mock-engine";

export interface CostLine {
  readonly urn: string;
  readonly type: string;
  readonly name?: string;
  /** `unknown`: the price table cannot price it (the monthly figure is a lower bound). */
  readonly status?: "priced" | "unknown";
  readonly monthly: number;
  /** How the figure was reached, e.g. "3 x t4g.large on-demand, us-west-2". */
  readonly basis?: string;
}

export interface CostEstimate {
  /** ISO 4217, e.g. "USD". */
  readonly currency: string;
  readonly monthly: number;
  readonly byResource: readonly CostLine[];
  /** The stack's monthly budget, when it has one. */
  readonly budget: { readonly monthly: number } | null;
  /** Resources the price table cannot price (policy cost-known-price flags them). */
  readonly unknown?: number;
  /**
   * Resources priced at their configured limit outside `monthly` (a node-limited Karpenter pool:
   * 0 nodes now, at most its limit), and `monthly` with all of them there.
   */
  readonly ceilings?: readonly CostLine[];
  readonly ceilingMonthly?: number;
}

export interface CostInput {
  readonly stack: string;
  readonly region: string;
  readonly config: Readonly<Record<string, string>>;
  readonly resources: readonly RecordedResource[];
}

const cents = (n: number) => Math.round(n * 100) / 100;

/** The stack's monthly estimate by @platform/model, the same figures the stack-budget policy uses. */
export function estimateCost(input: CostInput): CostEstimate | null {
  const estimate = estimateStack(fromRecordedResources(input.resources));
  return {
    currency: estimate.currency,
    monthly: cents(estimate.monthly),
    byResource: estimate.byResource.map((line) => ({
      urn: line.urn,
      type: line.type,
      name: line.name,
      status: line.status === "unknown" ? "unknown" : "priced",
      monthly: cents(line.monthly),
      basis: [...line.components.map((c) => c.description), ...line.notes]
        .concat(line.region ? [line.region] : [])
        .join("; "),
    })),
    budget: estimate.budget ? { monthly: estimate.budget.limitUsd } : null,
    unknown: estimate.unknown.length,
    ceilings: estimate.byResource.flatMap((line) =>
      line.ceiling
        ? [
            {
              urn: line.urn,
              type: line.type,
              name: line.name,
              monthly: cents(line.ceiling.monthly),
              basis: line.ceiling.description,
            },
          ]
        : [],
    ),
    ceilingMonthly: cents(estimate.ceilingMonthly),
  };
}

export interface CostChange {
  readonly currency: string;
  readonly before: number;
  readonly after: number;
  readonly delta: number;
  /** Resources whose monthly figure changed (added, removed or repriced), largest change first. */
  readonly resources?: readonly {
    readonly urn: string;
    readonly before: number;
    readonly after: number;
    readonly delta: number;
  }[];
}

/** Difference against a previous report's estimate; `null` when either side has none. */
export function compareCost(
  before: CostEstimate | null | undefined,
  after: CostEstimate | null,
): CostChange | null {
  if (!before || !after || before.currency !== after.currency) return null;
  return {
    currency: after.currency,
    before: before.monthly,
    after: after.monthly,
    delta: after.monthly - before.monthly,
    resources: resourceChanges(before.byResource, after.byResource),
  };
}

function resourceChanges(
  before: readonly CostLine[],
  after: readonly CostLine[],
): NonNullable<CostChange["resources"]> {
  const was = new Map(before.map((l) => [l.urn, l.monthly]));
  const now = new Map(after.map((l) => [l.urn, l.monthly]));
  return [...new Set([...was.keys(), ...now.keys()])]
    .map((urn) => {
      const b = was.get(urn) ?? 0;
      const a = now.get(urn) ?? 0;
      return { urn, before: b, after: a, delta: cents(a - b) };
    })
    .filter((c) => c.delta !== 0)
    .sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || x.urn.localeCompare(y.urn));
}
