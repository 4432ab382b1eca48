/** Arguments of the disaster-recovery component, and the defaults it applies. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ProtectedDatabase } from "./databases";
import type { RetentionDays } from "./documents";
import type { FailoverArgs } from "./failover";
import type { ReplicationSource } from "./storage";
import { DatabaseDrStrategy, ImmutabilityMode } from "./types";

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
  /**
   * The standby stack in the peer region, which holds the cross-region replica and serves the
   * failover record's SECONDARY (`<peerRegion>.<domainName>`, published by its external-dns).
   * @default undefined - no standby: nothing serves the SECONDARY (policy dr-failover-has-standby)
   */
  readonly standby?: { readonly stack: string; readonly region: string };
  /**
   * Velero's hourly schedule besides the daily, weekly and monthly tiers (cluster-state RPO 1 h).
   * @default true
   */
  readonly hourlyClusterBackups?: boolean;
  /**
   * SNS topic of the stack's CloudWatch alarms: the S3 replication alarms post to it.
   * @default undefined - no replication alarms
   */
  readonly alarmTopicArn?: pulumi.Input<string>;
  /** @default [] - the databases to replicate (the data tier's primaries) */
  readonly databases?: readonly ProtectedDatabase[];
  /**
   * The stack region's access-log bucket (SSE-S3, with the log delivery grant): Velero's bucket
   * logs to it. The replicas log to one the component creates in the peer region.
   */
  readonly accessLogBucket: pulumi.Input<string>;
  /** @default [] - application buckets to replicate, besides Velero's own */
  readonly buckets?: readonly ReplicationSource[];
  /**
   * EFS file systems to replicate into the peer region (a read-only replica, encrypted with the
   * peer key, which a failover promotes by deleting the replication).
   * @default []
   * @see https://docs.aws.amazon.com/efs/latest/ug/efs-replication.html
   */
  readonly fileSystems?: readonly {
    readonly name: string;
    readonly fileSystemId: pulumi.Input<string>;
  }[];
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
}

export const DEFAULT_RETENTION: RetentionDays = { dailyDays: 14, weeklyDays: 56, monthlyDays: 365 };
