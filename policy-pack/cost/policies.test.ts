/**
 * Violating and passing cases of the cost policies, run through the Analyzer protocol against the
 * compiled pack: here on their own, and by policy-pack/test/policies.test.ts with every other
 * policy's cases. The budget cases add a budget to the happy stack and change its limit.
 */
import * as assert from "assert";
import type { AnalyzerResource } from "../../tools/analyzer";
import type { Case } from "../test/cases";
import { awsProvider, change, happy, happyStack, stackResources, urn } from "../test/fixtures";
import { packSession } from "../../tools/testing";

function budget(limitAmount: string): AnalyzerResource {
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
export const costCases: Case[] = [
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

describe("cost policies through the Analyzer protocol", function () {
  this.timeout(180_000);

  it("fails a stack whose estimate exceeds its tiny budget, naming the budget and the largest contributors", async () => {
    const s = await packSession();
    const results = await s.analyzeStack(costCases[0].resources);
    const violations = results.filter((r) => r.policy === "stack-budget");
    assert.strictEqual(violations.length, 1);
    const [v] = violations;
    assert.strictEqual(v.level, "mandatory");
    assert.strictEqual(v.urn, budget("10").urn);
    assert.match(v.message, /above 100% of budget "platform-prod-us-west-2" \(\$10\.00\)/);
    assert.match(v.message, /Largest contributors: \S+ \(aws:/);
  });

  it("passes under a large budget and fails when the threshold is lowered in policy config", async () => {
    const s = await packSession();
    const passing = await s.analyzeStack(costCases[1].resources);
    assert.deepStrictEqual(
      passing.filter((r) => r.policy === "stack-budget"),
      [],
    );
    await s.configure({ "stack-budget": { thresholdPercent: 1 } });
    try {
      const failing = await s.analyzeStack(costCases[2].resources);
      assert.strictEqual(failing.filter((r) => r.policy === "stack-budget").length, 1);
    } finally {
      await s.configure({});
    }
  });

  it("flags a resource the estimator cannot price, and nothing on the happy-path resources", async () => {
    const s = await packSession();
    const flagged = (await s.analyze(costCases[4].resources)).filter(
      (r) => r.policy === "cost-known-price",
    );
    assert.strictEqual(flagged.length, 1);
    assert.strictEqual(flagged[0].level, "advisory");
    assert.match(flagged[0].message, /no price for type aws:opensearch\/domain:Domain/);
    const happyResources = Object.values(happy).map((make) => make());
    const results = await s.analyze(happyResources);
    assert.deepStrictEqual(
      results.filter((r) => r.policy === "cost-known-price").map((r) => r.message),
      [],
    );
  });
});
