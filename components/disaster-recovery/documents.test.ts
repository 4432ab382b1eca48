import * as assert from "assert";
import * as aws from "@pulumi/aws";
import { restoreTestingName, vaultLockSettings } from "./backup";
import {
  backupTiers,
  drillAlertRules,
  drillContainers,
  replicationPolicy,
  veleroPolicy,
  veleroScheduleSpec,
  veleroTtl,
  veleroValues,
} from "./documents";
import { DisasterRecoveryArgs } from "./args";
import { validateDisasterRecoveryArgs } from "./validation";
import { ValidationError } from "@platform/core";
import { validatePrometheusRule } from "@platform/observability/rules";

const BUCKET = "arn:aws:s3:::velero-bucket";
const KEY = "arn:aws:kms:us-west-2:123456789012:key/1111";
const PEER_KEY = "arn:aws:kms:us-east-1:123456789012:key/2222";

describe("disaster recovery documents", () => {
  it("keeps the three tiers' schedules and retention, and Velero TTLs in hours", () => {
    const tiers = backupTiers({ dailyDays: 14, weeklyDays: 56, monthlyDays: 365 });
    assert.deepStrictEqual(
      tiers.map((t) => [t.name, t.cron, t.awsCron, t.retentionDays]),
      [
        ["daily", "0 3 * * *", "cron(0 4 ? * * *)", 14],
        ["weekly", "0 4 * * 0", "cron(0 5 ? * SUN *)", 56],
        ["monthly", "0 5 1 * *", "cron(0 6 1 * ? *)", 365],
      ],
    );
    assert.strictEqual(veleroTtl(14), "336h0m0s");
    const spec = veleroScheduleSpec(tiers[0], "default", ["kube-system"]) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.strictEqual(spec.template.snapshotMoveData, true);
    assert.strictEqual(spec.template.defaultVolumesToFsBackup, false);
    assert.deepStrictEqual(spec.template.excludedNamespaces, ["kube-system"]);
  });

  it("bounds vault locks by the tiers; compliance adds the 3-day cooling-off, governance does not", () => {
    const tiers = backupTiers({ dailyDays: 14, weeklyDays: 56, monthlyDays: 730 });
    assert.deepStrictEqual(vaultLockSettings(tiers, "compliance"), {
      minRetentionDays: 7,
      maxRetentionDays: 730,
      changeableForDays: 3,
    });
    assert.deepStrictEqual(vaultLockSettings(tiers, "governance"), {
      minRetentionDays: 7,
      maxRetentionDays: 730,
    });
  });

  it("names restore tests with letters, digits and underscores only, at most 50", () => {
    assert.strictEqual(restoreTestingName("dr-backup", "rds"), "dr_backup_rds");
    assert.match(restoreTestingName("a".repeat(60), "peer_restore_test"), /^[A-Za-z0-9_]{50}$/);
  });

  it("scopes Velero's role to its bucket and key through S3, with no EC2 or wildcard resource", () => {
    const doc = veleroPolicy({ bucketArn: BUCKET, keyArn: KEY, region: "us-west-2" });
    const resources = doc.Statement.flatMap((s) => [s.Resource].flat());
    assert.deepStrictEqual(resources.sort(), [BUCKET, `${BUCKET}/*`, KEY].sort());
    const key = doc.Statement.find((s) => s.Sid === "UseBackupKeyThroughS3")!;
    assert.deepStrictEqual((key.Condition as Record<string, unknown>).StringEquals, {
      "kms:ViaService": "s3.us-west-2.amazonaws.com",
    });
    const actions = doc.Statement.flatMap((s) => [s.Action].flat()) as string[];
    assert.ok(actions.every((a) => a.startsWith("s3:") || a.startsWith("kms:")));
  });

  it("lets the replication role decrypt only KMS sources and encrypt only with the peer key in the peer region", () => {
    const doc = replicationPolicy({
      sourceRegion: "us-west-2",
      destinationRegion: "us-east-1",
      pairs: [
        {
          sourceBucketArn: "arn:aws:s3:::a",
          sourceKeyArn: KEY,
          destinationBucketArn: "arn:aws:s3:::a-r",
          destinationKeyArn: PEER_KEY,
        },
        {
          sourceBucketArn: "arn:aws:s3:::logs",
          destinationBucketArn: "arn:aws:s3:::logs-r",
          destinationKeyArn: PEER_KEY,
        },
      ],
    });
    const sids = doc.Statement.map((s) => s.Sid);
    assert.deepStrictEqual(sids, [
      "ReadReplicationConfiguration",
      "ReadSourceVersions",
      "WriteReplicas",
      "DecryptSource0",
      "EncryptReplica0",
      "EncryptReplica1",
    ]);
    const write = doc.Statement.find((s) => s.Sid === "WriteReplicas")!;
    assert.deepStrictEqual(write.Resource, ["arn:aws:s3:::a-r/*", "arn:aws:s3:::logs-r/*"]);
    const encrypt = doc.Statement.find((s) => s.Sid === "EncryptReplica1")! as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.strictEqual(
      encrypt.Condition.StringEquals["kms:ViaService"],
      "s3.us-east-1.amazonaws.com",
    );
    assert.deepStrictEqual(encrypt.Condition.StringLike["kms:EncryptionContext:aws:s3:arn"], [
      "arn:aws:s3:::logs-r",
      "arn:aws:s3:::logs-r/*",
    ]);
  });

  it("configures Velero with IRSA, KMS, CSI data movement and restricted containers", () => {
    const v = veleroValues({
      registryHost: "111122223333.dkr.ecr.us-west-2.amazonaws.com",
      roleArn: "arn:aws:iam::123456789012:role/velero",
      bucketName: "velero-bucket",
      region: "us-west-2",
      keyArn: KEY,
      storageLocation: "default",
      priorityClassName: "platform-critical",
    }) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.deepStrictEqual(v.configuration.backupStorageLocation[0].config, {
      region: "us-west-2",
      serverSideEncryption: "aws:kms",
      kmsKeyId: KEY,
    });
    assert.strictEqual(v.credentials.useSecret, false);
    assert.strictEqual(v.deployNodeAgent, true);
    assert.strictEqual(v.nodeAgent.disableHostPath, true);
    assert.strictEqual(v.image.tag, "v1.18.1");
    assert.strictEqual(
      v.initContainers[0].image,
      "111122223333.dkr.ecr.us-west-2.amazonaws.com/docker-hub/velero/velero-plugin-for-aws:v1.14.0",
    );
    // The chart's kubectl Jobs: a pinned tag from the cache, not the cluster's version upstream.
    assert.deepStrictEqual(v.kubectl.image, {
      repository: "111122223333.dkr.ecr.us-west-2.amazonaws.com/k8s/kubectl",
      tag: "v1.35.0",
    });
    for (const c of [
      v.containerSecurityContext,
      v.nodeAgent.containerSecurityContext,
      v.initContainers[0].securityContext,
    ]) {
      assert.deepStrictEqual(c, {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      });
    }
    for (const r of [v.resources, v.nodeAgent.resources, v.initContainers[0].resources]) {
      assert.ok(r.requests.cpu && r.requests.memory && r.limits.cpu && r.limits.memory);
    }
  });

  it("runs the drill as two shell-free commands: empty the scratch namespace, then restore into it", () => {
    const { init, main } = drillContainers(
      "velero",
      "111122223333.dkr.ecr.us-west-2.amazonaws.com",
    );
    assert.deepStrictEqual(init.command, ["/bin/kubectl"]);
    assert.deepStrictEqual((init.args as string[]).slice(0, 3), [
      "delete",
      "namespace",
      "dr-drill-scratch",
    ]);
    assert.deepStrictEqual(main.args, [
      "restore",
      "create",
      "--namespace",
      "velero",
      "--from-schedule",
      "daily",
      "--include-namespaces",
      "dr-canary",
      "--namespace-mappings",
      "dr-canary:dr-drill-scratch",
      "--wait",
    ]);
  });

  it("alerts on a stale drill over 8 days of velero_restore_success_total", () => {
    const rules = (drillAlertRules("velero") as any).groups[0].rules; // eslint-disable-line @typescript-eslint/no-explicit-any
    const stale = rules.find((r: { alert: string }) => r.alert === "RestoreDrillStale");
    assert.strictEqual(
      stale.expr,
      '(sum(increase(velero_restore_success_total{namespace="velero",schedule="daily"}[8d])) or vector(0)) < 1',
    );
    assert.strictEqual(stale.labels.severity, "critical");
  });

  it("passes the observability rule validator: PrometheusRule schema, severities and PromQL grammar", () => {
    const problems = validatePrometheusRule({
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PrometheusRule",
      metadata: { name: "disaster-recovery", namespace: "velero", labels: {} },
      spec: drillAlertRules("velero") as any, // eslint-disable-line @typescript-eslint/no-explicit-any
    });
    assert.deepStrictEqual(problems, []);
  });
});

describe("DisasterRecovery argument validation", () => {
  const base: DisasterRecoveryArgs = {
    accountId: "123456789012",
    region: "us-west-2",
    peerRegion: "us-east-1",
    peerProvider: {} as aws.Provider,
    accessLogBucket: "platform-prod-us-west-2-access-logs-123456789012",
    cluster: { oidcProviderArn: "arn", oidcProviderUrl: "https://oidc" },
    failover: {
      hostedZoneId: "Z1",
      recordName: "us.example.com",
      primaryEndpoint: "us-west-2.example.com",
      peerEndpoint: "us-east-1.example.com",
      healthCheckPath: "/healthz",
    },
  };
  const problems = (args: Partial<DisasterRecoveryArgs>) => {
    try {
      validateDisasterRecoveryArgs({ ...base, ...args });
    } catch (err) {
      assert.ok(ValidationError.isInstance(err));
      return err.problems.map((p) => `${p.path} must ${p.allowed}`);
    }
    return [];
  };

  it("accepts the documented defaults", () => assert.deepStrictEqual(problems({}), []));

  const cases: [string, Partial<DisasterRecoveryArgs>, string][] = [
    ["same region", { peerRegion: "us-west-2" }, "args.peerRegion must differ from args.region"],
    ["bad account", { accountId: "12" }, "args.accountId must be a 12-digit"],
    [
      "short daily",
      { retention: { dailyDays: 3, weeklyDays: 56, monthlyDays: 365 } },
      "args.retention.dailyDays must be",
    ],
    [
      "weekly not longer",
      { retention: { dailyDays: 14, weeklyDays: 14, monthlyDays: 365 } },
      "args.retention.weeklyDays must exceed",
    ],
    [
      "monthly not longer",
      { retention: { dailyDays: 14, weeklyDays: 56, monthlyDays: 30 } },
      "args.retention.monthlyDays must exceed",
    ],
    [
      "backups beyond 35 days",
      { replicatedBackupRetentionDays: 40 },
      "args.replicatedBackupRetentionDays must be",
    ],
    [
      "a standby outside the peer region",
      { standby: { stack: "prod-us-east-2", region: "us-east-2" } },
      "args.standby.region must be args.peerRegion",
    ],
    [
      "a repeated bucket",
      {
        buckets: [
          { name: "a", bucketName: "a", bucketArn: "a" },
          { name: "a", bucketName: "b", bucketArn: "b" },
        ],
      },
      "args.buckets must not repeat",
    ],
    [
      "a bucket named velero",
      { buckets: [{ name: "velero", bucketName: "a", bucketArn: "a" }] },
      'args.buckets must not use the name "velero"',
    ],
    [
      "an unknown strategy",
      { databaseStrategy: "pilot-light" as never },
      "args.databaseStrategy must be one of",
    ],
  ];
  for (const [what, args, expected] of cases) {
    it(`rejects ${what}`, () => {
      const found = problems(args);
      assert.ok(
        found.some((p) => p.startsWith(expected)),
        found.join("\n"),
      );
    });
  }
});
