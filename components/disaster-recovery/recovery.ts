import { parseCidr } from "@platform/cluster";
import { encryptionKey, Problems, serviceAccountRole } from "@platform/core";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { backupPlan } from "./backup";
import {
  clusterBackup,
  STORAGE_LOCATION,
  VELERO_NAMESPACE,
  VELERO_SERVICE_ACCOUNT,
} from "./cluster";
import { databaseRecovery, peerNetwork, ProtectedDatabase } from "./databases";
import { backupTiers, DRILL, RetentionDays, veleroPolicy } from "./documents";
import { failover, FailoverArgs } from "./failover";
import { protectedBucket, replicateBuckets, ReplicationSource } from "./storage";
import { DatabaseDrStrategy, ImmutabilityMode, OBJECTIVES } from "./types";

export interface DisasterRecoveryArgs {
  readonly accountId: string;
  readonly region: string;
  readonly peerRegion: string;
  /** Provider for the peer region, where every copy lands. */
  readonly peerProvider: aws.Provider;
  /**
   * @default "cross-region-replica" - a promotable replica of each database in the peer region
   */
  readonly databaseStrategy?: DatabaseDrStrategy;
  /** @default { dailyDays: 14, weeklyDays: 56, monthlyDays: 365 } */
  readonly retention?: RetentionDays;
  /**
   * Days of RDS automated backups kept in the peer region (1 to 35).
   * @default 14
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReplicateBackups.html
   */
  readonly replicatedBackupRetentionDays?: number;
  /**
   * Object Lock and Vault Lock mode.
   * @default "compliance"
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
   */
  readonly immutability?: ImmutabilityMode;
  /** CIDR (/20 to /24) of the isolated DR VPC in the peer region. */
  readonly peerVpcCidr: string;
  /** @default [] - the databases to replicate (the data tier's primaries) */
  readonly databases?: readonly ProtectedDatabase[];
  /** @default [] - application buckets to replicate, besides Velero's own */
  readonly buckets?: readonly ReplicationSource[];
  readonly cluster: {
    readonly oidcProviderArn: pulumi.Input<string>;
    readonly oidcProviderUrl: pulumi.Input<string>;
  };
  readonly failover: Omit<FailoverArgs, "region" | "peerRegion">;
  /** @default { namespace: "monitoring", ruleLabels: {} } */
  readonly monitoring?: {
    /** @default "monitoring" - where Prometheus runs (it scrapes Velero from there) */
    readonly namespace?: string;
    /** @default {} - labels the Prometheus rule selector requires */
    readonly ruleLabels?: Readonly<Record<string, string>>;
    /**
     * The Prometheus Operator's release: Velero's ServiceMonitor and PodMonitor and the drill's
     * PrometheusRule need its CRDs first.
     * @default undefined - the CRDs already exist
     */
    readonly release?: pulumi.Resource;
  };
  /**
   * StorageClass of the restore canary's 1 GiB volume.
   * @default undefined - a canary without a volume (the drill then skips volume data)
   */
  readonly canaryStorageClass?: string;
  /** @default 365 - retention of the DR VPC's flow log and the replica's log groups */
  readonly flowLogRetentionDays?: number;
}

const DEFAULT_RETENTION: RetentionDays = { dailyDays: 14, weeklyDays: 56, monthlyDays: 365 };
const NAME = /^[a-z][a-z0-9-]{0,20}$/;

export function validateDisasterRecoveryArgs(args: DisasterRecoveryArgs): void {
  const problems = new Problems();
  problems.check(
    /^\d{12}$/.test(args.accountId),
    "args.accountId",
    args.accountId,
    "be a 12-digit AWS account ID",
  );
  problems.check(
    args.peerRegion !== args.region,
    "args.peerRegion",
    args.peerRegion,
    `differ from args.region (${args.region})`,
  );
  problems.oneOf("args.databaseStrategy", args.databaseStrategy ?? "cross-region-replica", [
    "cross-region-replica",
    "backups-only",
  ]);
  problems.oneOf("args.immutability", args.immutability ?? "compliance", [
    "compliance",
    "governance",
  ]);
  const r = args.retention ?? DEFAULT_RETENTION;
  problems.integerInRange("args.retention.dailyDays", r.dailyDays, 7, 35);
  problems.check(
    r.weeklyDays > r.dailyDays,
    "args.retention.weeklyDays",
    r.weeklyDays,
    `exceed dailyDays (${r.dailyDays})`,
  );
  problems.check(
    r.monthlyDays > r.weeklyDays,
    "args.retention.monthlyDays",
    r.monthlyDays,
    `exceed weeklyDays (${r.weeklyDays})`,
  );
  problems.integerInRange(
    "args.replicatedBackupRetentionDays",
    args.replicatedBackupRetentionDays ?? 14,
    1,
    35,
  );
  const vpc = parseCidr(args.peerVpcCidr);
  problems.check(
    vpc !== undefined && vpc.prefix >= 20 && vpc.prefix <= 24,
    "args.peerVpcCidr",
    args.peerVpcCidr,
    "be an IPv4 CIDR between /20 and /24",
  );
  for (const [what, list] of [
    ["databases", (args.databases ?? []).map((d) => d.name)],
    ["buckets", (args.buckets ?? []).map((b) => b.name)],
  ] as const) {
    list.forEach((n, i) =>
      problems.check(NAME.test(n), `args.${what}[${i}].name`, n, "be a short lower-case name"),
    );
    problems.check(new Set(list).size === list.length, `args.${what}`, list, "not repeat a name");
  }
  problems.check(
    !(args.buckets ?? []).some((b) => b.name === "velero"),
    "args.buckets",
    (args.buckets ?? []).map((b) => b.name),
    'not use the name "velero" (the component replicates Velero\'s bucket itself)',
  );
  problems.throwIfAny("DisasterRecovery arguments");
}

/** What a recovery needs to know, exported by the stack and read by `npm run dr:plan`. */
export interface DrPosture {
  readonly region: string;
  readonly peerRegion: string;
  readonly objectives: typeof OBJECTIVES;
  readonly databaseStrategy: DatabaseDrStrategy;
  readonly immutability: ImmutabilityMode;
  readonly schedules: readonly {
    readonly name: string;
    readonly veleroCron: string;
    readonly awsBackupCron: string;
    readonly retentionDays: number;
  }[];
  readonly velero: {
    readonly namespace: string;
    readonly storageLocation: string;
    readonly bucket: string;
    readonly replicaBucket: string;
    readonly drill: {
      readonly schedule: string;
      readonly canaryNamespace: string;
      readonly scratchNamespace: string;
    };
  };
  readonly databases: readonly {
    readonly name: string;
    readonly primaryArn: string;
    readonly primaryIdentifier: string;
    readonly replicaIdentifier?: string;
    readonly replicaArn?: string;
    readonly automatedBackupsReplicationArn: string;
    readonly replicatedBackupRetentionDays: number;
    readonly peerSubnetGroup: string;
    readonly peerSecurityGroupId: string;
  }[];
  readonly buckets: readonly {
    readonly name: string;
    readonly source: string;
    readonly replica: string;
  }[];
  readonly awsBackup: {
    readonly vault: string;
    readonly peerVault: string;
    readonly peerVaultArn: string;
    readonly planId: string;
  };
  readonly failover: {
    readonly recordName: string;
    readonly primaryEndpoint: string;
    readonly peerEndpoint: string;
    readonly healthCheckId: string;
  };
}

/**
 * Every region recoverable in its peer region: cluster state (Velero to an Object-Locked bucket
 * replicated out of the region), databases (a promotable cross-region replica and replicated
 * automated backups), AWS Backup plans copied into a locked peer vault, replicated application
 * buckets, DNS failover, and a weekly restore drill with its alert.
 */
export class DisasterRecovery extends pulumi.ComponentResource {
  public readonly veleroBucket: aws.s3.Bucket;
  public readonly localKey: aws.kms.Key;
  public readonly peerKey: aws.kms.Key;
  public readonly replicas: readonly aws.rds.Instance[];
  public readonly backupVaultName: pulumi.Output<string>;
  public readonly peerBackupVaultArn: pulumi.Output<string>;
  public readonly healthCheckId: pulumi.Output<string>;
  public readonly posture: pulumi.Output<DrPosture>;

  constructor(
    name: string,
    args: DisasterRecoveryArgs,
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    super("platform:disaster-recovery:DisasterRecovery", name, {}, opts);
    validateDisasterRecoveryArgs(args);
    const local = { parent: this };
    const peer = { parent: this, provider: args.peerProvider };
    const retention = args.retention ?? DEFAULT_RETENTION;
    const immutability = args.immutability ?? "compliance";
    const strategy = args.databaseStrategy ?? "cross-region-replica";
    const replicatedBackupRetentionDays = args.replicatedBackupRetentionDays ?? 14;
    const tiers = backupTiers(retention);

    this.localKey = encryptionKey(
      `${name}-key`,
      {
        description: `Recovery data in ${args.region}: Velero's bucket and the AWS Backup vault`,
        accountId: args.accountId,
        region: args.region,
        alias: `platform-dr-${args.region}`,
      },
      { ...local, protect: true },
    );
    this.peerKey = encryptionKey(
      `${name}-peer-key`,
      {
        description: `Recovery copies of ${args.region} in ${args.peerRegion}: replicas, vault, buckets, flow logs`,
        accountId: args.accountId,
        region: args.peerRegion,
        logsService: true,
        // Named after the region it protects: one peer region may hold several regions' copies.
        alias: `platform-dr-${args.region}-copies`,
      },
      { ...peer, protect: true },
    );

    // Cluster state. Objects are locked for the daily tier's retention: long enough that a stolen
    // credential cannot erase last week's backups, short enough for Velero's TTLs to expire them.
    const objectLock = { mode: immutability, days: retention.dailyDays };
    const velero = protectedBucket(
      `${name}-velero`,
      { keyArn: this.localKey.arn, objectLock, noncurrentDays: retention.dailyDays },
      local,
    );
    this.veleroBucket = velero.bucket;
    const veleroRole = serviceAccountRole(
      `${name}-velero-irsa`,
      {
        oidcProviderArn: args.cluster.oidcProviderArn,
        oidcIssuerUrl: args.cluster.oidcProviderUrl,
        namespace: VELERO_NAMESPACE,
        serviceAccount: VELERO_SERVICE_ACCOUNT,
        policy: pulumi
          .all([velero.bucket.arn, this.localKey.arn])
          .apply(([bucketArn, keyArn]) =>
            JSON.stringify(veleroPolicy({ bucketArn, keyArn, region: args.region })),
          ),
      },
      local,
    );
    const monitoring = args.monitoring ?? {};
    clusterBackup(
      name,
      {
        roleArn: veleroRole.arn,
        bucketName: velero.bucket.bucket,
        keyArn: this.localKey.arn,
        region: args.region,
        tiers,
        monitoringNamespace: monitoring.namespace ?? "monitoring",
        ruleLabels: monitoring.ruleLabels ?? {},
        monitoringRelease: monitoring.release,
        canaryStorageClass: args.canaryStorageClass,
      },
      local,
    );

    // Object storage: Velero's bucket and the application buckets, replicated with RTC.
    const pairs = replicateBuckets(
      name,
      {
        sources: [
          {
            name: "velero",
            bucketName: velero.bucket.bucket,
            bucketArn: velero.bucket.arn,
            keyArn: this.localKey.arn,
            objectLock,
            versioning: velero.versioning,
          },
          ...(args.buckets ?? []),
        ],
        sourceRegion: args.region,
        peerRegion: args.peerRegion,
        accountId: args.accountId,
        peerKeyArn: this.peerKey.arn,
        noncurrentDays: retention.weeklyDays,
      },
      { local, peer },
    );

    // Databases.
    const databases = args.databases ?? [];
    const network =
      databases.length > 0
        ? peerNetwork(
            `${name}-peer`,
            {
              cidr: args.peerVpcCidr,
              port: 5432,
              accountId: args.accountId,
              logsKeyArn: this.peerKey.arn,
              flowLogRetentionDays: args.flowLogRetentionDays ?? 365,
            },
            peer,
          )
        : undefined;
    const recoveries = databases.map((database) =>
      databaseRecovery(
        name,
        {
          database,
          strategy,
          peerKeyArn: this.peerKey.arn,
          network: network!,
          replicatedBackupRetentionDays,
          logRetentionDays: args.flowLogRetentionDays ?? 365,
        },
        peer,
      ),
    );
    this.replicas = recoveries.flatMap((r) => (r.replica ? [r.replica] : []));

    const backup = backupPlan(
      `${name}-backup`,
      {
        accountId: args.accountId,
        tiers,
        localKeyArn: this.localKey.arn,
        peerKeyArn: this.peerKey.arn,
        immutability,
        ...(network ? { restoreTesting: { dbSubnetGroupName: network.subnetGroup.name } } : {}),
      },
      { local, peer },
    );
    this.backupVaultName = backup.vault.name;
    this.peerBackupVaultArn = backup.peerVault.arn;

    const dns = failover(
      `${name}-failover`,
      { ...args.failover, region: args.region, peerRegion: args.peerRegion },
      local,
    );
    this.healthCheckId = dns.healthCheck.id;

    const databasePosture = pulumi.all(
      databases.map((db, i) => {
        const recovery = recoveries[i];
        return pulumi
          .all([
            db.instanceArn,
            db.instanceIdentifier,
            recovery.replica?.identifier,
            recovery.replica?.arn,
            recovery.automatedBackups.id,
            network!.subnetGroup.name,
            network!.databaseSecurityGroup.id,
          ])
          .apply(
            ([
              primaryArn,
              primaryIdentifier,
              replicaIdentifier,
              replicaArn,
              backupsArn,
              subnetGroup,
              sg,
            ]) => ({
              name: db.name,
              primaryArn,
              primaryIdentifier,
              ...(replicaIdentifier ? { replicaIdentifier, replicaArn } : {}),
              automatedBackupsReplicationArn: backupsArn,
              replicatedBackupRetentionDays,
              peerSubnetGroup: subnetGroup,
              peerSecurityGroupId: sg,
            }),
          );
      }),
    );
    const bucketPosture = pulumi.all(
      pairs.map((p) =>
        pulumi
          .all([p.sourceBucketName, p.replicaBucket.bucket])
          .apply(([source, replica]) => ({ name: p.name, source, replica })),
      ),
    );
    this.posture = pulumi
      .all([
        databasePosture,
        bucketPosture,
        backup.vault.name,
        backup.peerVault.name,
        backup.peerVault.arn,
        backup.plan.id,
        dns.healthCheck.id,
      ])
      .apply(([dbs, buckets, vault, peerVault, peerVaultArn, planId, healthCheckId]): DrPosture => {
        const veleroPair = buckets.find((b) => b.name === "velero")!;
        return {
          region: args.region,
          peerRegion: args.peerRegion,
          objectives: OBJECTIVES,
          databaseStrategy: strategy,
          immutability,
          schedules: tiers.map((t) => ({
            name: t.name,
            veleroCron: t.cron,
            awsBackupCron: t.awsCron,
            retentionDays: t.retentionDays,
          })),
          velero: {
            namespace: VELERO_NAMESPACE,
            storageLocation: STORAGE_LOCATION,
            bucket: veleroPair.source,
            replicaBucket: veleroPair.replica,
            drill: {
              schedule: DRILL.schedule,
              canaryNamespace: DRILL.canaryNamespace,
              scratchNamespace: DRILL.scratchNamespace,
            },
          },
          databases: dbs,
          buckets: buckets.filter((b) => b.name !== "velero"),
          awsBackup: { vault, peerVault, peerVaultArn, planId },
          failover: {
            recordName: args.failover.recordName,
            primaryEndpoint: args.failover.primaryEndpoint,
            peerEndpoint: args.failover.peerEndpoint,
            healthCheckId,
          },
        };
      });

    this.registerOutputs({
      veleroBucket: this.veleroBucket,
      localKey: this.localKey,
      peerKey: this.peerKey,
      replicas: this.replicas,
      backupVaultName: this.backupVaultName,
      peerBackupVaultArn: this.peerBackupVaultArn,
      healthCheckId: this.healthCheckId,
      posture: this.posture,
    });
  }
}
