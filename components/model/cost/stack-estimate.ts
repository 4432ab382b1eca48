/**
 * A stack's estimate with what the stack itself declares: its usage assumptions (the SSM parameter
 * the cost-controls component publishes) and its budget (the `aws:budgets/budget:Budget` the same
 * component declares from `platform:monthlyBudgetUsd`). Adapters turn the policy runtime's resources
 * and the mock engine's recorded resources into the estimator's `CostResource`.
 */
import {
  ASSUMPTIONS_PARAMETER_PATTERN,
  CostAssumptions,
  DEFAULT_COST_ASSUMPTIONS,
  parseAssumptions,
} from "./assumptions";
import { STACK_TAG_KEY } from "../tags";
import { BUDGET } from "../types";
import { SECRET_SIG, SECRET_SIG_KEY } from "../wire";
import { CostEstimate, CostResource, estimateCost, EstimateOptions } from "./estimate";

export interface StackBudget {
  readonly urn: string;
  readonly name: string;
  readonly limitUsd: number;
}

export interface StackEstimate extends CostEstimate {
  readonly budget: StackBudget | null;
  /** `stack` when read from the stack's published parameter, `defaults` otherwise. */
  readonly assumptionsSource: "stack" | "defaults";
  readonly assumptionProblems: readonly string[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Replaces wire-form secrets by their values: prices never depend on them, and none is printed. */
export function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (isObject(value)) {
    if (value[SECRET_SIG_KEY] === SECRET_SIG) return unwrapSecrets(value.value);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

/** The budget the stack declares for itself: a monthly USD cost budget, filtered by its stack tag when several. */
export function findBudget(resources: readonly CostResource[]): StackBudget | undefined {
  const budgets = resources
    .filter((r) => r.type === BUDGET)
    .map((r) => ({ resource: r, limit: Number(r.inputs.limitAmount) }))
    .filter(
      ({ resource, limit }) =>
        (resource.inputs.budgetType ?? "COST") === "COST" &&
        (resource.inputs.timeUnit ?? "MONTHLY") === "MONTHLY" &&
        (resource.inputs.limitUnit ?? "USD") === "USD" &&
        Number.isFinite(limit) &&
        limit > 0,
    );
  const byStackTag = budgets.filter(({ resource }) => {
    const tags = isObject(resource.inputs.filterExpression)
      ? resource.inputs.filterExpression.tags
      : undefined;
    return isObject(tags) && tags.key === STACK_TAG_KEY;
  });
  const chosen = (byStackTag.length > 0 ? byStackTag : budgets).sort(
    (a, b) => a.limit - b.limit,
  )[0];
  if (!chosen) return undefined;
  const name = typeof chosen.resource.inputs.name === "string" ? chosen.resource.inputs.name : "";
  return { urn: chosen.resource.urn, name: name || chosen.resource.name, limitUsd: chosen.limit };
}

export function findAssumptions(resources: readonly CostResource[]): {
  assumptions: CostAssumptions;
  source: "stack" | "defaults";
  problems: string[];
} {
  const parameter = resources.find(
    (r) =>
      r.type === "aws:ssm/parameter:Parameter" &&
      typeof r.inputs.name === "string" &&
      ASSUMPTIONS_PARAMETER_PATTERN.test(r.inputs.name),
  );
  const value = parameter?.inputs.insecureValue;
  if (typeof value !== "string") {
    return { assumptions: DEFAULT_COST_ASSUMPTIONS, source: "defaults", problems: [] };
  }
  const { assumptions, problems } = parseAssumptions(value);
  return { assumptions, source: "stack", problems };
}

/** The region most of the stack's providers name, for resources whose provider does not say. */
export function homeRegion(resources: readonly CostResource[]): string | undefined {
  const counts = new Map<string, number>();
  for (const r of resources) {
    if (r.region) counts.set(r.region, (counts.get(r.region) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

export function estimateStack(
  resources: readonly CostResource[],
  options: Omit<EstimateOptions, "assumptions"> = {},
): StackEstimate {
  const { assumptions, source, problems } = findAssumptions(resources);
  const estimate = estimateCost(resources, {
    defaultRegion: homeRegion(resources),
    ...options,
    assumptions,
  });
  return {
    ...estimate,
    budget: findBudget(resources) ?? null,
    assumptionsSource: source,
    assumptionProblems: problems,
  };
}

/** A resource as the mock engine records it (tools/mock-engine `RecordedResource`). */
export interface RecordedLike {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent?: string;
  /** `<provider urn>::<provider id>`. */
  readonly provider?: string;
  readonly inputs: Record<string, unknown>;
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

function regionInput(inputs: Record<string, unknown> | undefined): string | undefined {
  const region = inputs?.region;
  return typeof region === "string" && /^[a-z]{2}(-[a-z]+)+-\d$/.test(region) ? region : undefined;
}

/** The offline preview's adapter: wire-form inputs, providers referenced by URN. */
export function fromRecordedResources(resources: readonly RecordedLike[]): CostResource[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  return resources.map((r) => {
    const providerUrn = r.provider?.split("::").slice(0, -1).join("::");
    const provider = providerUrn ? byUrn.get(providerUrn) : undefined;
    return {
      urn: r.urn,
      type: r.type,
      name: r.name,
      inputs: unwrapSecrets(r.inputs) as Record<string, unknown>,
      region: regionInput(provider?.inputs),
      ...(r.parent ? { parent: r.parent } : {}),
      propertyDependencies: r.propertyDependencies,
    };
  });
}

/** A resource as the policy runtime presents it (PolicyResource or ResourceValidationArgs). */
export interface PolicyResourceLike {
  readonly type: string;
  readonly urn: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
  readonly provider?: { readonly props: Record<string, unknown> };
  readonly parent?: { readonly urn: string };
  readonly propertyDependencies?: Readonly<Record<string, readonly { readonly urn: string }[]>>;
}

/** The policy pack's adapter. `props` must be the raw inputs, not the runtime's proxy. */
export function fromPolicyResource(r: PolicyResourceLike): CostResource {
  const propertyDependencies: Record<string, string[]> = {};
  for (const [key, deps] of Object.entries(r.propertyDependencies ?? {})) {
    propertyDependencies[key] = deps.map((d) => d.urn);
  }
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    inputs: r.props,
    region: regionInput(r.provider?.props),
    ...(r.parent ? { parent: r.parent.urn } : {}),
    propertyDependencies,
  };
}
