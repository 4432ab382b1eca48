/**
 * Violating and passing cases of the disaster-recovery policy, run by coverage.test.ts and, with
 * every other policy's cases, by test/policies.test.ts. Each starts from the happy stack (whose
 * stateful resources an AWS Backup selection names) and changes one thing.
 */
import type { AnalyzerResource, WireProperties } from "../../tools/analyzer";
import { type Case, exercising } from "../test/case";
import { awsProvider, change, k8sProvider, urn, withDeps } from "../test/builders";
import { happy, happyStack, stackResources } from "../test/fixtures";

export const POLICY = "dr-stateful-resources-covered";

type HappyStack = ReturnType<typeof happyStack>;

/** Cases of `policy` on the happy stack, changed by `edit` (which returns resources to add). */
const stackCaseOf =
  (policy: string) =>
  (
    title: string,
    expect: Case["expect"],
    edit: (s: HappyStack) => AnalyzerResource[] = () => [],
  ): Case => {
    const s = happyStack();
    const extra = edit(s);
    return { policy, title, expect, resources: [...stackResources(s), ...extra], stack: true };
  };

const stackCase = stackCaseOf(POLICY);

function aws(type: string, name: string, properties: WireProperties): AnalyzerResource {
  return { urn: urn(type, name), type, name, properties, options: {}, provider: awsProvider };
}

function k8s(type: string, name: string, properties: WireProperties): AnalyzerResource {
  return { urn: urn(type, name), type, name, properties, options: {}, provider: k8sProvider };
}

/** The happy stack without its backup selection: nothing else covers its bucket and databases. */
function withoutSelection(s: HappyStack): void {
  s.backupSelection = withDeps(change(s.backupSelection, "selectionTags", []), {});
}

const tagSelection = () =>
  aws("aws:backup/selection:Selection", "by-tag", {
    selectionTags: [{ type: "STRINGEQUALS", key: "platform:backup", value: "true" }],
  });

const pvc = (namespace: string, labels: Record<string, string> = {}) =>
  k8s("kubernetes:core/v1:PersistentVolumeClaim", `${namespace}-data`, {
    metadata: { name: "data", namespace, labels },
    spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } },
  });

const schedule = (included: string[], excluded: string[] = []) =>
  k8s("kubernetes:velero.io/v1:Schedule", "daily", {
    apiVersion: "velero.io/v1",
    kind: "Schedule",
    metadata: { name: "daily", namespace: "velero" },
    spec: {
      schedule: "0 3 * * *",
      template: {
        includedNamespaces: included,
        excludedNamespaces: excluded,
        snapshotMoveData: true,
      },
    },
  });

export const cases: Case[] = [
  stackCase("every stateful resource named by the AWS Backup selection", "passes"),
  exercising(
    ["CKV_AWS_144"],
    stackCase("bucket, PostgreSQL and Aurora with no backup or replication", "violates", (s) => {
      withoutSelection(s);
      return [];
    }),
  ),
  stackCase(
    "bucket replicated (by dependency) and its replica covered as the destination",
    "passes",
    (s) => {
      withoutSelection(s);
      s.backupSelection = withDeps(s.backupSelection, { resources: [s.rdsInstance, s.cluster] });
      const replica = happy.bucket("logs-replica");
      const replication = withDeps(
        aws("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "logs-replication", {
          bucket: "platform-logs",
          rules: [
            { status: "Enabled", destination: { bucket: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } },
          ],
        }),
        { bucket: [s.bucket], rules: [replica] },
      );
      return [replica, replication];
    },
  ),
  stackCase("a replica bucket that nothing replicates into", "violates", () => [
    happy.bucket("orphan-replica"),
  ]),
  stackCase(
    "PostgreSQL covered by replicated automated backups (known ARN) and a replica",
    "passes",
    (s) => {
      withoutSelection(s);
      s.backupSelection = withDeps(s.backupSelection, { resources: [s.bucket, s.cluster] });
      const primary = change(s.rdsInstance, "identifier", "orders");
      s.rdsInstance = primary;
      return [
        aws(
          "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
          "orders-backups",
          {
            sourceDbInstanceArn: "arn:aws:rds:us-west-2:111122223333:db:orders",
            retentionPeriod: 14,
          },
        ),
        withDeps(
          change(
            change(
              happy.rdsInstance(),
              "replicateSourceDb",
              "arn:aws:rds:us-west-2:111122223333:db:orders",
            ),
            "multiAz",
            false,
          ),
          {},
        ),
      ].map((r, i) => (i === 1 ? { ...r, name: "orders-dr", urn: urn(r.type, "orders-dr") } : r));
    },
  ),
  stackCase("PostgreSQL enrolled by the platform:backup tag", "passes", (s) => {
    withoutSelection(s);
    s.backupSelection = withDeps(s.backupSelection, { resources: [s.bucket, s.cluster] });
    s.rdsInstance = change(s.rdsInstance, "tags", { "platform:backup": "true" });
    return [tagSelection()];
  }),
  stackCase("PostgreSQL tagged for a backup plan the stack does not have", "violates", (s) => {
    withoutSelection(s);
    s.backupSelection = withDeps(s.backupSelection, { resources: [s.bucket, s.cluster] });
    s.rdsInstance = change(s.rdsInstance, "tags", { "platform:backup": "true" });
    return [];
  }),
  stackCase("a bucket exempted with a reason", "passes", () => [
    change(happy.bucket("scratch"), "tags", { "platform:dr-exempt": "rebuilt from CI artifacts" }),
  ]),
  stackCase("a cache without automatic snapshots", "violates", () => [
    change(happy.replicationGroup(), "snapshotRetentionLimit", 0),
  ]),
  stackCase("a cache with automatic snapshots", "passes", () => [happy.replicationGroup()]),
  stackCase("a volume claim in a namespace Velero backs up", "passes", () => [
    schedule(["*"], ["kube-system"]),
    pvc("payments"),
  ]),
  stackCase("a volume claim in a namespace every schedule excludes", "violates", () => [
    schedule(["*"], ["payments"]),
    pvc("payments"),
  ]),
  stackCase("a volume claim and no Velero schedule", "violates", () => [pvc("payments")]),
  stackCase("a volume claim exempted with a reason", "passes", () => [
    pvc("payments", { "platform/dr-exempt": "scratch-space" }),
  ]),
];

export const EFS_BACKUP_POLICY = "efs-in-backup-plan";
const efsCase = stackCaseOf(EFS_BACKUP_POLICY);
const efs = (tags?: Record<string, string>) =>
  tags ? change(happy.efsFileSystem(), "tags", tags) : happy.efsFileSystem();

cases.push(
  efsCase(
    "a file system tagged platform:backup=true, which the selection matches",
    "passes",
    () => [efs({ "platform:backup": "true" })],
  ),
  efsCase("a file system named by the selection's resources", "passes", (s) => {
    const files = efs();
    s.backupSelection = withDeps(s.backupSelection, {
      resources: [s.bucket, s.rdsInstance, s.cluster, files],
    });
    return [files];
  }),
  efsCase("a file system tagged through its provider's default tags", "passes", () => [
    {
      ...efs(),
      provider: {
        ...awsProvider,
        urn: urn("pulumi:providers:aws", "backed-up"),
        name: "backed-up",
        properties: {
          ...awsProvider.properties,
          defaultTags: JSON.stringify({ tags: { "platform:backup": "true" } }),
        },
      },
    },
  ]),
  exercising(
    ["CKV2_AWS_18"],
    efsCase("a file system no backup selection matches", "violates", () => [efs()]),
  ),
  efsCase("a file system tagged platform:backup=false", "violates", () => [
    efs({ "platform:backup": "false" }),
  ]),
  efsCase("a file system exempted from DR coverage is still not backed up", "violates", () => [
    efs({ "platform:dr-exempt": "replicated to the peer region" }),
  ]),
  efsCase("a file system tagged for a backup plan the stack does not have", "violates", (s) => {
    withoutSelection(s);
    return [efs({ "platform:backup": "true" })];
  }),
);

export const STANDBY_POLICY = "dr-failover-has-standby";

const euProvider = {
  ...awsProvider,
  urn: urn("pulumi:providers:aws", "eu-west-1"),
  name: "eu-west-1",
  properties: { ...awsProvider.properties, region: "eu-west-1" },
};

/** A primary's failover pair, its health check tagged with the standby (if any). */
function failoverPair(
  standby: { stack: string; region: string } | undefined,
  target: string,
  provider = awsProvider,
): AnalyzerResource[] {
  const r = (type: string, name: string, properties: WireProperties): AnalyzerResource => ({
    urn: urn(type, name),
    type,
    name,
    properties,
    options: {},
    provider,
  });
  return [
    r("aws:route53/healthCheck:HealthCheck", "dr-failover-health-check", {
      type: "HTTPS",
      fqdn: "us-west-2.platform.example.com",
      tags: {
        Name: "us-west-2.platform.example.com/healthz",
        ...(standby
          ? { "platform:standby-stack": standby.stack, "platform:standby-region": standby.region }
          : {}),
      },
    }),
    r("aws:route53/record:Record", "dr-failover-secondary", {
      zoneId: "Z0123456789ABCDEFGHIJ",
      name: "us.platform.example.com",
      type: "CNAME",
      records: [target],
      setIdentifier: "secondary",
      failoverRoutingPolicies: [{ type: "SECONDARY" }],
    }),
  ];
}

const standbyCase = (
  title: string,
  expect: Case["expect"],
  resources: AnalyzerResource[],
): Case => ({
  policy: STANDBY_POLICY,
  title,
  expect,
  resources,
  stack: true,
});

cases.push(
  standbyCase(
    "a prod failover record with no standby stack",
    "violates",
    failoverPair(undefined, "us-east-1.platform.example.com"),
  ),
  standbyCase(
    "a prod failover record whose SECONDARY is the standby's ingress",
    "passes",
    failoverPair(
      { stack: "prod-us-east-1", region: "us-east-1" },
      "us-east-1.platform.example.com",
    ),
  ),
  standbyCase(
    "a SECONDARY that is not the standby's ingress",
    "violates",
    failoverPair(
      { stack: "prod-us-east-1", region: "us-east-1" },
      "us-east-2.platform.example.com",
    ),
  ),
  standbyCase(
    "an EU primary with a standby outside the EU",
    "violates",
    failoverPair(
      { stack: "prod-us-east-1", region: "us-east-1" },
      "us-east-1.platform.example.com",
      euProvider,
    ),
  ),
  standbyCase(
    "an EU primary with a standby in the EU",
    "passes",
    failoverPair(
      { stack: "prod-eu-central-1", region: "eu-central-1" },
      "eu-central-1.platform.example.com",
      euProvider,
    ),
  ),
);
