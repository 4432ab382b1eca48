/**
 * The cost policies through the Analyzer protocol against the compiled pack: the budget's
 * violation names the budget and the largest contributors, the threshold is configurable, and a
 * resource without a price is flagged.
 */
import * as assert from "assert";
import { happy } from "../test/fixtures";
import { packSession } from "../../tools/testing";
import { budget, cases } from "./cases";

describe("cost policies through the Analyzer protocol", function () {
  this.timeout(180_000);

  it("fails a stack whose estimate exceeds its tiny budget, naming the budget and the largest contributors", async () => {
    const s = await packSession();
    const results = await s.analyzeStack(cases[0].resources);
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
    const passing = await s.analyzeStack(cases[1].resources);
    assert.deepStrictEqual(
      passing.filter((r) => r.policy === "stack-budget"),
      [],
    );
    await s.configure({ "stack-budget": { thresholdPercent: 1 } });
    try {
      const failing = await s.analyzeStack(cases[2].resources);
      assert.strictEqual(failing.filter((r) => r.policy === "stack-budget").length, 1);
    } finally {
      await s.configure({});
    }
  });

  it("flags a resource the estimator cannot price, and nothing on the happy-path resources", async () => {
    const s = await packSession();
    const flagged = (await s.analyze(cases[4].resources)).filter(
      (r) => r.policy === "cost-known-price",
    );
    assert.strictEqual(flagged.length, 1);
    assert.strictEqual(flagged[0].level, "mandatory");
    assert.match(flagged[0].message, /no price for type aws:opensearch\/domain:Domain/);
    const happyResources = Object.values(happy).map((make) => make());
    const results = await s.analyze(happyResources);
    assert.deepStrictEqual(
      results.filter((r) => r.policy === "cost-known-price").map((r) => r.message),
      [],
    );
  });
});
