import * as assert from "assert";
import { ValidationError } from "@platform/core";
import { DataTierArgs } from "./args";
import { validateDataTierArgs } from "./validation";

const VALID: DataTierArgs = {
  namePrefix: "platform-prod-us-west-2",
  accountId: "123456789012",
  region: "us-west-2",
  vpcId: "vpc-1",
  isolatedSubnetIds: ["subnet-a", "subnet-b", "subnet-c"],
  clientSecurityGroupIds: ["sg-nodes"],
  rotationSubnetIds: ["subnet-private-a", "subnet-private-b"],
  postgresUsers: [{ name: "grafana", database: "grafana" }],
  logsKeyArn: "arn:aws:kms:us-west-2:123456789012:key/logs",
  oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/x",
  oidcProviderUrl: "https://x",
  consumers: [
    {
      namespace: "payments",
      serviceAccount: "ledger-api",
      dbUser: "ledger",
      bucketPrefix: "ledger",
    },
  ],
};

function problemsOf(args: DataTierArgs): string[] {
  try {
    validateDataTierArgs("data", args);
  } catch (err) {
    assert.ok(ValidationError.isInstance(err), String(err));
    return err.problems.map((p) => `${p.path}: ${p.allowed}`);
  }
  return [];
}

describe("DataTier argument validation", () => {
  it("accepts the production defaults", () => {
    assert.deepStrictEqual(problemsOf(VALID), []);
  });

  const cases: [string, Partial<DataTierArgs>, string, RegExp][] = [
    ["prefix too long", { namePrefix: "a".repeat(31) }, "args.namePrefix", /30 lowercase/],
    ["prefix with capitals", { namePrefix: "Platform" }, "args.namePrefix", /lowercase/],
    ["bad account", { accountId: "12345" }, "args.accountId", /12-digit/],
    [
      "bad egress CIDR",
      { clientEgress: { isolatedSubnetCidrs: ["10.0.0.0"] } },
      "args.clientEgress.isolatedSubnetCidrs",
      /IPv4 CIDRs/,
    ],
    ["one subnet", { isolatedSubnetIds: ["subnet-a"] }, "args.isolatedSubnetIds", /two subnets/],
    ["no clients", { clientSecurityGroupIds: [] }, "args.clientSecurityGroupIds", /at least one/],
    ["unknown version", { postgres: { version: "18.9" } }, "args.postgres.version", /RDS offers/],
    ["old major", { postgres: { version: "13" } }, "args.postgres.version", /RDS offers/],
    [
      "bad class",
      { postgres: { instanceClass: "r7g.large" } },
      "args.postgres.instanceClass",
      /db\.r7g/,
    ],
    [
      "short backups",
      { postgres: { backupRetentionDays: 3 } },
      "args.postgres.backupRetentionDays",
      /between 7 and 35/,
    ],
    [
      "long backups",
      { postgres: { backupRetentionDays: 36 } },
      "args.postgres.backupRetentionDays",
      /between 7 and 35/,
    ],
    [
      "no headroom",
      { postgres: { allocatedStorageGiB: 100, maxAllocatedStorageGiB: 105 } },
      "args.postgres.maxAllocatedStorageGiB",
      /10% above/,
    ],
    [
      "too many replicas",
      { postgres: { readReplicas: 16 } },
      "args.postgres.readReplicas",
      /between 0 and 15/,
    ],
    [
      "slow query off",
      { postgres: { slowQueryMs: 0 } },
      "args.postgres.slowQueryMs",
      /between 1 and/,
    ],
    [
      "reserved master",
      { postgres: { masterUsername: "rdsadmin" } },
      "args.postgres.masterUsername",
      /reserve/,
    ],
    [
      "monitoring interval",
      { postgres: { monitoringIntervalSeconds: 20 } },
      "args.postgres.monitoringIntervalSeconds",
      /one of 1, 5/,
    ],
    [
      "unknown valkey",
      { cache: { engineVersion: "6.2" } },
      "args.cache.engineVersion",
      /one of "8.2"/,
    ],
    [
      "burstable node",
      { cache: { nodeType: "cache.t4g.medium" } },
      "args.cache.nodeType",
      /non-burstable/,
    ],
    [
      "no replica",
      { cache: { replicasPerShard: 0 } },
      "args.cache.replicasPerShard",
      /between 1 and 5/,
    ],
    ["no shard", { cache: { shards: 0 } }, "args.cache.shards", /between 1 and 500/],
    [
      "no rotation subnets",
      { rotationSubnetIds: [] },
      "args.rotationSubnetIds",
      /route to AWS's APIs/,
    ],
    [
      "password user with no room for its alternate",
      { postgresUsers: [{ name: "u".repeat(58), database: "grafana" }] },
      "args.postgresUsers.name",
      /at most 57 characters/,
    ],
    [
      "password user named as an alternate",
      { postgresUsers: [{ name: "grafana_clone", database: "grafana" }] },
      "args.postgresUsers.name",
      /not ending in _clone/,
    ],
    [
      "password user that is the master",
      { postgresUsers: [{ name: "dbadmin", database: "grafana" }] },
      "args.postgresUsers.name",
      /not the master user/,
    ],
    [
      "password user twice",
      {
        postgresUsers: [
          { name: "grafana", database: "grafana" },
          { name: "grafana", database: "other" },
        ],
      },
      "args.postgresUsers.name",
      /name each user once/,
    ],
    [
      "password user's database not an identifier",
      { postgresUsers: [{ name: "grafana", database: "Grafana-DB" }] },
      "args.postgresUsers.database",
      /PostgreSQL identifier/,
    ],
    [
      "no snapshots",
      { cache: { snapshotRetentionDays: 0 } },
      "args.cache.snapshotRetentionDays",
      /between 1 and 35/,
    ],
    [
      "nested prefixes",
      {
        consumers: [
          { namespace: "apps", serviceAccount: "a", dbUser: "a", bucketPrefix: "shared" },
          { namespace: "apps", serviceAccount: "b", dbUser: "b", bucketPrefix: "shared/b" },
        ],
      },
      "args.consumers",
      /not overlap/,
    ],
    [
      "same service account twice",
      {
        consumers: [
          { namespace: "apps", serviceAccount: "a", dbUser: "a", bucketPrefix: "a" },
          { namespace: "apps", serviceAccount: "a", dbUser: "b", bucketPrefix: "b" },
        ],
      },
      "args.consumers",
      /one entry/,
    ],
    [
      "master user as consumer",
      {
        consumers: [
          { namespace: "apps", serviceAccount: "a", dbUser: "dbadmin", bucketPrefix: "a" },
        ],
      },
      "args.consumers",
      /not the master user/,
    ],
    [
      "prefix with slash",
      { consumers: [{ namespace: "apps", serviceAccount: "a", dbUser: "a", bucketPrefix: "/a/" }] },
      "args.consumers",
      /no leading or trailing slash/,
    ],
    [
      "colliding role names",
      {
        consumers: [
          { namespace: "a-b", serviceAccount: "c", dbUser: "x", bucketPrefix: "x" },
          { namespace: "a", serviceAccount: "b-c", dbUser: "y", bucketPrefix: "y" },
        ],
      },
      "args.consumers",
      /not share its role name data-a-b-c/,
    ],
    [
      "role name too long",
      {
        consumers: [
          { namespace: "apps", serviceAccount: "s".repeat(60), dbUser: "a", bucketPrefix: "a" },
        ],
      },
      "args.consumers",
      /56 characters/,
    ],
  ];
  for (const [title, change, path, allowed] of cases) {
    it(`rejects ${title}, naming ${path}`, () => {
      const problems = problemsOf({ ...VALID, ...change });
      assert.ok(
        problems.some((p) => p.startsWith(`${path}: `) && allowed.test(p)),
        `expected a problem at ${path} matching ${allowed}, got ${JSON.stringify(problems)}`,
      );
    });
  }
});
