/**
 * Databases in the peer region: a minimal isolated VPC to place a replica (or a restored instance)
 * in, the cross-region read replica, and replication of RDS automated backups for point-in-time
 * restore there.
 */
import { createFlowLog, formatCidr, parseCidr, subnetOf } from "@platform/cluster";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DatabaseDrStrategy } from "./types";

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
}

export interface PeerNetwork {
  readonly vpc: aws.ec2.Vpc;
  readonly subnetIds: pulumi.Output<string>[];
  readonly subnetGroup: aws.rds.SubnetGroup;
  readonly databaseSecurityGroup: aws.ec2.SecurityGroup;
}

/**
 * An isolated VPC in the peer region: two private subnets in two zones (the minimum an RDS subnet
 * group accepts), no internet or NAT gateway, the default security group emptied, and a database
 * security group that admits PostgreSQL from inside the VPC only. A recovered cluster's VPC peers
 * with it (its CIDR is unique across the repository's stacks).
 */
function peerNetwork(
  name: string,
  args: {
    readonly cidr: string;
    readonly port: number;
    readonly accountId: string;
    /** Key (in the peer region) whose policy lets CloudWatch Logs there encrypt the flow log. */
    readonly logsKeyArn: pulumi.Input<string>;
    readonly flowLogRetentionDays: number;
  },
  opts: pulumi.CustomResourceOptions,
): PeerNetwork {
  const cidr = parseCidr(args.cidr)!;
  const vpc = new aws.ec2.Vpc(
    `${name}-vpc`,
    {
      cidrBlock: args.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: `${name}-vpc` },
    },
    opts,
  );
  new aws.ec2.DefaultSecurityGroup(
    `${name}-default-sg`,
    { vpcId: vpc.id, ingress: [], egress: [], tags: { Name: `${name}-default-locked` } },
    opts,
  );
  const zones = aws.getAvailabilityZonesOutput(
    { state: "available" },
    { parent: opts.parent, provider: opts.provider },
  );
  const subnets = [0, 1].map(
    (i) =>
      new aws.ec2.Subnet(
        `${name}-isolated-${i}`,
        {
          vpcId: vpc.id,
          cidrBlock: formatCidr(subnetOf(cidr, cidr.prefix + 1, i)),
          availabilityZone: zones.names[i],
          mapPublicIpOnLaunch: false,
          tags: { Name: `${name}-isolated-${i}`, "platform:tier": "isolated" },
        },
        opts,
      ),
  );
  const subnetGroup = new aws.rds.SubnetGroup(
    `${name}-db-subnets`,
    {
      subnetIds: subnets.map((s) => s.id),
      description: "Isolated subnets of the DR VPC for replicas and restored databases",
    },
    opts,
  );
  const databaseSecurityGroup = new aws.ec2.SecurityGroup(
    `${name}-db-sg`,
    {
      vpcId: vpc.id,
      description: "PostgreSQL replicas in the DR VPC: reachable from inside the VPC only",
      ingress: [
        {
          description: "PostgreSQL from the DR VPC (recovered workloads, via peering or in-VPC)",
          protocol: "tcp",
          fromPort: args.port,
          toPort: args.port,
          cidrBlocks: [args.cidr],
        },
      ],
      egress: [],
      tags: { Name: `${name}-db-sg` },
    },
    opts,
  );
  createFlowLog(
    name,
    {
      vpcId: vpc.id,
      accountId: args.accountId,
      retentionInDays: args.flowLogRetentionDays,
      logsKeyArn: args.logsKeyArn,
      maxAggregationInterval: 600,
    },
    opts,
  );
  return { vpc, subnetIds: subnets.map((s) => s.id), subnetGroup, databaseSecurityGroup };
}

const REPLICA_LOG_EXPORTS = ["postgresql", "upgrade"] as const;

interface DatabaseRecoveryArgs {
  readonly database: ProtectedDatabase;
  readonly strategy: DatabaseDrStrategy;
  readonly peerKeyArn: pulumi.Input<string>;
  readonly network: PeerNetwork;
  /** Days of automated backups kept in the peer region (1 to 35). */
  readonly replicatedBackupRetentionDays: number;
  /** Retention of the replica's exported PostgreSQL logs (a CloudWatch Logs retention value). */
  readonly logRetentionDays: number;
}

export interface DatabaseRecovery {
  readonly replica?: aws.rds.Instance;
  readonly automatedBackups: aws.rds.InstanceAutomatedBackupsReplication;
}

/**
 * The database's copies in the peer region. In both strategies RDS replicates automated backups
 * (snapshots and transaction logs) there, encrypted with the peer key; `cross-region-replica` adds
 * a promotable read replica with the same protections as a primary.
 */
function databaseRecovery(
  name: string,
  args: DatabaseRecoveryArgs,
  opts: pulumi.CustomResourceOptions,
): DatabaseRecovery {
  const db = args.database;
  const automatedBackups = new aws.rds.InstanceAutomatedBackupsReplication(
    `${name}-${db.name}-backups`,
    {
      sourceDbInstanceArn: db.instanceArn,
      kmsKeyId: args.peerKeyArn,
      retentionPeriod: args.replicatedBackupRetentionDays,
    },
    { ...opts, protect: true },
  );
  if (args.strategy === "backups-only") return { automatedBackups };

  const identifier = pulumi.interpolate`${db.instanceIdentifier}-dr`;
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
  const replica = new aws.rds.Instance(
    `${name}-${db.name}-replica`,
    {
      identifier,
      // Cross-region replicas name their source by ARN.
      replicateSourceDb: db.instanceArn,
      engine: "postgres",
      instanceClass: db.instanceClass,
      storageEncrypted: true,
      kmsKeyId: args.peerKeyArn,
      dbSubnetGroupName: args.network.subnetGroup.name,
      vpcSecurityGroupIds: [args.network.databaseSecurityGroup.id],
      publiclyAccessible: false,
      // One zone while it is a replica; the runbook converts it to Multi-AZ on promotion.
      multiAz: false,
      port: db.port ?? 5432,
      storageType: "gp3",
      // PostgreSQL read replicas take no automated backups and RDS refuses a final snapshot of a
      // replica; promotion turns backups on (`promote-read-replica --backup-retention-period`).
      skipFinalSnapshot: true,
      copyTagsToSnapshot: true,
      deletionProtection: true,
      iamDatabaseAuthenticationEnabled: true,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: args.peerKeyArn,
      performanceInsightsRetentionPeriod: 7,
      autoMinorVersionUpgrade: true,
      enabledCloudwatchLogsExports: [...REPLICA_LOG_EXPORTS],
      applyImmediately: false,
    },
    // The replica follows the source's engine version and storage; those are managed at the source.
    {
      ...opts,
      protect: true,
      ignoreChanges: ["engineVersion", "allocatedStorage"],
      dependsOn: logGroups,
    },
  );
  return { replica, automatedBackups };
}

interface DatabaseRecoveryPlan {
  readonly databases: readonly ProtectedDatabase[];
  readonly strategy: DatabaseDrStrategy;
  readonly accountId: string;
  /** CIDR of the isolated VPC the copies are placed in. */
  readonly peerVpcCidr: string;
  readonly peerKeyArn: pulumi.Input<string>;
  readonly replicatedBackupRetentionDays: number;
  /** Retention of the peer VPC's flow log and the replicas' log groups. */
  readonly logRetentionDays: number;
}

interface DatabaseRecoveries {
  /** The isolated peer VPC; absent when there is no database to recover. */
  readonly network?: PeerNetwork;
  /** One per database, in the same order. */
  readonly recoveries: readonly DatabaseRecovery[];
}

/** Every database's copies in the peer region, in one isolated peer VPC (`opts` is the peer's). */
export function createDatabaseRecoveries(
  name: string,
  plan: DatabaseRecoveryPlan,
  opts: pulumi.CustomResourceOptions,
): DatabaseRecoveries {
  if (plan.databases.length === 0) return { recoveries: [] };
  const network = peerNetwork(
    `${name}-peer`,
    {
      cidr: plan.peerVpcCidr,
      port: 5432,
      accountId: plan.accountId,
      logsKeyArn: plan.peerKeyArn,
      flowLogRetentionDays: plan.logRetentionDays,
    },
    opts,
  );
  const recoveries = plan.databases.map((database) =>
    databaseRecovery(
      name,
      {
        database,
        strategy: plan.strategy,
        peerKeyArn: plan.peerKeyArn,
        network,
        replicatedBackupRetentionDays: plan.replicatedBackupRetentionDays,
        logRetentionDays: plan.logRetentionDays,
      },
      opts,
    ),
  );
  return { network, recoveries };
}
