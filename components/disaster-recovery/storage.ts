/**
 * Buckets that hold recovery data, and S3 replication into the peer region with replication time
 * control (the 15-minute objective is the objects' RPO).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DR_EXEMPT_TAG } from "@platform/model";
import { ImmutabilityMode } from "./types";
import { accessLogBucket, secureBucket, type SecureBucket } from "@platform/core";
import { replicationPolicy, serviceTrustPolicy } from "./documents";

interface ProtectedBucketArgs {
  readonly keyArn: pulumi.Input<string>;
  /** Object Lock default retention; set at creation only (S3 cannot add it to an existing bucket here). */
  readonly objectLock?: { readonly mode: ImmutabilityMode; readonly days: number };
  /** Days a noncurrent (overwritten or deleted) version is kept. */
  readonly noncurrentDays: number;
  /** The region's access-log bucket: every read and write of recovery data leaves a record. */
  readonly accessLogBucket: pulumi.Input<string>;
}

/**
 * A bucket for recovery data, by the platform's conventions (`secureBucket`), with expiry of
 * noncurrent versions and, optionally, Object Lock. It holds the copies a recovery depends on.
 */
export function protectedBucket(
  name: string,
  args: ProtectedBucketArgs,
  opts: pulumi.CustomResourceOptions,
): SecureBucket {
  const secured = secureBucket(
    name,
    {
      encryption: { kmsKeyArn: args.keyArn },
      objectLockEnabled: args.objectLock !== undefined,
      accessLogs: { targetBucket: args.accessLogBucket, targetPrefix: `${name}/` },
      lifecycleRules: [
        {
          id: "expire-noncurrent-versions",
          status: "Enabled",
          filter: {},
          noncurrentVersionExpiration: { noncurrentDays: args.noncurrentDays },
        },
        {
          id: "abort-incomplete-uploads",
          status: "Enabled",
          filter: {},
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
        {
          id: "remove-expired-delete-markers",
          status: "Enabled",
          filter: {},
          expiration: { expiredObjectDeleteMarker: true },
        },
      ],
    },
    opts,
  );
  if (args.objectLock) {
    new aws.s3.BucketObjectLockConfiguration(
      `${name}-object-lock`,
      {
        bucket: secured.bucket.id,
        objectLockEnabled: "Enabled",
        rule: {
          defaultRetention: {
            mode: args.objectLock.mode === "compliance" ? "COMPLIANCE" : "GOVERNANCE",
            days: args.objectLock.days,
          },
        },
      },
      { ...opts, dependsOn: [secured.versioning] },
    );
  }
  return secured;
}

/** A bucket to replicate: the source in the stack's region and its key. */
export interface ReplicationSource {
  /** Short role name used in child names and outputs, e.g. `velero` or `assets`. */
  readonly name: string;
  readonly bucketName: pulumi.Input<string>;
  readonly bucketArn: pulumi.Input<string>;
  /** The source's SSE-KMS key; absent for an SSE-S3 bucket (e.g. a server access log target). */
  readonly keyArn?: pulumi.Input<string>;
  /** Whether the source uses Object Lock: its replica must too, to keep the retention it carries. */
  readonly objectLock?: { readonly mode: ImmutabilityMode; readonly days: number };
  /** The source's versioning resource: replication needs versioning enabled first. */
  readonly versioning?: pulumi.Resource;
}

export interface ReplicatedPair {
  readonly name: string;
  readonly sourceBucketName: pulumi.Output<string>;
  readonly replicaBucket: aws.s3.Bucket;
  readonly replication: aws.s3.BucketReplicationConfig;
  /** The replication rule's ID: a dimension of its CloudWatch metrics. */
  readonly ruleId: string;
}

interface BucketReplicationArgs {
  readonly sources: readonly ReplicationSource[];
  readonly sourceRegion: string;
  readonly peerRegion: string;
  readonly accountId: string;
  readonly peerKeyArn: pulumi.Input<string>;
  readonly noncurrentDays: number;
}

export interface BucketReplication {
  readonly pairs: ReplicatedPair[];
  /** The peer region's access-log bucket, which the replicas log to. */
  readonly peerAccessLogs: SecureBucket;
}

/**
 * For each source: a replica bucket in the peer region with the same protections (encrypted with
 * the peer key), and a replication rule with RTC (15 minutes), replication metrics, delete-marker
 * replication and SSE-KMS objects re-encrypted with the peer key. One least-privilege role for all.
 * The replicas log their requests to an access-log bucket in the peer region (S3 delivers server
 * access logs within a region only): after a failover they are the live buckets.
 */
export function createBucketReplication(
  name: string,
  args: BucketReplicationArgs,
  opts: {
    readonly local: pulumi.CustomResourceOptions;
    readonly peer: pulumi.CustomResourceOptions;
  },
): BucketReplication {
  const peerAccessLogs = accessLogBucket(
    `${name}-peer-access-logs`,
    {
      accountId: args.accountId,
      // It is already in the recovery region and records requests to the copies there.
      tags: { [DR_EXEMPT_TAG]: "access logs of the replicas, kept in the recovery region itself" },
    },
    opts.peer,
  );
  const replicas = args.sources.map((source) =>
    protectedBucket(
      `${name}-${source.name}-replica`,
      {
        keyArn: args.peerKeyArn,
        objectLock: source.objectLock,
        noncurrentDays: args.noncurrentDays,
        accessLogBucket: peerAccessLogs.bucket.id,
      },
      opts.peer,
    ),
  );
  const role = new aws.iam.Role(
    `${name}-replication-role`,
    {
      assumeRolePolicy: JSON.stringify(serviceTrustPolicy("s3.amazonaws.com", args.accountId)),
      description: `S3 replication of recovery data into ${args.peerRegion}`,
      maxSessionDuration: 3600,
    },
    opts.local,
  );
  const policy = new aws.iam.RolePolicy(
    `${name}-replication-policy`,
    {
      role: role.name,
      policy: pulumi
        .all([
          pulumi.all(args.sources.map((s) => pulumi.all([s.bucketArn, s.keyArn ?? ""]))),
          pulumi.all(replicas.map((r) => r.bucket.arn)),
          args.peerKeyArn,
        ])
        .apply(([sources, replicaArns, peerKeyArn]) =>
          JSON.stringify(
            replicationPolicy({
              sourceRegion: args.sourceRegion,
              destinationRegion: args.peerRegion,
              pairs: sources.map(([sourceBucketArn, sourceKeyArn], i) => ({
                sourceBucketArn,
                ...(sourceKeyArn ? { sourceKeyArn } : {}),
                destinationBucketArn: replicaArns[i],
                destinationKeyArn: peerKeyArn,
              })),
            }),
          ),
        ),
    },
    opts.local,
  );
  const ruleId = `to-${args.peerRegion}`;
  const pairs = args.sources.map((source, i) => {
    const replica = replicas[i];
    const replication = new aws.s3.BucketReplicationConfig(
      `${name}-${source.name}-replication`,
      {
        bucket: source.bucketName,
        role: role.arn,
        rules: [
          {
            id: ruleId,
            status: "Enabled",
            priority: 0,
            filter: {},
            deleteMarkerReplication: { status: "Enabled" },
            sourceSelectionCriteria: {
              sseKmsEncryptedObjects: { status: "Enabled" },
              replicaModifications: { status: "Enabled" },
            },
            destination: {
              bucket: replica.bucket.arn,
              storageClass: "STANDARD",
              encryptionConfiguration: { replicaKmsKeyId: args.peerKeyArn },
              replicationTime: { status: "Enabled", time: { minutes: 15 } },
              metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
            },
          },
        ],
      },
      {
        ...opts.local,
        dependsOn: [policy, replica.versioning, ...(source.versioning ? [source.versioning] : [])],
      },
    );
    return {
      name: source.name,
      sourceBucketName: pulumi.output(source.bucketName),
      replicaBucket: replica.bucket,
      replication,
      ruleId,
    };
  });
  return { pairs, peerAccessLogs };
}
