/**
 * Standby stacks: the config checks that name the key, what the standby stack runs, and that a
 * prod primary whose standby stack file is removed fails its preview with dr-failover-has-standby.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { main } from "../tools/preview/main";
import { named, ofType, runStack } from "../tools/testing";
import { configProblems, loadConfig } from "../tools/testing/stack-config";
import { PROJECT_ROOT, readStackFile } from "../stacks/stack-files";

const STANDBY = "prod-us-east-1";

describe("standby stacks: config", () => {
  // The US primary, loaded as if it were a standby of the EU primary, and the like.
  const asStandby = (overrides: Record<string, string | undefined>) =>
    configProblems(() =>
      loadConfig({
        stack: "prod-us-west-2",
        overrides: {
          "platform:role": "standby",
          "platform:failoverRecordName": undefined,
          ...overrides,
        },
      }),
    );
  const cases: [string, Record<string, string | undefined>, string][] = [
    [
      "a primary that does not exist",
      { "platform:primaryStack": "prod-ap-south-1", "platform:drRegion": "eu-west-1" },
      "platform:primaryStack must name another stack of this repository",
    ],
    [
      "a standby in its primary's own region",
      {
        "platform:primaryStack": "prod-eu-west-1",
        "aws:region": "eu-west-1",
        "platform:drRegion": "eu-central-1",
      },
      "aws:region must differ from the primary's region",
    ],
    [
      "an EU primary with a US standby",
      { "platform:primaryStack": "prod-eu-west-1", "platform:drRegion": "eu-west-1" },
      "aws:region must be an EU region, since the primary prod-eu-west-1 is in eu-west-1",
    ],
    [
      "a standby whose VPC overlaps another stack's",
      {
        "platform:primaryStack": "prod-eu-west-1",
        "aws:region": "eu-central-1",
        "platform:drRegion": "eu-west-1",
        "platform:vpcCidr": "10.20.0.0/16",
      },
      "platform:vpcCidr must not overlap stack prod-eu-west-1's VPC",
    ],
  ];
  for (const [title, overrides, expected] of cases) {
    it(`rejects ${title}, naming the key`, () => {
      const problems = asStandby(overrides);
      assert.ok(
        problems.some((p) => p.startsWith(expected)),
        `expected "${expected}", got:\n${problems.join("\n")}`,
      );
    });
  }
});

describe("standby stacks: the program", function () {
  this.timeout(300_000);

  it("runs the pilot light in its own region only, with the replica of its primary's database", async () => {
    const run = await runStack({ stack: STANDBY });
    for (const type of ["eks:index:Cluster", "kubernetes:helm.sh/v3:Release"]) {
      assert.ok(ofType(run, type).length > 0, `expected ${type}`);
    }
    const releases = ofType(run, "kubernetes:helm.sh/v3:Release").map((r) => r.inputs.chart);
    for (const chart of ["karpenter", "aws-load-balancer-controller", "external-dns", "velero"]) {
      assert.ok(
        releases.some((r) => String(r).split("/").pop() === chart),
        `expected the ${chart} chart, got ${releases.join(", ")}`,
      );
    }
    const providers = ofType(run, "pulumi:providers:aws").map((p) => p.inputs.region);
    assert.deepStrictEqual([...new Set(providers)], ["us-east-1"]);
    const replica = named(run, "dr-standby-postgres-replica");
    assert.match(String(replica.inputs.replicateSourceDb), /^arn:aws:rds:us-west-2:\d{12}:db:/);
    assert.strictEqual(replica.options.protect, true);
    // Passive: the workload pool at zero, for Karpenter to scale from.
    const workload = ofType(run, "aws:eks/nodeGroup:NodeGroup").find(
      (g) => g.name === "cluster-workloads",
    );
    assert.deepStrictEqual(
      [workload?.inputs.scalingConfig].map((c) => {
        const s = c as { minSize: number; desiredSize: number };
        return [s.minSize, s.desiredSize];
      }),
      [[0, 0]],
    );
  });

  it("gives the replica its primary's parameters and enhanced monitoring, in its own region", async () => {
    const [primaryRun, run] = await Promise.all([
      runStack({ stack: "prod-us-west-2" }),
      runStack({ stack: STANDBY }),
    ]);
    const primaryParams = named(primaryRun, "data-postgres-params").inputs;
    const params = named(run, "dr-standby-postgres-replica-params").inputs;
    assert.strictEqual(params.family, primaryParams.family);
    assert.deepStrictEqual(params.parameters, primaryParams.parameters);
    const primary = named(primaryRun, "data-postgres").inputs;
    const replica = named(run, "dr-standby-postgres-replica");
    assert.strictEqual(replica.inputs.monitoringInterval, primary.monitoringInterval);
    assert.strictEqual(replica.inputs.monitoringInterval, 15);
    assert.deepStrictEqual(replica.propertyDependencies.parameterGroupName, [
      named(run, "dr-standby-postgres-replica-params").urn,
    ]);
    const role = ofType(run, "aws:iam/role:Role").find(
      (r) => r.name === "dr-standby-postgres-replica-monitoring",
    )!;
    assert.deepStrictEqual(replica.propertyDependencies.monitoringRoleArn, [role.urn]);
    const trust = JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0];
    assert.deepStrictEqual(trust.Principal, { Service: "monitoring.rds.amazonaws.com" });
    const attachment = ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").find(
      (r) => r.name === "dr-standby-postgres-replica-monitoring",
    )!;
    assert.strictEqual(
      attachment.inputs.policyArn,
      "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
    );
  });

  it("promotes the replica when platform:standbyState is active", async () => {
    const run = await runStack({
      stack: STANDBY,
      overrides: { "platform:standbyState": "active" },
    });
    const replica = named(run, "dr-standby-postgres-replica");
    assert.strictEqual(replica.inputs.replicateSourceDb, undefined);
    assert.strictEqual(replica.inputs.multiAz, true);
    assert.ok(ofType(run, "kubernetes:velero.io/v1:Restore").length === 1);
  });

  it("fails the primary's preview with dr-failover-has-standby once its standby file is removed", async () => {
    const file = path.join(PROJECT_ROOT, `Pulumi.${STANDBY}.yaml`);
    const saved = fs.readFileSync(file, "utf8");
    assert.strictEqual(readStackFile(STANDBY).config["platform:primaryStack"], "prod-us-west-2");
    fs.unlinkSync(file);
    try {
      const result = await main(["--stack", "prod-us-west-2", "--json"]);
      assert.strictEqual(result.exitCode, 1, result.stderr);
      const report = JSON.parse(result.stdout) as {
        policies: { violations: { policy: string; level: string }[] };
      };
      assert.ok(
        report.policies.violations.some(
          (v) => v.policy === "dr-failover-has-standby" && v.level === "mandatory",
        ),
      );
    } finally {
      fs.writeFileSync(file, saved);
    }
  });
});
