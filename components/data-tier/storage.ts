/**
 * Object storage: assets and backups buckets encrypted with the data key (bucket keys on), and an
 * access-log bucket that receives the server access logs of the stack's buckets in the region (these
 * two, Velero's and the telemetry buckets).
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
import { secureBucket } from "@platform/core";
import { DataTierArgs } from "./args";
import { lifecycleRules } from "./documents";

type BucketRole = "assets" | "backups" | "access-logs";

interface DataBucket {
  readonly bucket: aws.s3.Bucket;
  /** Physical name, known before deployment (other stacks and policies refer to it). */
  readonly name: string;
  readonly arn: string;
}

export interface StorageResources {
  readonly assets: DataBucket;
  readonly backups: DataBucket;
  readonly accessLogs: DataBucket;
}

/** Physical bucket names: global, so they carry the account ID. */
function bucketName(namePrefix: string, accountId: string, role: BucketRole): string {
  return `${namePrefix}-${role}-${accountId}`;
}

interface BucketSpec {
  readonly role: BucketRole;
  /** Absent: SSE-S3 (only for the access-log destination). */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /** Where this bucket's server access logs go. */
  readonly logBucket?: DataBucket;
  /** The bucket is the region's access-log destination. */
  readonly receivesAccessLogs?: boolean;
}

function dataBucket(
  name: string,
  args: DataTierArgs,
  spec: BucketSpec,
  opts: pulumi.CustomResourceOptions,
): DataBucket {
  const physical = bucketName(args.namePrefix, args.accountId, spec.role);
  const { bucket } = secureBucket(
    `${name}-${spec.role}`,
    {
      bucketName: physical,
      tags: { "platform:data-role": spec.role },
      encryption: spec.kmsKeyArn !== undefined ? { kmsKeyArn: spec.kmsKeyArn } : "sse-s3",
      lifecycleRules: lifecycleRules(args.tiering),
      ...(spec.receivesAccessLogs ? { receivesAccessLogsFrom: { accountId: args.accountId } } : {}),
      ...(spec.logBucket !== undefined
        ? { accessLogs: { targetBucket: spec.logBucket.bucket.id, targetPrefix: `${spec.role}/` } }
        : {}),
    },
    opts,
  );
  return { bucket, name: physical, arn: `arn:aws:s3:::${physical}` };
}

export function createStorage(
  name: string,
  args: DataTierArgs,
  dataKey: aws.kms.Key,
  opts: pulumi.CustomResourceOptions,
): StorageResources {
  const accessLogs = dataBucket(
    name,
    args,
    { role: "access-logs", receivesAccessLogs: true },
    opts,
  );
  const assets = dataBucket(
    name,
    args,
    { role: "assets", kmsKeyArn: dataKey.arn, logBucket: accessLogs },
    opts,
  );
  const backups = dataBucket(
    name,
    args,
    { role: "backups", kmsKeyArn: dataKey.arn, logBucket: accessLogs },
    opts,
  );
  return { assets, backups, accessLogs };
}
