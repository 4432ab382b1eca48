/**
 * Violating and passing cases of the cost policies, run by estimate-checks.test.ts and, with every
 * other policy's cases, by test/policies.test.ts. The budget cases add a budget to the happy stack
 * and change its limit.
 */
import type { AnalyzerResource } from "../../tools/analyzer";
import type { Case } from "../test/case";
import { awsProvider, change, urn } from "../test/builders";
import { happy, happyStack, stackResources } from "../test/fixtures";

export function budget(limitAmount: string): AnalyzerResource {
  const type = "aws:budgets/budget:Budget";
  return {
    urn: urn(type, "cost-controls-budget"),
    type,
    name: "cost-controls-budget",
    provider: awsProvider,
    options: {},
    properties: {
      name: "platform-prod-us-west-2",
      budgetType: "COST",
      limitAmount,
      limitUnit: "USD",
      timeUnit: "MONTHLY",
      filterExpression: {
        tags: { key: "platform:stack", values: ["prod-us-west-2"], matchOptions: ["EQUALS"] },
      },
    },
  };
}

function budgetCase(
  title: string,
  expect: Case["expect"],
  limitAmount: string,
  thresholdPercent?: number,
): Case {
  return {
    policy: "stack-budget",
    title,
    expect,
    resources: [...stackResources(happyStack()), budget(limitAmount)],
    stack: true,
    ...(thresholdPercent !== undefined ? { config: { "stack-budget": { thresholdPercent } } } : {}),
  };
}

/** The happy stack's estimate is a few thousand dollars: a tiny budget fails, a large one passes. */
export const cases: Case[] = [
  budgetCase("a tiny budget", "violates", "10"),
  budgetCase("a budget above the estimate", "passes", "1000000"),
  budgetCase("a threshold of 1% of a large budget", "violates", "100000", 1),
  {
    policy: "stack-budget",
    title: "a stack that declares no budget",
    expect: "passes",
    resources: stackResources(happyStack()),
    stack: true,
  },
  {
    policy: "cost-known-price",
    title: "a type the estimator cannot price",
    expect: "violates",
    resources: [
      {
        ...happy.bucket(),
        type: "aws:opensearch/domain:Domain",
        name: "search",
        urn: urn("aws:opensearch/domain:Domain", "search"),
        properties: { domainName: "search" },
      },
    ],
  },
  {
    policy: "cost-known-price",
    title: "a node group instance type missing from the price table",
    expect: "violates",
    resources: [change(happy.nodeGroup(), "instanceTypes", ["x2iezn.12xlarge"])],
  },
  {
    policy: "cost-known-price",
    title: "a priced node group",
    expect: "passes",
    resources: [happy.nodeGroup()],
  },
];
