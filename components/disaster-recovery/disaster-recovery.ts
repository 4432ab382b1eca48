import { registryHost } from "@platform/core";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_RETENTION, DisasterRecoveryArgs } from "./args";
import { bucketReplicationAlarms, createRecoveryAlarms } from "./alarms";
import { createBackupPlan } from "./backup";
import { createClusterBackup } from "./cluster";
import { createDatabaseRecoveries, replicaSubnetGroupName } from "./databases";
import { backupTiers } from "./documents";
import { createFailover } from "./failover";
import { createRecoveryKeys } from "./keys";
import { DrPosture, recoveryPosture } from "./posture";
import { createBucketReplication } from "./storage";
import { validateDisasterRecoveryArgs } from "./validation";

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

    const { localKey, peerKey } = createRecoveryKeys(name, args, { local, peer });
    this.localKey = localKey;
    this.peerKey = peerKey;

    // Cluster state. Objects are locked for the daily tier's retention: long enough that a stolen
    // credential cannot erase last week's backups, short enough for Velero's TTLs to expire them.
    const objectLock = { mode: immutability, days: retention.dailyDays };
    const monitoring = args.monitoring ?? {};
    const velero = createClusterBackup(
      name,
      {
        keyArn: localKey.arn,
        objectLock,
        noncurrentDays: retention.dailyDays,
        accessLogBucket: args.accessLogBucket,
        oidcProviderArn: args.cluster.oidcProviderArn,
        oidcProviderUrl: args.cluster.oidcProviderUrl,
        registryHost: registryHost(args.accountId, args.region),
        region: args.region,
        tiers,
        hourly: args.hourlyClusterBackups ?? true,
        monitoringNamespace: monitoring.namespace ?? "monitoring",
        ruleLabels: monitoring.ruleLabels ?? {},
        monitoringRelease: monitoring.release,
        canaryStorageClass: args.canaryStorageClass,
      },
      local,
    );
    this.veleroBucket = velero.bucket.bucket;

    // Object storage: Velero's bucket and the application buckets, replicated with RTC.
    const { pairs: buckets } = createBucketReplication(
      name,
      {
        sources: [
          {
            name: "velero",
            bucketName: velero.bucket.bucket.bucket,
            bucketArn: velero.bucket.bucket.arn,
            keyArn: localKey.arn,
            objectLock,
            versioning: velero.bucket.versioning,
          },
          ...(args.buckets ?? []),
        ],
        sourceRegion: args.region,
        peerRegion: args.peerRegion,
        accountId: args.accountId,
        peerKeyArn: peerKey.arn,
        noncurrentDays: retention.weeklyDays,
      },
      { local, peer },
    );

    // Replication must keep to its 15-minute threshold: alarms in the source region, per rule.
    if (args.alarmTopicArn !== undefined) {
      createRecoveryAlarms(
        name,
        {
          namePrefix: `platform-dr-${args.region}`,
          alarmTopicArn: args.alarmTopicArn,
          specs: buckets.flatMap((pair) =>
            bucketReplicationAlarms(pair.name, {
              sourceBucket: pair.sourceBucketName,
              destinationBucket: pair.replicaBucket.bucket,
              ruleId: pair.ruleId,
            }),
          ),
        },
        local,
      );
    }

    // Shared files: EFS replicates continuously into a read-only file system in the peer region.
    for (const fileSystem of args.fileSystems ?? []) {
      new aws.efs.ReplicationConfiguration(
        `${name}-${fileSystem.name}-replication`,
        {
          sourceFileSystemId: fileSystem.fileSystemId,
          destination: { region: args.peerRegion, kmsKeyId: peerKey.arn },
        },
        local,
      );
    }

    const databases = args.databases ?? [];
    const recoveries = createDatabaseRecoveries(
      name,
      { databases, peerKeyArn: peerKey.arn, replicatedBackupRetentionDays },
      peer,
    );

    const backup = createBackupPlan(
      `${name}-backup`,
      {
        accountId: args.accountId,
        tiers,
        localKeyArn: localKey.arn,
        peerKeyArn: peerKey.arn,
        immutability,
        // Restores land in the standby's subnet group (it exists once the standby is deployed).
        ...(databases.length > 0 && args.standby
          ? { restoreTesting: { dbSubnetGroupName: replicaSubnetGroupName(args.standby.stack) } }
          : {}),
      },
      { local, peer },
    );
    this.backupVaultName = backup.vault.name;
    this.peerBackupVaultArn = backup.peerVault.arn;

    const failover = createFailover(
      `${name}-failover`,
      {
        ...args.failover,
        region: args.region,
        peerRegion: args.peerRegion,
        standbyStack: args.standby?.stack,
      },
      local,
    );
    this.healthCheckId = failover.healthCheck.id;

    this.posture = recoveryPosture({
      region: args.region,
      peerRegion: args.peerRegion,
      strategy,
      immutability,
      tiers,
      replicatedBackupRetentionDays,
      databases,
      recoveries,
      peerKeyArn: peerKey.arn,
      standby: args.standby,
      buckets,
      backup,
      failover,
      failoverNames: {
        recordName: args.failover.recordName,
        primaryEndpoint: args.failover.primaryEndpoint,
        peerEndpoint: args.failover.peerEndpoint,
      },
    });

    this.registerOutputs({
      veleroBucket: this.veleroBucket,
      localKey: this.localKey,
      peerKey: this.peerKey,
      backupVaultName: this.backupVaultName,
      peerBackupVaultArn: this.peerBackupVaultArn,
      healthCheckId: this.healthCheckId,
      posture: this.posture,
    });
  }
}
