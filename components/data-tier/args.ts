import * as pulumi from "@pulumi/pulumi";
import { LifecycleTiering } from "./documents";

/** A workload that uses the data tier through its own IRSA role. */
export interface DataConsumer {
  /** Kubernetes namespace of the workload's service account. */
  readonly namespace: string;
  readonly serviceAccount: string;
  /**
   * PostgreSQL user the workload connects as with an IAM token. The user is created by the
   * application's migrations (`CREATE USER <name>; GRANT rds_iam TO <name>;`), not by this program.
   */
  readonly dbUser: string;
  /** Prefix of the assets bucket the workload reads and writes, without slashes at either end. */
  readonly bucketPrefix: string;
}

export interface PostgresArgs {
  /**
   * Major ("18") or major.minor ("18.3") version. A major alone lets RDS pick the newest minor and
   * keeps the program from reverting automatic minor upgrades.
   * @default "18"
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html
   */
  readonly version?: string;
  /** @default "db.r7g.large" - Graviton, memory-optimised */
  readonly instanceClass?: string;
  /** @default 100 */
  readonly allocatedStorageGiB?: number;
  /**
   * Ceiling for storage autoscaling; at least 10% above `allocatedStorageGiB`.
   * @default 1000
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIOPS.Autoscaling.html
   */
  readonly maxAllocatedStorageGiB?: number;
  /** @default 14 - 7 to 35 allowed */
  readonly backupRetentionDays?: number;
  /** Read replicas in the stack's region. @default 2 */
  readonly readReplicas?: number;
  /** RDS Proxy in front of the primary. @default true */
  readonly proxy?: boolean;
  /** `log_min_duration_statement`, in milliseconds. @default 500 */
  readonly slowQueryMs?: number;
  /** Opt-out of a synchronous standby in a second AZ (not for production). @default true */
  readonly multiAz?: boolean;
  /** @default "app" */
  readonly databaseName?: string;
  /** Master user; its password lives only in Secrets Manager. @default "dbadmin" */
  readonly masterUsername?: string;
  /** Enhanced monitoring granularity: 1, 5, 10, 15, 30 or 60 seconds. @default 15 */
  readonly monitoringIntervalSeconds?: number;
}

export interface CacheArgs {
  /** Valkey version. @default "8.2" */
  readonly engineVersion?: string;
  /** @default "cache.r7g.large" */
  readonly nodeType?: string;
  /** Shards (node groups) of the cluster-mode replication group. @default 3 */
  readonly shards?: number;
  /** Replicas per shard; at least 1 for automatic failover. @default 2 */
  readonly replicasPerShard?: number;
  /** Daily snapshots kept, in days. @default 7 */
  readonly snapshotRetentionDays?: number;
}

/**
 * A PostgreSQL user that signs in with a password (for a client without IAM database
 * authentication), kept in Secrets Manager and rotated there with alternating users.
 */
export interface PostgresUserArgs {
  /** The base role; its alternate is `<name>_clone`. */
  readonly name: string;
  /** The user's database, which its client's own setup creates (the role too). */
  readonly database: string;
}

export interface DataTierArgs {
  /**
   * Prefix of every physical name (DB identifiers, replication group, buckets), e.g.
   * `platform-prod-us-west-2`: lowercase letters, digits and hyphens, at most 30 characters.
   */
  readonly namePrefix: string;
  readonly accountId: string;
  readonly region: string;
  readonly vpcId: pulumi.Input<string>;
  /** Subnets with no route to the internet; the database, proxy and cache live only here. */
  readonly isolatedSubnetIds: pulumi.Input<string>[];
  /** Security groups whose members may reach PostgreSQL (5432) and Valkey (6379): the cluster's nodes. */
  readonly clientSecurityGroupIds: pulumi.Input<string>[];
  /** KMS key of the platform's CloudWatch log groups. */
  readonly logsKeyArn: pulumi.Input<string>;
  /** Retention of the data tier's log groups, in days. @default 365 */
  readonly logRetentionDays?: number;
  readonly oidcProviderArn: pulumi.Input<string>;
  readonly oidcProviderUrl: pulumi.Input<string>;
  /** Workloads that get an IRSA role. @default [] */
  readonly consumers?: readonly DataConsumer[];
  readonly postgres?: PostgresArgs;
  readonly cache?: CacheArgs;
  /**
   * A NetworkPolicy in each consumer namespace letting pods labelled
   * `platform/data-tier-client: "true"` reach these CIDRs on 5432 and 6379 (the namespace
   * baseline denies all egress but DNS). Needs a `kubernetes` provider among the providers.
   * @default undefined - no NetworkPolicies
   */
  readonly clientEgress?: {
    readonly isolatedSubnetCidrs: readonly string[];
    /** What must exist first, e.g. the consumer namespaces. */
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
  };
  /**
   * An EFS file system for read-write-many volumes (mount targets in every isolated subnet, the
   * `efs-shared` StorageClass; needs the cluster's EFS CSI driver add-on).
   * @default true
   * @see https://docs.aws.amazon.com/eks/latest/userguide/efs-csi.html
   */
  readonly sharedFiles?: boolean;
  /**
   * Password users whose secrets (host, port, database, username, password) Secrets Manager keeps
   * and rotates every `POSTGRES_USER_ROTATION_DAYS` days, alternating between `<name>` and
   * `<name>_clone` so the credential a client holds stays valid for a rotation interval after the
   * next one starts. @default []
   */
  readonly postgresUsers?: readonly PostgresUserArgs[];
  /**
   * Subnets with a route to AWS's APIs (the private subnets, through NAT) where the rotation
   * functions run: the cache token's reaches Secrets Manager and ElastiCache, the password users'
   * also PostgreSQL on 5432.
   */
  readonly rotationSubnetIds: pulumi.Input<string>[];
  /** Lifecycle of every bucket. @default DEFAULT_TIERING */
  readonly tiering?: LifecycleTiering;
}

export const POSTGRES_DEFAULTS: Required<PostgresArgs> = {
  version: "18",
  instanceClass: "db.r7g.large",
  allocatedStorageGiB: 100,
  maxAllocatedStorageGiB: 1000,
  backupRetentionDays: 14,
  readReplicas: 2,
  proxy: true,
  slowQueryMs: 500,
  multiAz: true,
  databaseName: "app",
  masterUsername: "dbadmin",
  monitoringIntervalSeconds: 15,
};

export const CACHE_DEFAULTS: Required<CacheArgs> = {
  engineVersion: "8.2",
  nodeType: "cache.r7g.large",
  shards: 3,
  replicasPerShard: 2,
  snapshotRetentionDays: 7,
};

export const POSTGRES_PORT = 5432;
/** Days between two rotations of a password user's secret. */
export const POSTGRES_USER_ROTATION_DAYS = 30;
export const CACHE_PORT = 6379;
