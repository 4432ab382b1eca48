import * as assert from "assert";
import { DEFAULT_COST_ASSUMPTIONS } from "@platform/model";
import { configProblems, loadConfig } from "../../tools/testing";

describe("cost controls config", () => {
  it("reads the committed budget and defaults alerts to the owner", () => {
    const { costControls } = loadConfig();
    assert.strictEqual(costControls.monthlyBudgetUsd, 6000);
    assert.deepStrictEqual(costControls.alertEmails, ["platform-team@example.com"]);
    assert.deepStrictEqual(costControls.actualAlertPercents, [80, 100]);
    assert.strictEqual(costControls.forecastAlertPercent, 100);
    assert.strictEqual(costControls.anomalyThresholdUsd, 100);
    assert.strictEqual(costControls.activateCostAllocationTags, true);
    assert.strictEqual(costControls.openCost, true);
    assert.strictEqual(costControls.offHours, undefined);
    assert.deepStrictEqual(costControls.assumptions, DEFAULT_COST_ASSUMPTIONS);
  });

  it("takes assumptions and an out-of-hours schedule outside production", () => {
    const { costControls } = loadConfig({
      overrides: {
        "platform:environment": "staging",
        "platform:natGateways": "single",
        "platform:offHoursScaleDown": "true",
        "platform:offHoursTimeZone": "Europe/Dublin",
        "platform:costAssumptionNatGatewayDataGb": "250",
        "platform:budgetAlertEmails": '["finops@example.com"]',
      },
    });
    assert.deepStrictEqual(costControls.offHours, {
      scaleDownRecurrence: "0 20 * * MON-FRI",
      scaleUpRecurrence: "0 7 * * MON-FRI",
      timeZone: "Europe/Dublin",
    });
    assert.strictEqual(costControls.assumptions.natGatewayDataGb, 250);
    assert.deepStrictEqual(costControls.alertEmails, ["finops@example.com"]);
  });

  const rejections: [string, Record<string, string>, string][] = [
    [
      "a zero budget",
      { "platform:monthlyBudgetUsd": "0" },
      "platform:monthlyBudgetUsd must be a whole number between 1 and 100000000",
    ],
    [
      "a malformed alert address",
      { "platform:budgetAlertEmails": '["finops"]' },
      "platform:budgetAlertEmails must contain email addresses such as finops@example.com",
    ],
    [
      "no addresses when the owner is not an email",
      { "platform:owner": "platform team", "platform:acmeEmail": "certs@example.com" },
      'platform:budgetAlertEmails must list alert addresses, since the owner (platform:owner) is not an email address (it is "platform team")',
    ],
    [
      "an alert above 1000%",
      { "platform:budgetActualAlertPercents": "[80, 5000]" },
      "platform:budgetActualAlertPercents must be a whole number between 1 and 1000",
    ],
    [
      "no actual-spend alert",
      { "platform:budgetActualAlertPercents": "[]" },
      "platform:budgetActualAlertPercents must list at least one percentage",
    ],
    [
      "a zero forecast threshold",
      { "platform:budgetForecastAlertPercent": "0" },
      "platform:budgetForecastAlertPercent must be a whole number between 1 and 1000",
    ],
    [
      "a zero anomaly threshold",
      { "platform:costAnomalyThresholdUsd": "0" },
      "platform:costAnomalyThresholdUsd must be a whole number between 1 and 1000000",
    ],
    [
      "an out-of-hours schedule in production",
      { "platform:offHoursScaleDown": "true" },
      "platform:offHoursScaleDown must be false in production (platform:environment is prod): scaling workloads to zero takes the service down",
    ],
    [
      "a four-field cron",
      { "platform:offHoursScaleDownCron": "0 20 * *" },
      'platform:offHoursScaleDownCron must be a five-field cron expression such as "0 20 * * MON-FRI"',
    ],
    [
      "a time zone abbreviation",
      { "platform:offHoursTimeZone": "CET" },
      'platform:offHoursTimeZone must be an IANA time zone such as "UTC" or "Europe/Dublin"',
    ],
    [
      "a well-formed time zone that does not exist",
      { "platform:offHoursTimeZone": "Mars/Base" },
      'platform:offHoursTimeZone must be an IANA time zone such as "UTC" or "Europe/Dublin"',
    ],
    [
      "a negative assumption",
      { "platform:costAssumptionS3StoredGbPerBucket": "-5" },
      "platform:costAssumptionS3StoredGbPerBucket must be a whole number between 0 and 10000000",
    ],
  ];
  for (const [title, overrides, expected] of rejections) {
    it(`rejects ${title}, naming the key`, () => {
      assert.deepStrictEqual(
        configProblems(() => loadConfig({ overrides })),
        [expected],
      );
    });
  }
});
