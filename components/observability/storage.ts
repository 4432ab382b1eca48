/**
 * Object storage for logs (Loki) and traces (Tempo), by the platform's bucket conventions: no
 * public access, owner-enforced objects, SSE-KMS with a customer key and bucket keys, versioning,
 * TLS-only access, and a lifecycle that expires data a week after the store's own retention
 * (the store deletes first; the lifecycle is the backstop) and cleans noncurrent versions.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { secureBucket } from "@platform/core";
import { DR_EXEMPT_TAG } from "@platform/model";

/** Days after the store's retention before S3 expires an object it failed to delete. */
export const LIFECYCLE_GRACE_DAYS = 7;
/** Days a deleted or overwritten object stays recoverable as a noncurrent version. */
export const NONCURRENT_VERSION_DAYS = 14;

export interface TelemetryBucketArgs {
  /** Physical bucket name (globally unique). */
  readonly bucketName: string;
  readonly keyArn: pulumi.Input<string>;
  /** Days the store keeps data; objects expire `LIFECYCLE_GRACE_DAYS` later. */
  readonly retentionDays: number;
  /** Bucket receiving S3 server access logs; none when undefined. */
  readonly accessLogBucket?: pulumi.Input<string>;
}

/**
 * Least privilege for a store that owns one bucket: list it, read, write and delete its objects
 * (Loki's compactor and Tempo's compactor delete expired data), and use its key.
 */
export function bucketAccessPolicy(bucketArn: string, keyArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "ListBucket", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn },
      {
        Sid: "ReadWriteObjects",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        Resource: `${bucketArn}/*`,
      },
      {
        Sid: "UseBucketKey",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: keyArn,
      },
    ],
  });
}

export interface TelemetryBucket {
  readonly bucket: aws.s3.Bucket;
  readonly arn: pulumi.Output<string>;
  readonly name: pulumi.Output<string>;
}

/** The bucket and its configuration resources (`secureBucket`), expiring after the store's retention. */
export function telemetryBucket(
  name: string,
  args: TelemetryBucketArgs,
  opts: pulumi.CustomResourceOptions,
): TelemetryBucket {
  const { bucket } = secureBucket(
    name,
    {
      bucketName: args.bucketName,
      // Telemetry is not restored after a regional failover: the DR policy accepts this reason.
      tags: { [DR_EXEMPT_TAG]: "telemetry: logs and traces restart empty in the DR region" },
      encryption: { kmsKeyArn: args.keyArn },
      lifecycleRules: [
        {
          id: "expire-after-retention",
          status: "Enabled",
          filter: {},
          expiration: { days: args.retentionDays + LIFECYCLE_GRACE_DAYS },
          noncurrentVersionExpiration: { noncurrentDays: NONCURRENT_VERSION_DAYS },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
      ],
      ...(args.accessLogBucket !== undefined
        ? {
            accessLogs: { targetBucket: args.accessLogBucket, targetPrefix: `${args.bucketName}/` },
          }
        : {}),
    },
    opts,
  );
  return { bucket, arn: bucket.arn, name: bucket.bucket };
}
