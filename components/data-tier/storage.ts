/**
 * Object storage: assets and backups buckets encrypted with the data key (bucket keys on), and an
 * access-log bucket that receives both buckets' server access logs.
 *
 * The access-log bucket uses SSE-S3, not SSE-KMS: S3 server access log delivery supports only
 * SSE-S3 default encryption on the destination bucket
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html,
 * "You can use default bucket encryption on the destination bucket only if you use server-side
 * encryption with Amazon S3 managed keys (SSE-S3)"). It does not log to itself: a log bucket
 * logging its own deliveries only multiplies log objects.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DataTierArgs } from "./args";
import { accessLogDeliveryStatement, bucketPolicy, lifecycleRules } from "./documents";

export type BucketRole = "assets" | "backups" | "access-logs";

export interface SecureBucket {
  readonly bucket: aws.s3.Bucket;
  /** Physical name, known before deployment (other stacks and policies refer to it). */
  readonly name: string;
  readonly arn: string;
}

export interface StorageResources {
  readonly assets: SecureBucket;
  readonly backups: SecureBucket;
  readonly accessLogs: SecureBucket;
}

/** Physical bucket names: global, so they carry the account ID. */
export function bucketName(namePrefix: string, accountId: string, role: BucketRole): string {
  return `${namePrefix}-${role}-${accountId}`;
}

interface BucketSpec {
  readonly role: BucketRole;
  /** Absent: SSE-S3 (only for the access-log destination). */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /** Where this bucket's server access logs go. */
  readonly logBucket?: SecureBucket;
  readonly extraStatements?: Record<string, unknown>[];
}

function secureBucket(
  name: string,
  args: DataTierArgs,
  spec: BucketSpec,
  opts: pulumi.CustomResourceOptions,
): SecureBucket {
  const physical = bucketName(args.namePrefix, args.accountId, spec.role);
  const arn = `arn:aws:s3:::${physical}`;
  const logical = `${name}-${spec.role}`;
  const bucket = new aws.s3.Bucket(
    logical,
    {
      bucket: physical,
      forceDestroy: false,
      tags: { "platform:data-role": spec.role },
    },
    { ...opts, protect: true },
  );
  const bucketOpts = { ...opts, dependsOn: [bucket] };
  const publicAccess = new aws.s3.BucketPublicAccessBlock(
    logical,
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    bucketOpts,
  );
  new aws.s3.BucketOwnershipControls(
    logical,
    { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
    bucketOpts,
  );
  const versioning = new aws.s3.BucketVersioning(
    logical,
    { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
    bucketOpts,
  );
  new aws.s3.BucketServerSideEncryptionConfiguration(
    logical,
    {
      bucket: bucket.id,
      rules: [
        spec.kmsKeyArn !== undefined
          ? {
              applyServerSideEncryptionByDefault: {
                sseAlgorithm: "aws:kms",
                kmsMasterKeyId: spec.kmsKeyArn,
              },
              bucketKeyEnabled: true,
            }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ],
    },
    bucketOpts,
  );
  new aws.s3.BucketPolicy(
    logical,
    {
      bucket: bucket.id,
      policy: JSON.stringify(bucketPolicy(arn, spec.extraStatements ?? [])),
    },
    { ...opts, dependsOn: [bucket, publicAccess] },
  );
  new aws.s3.BucketLifecycleConfiguration(
    logical,
    { bucket: bucket.id, rules: lifecycleRules(args.tiering) },
    { ...opts, dependsOn: [bucket, versioning] },
  );
  if (spec.logBucket !== undefined) {
    new aws.s3.BucketLogging(
      logical,
      {
        bucket: bucket.id,
        targetBucket: spec.logBucket.bucket.id,
        targetPrefix: `${spec.role}/`,
        targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
      },
      { ...opts, dependsOn: [bucket, spec.logBucket.bucket] },
    );
  }
  return { bucket, name: physical, arn };
}

export function createStorage(
  name: string,
  args: DataTierArgs,
  dataKey: aws.kms.Key,
  opts: pulumi.CustomResourceOptions,
): StorageResources {
  const sourceArns = (["assets", "backups"] as const).map(
    (role) => `arn:aws:s3:::${bucketName(args.namePrefix, args.accountId, role)}`,
  );
  const logArn = `arn:aws:s3:::${bucketName(args.namePrefix, args.accountId, "access-logs")}`;
  const accessLogs = secureBucket(
    name,
    args,
    {
      role: "access-logs",
      extraStatements: [accessLogDeliveryStatement(logArn, args.accountId, sourceArns)],
    },
    opts,
  );
  const assets = secureBucket(
    name,
    args,
    { role: "assets", kmsKeyArn: dataKey.arn, logBucket: accessLogs },
    opts,
  );
  const backups = secureBucket(
    name,
    args,
    { role: "backups", kmsKeyArn: dataKey.arn, logBucket: accessLogs },
    opts,
  );
  return { assets, backups, accessLogs };
}
