import * as assert from "assert";
import { ValidationError } from "@platform/core";
import { anomalyThreshold, budgetNotifications, stackCostFilter } from "./budget";
import { CostControlsArgs, validateCostControlsArgs } from "./cost-controls";
import { KUBE_PROMETHEUS_STACK, openCostValues } from "./opencost";

const HOST = "111122223333.dkr.ecr.us-west-2.amazonaws.com";

const VALID: CostControlsArgs = {
  stack: "prod-us-west-2",
  monthlyBudgetUsd: 6000,
  alertEmails: ["finops@example.com"],
};

function problemsOf(args: Partial<CostControlsArgs>): string[] {
  try {
    validateCostControlsArgs({ ...VALID, ...args });
  } catch (err) {
    assert.ok(ValidationError.isInstance(err));
    return err.problems.map((p) => `${p.path} must ${p.allowed}`);
  }
  return [];
}

describe("CostControls arguments", () => {
  it("accepts the minimal production arguments", () => {
    assert.deepStrictEqual(problemsOf({}), []);
  });

  const cases: [string, Partial<CostControlsArgs>, string[]][] = [
    [
      "a fractional budget",
      { monthlyBudgetUsd: 10.5 },
      ["args.monthlyBudgetUsd must be a whole number of dollars, at least 1"],
    ],
    [
      "no recipients",
      { alertEmails: [] },
      ["args.alertEmails must list at least one address, or nobody hears about overspend"],
    ],
    [
      "a recipient that is not an address",
      { alertEmails: ["finops"] },
      ["args.alertEmails must contain email addresses"],
    ],
    [
      "alert thresholds out of range",
      { actualAlertPercents: [80, 0], forecastAlertPercent: 5000 },
      [
        "args.actualAlertPercents must be a whole number between 1 and 1000",
        "args.forecastAlertPercent must be a whole number between 1 and 1000",
      ],
    ],
    [
      "a zero anomaly threshold",
      { anomalyThresholdUsd: 0 },
      ["args.anomalyThresholdUsd must be a whole number of dollars, at least 1"],
    ],
    [
      "a six-field cron and no pools",
      { offHours: { pools: [], scaleDownRecurrence: "0 0 20 * * MON-FRI" } },
      [
        'args.offHours.scaleDownRecurrence must be a five-field cron expression such as "0 20 * * MON-FRI"',
        "args.offHours.pools must name at least one pool",
      ],
    ],
  ];
  for (const [title, args, expected] of cases) {
    it(`rejects ${title}`, () => assert.deepStrictEqual(problemsOf(args), expected));
  }
});

describe("cost-controls builders", () => {
  it("notifies every address at each actual threshold and at the forecast", () => {
    assert.deepStrictEqual(
      budgetNotifications([80, 100], 100, ["a@example.com"]).map((n) => [
        n.notificationType,
        n.threshold,
        n.comparisonOperator,
        n.thresholdType,
      ]),
      [
        ["ACTUAL", 80, "GREATER_THAN", "PERCENTAGE"],
        ["ACTUAL", 100, "GREATER_THAN", "PERCENTAGE"],
        ["FORECASTED", 100, "GREATER_THAN", "PERCENTAGE"],
      ],
    );
    assert.deepStrictEqual(stackCostFilter("s"), {
      tags: { key: "platform:stack", values: ["s"], matchOptions: ["EQUALS"] },
    });
    assert.deepStrictEqual(anomalyThreshold(250).dimension, {
      key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
      matchOptions: ["GREATER_THAN_OR_EQUAL"],
      values: ["250"],
    });
  });

  it("pulls OpenCost's exporter through the stack's ghcr.io cache by tag and digest, AMP proxy off", () => {
    const values = openCostValues({
      registryHost: HOST,
      clusterId: "c",
      prometheus: KUBE_PROMETHEUS_STACK,
    });
    const opencost = values.opencost as {
      exporter: { image: Record<string, string> };
      prometheus: { amp: { enabled: boolean } };
      ui: { enabled: boolean };
    };
    // The chart joins `registry/repository:tag`, the digest riding in `tag` as in its own default.
    const { registry, repository, tag } = opencost.exporter.image;
    assert.strictEqual(
      `${registry}/${repository}:${tag}`,
      `${HOST}/ghcr/opencost/opencost:1.120.1@sha256:b0701f9b54e43c9abee98f5784792a5b469ca8951e87da32b161c1fa539ab0e1`,
    );
    assert.strictEqual(opencost.prometheus.amp.enabled, false);
    assert.strictEqual(opencost.ui.enabled, false);
  });

  it("leaves the ServiceMonitor out unless Prometheus's labels are given", () => {
    const without = openCostValues({
      registryHost: HOST,
      clusterId: "c",
      prometheus: KUBE_PROMETHEUS_STACK,
    });
    const withLabels = openCostValues({
      registryHost: HOST,
      clusterId: "c",
      prometheus: KUBE_PROMETHEUS_STACK,
      serviceMonitorLabels: { release: "kps" },
    });
    const monitor = (v: Record<string, unknown>) =>
      (v.opencost as { metrics: { serviceMonitor: unknown } }).metrics.serviceMonitor;
    assert.deepStrictEqual(monitor(without), { enabled: false });
    assert.deepStrictEqual(monitor(withLabels), {
      enabled: true,
      additionalLabels: { release: "kps" },
    });
  });
});
