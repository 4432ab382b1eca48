import * as assert from "assert";
import { EXPERIMENT_IDS, ExperimentId } from "./args";
import {
  FIS_ACTION_PERMISSIONS,
  fisRolePolicy,
  fisTrustPolicy,
  FisRoleScope,
  LOG_DELIVERY_ACTIONS,
} from "./documents";
import { actionIds, experimentSpecs } from "./experiments";

const ACCOUNT = "123456789012";
const SCOPE: FisRoleScope = {
  accountId: ACCOUNT,
  region: "us-west-2",
  stack: "prod-us-west-2",
  vpcId: "vpc-0abc",
  clusterArn: `arn:aws:eks:us-west-2:${ACCOUNT}:cluster/platform-prod-us-west-2`,
  volumeKeyArn: `arn:aws:kms:us-west-2:${ACCOUNT}:key/volumes`,
  postgresPrimaryArn: `arn:aws:rds:us-west-2:${ACCOUNT}:db:platform-prod-us-west-2-postgres`,
  cacheReplicationGroupArn: `arn:aws:elasticache:us-west-2:${ACCOUNT}:replicationgroup:cache`,
};

function specsOf(ids: readonly ExperimentId[]) {
  return experimentSpecs(ids, {
    stack: SCOPE.stack,
    clusterName: "platform-prod-us-west-2",
    availabilityZone: "us-west-2a",
    nodeGroupName: "cluster-workloads-1234",
    workload: { namespace: "apps", labelSelector: "app.kubernetes.io/name=web" },
    hasPostgres: true,
    hasCache: true,
  });
}

type Statement = {
  Sid?: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string>>;
};
const statements = (ids: readonly ExperimentId[]) =>
  fisRolePolicy(actionIds(specsOf(ids)), SCOPE).Statement as unknown as Statement[];
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const granted = (list: Statement[]) => new Set(list.flatMap(actionsOf));

describe("the FIS role", () => {
  it("is assumed only by FIS experiments of this account and region", () => {
    assert.deepStrictEqual(fisTrustPolicy(ACCOUNT, "us-west-2").Statement, [
      {
        Effect: "Allow",
        Principal: { Service: "fis.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": ACCOUNT },
          ArnLike: { "aws:SourceArn": `arn:aws:fis:us-west-2:${ACCOUNT}:experiment/*` },
        },
      },
    ]);
  });

  it("grants exactly what the templates' actions need, and nothing outside them", () => {
    const ids = actionIds(specsOf(EXPERIMENT_IDS));
    const needed = new Set([
      ...ids.flatMap((a) => FIS_ACTION_PERMISSIONS[a]),
      ...LOG_DELIVERY_ACTIONS,
    ]);
    assert.deepStrictEqual([...granted(statements(EXPERIMENT_IDS))].sort(), [...needed].sort());
  });

  it("grants one experiment's needs only when only it is declared", () => {
    const spot = granted(statements(["spot-interruption"]));
    assert.deepStrictEqual(
      [...spot].sort(),
      [
        "ec2:DescribeInstances",
        "ec2:SendSpotInstanceInterruptions",
        ...LOG_DELIVERY_ACTIONS,
      ].sort(),
    );
    for (const action of ["ec2:TerminateInstances", "rds:RebootDBInstance", "kms:CreateGrant"]) {
      assert.ok(!spot.has(action), action);
    }
  });

  it("changes only this stack's resources: by tag, by ARN, or inside its VPC", () => {
    const readOnly = /^(ec2:(Describe|Get)|rds:Describe|elasticache:Describe|tag:GetResources)/;
    for (const s of statements(EXPERIMENT_IDS)) {
      const mutating = actionsOf(s).filter((a) => !readOnly.test(a));
      if (mutating.length === 0) continue;
      if (s.Sid === "DeliverExperimentLogs") {
        assert.deepStrictEqual(mutating.sort(), [...LOG_DELIVERY_ACTIONS].sort());
        continue;
      }
      const resources = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
      assert.ok(!resources.includes("*"), `${s.Sid} on *`);
      const wildcard = resources.some((r) => r.endsWith("/*"));
      if (wildcard) assert.ok(s.Condition, `${s.Sid}: a wildcard resource needs a condition`);
    }
    const instances = statements(EXPERIMENT_IDS).find((s) => s.Sid === "StackInstances")!;
    assert.deepStrictEqual(instances.Condition, {
      StringEquals: { "aws:ResourceTag/platform:stack": "prod-us-west-2" },
    });
    assert.deepStrictEqual(
      statements(EXPERIMENT_IDS).find((s) => s.Sid === "FailOverPostgresPrimary")!.Resource,
      SCOPE.postgresPrimaryArn,
    );
  });

  it("refuses an action nobody reviewed", () => {
    assert.throws(
      () => fisRolePolicy(["aws:ec2:reboot-instances"], SCOPE),
      /no reviewed permissions for FIS actions aws:ec2:reboot-instances/,
    );
  });
});
