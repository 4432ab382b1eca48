/**
 * Valkey on ElastiCache: a cluster-mode replication group across AZs, encrypted at rest with the
 * data key and in transit, with an AUTH token that exists only as a secret, rotated by Secrets
 * Manager on a schedule without downtime (ElastiCache's ROTATE strategy keeps the previous token
 * valid beside the new one).
 */
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { CACHE_DEFAULTS, CACHE_PORT, CacheArgs, DataTierArgs } from "./args";
import { authTokenRotationPolicy, cacheParameters } from "./documents";
import {
  allowHttpsToAwsApis,
  allowTcpFrom,
  emptySecurityGroup,
  encryptedLogGroup,
} from "./network";
import { createRotationFunction, scheduleRotation } from "./rotation-function";
import { CACHE_ENGINE, VALKEY_VERSIONS } from "./versions";

const CACHE_LOG_TYPES = ["slow-log", "engine-log"] as const;

export interface CacheResources {
  readonly securityGroup: aws.ec2.SecurityGroup;
  readonly replicationGroup: aws.elasticache.ReplicationGroup;
  /** Secrets Manager secret holding the AUTH token (encrypted with the data key). */
  readonly authTokenSecret: aws.secretsmanager.Secret;
  /** Rotates the AUTH token every `AUTH_TOKEN_ROTATION_DAYS`. */
  readonly authTokenRotation: aws.secretsmanager.SecretRotation;
  /** The function the rotation runs. */
  readonly authTokenRotationFunction: aws.lambda.Function;
}

/**
 * Days between AUTH token rotations; the previous token stays valid until the next one, so clients
 * have this long to read the new token.
 */
export const AUTH_TOKEN_ROTATION_DAYS = 30;

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
  // The first token only: the rotation function writes every later version and moves AWSCURRENT.
  new aws.secretsmanager.SecretVersion(
    `${name}-cache-auth-token`,
    { secretId: authTokenSecret.id, secretString: authToken.result },
    { ...opts, ignoreChanges: ["secretString", "versionStages"] },
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
    // The creation token only: the rotation function changes it later (ROTATE), not Pulumi.
    { ...opts, protect: true, ignoreChanges: ["authToken"] },
  );
  const { rotation: authTokenRotation, rotationFunction: authTokenRotationFunction } =
    createAuthTokenRotation(
      name,
      args,
      { replicationGroup, secret: authTokenSecret, dataKey },
      opts,
    );
  return {
    securityGroup,
    replicationGroup,
    authTokenSecret,
    authTokenRotation,
    authTokenRotationFunction,
  };
}

/** The rotation function (`auth-token-rotation/index.js`) and its schedule. */
function createAuthTokenRotation(
  name: string,
  args: DataTierArgs,
  parts: {
    readonly replicationGroup: aws.elasticache.ReplicationGroup;
    readonly secret: aws.secretsmanager.Secret;
    readonly dataKey: aws.kms.Key;
  },
  opts: pulumi.CustomResourceOptions,
): { rotation: aws.secretsmanager.SecretRotation; rotationFunction: aws.lambda.Function } {
  const functionName = `${args.namePrefix}-cache-auth-token-rotation`;
  // In the VPC like every data-tier function, though it reaches only AWS APIs, never the cache.
  const securityGroup = emptySecurityGroup(
    `${name}-cache-auth-rotation-sg`,
    functionName,
    args.vpcId,
    `Rotation of the AUTH token of ${args.namePrefix}-cache: Secrets Manager and ElastiCache APIs only`,
    opts,
  );
  allowHttpsToAwsApis(
    `${name}-cache-auth-rotation-to-aws-apis`,
    securityGroup.id,
    "Secrets Manager's and ElastiCache's",
    opts,
  );
  const rotationFunction = createRotationFunction(
    name,
    args,
    {
      id: "cache-auth-rotation",
      functionName,
      rotates: `the AUTH token of ${args.namePrefix}-cache`,
      sourceDir: path.join(__dirname, "auth-token-rotation"),
      packages: ["@platform/secrets-rotation"],
      policy: (logGroupArn) =>
        pulumi
          .all([parts.secret.arn, parts.dataKey.arn, parts.replicationGroup.id, logGroupArn])
          .apply(([secretArn, dataKeyArn, replicationGroupId, logGroup]) =>
            JSON.stringify(
              authTokenRotationPolicy({
                region: args.region,
                accountId: args.accountId,
                secretArn,
                dataKeyArn,
                replicationGroupId,
                logGroupArn: logGroup,
              }),
            ),
          ),
      // testSecret waits while ElastiCache applies the token: up to Lambda's 15-minute maximum.
      timeoutSeconds: 900,
      memoryMiB: 128,
      environment: { REPLICATION_GROUP_ID: parts.replicationGroup.id },
      vpc: { subnetIds: args.rotationSubnetIds, securityGroupIds: [securityGroup.id] },
    },
    opts,
  );
  const rotation = scheduleRotation(
    { permission: `${name}-cache-auth-rotation`, rotation: `${name}-cache-auth-token` },
    {
      secret: parts.secret,
      rotationFunction,
      days: AUTH_TOKEN_ROTATION_DAYS,
      accountId: args.accountId,
    },
    opts,
  );
  return { rotation, rotationFunction };
}
