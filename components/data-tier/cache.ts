/**
 * Valkey on ElastiCache: a cluster-mode replication group across AZs, encrypted at rest with the
 * data key and in transit, with an AUTH token that exists only as a secret.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { CACHE_DEFAULTS, CACHE_PORT, CacheArgs, DataTierArgs } from "./args";
import { cacheParameters } from "./documents";
import { allowTcpFrom, emptySecurityGroup, encryptedLogGroup } from "./network";
import { CACHE_ENGINE, VALKEY_VERSIONS } from "./versions";

const CACHE_LOG_TYPES = ["slow-log", "engine-log"] as const;

export interface CacheResources {
  readonly securityGroup: aws.ec2.SecurityGroup;
  readonly replicationGroup: aws.elasticache.ReplicationGroup;
  /** Secrets Manager secret holding the AUTH token (encrypted with the data key). */
  readonly authTokenSecret: aws.secretsmanager.Secret;
}

export function cacheSettings(args: DataTierArgs): Required<CacheArgs> {
  return { ...CACHE_DEFAULTS, ...args.cache };
}

export function createCache(
  name: string,
  args: DataTierArgs,
  dataKey: aws.kms.Key,
  opts: pulumi.CustomResourceOptions,
): CacheResources {
  const settings = cacheSettings(args);
  const replicationGroupId = `${args.namePrefix}-cache`;

  const securityGroup = emptySecurityGroup(
    `${name}-cache-sg`,
    replicationGroupId,
    args.vpcId,
    `Valkey ${replicationGroupId}: ${CACHE_PORT} from the cluster only`,
    opts,
  );
  args.clientSecurityGroupIds.forEach((source, i) =>
    allowTcpFrom(
      `${name}-cache-from-client-${i}`,
      securityGroup.id,
      source,
      CACHE_PORT,
      "Valkey from cluster nodes",
      opts,
    ),
  );
  const subnetGroup = new aws.elasticache.SubnetGroup(
    `${name}-cache-subnets`,
    {
      name: `${replicationGroupId}-isolated`,
      description: `Isolated subnets of ${replicationGroupId}`,
      subnetIds: args.isolatedSubnetIds,
    },
    opts,
  );
  const parameterGroup = new aws.elasticache.ParameterGroup(
    `${name}-cache-params`,
    {
      name: `${replicationGroupId}-cluster-mode`,
      family: VALKEY_VERSIONS[settings.engineVersion],
      description: `${replicationGroupId}: cluster mode`,
      parameters: cacheParameters(),
    },
    opts,
  );

  // AUTH tokens allow 16-128 printable characters without @, " or /: alphanumerics are safe.
  const authToken = new random.RandomPassword(
    `${name}-cache-auth-token`,
    { length: 64, special: false },
    opts,
  );
  const authTokenSecret = new aws.secretsmanager.Secret(
    `${name}-cache-auth-token`,
    {
      name: `${args.namePrefix}/cache/auth-token`,
      description: `AUTH token of ${replicationGroupId}`,
      kmsKeyId: dataKey.arn,
      recoveryWindowInDays: 30,
    },
    { ...opts, protect: true },
  );
  new aws.secretsmanager.SecretVersion(
    `${name}-cache-auth-token`,
    { secretId: authTokenSecret.id, secretString: authToken.result },
    opts,
  );

  const logGroups = CACHE_LOG_TYPES.map((type) =>
    encryptedLogGroup(
      `${name}-cache-${type}`,
      `/aws/elasticache/${replicationGroupId}/${type}`,
      args.logRetentionDays ?? 365,
      args.logsKeyArn,
      opts,
    ),
  );

  const replicationGroup = new aws.elasticache.ReplicationGroup(
    `${name}-cache`,
    {
      replicationGroupId,
      description: `Valkey cache of ${args.namePrefix}`,
      engine: CACHE_ENGINE,
      engineVersion: settings.engineVersion,
      nodeType: settings.nodeType,
      port: CACHE_PORT,
      clusterMode: "enabled",
      numNodeGroups: settings.shards,
      replicasPerNodeGroup: settings.replicasPerShard,
      parameterGroupName: parameterGroup.name,
      subnetGroupName: subnetGroup.name,
      securityGroupIds: [securityGroup.id],
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      atRestEncryptionEnabled: true,
      kmsKeyId: dataKey.arn,
      transitEncryptionEnabled: true,
      transitEncryptionMode: "required",
      authToken: authToken.result,
      authTokenUpdateStrategy: "ROTATE",
      snapshotRetentionLimit: settings.snapshotRetentionDays,
      snapshotWindow: "03:00-04:00",
      maintenanceWindow: "sun:05:00-sun:06:00",
      finalSnapshotIdentifier: `${replicationGroupId}-final`,
      autoMinorVersionUpgrade: true,
      applyImmediately: false,
      logDeliveryConfigurations: logGroups.map((group, i) => ({
        destinationType: "cloudwatch-logs",
        destination: group.name,
        logFormat: "json",
        logType: CACHE_LOG_TYPES[i],
      })),
    },
    { ...opts, protect: true },
  );
  return { securityGroup, replicationGroup, authTokenSecret };
}
