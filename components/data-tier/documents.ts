/**
 * Pure documents of the data tier: IAM policies, bucket policies, engine parameters and lifecycle
 * rules. Plain values in, plain JSON-ready values out, so every statement is tested exactly.
 */
import { PolicyDocument, policyDocument } from "@platform/core";
import type * as aws from "@pulumi/aws";

/** `arn:aws:rds-db:...:dbuser:<resource id>/<user>`: what `rds-db:connect` is granted on. */
export function dbUserArn(
  region: string,
  accountId: string,
  resourceId: string,
  dbUser: string,
): string {
  return `arn:aws:rds-db:${region}:${accountId}:dbuser:${resourceId}/${dbUser}`;
}

/** The resource id (`prx-...`) at the end of an RDS Proxy ARN (`arn:aws:rds:...:db-proxy:prx-...`). */
export function proxyResourceId(proxyArn: string): string {
  return proxyArn.split(":").pop() ?? proxyArn;
}

/** Trust policy for a role an AWS service assumes on this account's behalf only. */
export function serviceTrustPolicy(service: string, accountId: string): PolicyDocument {
  return policyDocument([
    {
      Effect: "Allow",
      Principal: { Service: service },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    },
  ]);
}

interface ProxyConnectArgs {
  readonly region: string;
  readonly accountId: string;
  /** `DbiResourceId` (`db-...`) of the primary instance. */
  readonly instanceResourceId: string;
  readonly dbUsers: readonly string[];
}

/**
 * What the proxy's role may do with end-to-end IAM authentication: open connections to the primary
 * as exactly the consumers' database users, and nothing else. No secret is read.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy-iam-setup.html
 */
export function proxyConnectPolicy(args: ProxyConnectArgs): PolicyDocument {
  return policyDocument([
    {
      Sid: "ConnectToPrimaryAsConsumerUsers",
      Effect: "Allow",
      Action: "rds-db:connect",
      Resource: [...new Set(args.dbUsers)]
        .sort()
        .map((user) => dbUserArn(args.region, args.accountId, args.instanceResourceId, user)),
    },
  ]);
}

interface ConsumerPolicyArgs {
  readonly region: string;
  readonly accountId: string;
  readonly dbUser: string;
  /**
   * Resource ids the consumer connects to: the proxy's (`prx-...`) or, without a proxy, the
   * primary's (`db-...`), then each read replica's.
   */
  readonly connectResourceIds: readonly string[];
  readonly bucketArn: string;
  /** Key prefix without slashes at either end, e.g. `ledger`. */
  readonly bucketPrefix: string;
  readonly dataKeyArn: string;
  readonly cacheAuthSecretArn: string;
}

/**
 * One workload's least-privilege policy: connect as its own database user, read and write under
 * its own prefix of the assets bucket (the bucket key decrypts only through S3 for that bucket),
 * and read the cache's AUTH token (through Secrets Manager only).
 */
export function consumerPolicy(args: ConsumerPolicyArgs): PolicyDocument {
  const objects = `${args.bucketArn}/${args.bucketPrefix}/*`;
  return policyDocument([
    {
      Sid: "ConnectAsOwnDatabaseUser",
      Effect: "Allow",
      Action: "rds-db:connect",
      Resource: args.connectResourceIds.map((id) =>
        dbUserArn(args.region, args.accountId, id, args.dbUser),
      ),
    },
    {
      Sid: "ListOwnPrefix",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: args.bucketArn,
      Condition: {
        StringLike: { "s3:prefix": [`${args.bucketPrefix}/`, `${args.bucketPrefix}/*`] },
      },
    },
    {
      Sid: "ReadWriteOwnPrefix",
      Effect: "Allow",
      Action: [
        "s3:GetObject",
        "s3:GetObjectVersion",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:AbortMultipartUpload",
        "s3:ListMultipartUploadParts",
      ],
      Resource: objects,
    },
    {
      Sid: "UseBucketKeyThroughS3",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: args.dataKeyArn,
      Condition: {
        StringEquals: {
          "kms:ViaService": `s3.${args.region}.amazonaws.com`,
          // With S3 Bucket Keys the encryption context is the bucket's ARN, not the object's.
          "kms:EncryptionContext:aws:s3:arn": args.bucketArn,
        },
      },
    },
    {
      Sid: "ReadCacheAuthToken",
      Effect: "Allow",
      Action: "secretsmanager:GetSecretValue",
      Resource: args.cacheAuthSecretArn,
    },
    {
      Sid: "DecryptCacheAuthTokenThroughSecretsManager",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: args.dataKeyArn,
      Condition: {
        StringEquals: {
          "kms:ViaService": `secretsmanager.${args.region}.amazonaws.com`,
          "kms:EncryptionContext:SecretARN": args.cacheAuthSecretArn,
        },
      },
    },
  ]);
}

/** What a rotation function calls on the secrets it rotates, in the four steps. */
const ROTATION_STEP_ACTIONS = [
  "secretsmanager:DescribeSecret",
  "secretsmanager:GetSecretValue",
  "secretsmanager:PutSecretValue",
  "secretsmanager:UpdateSecretVersionStage",
] as const;

export interface AuthTokenRotationPolicyArgs {
  readonly region: string;
  readonly accountId: string;
  readonly secretArn: string;
  readonly dataKeyArn: string;
  readonly replicationGroupId: string;
  readonly logGroupArn: string;
}

/**
 * The AUTH token rotation function's permissions: the four rotation steps on its one secret (the
 * data key only through Secrets Manager, for that secret), changing and reading its one replication
 * group, and writing its own log group.
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets-required-permissions-function.html
 */
export function authTokenRotationPolicy(args: AuthTokenRotationPolicyArgs): PolicyDocument {
  return policyDocument([
    {
      Sid: "RotateTheAuthTokenSecret",
      Effect: "Allow",
      Action: [...ROTATION_STEP_ACTIONS],
      Resource: args.secretArn,
    },
    {
      Sid: "UseTheDataKeyForThatSecretOnly",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: args.dataKeyArn,
      Condition: {
        StringEquals: {
          "kms:ViaService": `secretsmanager.${args.region}.amazonaws.com`,
          "kms:EncryptionContext:SecretARN": args.secretArn,
        },
      },
    },
    {
      Sid: "ChangeTheReplicationGroupsToken",
      Effect: "Allow",
      Action: ["elasticache:DescribeReplicationGroups", "elasticache:ModifyReplicationGroup"],
      Resource: `arn:aws:elasticache:${args.region}:${args.accountId}:replicationgroup:${args.replicationGroupId}`,
    },
    {
      Sid: "WriteItsLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `${args.logGroupArn}:*`,
    },
  ]);
}

interface DbParameter {
  readonly name: string;
  readonly value: string;
  readonly applyMethod: "immediate" | "pending-reboot";
}

export interface PostgresUserRotationPolicyArgs {
  readonly region: string;
  /** The password users' secrets, which the function rotates. */
  readonly userSecretArns: readonly string[];
  /** The RDS-managed master secret, which the function signs in with to change passwords. */
  readonly masterSecretArn: string;
  readonly dataKeyArn: string;
  readonly logGroupArn: string;
}

/**
 * The password users' rotation function: the four rotation steps on the users' secrets, reading
 * the master secret (the data key only through Secrets Manager, for those secrets), and its own
 * log group. Its network interfaces come from AWS's managed VPC access policy.
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets-required-permissions-function.html
 */
export function postgresUserRotationPolicy(args: PostgresUserRotationPolicyArgs): PolicyDocument {
  // Values of one condition key are ORed: the context names one of these secrets.
  const throughSecretsManager = (secretArns: readonly string[]) => ({
    StringEquals: {
      "kms:ViaService": `secretsmanager.${args.region}.amazonaws.com`,
      "kms:EncryptionContext:SecretARN": [...secretArns],
    },
  });
  return policyDocument([
    {
      Sid: "RotateTheUsersSecrets",
      Effect: "Allow",
      Action: [...ROTATION_STEP_ACTIONS],
      Resource: [...args.userSecretArns],
    },
    {
      Sid: "ReadTheMasterSecret",
      Effect: "Allow",
      Action: "secretsmanager:GetSecretValue",
      Resource: args.masterSecretArn,
    },
    {
      Sid: "UseTheDataKeyForThoseSecretsOnly",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: args.dataKeyArn,
      Condition: throughSecretsManager([...args.userSecretArns, args.masterSecretArn]),
    },
    {
      Sid: "WriteItsLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `${args.logGroupArn}:*`,
    },
  ]);
}

/**
 * The PostgreSQL parameter group: TLS forced for every connection, TLS 1.2 at least, and
 * statements slower than `slowQueryMs` logged (exported to CloudWatch with the postgresql log).
 * Static-or-not is not guessed: settings that may be static apply at the next reboot.
 */
export function postgresParameters(slowQueryMs: number): DbParameter[] {
  return [
    { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
    { name: "ssl_min_protocol_version", value: "TLSv1.2", applyMethod: "pending-reboot" },
    { name: "log_min_duration_statement", value: String(slowQueryMs), applyMethod: "immediate" },
    { name: "log_lock_waits", value: "1", applyMethod: "immediate" },
  ];
}

/** Cluster mode (sharding) is a parameter of the group, not of the replication group. */
export function cacheParameters(): { name: string; value: string }[] {
  return [{ name: "cluster-enabled", value: "yes" }];
}

export interface LifecycleTiering {
  /** @default 30 - days in S3 Standard before Standard-IA (S3's minimum for Standard-IA) */
  readonly infrequentAccessDays?: number;
  /** @default 90 - days before Glacier Flexible Retrieval */
  readonly glacierDays?: number;
  /** @default 365 - days before Glacier Deep Archive */
  readonly deepArchiveDays?: number;
  /** @default 90 - days a noncurrent version is kept before it expires */
  readonly noncurrentVersionDays?: number;
  /** @default 7 - days before an incomplete multipart upload is aborted */
  readonly abortIncompleteUploadDays?: number;
}

const DEFAULT_TIERING: Required<LifecycleTiering> = {
  infrequentAccessDays: 30,
  glacierDays: 90,
  deepArchiveDays: 365,
  noncurrentVersionDays: 90,
  abortIncompleteUploadDays: 7,
};

/** One rule for the whole bucket: tier current versions down, expire old versions, clean up. */
export function lifecycleRules(
  tiering: LifecycleTiering = {},
): aws.types.input.s3.BucketLifecycleConfigurationRule[] {
  const t = { ...DEFAULT_TIERING, ...tiering };
  return [
    {
      id: "tiering-and-cleanup",
      status: "Enabled",
      filter: {},
      transitions: [
        { days: t.infrequentAccessDays, storageClass: "STANDARD_IA" },
        { days: t.glacierDays, storageClass: "GLACIER" },
        { days: t.deepArchiveDays, storageClass: "DEEP_ARCHIVE" },
      ],
      noncurrentVersionExpiration: { noncurrentDays: t.noncurrentVersionDays },
      abortIncompleteMultipartUpload: { daysAfterInitiation: t.abortIncompleteUploadDays },
      expiration: { expiredObjectDeleteMarker: true },
    },
  ];
}
