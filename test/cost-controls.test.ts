/**
 * Cost controls in both committed stacks under the mock engine: the budget, anomaly detection,
 * tag activation, OpenCost and its network reach; the estimate of each stack with no resource
 * left unpriced; the out-of-hours schedule outside production; and the offline preview failing
 * a stack whose budget is too small.
 */
import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  DEFAULT_COST_ASSUMPTIONS,
  estimateStack,
  fromRecordedResources,
  StackEstimate,
} from "@platform/model";
import type { RecordedResource } from "../tools/mock-engine";
import { named, ofType, runStack, StackRun, TEST_TODAY } from "../tools/testing";

const ROOT = path.resolve(__dirname, "..");

function only(run: StackRun, type: string): RecordedResource {
  const found = ofType(run, type);
  assert.strictEqual(found.length, 1, `expected one ${type}, got ${found.length}`);
  return found[0];
}

describe("cost controls in the committed stacks", function () {
  this.timeout(600_000);
  const runs: Record<string, StackRun> = {};
  const estimates: Record<string, StackEstimate> = {};

  before(async () => {
    for (const stack of ["prod-us-west-2", "prod-eu-west-1"]) {
      runs[stack] = await runStack({ stack });
      estimates[stack] = estimateStack(fromRecordedResources(runs[stack].resources));
    }
  });

  it("declares a monthly cost budget on the stack's tagged spend, alerting at 80%/100% actual and 100% forecast", () => {
    const budget = only(runs["prod-us-west-2"], "aws:budgets/budget:Budget");
    assert.deepStrictEqual(
      {
        name: budget.inputs.name,
        budgetType: budget.inputs.budgetType,
        limitAmount: budget.inputs.limitAmount,
        limitUnit: budget.inputs.limitUnit,
        timeUnit: budget.inputs.timeUnit,
        filterExpression: budget.inputs.filterExpression,
      },
      {
        name: "platform-prod-us-west-2",
        budgetType: "COST",
        limitAmount: "6000",
        limitUnit: "USD",
        timeUnit: "MONTHLY",
        filterExpression: {
          tags: { key: "platform:stack", values: ["prod-us-west-2"], matchOptions: ["EQUALS"] },
        },
      },
    );
    const notifications = budget.inputs.notifications as Record<string, unknown>[];
    assert.deepStrictEqual(
      notifications.map((n) => [n.notificationType, n.threshold, n.subscriberEmailAddresses]),
      [
        ["ACTUAL", 80, ["platform-team@example.com"]],
        ["ACTUAL", 100, ["platform-team@example.com"]],
        ["FORECASTED", 100, ["platform-team@example.com"]],
      ],
    );
    assert.strictEqual(
      only(runs["prod-eu-west-1"], "aws:budgets/budget:Budget").inputs.limitAmount,
      "6500",
    );
  });

  it("watches the stack's tagged spend for anomalies with an absolute-impact threshold", () => {
    const run = runs["prod-us-west-2"];
    const monitor = only(run, "aws:costexplorer/anomalyMonitor:AnomalyMonitor");
    assert.strictEqual(monitor.inputs.monitorType, "CUSTOM");
    assert.deepStrictEqual(JSON.parse(monitor.inputs.monitorSpecification as string), {
      Tags: { Key: "platform:stack", Values: ["prod-us-west-2"], MatchOptions: ["EQUALS"] },
    });
    const subscription = only(run, "aws:costexplorer/anomalySubscription:AnomalySubscription");
    assert.strictEqual(subscription.inputs.frequency, "DAILY");
    assert.deepStrictEqual(subscription.inputs.subscribers, [
      { type: "EMAIL", address: "platform-team@example.com" },
    ]);
    assert.deepStrictEqual(subscription.inputs.thresholdExpression, {
      dimension: {
        key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
        matchOptions: ["GREATER_THAN_OR_EQUAL"],
        values: ["100"],
      },
    });
    assert.ok(subscription.dependencies.includes(monitor.urn));
  });

  it("activates the cost-allocation tags once per account, kept when a stack is destroyed", () => {
    const tags = ofType(
      runs["prod-us-west-2"],
      "aws:costexplorer/costAllocationTag:CostAllocationTag",
    );
    assert.deepStrictEqual(
      tags.map((t) => [t.inputs.tagKey, t.inputs.status, t.options.retainOnDelete]),
      [
        ["platform:stack", "Active", true],
        ["platform:environment", "Active", true],
        ["platform:cost-center", "Active", true],
        ["platform:owner", "Active", true],
      ],
    );
    assert.deepStrictEqual(
      ofType(runs["prod-eu-west-1"], "aws:costexplorer/costAllocationTag:CostAllocationTag"),
      [],
    );
  });

  it("publishes the estimate's assumptions where the policy pack reads them", () => {
    const parameter = named(runs["prod-us-west-2"], "cost-controls-assumptions");
    assert.strictEqual(parameter.inputs.name, "/platform/prod-us-west-2/cost-assumptions");
    assert.strictEqual(parameter.inputs.type, "String");
    assert.deepStrictEqual(
      JSON.parse(parameter.inputs.insecureValue as string),
      DEFAULT_COST_ASSUMPTIONS,
    );
    assert.strictEqual(estimates["prod-us-west-2"].assumptionsSource, "stack");
  });

  it("runs OpenCost from the pinned chart on Prometheus, after kube-prometheus-stack, in a restricted namespace", () => {
    const run = runs["prod-us-west-2"];
    const release = named(run, "cost-controls-opencost");
    assert.deepStrictEqual(
      [release.inputs.chart, release.inputs.version, release.inputs.repositoryOpts],
      ["opencost", "2.5.17", { repo: "https://opencost.github.io/opencost-helm-chart" }],
    );
    assert.strictEqual(release.inputs.namespace, "opencost");
    const values = release.inputs.values as {
      opencost: {
        prometheus: { internal: Record<string, unknown>; external: { enabled: boolean } };
        exporter: { securityContext: Record<string, unknown>; resources: object };
        ui: { enabled: boolean };
        metrics: { serviceMonitor: { enabled: boolean } };
      };
    };
    assert.deepStrictEqual(values.opencost.prometheus.internal, {
      enabled: true,
      serviceName: "kube-prometheus-stack-prometheus",
      namespaceName: "monitoring",
      port: 9090,
      scheme: "http",
    });
    assert.strictEqual(values.opencost.prometheus.external.enabled, false);
    assert.strictEqual(values.opencost.ui.enabled, false);
    assert.strictEqual(values.opencost.metrics.serviceMonitor.enabled, true);
    assert.deepStrictEqual(
      [
        values.opencost.exporter.securityContext.runAsNonRoot,
        values.opencost.exporter.securityContext.readOnlyRootFilesystem,
        values.opencost.exporter.securityContext.allowPrivilegeEscalation,
        values.opencost.exporter.securityContext.capabilities,
      ],
      [true, true, false, { drop: ["ALL"] }],
    );
    const prometheus = named(run, "observability-kube-prometheus-stack");
    assert.ok(release.dependencies.includes(prometheus.urn), "OpenCost waits for the CRDs");
    const namespace = ofType(run, "kubernetes:core/v1:Namespace").find(
      (n) => (n.inputs.metadata as { name: string }).name === "opencost",
    );
    assert.strictEqual(
      (namespace?.inputs.metadata as { labels: Record<string, string> }).labels[
        "pod-security.kubernetes.io/enforce"
      ],
      "restricted",
    );
  });

  it("admits OpenCost to Prometheus on 9090 and HTTPS, and Prometheus to OpenCost on 9003 only", () => {
    const policies = ofType(runs["prod-us-west-2"], "kubernetes:networking.k8s.io/v1:NetworkPolicy")
      .filter((p) => (p.inputs.metadata as { namespace: string }).namespace === "opencost")
      .map((p) => [(p.inputs.metadata as { name: string }).name, p.inputs.spec]);
    const byName = Object.fromEntries(policies) as Record<string, Record<string, unknown[]>>;
    assert.deepStrictEqual(Object.keys(byName).sort(), [
      "allow-dns-egress",
      "default-deny",
      "opencost-to-https",
      "opencost-to-prometheus",
      "prometheus-scrapes-opencost",
    ]);
    assert.deepStrictEqual(byName["opencost-to-prometheus"].egress, [
      {
        to: [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } },
            podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } },
          },
        ],
        ports: [{ protocol: "TCP", port: 9090 }],
      },
    ]);
    assert.deepStrictEqual(byName["opencost-to-https"].egress, [
      { ports: [{ protocol: "TCP", port: 443 }] },
    ]);
    assert.deepStrictEqual(byName["prometheus-scrapes-opencost"].ingress, [
      {
        from: [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } },
            podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } },
          },
        ],
        ports: [{ protocol: "TCP", port: 9003 }],
      },
    ]);
  });

  for (const stack of ["prod-us-west-2", "prod-eu-west-1"]) {
    it(`prices every resource of ${stack}, within its budget, cheaper than all on-demand x86`, () => {
      const estimate = estimates[stack];
      assert.deepStrictEqual(
        estimate.unknown.map((l) => `${l.type} ${l.name}: ${l.notes.join("; ")}`),
        [],
      );
      const incomplete = estimate.byResource.filter((l) => !l.complete).map((l) => l.name);
      assert.deepStrictEqual(incomplete, []);
      assert.ok(estimate.budget, "the stack declares a budget");
      assert.ok(
        estimate.monthly > 1000 && estimate.monthly < estimate.budget.limitUsd,
        `${stack}: ${estimate.monthly} against ${estimate.budget.limitUsd}`,
      );
      const region = stack.replace(/^prod-/, "");
      const pools = estimate.byResource.filter((l) => l.type === "aws:eks/nodeGroup:NodeGroup");
      assert.deepStrictEqual(
        pools.map((p) => p.region),
        [region, region],
      );
      const x86 = estimateStack(fromRecordedResources(runs[stack].resources), {
        onDemandX86: true,
      });
      assert.ok(x86.monthly > estimate.monthly, "spot and Graviton save money");
    });
  }
});

describe("cost controls outside production", function () {
  this.timeout(300_000);

  it("scales the workload pool's Auto Scaling group to zero out of hours and back", async () => {
    const run = await runStack({
      stack: "prod-us-west-2",
      overrides: {
        "platform:environment": "staging",
        "platform:offHoursScaleDown": "true",
        "platform:offHoursTimeZone": "America/Los_Angeles",
      },
    });
    const schedules = ofType(run, "aws:autoscaling/schedule:Schedule");
    assert.deepStrictEqual(
      schedules.map((s) => [
        s.inputs.scheduledActionName,
        s.inputs.recurrence,
        s.inputs.timeZone,
        s.inputs.minSize,
        s.inputs.maxSize,
        s.inputs.desiredCapacity,
      ]),
      [
        ["platform-off-hours-scale-down", "0 20 * * MON-FRI", "America/Los_Angeles", 0, 0, 0],
        ["platform-off-hours-scale-up", "0 7 * * MON-FRI", "America/Los_Angeles", 3, 30, 6],
      ],
    );
    for (const s of schedules) {
      assert.match(String(s.inputs.autoscalingGroupName), /^eks-cluster-workloads-[0-9a-f]{7}-/);
    }
  });
});

describe("the offline preview with a tiny budget", function () {
  this.timeout(300_000);

  it("exits 1 with the stack-budget violation naming the largest contributors", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cost-"));
    const file = path.join(dir, "Pulumi.prod-us-west-2.yaml");
    const committed = fs.readFileSync(path.join(ROOT, "Pulumi.prod-us-west-2.yaml"), "utf8");
    fs.writeFileSync(
      file,
      committed.replace(/platform:monthlyBudgetUsd: "\d+"/, 'platform:monthlyBudgetUsd: "100"'),
    );
    const cli = path.join(ROOT, "tools", "preview", "cli.js");
    const args = [
      "--stack",
      "prod-us-west-2",
      "--config-file",
      file,
      "--json",
      "--today",
      TEST_TODAY,
    ];
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>(
      (resolve, reject) => {
        const child = spawn(process.execPath, [cli, ...args], { cwd: ROOT });
        let out = "";
        child.stdout.on("data", (c: Buffer) => (out += c.toString()));
        child.on("error", reject);
        child.on("close", (exit) => resolve({ code: exit, stdout: out }));
      },
    );
    fs.rmSync(dir, { recursive: true, force: true });
    assert.strictEqual(code, 1);
    const report = JSON.parse(stdout) as {
      policies: { violations: { policy: string; level: string; urn: string; message: string }[] };
      cost: { monthly: number; budget: { monthly: number }; byResource: { name: string }[] };
    };
    assert.strictEqual(report.cost.budget.monthly, 100);
    const budget = report.policies.violations.filter((v) => v.policy === "stack-budget");
    assert.strictEqual(budget.length, 1);
    assert.strictEqual(budget[0].level, "mandatory");
    assert.match(budget[0].urn, /aws:budgets\/budget:Budget::cost-controls-budget$/);
    assert.match(
      budget[0].message,
      new RegExp(`Largest contributors: ${report.cost.byResource[0].name} `),
    );
  });
});
