/**
 * PostgreSQL on RDS: a Multi-AZ primary, same-region read replicas and an RDS Proxy, all in the
 * isolated subnets, encrypted with the data key, reachable on 5432 from the client groups only.
 */
import { BACKUP_TAG } from "@platform/model";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DataTierArgs, POSTGRES_DEFAULTS, POSTGRES_PORT, PostgresArgs } from "./args";
import {
  postgresParameters,
  proxyConnectPolicy,
  proxyResourceId,
  serviceTrustPolicy,
} from "./documents";
import { allowTcpFrom, allowTcpTo, emptySecurityGroup, encryptedLogGroup } from "./network";
import { postgresFamily } from "./versions";

/** Log types RDS for PostgreSQL exports to CloudWatch Logs. */
const POSTGRES_LOG_EXPORTS = ["postgresql", "upgrade"] as const;
/** RDS's current default CA: RSA 2048, valid until 2061. */
const RDS_CA = "rds-ca-rsa2048-g1";
const ENHANCED_MONITORING_POLICY =
  "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole";

export interface PostgresResources {
  readonly securityGroup: aws.ec2.SecurityGroup;
  readonly primary: aws.rds.Instance;
  readonly replicas: readonly aws.rds.Instance[];
  /** The instances' parameters: a cross-region replica needs a group of the same in its region. */
  readonly parameterGroup: aws.rds.ParameterGroup;
  /** Enhanced monitoring of every instance (seconds between samples). */
  readonly monitoringIntervalSeconds: number;
  readonly proxy?: aws.rds.Proxy;
  readonly proxySecurityGroup?: aws.ec2.SecurityGroup;
  /** Secrets Manager secret RDS manages for the master user. */
  readonly masterSecretArn: pulumi.Output<string>;
}

export function postgresSettings(args: DataTierArgs): Required<PostgresArgs> {
  return { ...POSTGRES_DEFAULTS, ...args.postgres };
}

export function createPostgres(
  name: string,
  args: DataTierArgs,
  dataKey: aws.kms.Key,
  opts: pulumi.CustomResourceOptions,
): PostgresResources {
  const settings = postgresSettings(args);
  const identifier = `${args.namePrefix}-postgres`;
  const logRetention = args.logRetentionDays ?? 365;

  const securityGroup = emptySecurityGroup(
    `${name}-postgres-sg`,
    identifier,
    args.vpcId,
    `PostgreSQL ${identifier}: ${POSTGRES_PORT} from the cluster and the proxy only`,
    opts,
  );
  args.clientSecurityGroupIds.forEach((source, i) =>
    allowTcpFrom(
      `${name}-postgres-from-client-${i}`,
      securityGroup.id,
      source,
      POSTGRES_PORT,
      "PostgreSQL from cluster nodes",
      opts,
    ),
  );

  const subnetGroup = new aws.rds.SubnetGroup(
    `${name}-postgres-subnets`,
    {
      name: `${identifier}-isolated`,
      description: `Isolated subnets of ${identifier}`,
      subnetIds: args.isolatedSubnetIds,
    },
    opts,
  );
  const parameterGroup = new aws.rds.ParameterGroup(
    `${name}-postgres-params`,
    {
      family: postgresFamily(settings.version),
      description: `${identifier}: TLS only, slow statements logged`,
      parameters: postgresParameters(settings.slowQueryMs),
    },
    opts,
  );
  const monitoringRole = new aws.iam.Role(
    `${name}-postgres-monitoring`,
    {
      description: `Enhanced monitoring of ${identifier}`,
      assumeRolePolicy: JSON.stringify(
        serviceTrustPolicy("monitoring.rds.amazonaws.com", args.accountId),
      ),
    },
    opts,
  );
  const monitoringPolicy = new aws.iam.RolePolicyAttachment(
    `${name}-postgres-monitoring`,
    { role: monitoringRole.name, policyArn: ENHANCED_MONITORING_POLICY },
    opts,
  );

  // Created first, so RDS exports into groups with retention and encryption.
  const logGroups = (instanceId: string, logicalName: string) =>
    POSTGRES_LOG_EXPORTS.map((type) =>
      encryptedLogGroup(
        `${logicalName}-${type}-logs`,
        `/aws/rds/instance/${instanceId}/${type}`,
        logRetention,
        args.logsKeyArn,
        opts,
      ),
    );

  // Settings every instance shares, primary and replicas alike.
  const common = {
    instanceClass: settings.instanceClass,
    storageType: "gp3",
    maxAllocatedStorage: settings.maxAllocatedStorageGiB,
    storageEncrypted: true,
    kmsKeyId: dataKey.arn,
    vpcSecurityGroupIds: [securityGroup.id],
    parameterGroupName: parameterGroup.name,
    publiclyAccessible: false,
    port: POSTGRES_PORT,
    caCertIdentifier: RDS_CA,
    iamDatabaseAuthenticationEnabled: true,
    autoMinorVersionUpgrade: true,
    copyTagsToSnapshot: true,
    deletionProtection: true,
    performanceInsightsEnabled: true,
    performanceInsightsKmsKeyId: dataKey.arn,
    // Seven days is the free tier; Database Insights standard mode reads it.
    performanceInsightsRetentionPeriod: 7,
    databaseInsightsMode: "standard",
    monitoringInterval: settings.monitoringIntervalSeconds,
    monitoringRoleArn: monitoringRole.arn,
    enabledCloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
    applyImmediately: false,
  };

  const primary = new aws.rds.Instance(
    `${name}-postgres`,
    {
      ...common,
      identifier,
      engine: "postgres",
      engineVersion: settings.version,
      // Past standard support RDS keeps the major running (billed) rather than forcing an
      // untested major upgrade on production; the config loader refuses versions past that date.
      engineLifecycleSupport: "open-source-rds-extended-support",
      allowMajorVersionUpgrade: false,
      allocatedStorage: settings.allocatedStorageGiB,
      dbName: settings.databaseName,
      username: settings.masterUsername,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: dataKey.arn,
      multiAz: settings.multiAz,
      dbSubnetGroupName: subnetGroup.name,
      backupRetentionPeriod: settings.backupRetentionDays,
      backupWindow: "03:00-04:00",
      maintenanceWindow: "sun:04:30-sun:05:30",
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${identifier}-final`,
      deleteAutomatedBackups: false,
      // Enrols the primary in the disaster-recovery AWS Backup plan (selection by this tag).
      tags: { [BACKUP_TAG.key]: BACKUP_TAG.value },
    },
    {
      ...opts,
      protect: true,
      dependsOn: [...logGroups(identifier, `${name}-postgres`), monitoringPolicy],
    },
  );

  const replicas = Array.from({ length: settings.readReplicas }, (_, i) => {
    const replicaId = `${identifier}-replica-${i + 1}`;
    const logicalName = `${name}-postgres-replica-${i + 1}`;
    return new aws.rds.Instance(
      logicalName,
      {
        ...common,
        identifier: replicaId,
        replicateSourceDb: primary.identifier,
        // RDS refuses a final snapshot of a read replica; the primary's snapshots hold the data.
        skipFinalSnapshot: true,
      },
      {
        ...opts,
        protect: true,
        dependsOn: [...logGroups(replicaId, logicalName), monitoringPolicy],
      },
    );
  });

  const masterSecretArn = primary.masterUserSecrets.apply((secrets) => secrets[0].secretArn);
  const proxyParts = settings.proxy
    ? createProxy(name, args, identifier, primary, securityGroup, opts)
    : {};
  return {
    securityGroup,
    primary,
    replicas,
    parameterGroup,
    monitoringIntervalSeconds: settings.monitoringIntervalSeconds,
    masterSecretArn,
    ...proxyParts,
  };
}

function createProxy(
  name: string,
  args: DataTierArgs,
  identifier: string,
  primary: aws.rds.Instance,
  databaseSecurityGroup: aws.ec2.SecurityGroup,
  opts: pulumi.CustomResourceOptions,
): { proxy: aws.rds.Proxy; proxySecurityGroup: aws.ec2.SecurityGroup } {
  const proxyName = `${identifier}-proxy`;
  const proxySecurityGroup = emptySecurityGroup(
    `${name}-proxy-sg`,
    proxyName,
    args.vpcId,
    `RDS Proxy ${proxyName}: ${POSTGRES_PORT} from the cluster, to the database only`,
    opts,
  );
  args.clientSecurityGroupIds.forEach((source, i) =>
    allowTcpFrom(
      `${name}-proxy-from-client-${i}`,
      proxySecurityGroup.id,
      source,
      POSTGRES_PORT,
      "PostgreSQL through the proxy from cluster nodes",
      opts,
    ),
  );
  allowTcpTo(
    `${name}-proxy-to-postgres`,
    proxySecurityGroup.id,
    databaseSecurityGroup.id,
    POSTGRES_PORT,
    "Proxy to the PostgreSQL instances",
    opts,
  );
  allowTcpFrom(
    `${name}-postgres-from-proxy`,
    databaseSecurityGroup.id,
    proxySecurityGroup.id,
    POSTGRES_PORT,
    "PostgreSQL from the RDS Proxy",
    opts,
  );

  const role = new aws.iam.Role(
    `${name}-proxy-role`,
    {
      description: `RDS Proxy ${proxyName}: IAM connections to the primary`,
      assumeRolePolicy: JSON.stringify(serviceTrustPolicy("rds.amazonaws.com", args.accountId)),
    },
    opts,
  );
  const dbUsers = (args.consumers ?? []).map((c) => c.dbUser);
  const rolePolicy =
    dbUsers.length > 0
      ? [
          new aws.iam.RolePolicy(
            `${name}-proxy-role`,
            {
              role: role.name,
              policy: primary.resourceId.apply((instanceResourceId) =>
                JSON.stringify(
                  proxyConnectPolicy({
                    region: args.region,
                    accountId: args.accountId,
                    instanceResourceId,
                    dbUsers,
                  }),
                ),
              ),
            },
            opts,
          ),
        ]
      : [];
  const proxyLogs = encryptedLogGroup(
    `${name}-proxy-logs`,
    `/aws/rds/proxy/${proxyName}`,
    args.logRetentionDays ?? 365,
    args.logsKeyArn,
    opts,
  );
  const proxy = new aws.rds.Proxy(
    `${name}-proxy`,
    {
      name: proxyName,
      engineFamily: "POSTGRESQL",
      // End-to-end IAM: clients present IAM tokens and the proxy connects with IAM tokens too, so
      // no password of any database user is stored for it.
      defaultAuthScheme: "IAM_AUTH",
      requireTls: true,
      roleArn: role.arn,
      vpcSubnetIds: args.isolatedSubnetIds,
      vpcSecurityGroupIds: [proxySecurityGroup.id],
      idleClientTimeout: 1800,
      debugLogging: false,
    },
    { ...opts, dependsOn: [proxyLogs, ...rolePolicy] },
  );
  const targetGroup = new aws.rds.ProxyDefaultTargetGroup(
    `${name}-proxy-targets`,
    {
      dbProxyName: proxy.name,
      connectionPoolConfig: {
        maxConnectionsPercent: 90,
        maxIdleConnectionsPercent: 50,
        connectionBorrowTimeout: 120,
      },
    },
    opts,
  );
  new aws.rds.ProxyTarget(
    `${name}-proxy-primary`,
    {
      dbProxyName: proxy.name,
      targetGroupName: targetGroup.name,
      dbInstanceIdentifier: primary.identifier,
    },
    opts,
  );
  return { proxy, proxySecurityGroup };
}

/** Resource id used in `rds-db:connect` ARNs for connections through the proxy. */
export function proxyConnectResourceId(proxy: aws.rds.Proxy): pulumi.Output<string> {
  return proxy.arn.apply(proxyResourceId);
}
