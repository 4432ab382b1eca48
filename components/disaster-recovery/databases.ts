/**
 * Databases in the peer region: replication of RDS automated backups for point-in-time restore
 * there (the primary stack's), and the promotable cross-region read replica (its standby stack's,
 * in the standby's VPC, so that failover needs nothing from the primary's region).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceTrustPolicy } from "./documents";

/** The primary PostgreSQL instance the data tier runs in the stack's region. */
export interface ProtectedDatabase {
  /** Short role name used in child names and outputs, e.g. `postgres`. */
  readonly name: string;
  readonly instanceArn: pulumi.Input<string>;
  readonly instanceIdentifier: pulumi.Input<string>;
  /** The replica gets the primary's class: after promotion it carries the production load. */
  readonly instanceClass: pulumi.Input<string>;
  /** @default 5432 */
  readonly port?: number;
  /**
   * The primary's parameter group: its cross-region replica gets a group with the same family and
   * parameters in its own region (RDS gives a cross-region replica the engine's default group
   * otherwise).
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstanceReadReplica.html
   */
  readonly parameterGroup: {
    readonly family: pulumi.Input<string>;
    readonly parameters: pulumi.Input<readonly DatabaseParameter[]>;
  };
  /** The primary's enhanced monitoring interval (seconds), which the replica keeps too. */
  readonly monitoringIntervalSeconds: pulumi.Input<number>;
}

/** A parameter of a DB parameter group, as RDS takes it. */
export interface DatabaseParameter {
  readonly name: string;
  readonly value: string;
  readonly applyMethod?: string;
}

/** The standby's DB subnet group: named, so the primary's restore testing can name it too. */
export function replicaSubnetGroupName(standbyStack: string): string {
  return `platform-${standbyStack}-replicas`;
}

/** The replica's identifier: the primary's, suffixed, in the standby's region. */
export function replicaIdentifier(primaryIdentifier: string): string {
  return `${primaryIdentifier}-dr`;
}

const REPLICA_LOG_EXPORTS = ["postgresql", "upgrade"] as const;

const ENHANCED_MONITORING_POLICY =
  "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole";

export interface ReplicaArgs {
  readonly accountId: string;
  readonly database: ProtectedDatabase;
  /** The primary's key in this (the peer) region: the replica is encrypted with it. */
  readonly peerKeyArn: pulumi.Input<string>;
  readonly subnetGroupName: pulumi.Input<string>;
  readonly securityGroupId: pulumi.Input<string>;
  /**
   * Failover: without `replicateSourceDb` the AWS provider promotes the replica to a standalone
   * instance (Multi-AZ, automated backups), with no call into the primary's region.
   */
  readonly promoted: boolean;
  /** Retention of the replica's exported PostgreSQL logs (a CloudWatch Logs retention value). */
  readonly logRetentionDays: number;
}

/**
 * The promotable cross-region read replica of a primary database, with the same protections as a
 * primary, its parameters (a group of the same in this region) and its enhanced monitoring: it is
 * what runs production after promotion. Promoted, it keeps its identifier and endpoint, gains
 * Multi-AZ and 14 days of backups.
 * @see https://www.pulumi.com/registry/packages/aws/api-docs/rds/instance/ (replicateSourceDb: "removing
 *   [it] ... will promote the database to a fully standalone database")
 */
export function createReplica(
  name: string,
  args: ReplicaArgs,
  opts: pulumi.CustomResourceOptions,
): aws.rds.Instance {
  const db = args.database;
  const identifier = pulumi.output(db.instanceIdentifier).apply(replicaIdentifier);
  // Created first, so RDS exports into groups with retention and the peer key, not never-expiring ones.
  const logGroups = REPLICA_LOG_EXPORTS.map(
    (type) =>
      new aws.cloudwatch.LogGroup(
        `${name}-${db.name}-replica-${type}-logs`,
        {
          name: pulumi.interpolate`/aws/rds/instance/${identifier}/${type}`,
          retentionInDays: args.logRetentionDays,
          kmsKeyId: args.peerKeyArn,
        },
        opts,
      ),
  );
  const parameterGroup = new aws.rds.ParameterGroup(
    `${name}-${db.name}-replica-params`,
    {
      family: db.parameterGroup.family,
      description: pulumi.interpolate`${identifier}: the primary's parameters`,
      parameters: pulumi
        .output(db.parameterGroup.parameters)
        .apply((parameters) => parameters.map((p) => ({ ...p }))),
    },
    opts,
  );
  const monitoringRole = new aws.iam.Role(
    `${name}-${db.name}-replica-monitoring`,
    {
      description: pulumi.interpolate`Enhanced monitoring of ${identifier}`,
      assumeRolePolicy: JSON.stringify(
        serviceTrustPolicy("monitoring.rds.amazonaws.com", args.accountId),
      ),
    },
    opts,
  );
  const monitoringPolicy = new aws.iam.RolePolicyAttachment(
    `${name}-${db.name}-replica-monitoring`,
    { role: monitoringRole.name, policyArn: ENHANCED_MONITORING_POLICY },
    opts,
  );
  return new aws.rds.Instance(
    `${name}-${db.name}-replica`,
    {
      identifier,
      // Cross-region replicas name their source by ARN; removing it promotes the replica.
      ...(args.promoted ? { backupRetentionPeriod: 14 } : { replicateSourceDb: db.instanceArn }),
      engine: "postgres",
      instanceClass: db.instanceClass,
      storageEncrypted: true,
      kmsKeyId: args.peerKeyArn,
      dbSubnetGroupName: args.subnetGroupName,
      vpcSecurityGroupIds: [args.securityGroupId],
      publiclyAccessible: false,
      // One zone while it is a replica; Multi-AZ once promoted, as the primary it replaces.
      multiAz: args.promoted,
      port: db.port ?? 5432,
      storageType: "gp3",
      parameterGroupName: parameterGroup.name,
      monitoringInterval: db.monitoringIntervalSeconds,
      monitoringRoleArn: monitoringRole.arn,
      // PostgreSQL read replicas take no automated backups and RDS refuses a final snapshot of a
      // replica; promoted, it keeps a final snapshot like any primary.
      skipFinalSnapshot: !args.promoted,
      ...(args.promoted
        ? { finalSnapshotIdentifier: pulumi.interpolate`${identifier}-final` }
        : {}),
      copyTagsToSnapshot: true,
      deletionProtection: true,
      iamDatabaseAuthenticationEnabled: true,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: args.peerKeyArn,
      performanceInsightsRetentionPeriod: 7,
      autoMinorVersionUpgrade: true,
      enabledCloudwatchLogsExports: [...REPLICA_LOG_EXPORTS],
      // Promotion and Multi-AZ take effect now: that is the failover.
      applyImmediately: args.promoted,
    },
    // The replica follows the source's engine version and storage; those are managed at the source.
    {
      ...opts,
      protect: true,
      ignoreChanges: ["engineVersion", "allocatedStorage"],
      dependsOn: [...logGroups, monitoringPolicy],
    },
  );
}

interface DatabaseRecoveryPlan {
  readonly databases: readonly ProtectedDatabase[];
  readonly peerKeyArn: pulumi.Input<string>;
  readonly replicatedBackupRetentionDays: number;
}

export interface DatabaseRecovery {
  readonly automatedBackups: aws.rds.InstanceAutomatedBackupsReplication;
}

/**
 * Every database's automated backups (snapshots and transaction logs) replicated into the peer
 * region, encrypted with the peer key (`opts` is the peer's). The replica is the standby's.
 */
export function createDatabaseRecoveries(
  name: string,
  plan: DatabaseRecoveryPlan,
  opts: pulumi.CustomResourceOptions,
): DatabaseRecovery[] {
  return plan.databases.map((db) => ({
    automatedBackups: new aws.rds.InstanceAutomatedBackupsReplication(
      `${name}-${db.name}-backups`,
      {
        sourceDbInstanceArn: db.instanceArn,
        kmsKeyId: plan.peerKeyArn,
        retentionPeriod: plan.replicatedBackupRetentionDays,
      },
      { ...opts, protect: true },
    ),
  }));
}
