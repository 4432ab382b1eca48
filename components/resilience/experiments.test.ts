import * as assert from "assert";
import { EXPERIMENT_IDS } from "./args";
import { experimentSpecs, ExperimentTargets } from "./experiments";
import { staggeredCron } from "./schedule";
import { loadBalancerQuery, sloAlarms } from "./slo-alarms";

const TARGETS: ExperimentTargets = {
  stack: "prod-us-west-2",
  clusterName: "platform-prod-us-west-2",
  availabilityZone: "us-west-2b",
  nodeGroupName: "cluster-workloads-1234",
  workload: { namespace: "apps", labelSelector: "app.kubernetes.io/name=web" },
  hasPostgres: true,
  hasCache: true,
};

describe("game day experiments", () => {
  const specs = experimentSpecs(EXPERIMENT_IDS, TARGETS);

  it("declares every experiment, in the order asked", () => {
    assert.deepStrictEqual(
      specs.map((s) => s.id),
      [...EXPERIMENT_IDS],
    );
    assert.deepStrictEqual(
      experimentSpecs(["az-power-interruption", "pod-faults"], TARGETS).map((s) => s.id),
      ["az-power-interruption", "pod-faults"],
    );
  });

  it("leaves out the data tier's experiments when there is no data tier", () => {
    const ids = experimentSpecs(EXPERIMENT_IDS, {
      ...TARGETS,
      hasPostgres: false,
      hasCache: false,
    }).map((s) => s.id);
    assert.ok(!ids.includes("postgres-failover") && !ids.includes("cache-az-power"), `${ids}`);
  });

  it("selects every target by this stack's tag (pods by cluster and namespace), never by ID", () => {
    for (const spec of specs) {
      for (const target of spec.targets) {
        if (target.resourceType === "aws:eks:pod") {
          assert.strictEqual(target.parameters?.clusterIdentifier, TARGETS.clusterName);
          assert.strictEqual(target.parameters?.namespace, "apps");
          assert.strictEqual(target.resourceTags, undefined);
        } else {
          assert.strictEqual(target.resourceTags?.["platform:stack"], "prod-us-west-2", spec.id);
        }
        assert.ok(!("resourceArns" in target));
      }
    }
  });

  it("links each action to a declared target and each sequence to a declared action", () => {
    for (const spec of specs) {
      const targets = spec.targets.map((t) => t.name);
      const actions = spec.actions.map((a) => a.name);
      for (const action of spec.actions) {
        assert.ok(targets.includes(action.target.value), `${spec.id} ${action.name}`);
        for (const before of action.startAfter ?? []) assert.ok(actions.includes(before));
      }
    }
  });

  it("takes out one zone: its running nodes and the stack's subnets there", () => {
    const az = specs.find((s) => s.id === "az-power-interruption")!;
    assert.deepStrictEqual(
      az.actions.map((a) => [a.actionId, a.target.key]),
      [
        ["aws:ec2:stop-instances", "Instances"],
        ["aws:network:disrupt-connectivity", "Subnets"],
      ],
    );
    assert.deepStrictEqual(az.targets[0].filters, [
      { path: "State.Name", values: ["running"] },
      { path: "Placement.AvailabilityZone", values: ["us-west-2b"] },
    ]);
    assert.deepStrictEqual(az.targets[1].filters, [
      { path: "AvailabilityZone", values: ["us-west-2b"] },
    ]);
  });

  it("fails the PostgreSQL primary over, and only the primary", () => {
    const failover = specs.find((s) => s.id === "postgres-failover")!;
    assert.deepStrictEqual(failover.actions[0].parameters, { forceFailover: "true" });
    assert.strictEqual(failover.targets[0].resourceTags?.["platform:backup"], "true");
  });
});

describe("the SLO stop conditions", () => {
  const [errors, latency] = sloAlarms("platform-prod-us-west-2", {
    errorRate: 0.001,
    latencyMs: 100,
  });

  it("reads this cluster's load balancers by the controller's tag", () => {
    assert.strictEqual(
      loadBalancerQuery("SUM", "RequestCount", "platform-prod-us-west-2"),
      `SELECT SUM(RequestCount) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer) WHERE tag."elbv2.k8s.aws/cluster" = 'platform-prod-us-west-2'`,
    );
  });

  it("holds the error ratio to the budget and the latency to the bound", () => {
    assert.strictEqual(errors.threshold, 0.001);
    assert.deepStrictEqual(
      errors.queries.filter((q) => q.returnData).map((q) => q.expression),
      ["(FILL(targetErrors, 0) + FILL(balancerErrors, 0)) / requests"],
    );
    assert.strictEqual(latency.threshold, 0.1);
    assert.match(latency.queries[0].expression, /^SELECT AVG\(TargetResponseTime\)/);
  });
});

describe("the game day schedule", () => {
  it("staggers the experiments by the interval from the start hour", () => {
    const schedule = { dayOfWeek: "TUE#2", startHour: 10, intervalMinutes: 45 };
    assert.deepStrictEqual(
      [0, 1, 2, 5].map((i) => staggeredCron(i, schedule)),
      [
        "cron(0 10 ? * TUE#2 *)",
        "cron(45 10 ? * TUE#2 *)",
        "cron(30 11 ? * TUE#2 *)",
        "cron(45 13 ? * TUE#2 *)",
      ],
    );
  });
});
