import * as assert from "assert";
import { parseConsumer } from "./dataTier";
import { configProblems, loadConfig } from "../../tools/testing";

describe("data tier config", () => {
  it("applies production defaults and reads the committed consumers", () => {
    const { dataTier } = loadConfig();
    assert.strictEqual(dataTier.postgres.version, "18");
    assert.strictEqual(dataTier.postgres.backupRetentionDays, 14);
    assert.strictEqual(dataTier.postgres.readReplicas, 2);
    assert.strictEqual(dataTier.postgres.proxy, true);
    assert.strictEqual(dataTier.postgres.multiAz, true);
    assert.deepStrictEqual(
      { shards: dataTier.cache.shards, replicas: dataTier.cache.replicasPerShard },
      { shards: 3, replicas: 2 },
    );
    assert.strictEqual(dataTier.cache.snapshotRetentionDays, 7);
    assert.deepStrictEqual(dataTier.consumers, [
      {
        namespace: "payments",
        serviceAccount: "ledger-api",
        dbUser: "ledger",
        bucketPrefix: "ledger",
      },
      { namespace: "apps", serviceAccount: "web", dbUser: "web", bucketPrefix: "web" },
    ]);
  });

  it("accepts a pinned minor version and a smaller, cheaper shape where production allows it", () => {
    const { dataTier } = loadConfig({
      overrides: {
        "platform:postgresVersion": "17.9",
        "platform:postgresReadReplicas": "0",
        "platform:postgresProxy": "false",
        "platform:cacheShards": "1",
        "platform:cacheReplicasPerShard": "1",
      },
    });
    assert.strictEqual(dataTier.postgres.version, "17.9");
    assert.strictEqual(dataTier.cache.shards, 1);
  });

  it("parses consumer entries and refuses malformed ones", () => {
    assert.deepStrictEqual(parseConsumer("apps/web:web:web/static"), {
      namespace: "apps",
      serviceAccount: "web",
      dbUser: "web",
      bucketPrefix: "web/static",
    });
    assert.strictEqual(parseConsumer("apps/web:web"), undefined);
    assert.strictEqual(parseConsumer("web:web:web"), undefined);
  });

  const consumers = (...entries: string[]) => ({
    "platform:dataConsumers": JSON.stringify(entries),
  });
  const cases: [string, Record<string, string>, string, RegExp][] = [
    [
      "unknown version",
      { "platform:postgresVersion": "19" },
      "platform:postgresVersion",
      /RDS offers/,
    ],
    [
      "unlisted minor",
      { "platform:postgresVersion": "18.7" },
      "platform:postgresVersion",
      /RDS offers/,
    ],
    [
      "bad instance class",
      { "platform:postgresInstanceClass": "r7g.large" },
      "platform:postgresInstanceClass",
      /db\.r7g\.large/,
    ],
    [
      "tiny storage",
      { "platform:postgresAllocatedStorageGiB": "10" },
      "platform:postgresAllocatedStorageGiB",
      /between 20 and 65536/,
    ],
    [
      "no autoscaling room",
      { "platform:postgresMaxAllocatedStorageGiB": "100" },
      "platform:postgresMaxAllocatedStorageGiB",
      /10% above platform:postgresAllocatedStorageGiB/,
    ],
    [
      "backups under 7 days",
      { "platform:postgresBackupRetentionDays": "3" },
      "platform:postgresBackupRetentionDays",
      /between 7 and 35/,
    ],
    [
      "backups over 35 days",
      { "platform:postgresBackupRetentionDays": "40" },
      "platform:postgresBackupRetentionDays",
      /between 7 and 35/,
    ],
    [
      "negative replicas",
      { "platform:postgresReadReplicas": "-1" },
      "platform:postgresReadReplicas",
      /between 0 and 15/,
    ],
    [
      "slow-query logging off",
      { "platform:postgresSlowQueryMs": "0" },
      "platform:postgresSlowQueryMs",
      /between 1 and 600000/,
    ],
    [
      "single-AZ in production",
      { "platform:postgresMultiAz": "false" },
      "platform:postgresMultiAz",
      /true in production/,
    ],
    [
      "non-boolean proxy",
      { "platform:postgresProxy": "yes" },
      "platform:postgresProxy",
      /be a boolean/,
    ],
    [
      "Redis-era engine version",
      { "platform:cacheEngineVersion": "7.1" },
      "platform:cacheEngineVersion",
      /one of "8.2"/,
    ],
    [
      "burstable cache node",
      { "platform:cacheNodeType": "cache.t4g.small" },
      "platform:cacheNodeType",
      /non-burstable/,
    ],
    ["no shards", { "platform:cacheShards": "0" }, "platform:cacheShards", /between 1 and 500/],
    [
      "no replica to fail over to",
      { "platform:cacheReplicasPerShard": "0" },
      "platform:cacheReplicasPerShard",
      /between 1 and 5/,
    ],
    [
      "snapshots over 35 days",
      { "platform:cacheSnapshotRetentionDays": "36" },
      "platform:cacheSnapshotRetentionDays",
      /between 1 and 35/,
    ],
    [
      "malformed consumer",
      consumers("payments/ledger"),
      "platform:dataConsumers",
      /namespace\/serviceAccount:dbUser:bucketPrefix/,
    ],
    [
      "consumer outside the app namespaces",
      consumers("kube-system/x:x:x"),
      "platform:dataConsumers",
      /platform:applicationNamespaces/,
    ],
    ["reserved DB user", consumers("apps/x:rdsadmin:x"), "platform:dataConsumers", /not reserved/],
    [
      "uppercase DB user",
      consumers("apps/x:Ledger:x"),
      "platform:dataConsumers",
      /lowercase PostgreSQL identifiers/,
    ],
    [
      "overlapping prefixes",
      consumers("apps/a:a:shared", "apps/b:b:shared/b"),
      "platform:dataConsumers",
      /not overlap/,
    ],
    [
      "duplicate service account",
      consumers("apps/a:a:a", "apps/a:b:b"),
      "platform:dataConsumers",
      /one entry/,
    ],
    ["path traversal prefix", consumers("apps/a:a:a/../b"), "platform:dataConsumers", /no "\.\."/],
    [
      "a service account too long for an IAM role name",
      consumers(`apps/${"s".repeat(60)}:a:a`),
      "platform:dataConsumers",
      /at most 56 characters/,
    ],
  ];
  for (const [title, overrides, key, allowed] of cases) {
    it(`rejects ${title}, naming ${key}`, () => {
      const problems = configProblems(() => loadConfig({ overrides }));
      assert.ok(
        problems.some((p) => p.startsWith(`${key} must `) && allowed.test(p)),
        `expected ${key} matching ${allowed}, got:\n${problems.join("\n")}`,
      );
    });
  }

  it("rejects a major version once RDS standard support has ended", () => {
    const problems = configProblems(() =>
      loadConfig({ overrides: { "platform:postgresVersion": "15" }, today: "2028-03-01" }),
    );
    assert.ok(
      problems.some((p) =>
        /^platform:postgresVersion must be in RDS standard support on 2028-03-01/.test(p),
      ),
      problems.join("\n"),
    );
  });
});
