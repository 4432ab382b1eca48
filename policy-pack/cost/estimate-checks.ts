/**
 * Cost rules, on the cost model of @platform/model: the stack's estimated monthly cost stays within
 * its budget (read from the stack's own `aws:budgets/budget:Budget`, which the cost-controls
 * component declares from `platform:monthlyBudgetUsd`), and every resource that costs money has a
 * known price.
 */
import {
  BUDGET,
  estimateStack,
  fromPolicyResource,
  priceResource,
  PRICED_REGIONS,
  typeStatus,
  type CostLine,
  type PolicyResourceLike,
} from "@platform/model";
import { configProperty, resourcePolicy, stackPolicy } from "../lib/policy";
import { label, raw } from "../lib/values";

function usd(amount: number): string {
  return `$${amount.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function policyResource(r: PolicyResourceLike): PolicyResourceLike {
  return {
    ...r,
    props: raw(r.props),
    ...(r.provider ? { provider: { props: raw(r.provider.props) } } : {}),
  };
}

export const costKnownPrice = resourcePolicy({
  name: "cost-known-price",
  description:
    "Checks that every resource that costs money has a price in the committed price table for its region, so the cost estimate never counts it as free. Mandatory: a budget checked against a silent zero protects nothing (set it to advisory for a non-production stack).",
  enforcementLevel: "mandatory",
  severity: "medium",
  resourceTypes: ["*"],
  validate: (r) => {
    if (typeStatus(r.type) === "free") return;
    const resource = fromPolicyResource({
      type: r.type,
      urn: r.urn,
      name: r.name,
      props: r.props,
      ...(r.args.provider ? { provider: { props: raw(r.args.provider.props) } } : {}),
    });
    // A resource whose provider does not name a region must be priceable in every table region.
    const regions = resource.region ? [resource.region] : PRICED_REGIONS;
    const gaps: CostLine[] = regions
      .map((region) => priceResource({ ...resource, region }))
      .filter((line) => line.status === "unknown");
    if (gaps.length === 0) return;
    const reasons = [...new Set(gaps.flatMap((line) => line.notes))].join("; ");
    r.report(
      `${label(r.type, r.name)} must have a known monthly price (${reasons}): add the price to components/model/cost/prices.json with its source and date, or list the type as free in components/model/cost/estimate.ts with the reason.`,
    );
  },
});

export const stackBudget = stackPolicy({
  name: "stack-budget",
  description:
    "Checks that the stack's estimated monthly cost stays within the budget the stack declares (its aws:budgets/budget:Budget limitAmount).",
  enforcementLevel: "mandatory",
  severity: "medium",
  resourceTypes: [BUDGET],
  config: {
    thresholdPercent: configProperty.integer(
      100,
      "Share of the budget's limitAmount the estimate may reach, in percent.",
      1,
      1000,
    ),
    contributors: configProperty.integer(5, "Largest contributors named in the violation.", 1, 50),
  },
  validate: (s) => {
    const estimate = estimateStack(
      s.args.resources.map((r) => fromPolicyResource(policyResource(r))),
    );
    const budget = estimate.budget;
    if (budget === null) return;
    const allowed = (budget.limitUsd * s.config.thresholdPercent) / 100;
    if (estimate.monthly <= allowed) return;
    const top = estimate.byResource
      .slice(0, s.config.contributors)
      .map((line) => `${line.name} (${line.type}) ${usd(line.monthly)}`)
      .join(", ");
    s.report(
      `Stack must stay within its monthly budget: the estimate is ${usd(estimate.monthly)}, above ${s.config.thresholdPercent}% of budget "${budget.name}" (${usd(budget.limitUsd)}). Largest contributors: ${top}. Reduce them, or raise platform:monthlyBudgetUsd if the spend is intended.`,
      budget.urn,
    );
  },
});

export const estimatePolicies = [costKnownPrice, stackBudget];
