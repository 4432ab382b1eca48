/**
 * The cost seam of the preview. The estimate itself lives in policy-pack/cost/ (issue 8); this
 * file is the one place the preview asks for it, and the shape the report prints.
 */
import type { RecordedResource } from "../mock-engine";

export interface CostLine {
  readonly urn: string;
  readonly type: string;
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
}

export interface CostInput {
  readonly stack: string;
  readonly region: string;
  readonly config: Readonly<Record<string, string>>;
  readonly resources: readonly RecordedResource[];
}

/** The stack's monthly estimate; `null` until the estimator of policy-pack/cost/ is wired in here. */
export function estimateCost(_input: CostInput): CostEstimate | null {
  return null;
}

export interface CostChange {
  readonly currency: string;
  readonly before: number;
  readonly after: number;
  readonly delta: number;
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
  };
}
