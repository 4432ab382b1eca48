/**
 * The platform's S3 bucket, one way everywhere: no public access, owner-enforced objects (ACLs
 * off), default encryption (SSE-KMS with a customer key and bucket keys), versioning, a TLS-only
 * bucket policy, a lifecycle and, optionally, server access logs. The bucket is `protect`ed and
 * never force-destroyed: buckets hold data. `accessLogBucket` is the destination of a region's
 * server access logs (SSE-S3, the log delivery grant, no logging of its own).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, PolicyStatement } from "./policy-document";

/** Denies every request that does not use TLS (AWS Security Hub control S3.5). */
function tlsOnlyStatement(bucketArn: string): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/**
 * Lets S3 server access logging write into the log bucket for source buckets of this account.
 * With ACLs disabled (BucketOwnerEnforced) a bucket policy is the only way to grant it. The grant
 * names the account (`aws:SourceAccount`, against the confused deputy) rather than each source:
 * the sources are other components' buckets, some named by Pulumi, created after the log bucket,
 * and S3 delivers only from buckets of the same account and region anyway.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
 */
export function accessLogDeliveryStatement(
  logBucketArn: string,
  accountId: string,
): PolicyStatement {
  return {
    Sid: "S3ServerAccessLogDelivery",
    Effect: "Allow",
    Principal: { Service: "logging.s3.amazonaws.com" },
    Action: "s3:PutObject",
    Resource: `${logBucketArn}/*`,
    Condition: { StringEquals: { "aws:SourceAccount": accountId } },
  };
}

/** The bucket policy: TLS only, then the caller's statements. */
export function bucketPolicyDocument(
  bucketArn: string,
  extraStatements: readonly PolicyStatement[] = [],
): string {
  return JSON.stringify(policyDocument([tlsOnlyStatement(bucketArn), ...extraStatements]));
}

export interface SecureBucketArgs {
  /** Physical name (globally unique); absent, Pulumi names the bucket. */
  readonly bucketName?: string;
  readonly tags?: Record<string, string>;
  /**
   * SSE-KMS with this key and bucket keys. `sse-s3` only where AWS allows nothing else: the
   * destination of S3 server access logs supports SSE-S3 default encryption only
   * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).
   */
  readonly encryption: { readonly kmsKeyArn: pulumi.Input<string> } | "sse-s3";
  /** Object Lock can only be enabled when the bucket is created; its rule is the caller's. */
  readonly objectLockEnabled?: boolean;
  readonly lifecycleRules: pulumi.Input<
    pulumi.Input<aws.types.input.s3.BucketLifecycleConfigurationRule>[]
  >;
  /** Statements after the TLS-only one. */
  readonly policyStatements?: readonly PolicyStatement[];
  /**
   * The bucket receives server access logs from this account's buckets (the delivery grant is
   * added to its policy); it must then use `sse-s3`.
   * @default undefined - no log delivery into the bucket
   */
  readonly receivesAccessLogsFrom?: { readonly accountId: string };
  /** Where the bucket's S3 server access logs go; none when absent. */
  readonly accessLogs?: {
    readonly targetBucket: pulumi.Input<string>;
    readonly targetPrefix: string;
  };
}

export interface SecureBucket {
  readonly bucket: aws.s3.Bucket;
  /** Replication and Object Lock need versioning on first. */
  readonly versioning: aws.s3.BucketVersioning;
  /** Services that write into the bucket under its policy's grants wait for it. */
  readonly policy: aws.s3.BucketPolicy;
}

/** The bucket (protected) and its configuration resources, named `<name>-<part>`. */
export function secureBucket(
  name: string,
  args: SecureBucketArgs,
  opts: pulumi.CustomResourceOptions,
): SecureBucket {
  if (args.receivesAccessLogsFrom !== undefined && args.encryption !== "sse-s3") {
    throw new Error(
      `${name}: a bucket receiving server access logs must use encryption "sse-s3" (got SSE-KMS): S3 log delivery supports SSE-S3 only`,
    );
  }
  const bucket = new aws.s3.Bucket(
    name,
    {
      ...(args.bucketName !== undefined ? { bucket: args.bucketName } : {}),
      forceDestroy: false,
      ...(args.objectLockEnabled !== undefined
        ? { objectLockEnabled: args.objectLockEnabled }
        : {}),
      ...(args.tags ? { tags: args.tags } : {}),
    },
    { ...opts, protect: true },
  );
  const publicAccess = new aws.s3.BucketPublicAccessBlock(
    `${name}-public-access`,
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    opts,
  );
  new aws.s3.BucketOwnershipControls(
    `${name}-ownership`,
    { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
    opts,
  );
  new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-encryption`,
    {
      bucket: bucket.id,
      rules: [
        args.encryption === "sse-s3"
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
          : {
              applyServerSideEncryptionByDefault: {
                sseAlgorithm: "aws:kms",
                kmsMasterKeyId: args.encryption.kmsKeyArn,
              },
              bucketKeyEnabled: true,
            },
      ],
    },
    opts,
  );
  const versioning = new aws.s3.BucketVersioning(
    `${name}-versioning`,
    { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
    opts,
  );
  new aws.s3.BucketLifecycleConfiguration(
    `${name}-lifecycle`,
    { bucket: bucket.id, rules: args.lifecycleRules },
    { ...opts, dependsOn: [versioning] },
  );
  // A physical name gives the ARN before deployment, so policies can read the document on a
  // first preview too.
  const arn =
    args.bucketName !== undefined ? pulumi.output(`arn:aws:s3:::${args.bucketName}`) : bucket.arn;
  const policy = new aws.s3.BucketPolicy(
    `${name}-policy`,
    {
      bucket: bucket.id,
      policy: arn.apply((a) =>
        bucketPolicyDocument(a, [
          ...(args.receivesAccessLogsFrom !== undefined
            ? [accessLogDeliveryStatement(a, args.receivesAccessLogsFrom.accountId)]
            : []),
          ...(args.policyStatements ?? []),
        ]),
      ),
    },
    // S3 refuses a policy while the public access block is being changed.
    { ...opts, dependsOn: [publicAccess] },
  );
  if (args.accessLogs !== undefined) {
    new aws.s3.BucketLogging(
      `${name}-access-logs`,
      {
        bucket: bucket.id,
        targetBucket: args.accessLogs.targetBucket,
        targetPrefix: args.accessLogs.targetPrefix,
        // Date-partitioned keys let Athena prune by day.
        targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
      },
      opts,
    );
  }
  return { bucket, versioning, policy };
}

/**
 * Days in each storage class of an access-log bucket: logs are audit evidence, so current objects
 * never expire; they move to cheaper classes (Standard-IA from 30 days, S3's minimum; Glacier
 * Flexible Retrieval from 90).
 */
const ACCESS_LOG_LIFECYCLE: aws.types.input.s3.BucketLifecycleConfigurationRule[] = [
  {
    id: "tiering-and-cleanup",
    status: "Enabled",
    filter: {},
    transitions: [
      { days: 30, storageClass: "STANDARD_IA" },
      { days: 90, storageClass: "GLACIER" },
    ],
    noncurrentVersionExpiration: { noncurrentDays: 90 },
    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
    expiration: { expiredObjectDeleteMarker: true },
  },
];

export interface AccessLogBucketArgs {
  readonly accountId: string;
  /** Physical name (globally unique); absent, Pulumi names the bucket. */
  readonly bucketName?: string;
  readonly tags?: Record<string, string>;
  /** @default - current logs kept, Standard-IA after 30 days, Glacier after 90 */
  readonly lifecycleRules?: SecureBucketArgs["lifecycleRules"];
}

/**
 * A region's destination of S3 server access logs (they must land in the source's region and
 * account): SSE-S3, the only default encryption log delivery supports, and the delivery grant. It
 * logs nowhere itself: a log bucket logging its own deliveries only multiplies log objects.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
 */
export function accessLogBucket(
  name: string,
  args: AccessLogBucketArgs,
  opts: pulumi.CustomResourceOptions,
): SecureBucket {
  return secureBucket(
    name,
    {
      ...(args.bucketName !== undefined ? { bucketName: args.bucketName } : {}),
      ...(args.tags !== undefined ? { tags: args.tags } : {}),
      encryption: "sse-s3",
      lifecycleRules: args.lifecycleRules ?? ACCESS_LOG_LIFECYCLE,
      receivesAccessLogsFrom: { accountId: args.accountId },
    },
    opts,
  );
}
