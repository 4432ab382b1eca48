/**
 * Object storage for logs (Loki) and traces (Tempo), by the platform's bucket conventions: no
 * public access, owner-enforced objects, SSE-KMS with a customer key and bucket keys, versioning,
 * TLS-only access, and a lifecycle that expires data a week after the store's own retention
 * (the store deletes first; the lifecycle is the backstop) and cleans noncurrent versions.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accessLogBucket, encryptionKey, secureBucket, serviceAccountRole } from "@platform/core";
import { DR_EXEMPT_TAG } from "@platform/model";
import { ObservabilityArgs } from "./args";
import { bucketAccessPolicy, grafanaCloudWatchReadPolicy } from "./documents";
import { GRAFANA_SERVICE_ACCOUNT, LOKI_SERVICE_ACCOUNT, TEMPO_SERVICE_ACCOUNT } from "./values";

/** Days after the store's retention before S3 expires an object it failed to delete. */
const LIFECYCLE_GRACE_DAYS = 7;
/** Days a deleted or overwritten object stays recoverable as a noncurrent version. */
const NONCURRENT_VERSION_DAYS = 14;

interface TelemetryBucketArgs {
  /** Physical bucket name (globally unique). */
  readonly bucketName: string;
  readonly keyArn: pulumi.Input<string>;
  /** Days the store keeps data; objects expire `LIFECYCLE_GRACE_DAYS` later. */
  readonly retentionDays: number;
  /** Bucket receiving the bucket's S3 server access logs. */
  readonly accessLogBucket: pulumi.Input<string>;
}

interface TelemetryBucket {
  readonly bucket: aws.s3.Bucket;
  readonly arn: pulumi.Output<string>;
  readonly name: pulumi.Output<string>;
}

/** The bucket and its configuration resources (`secureBucket`), expiring after the store's retention. */
function telemetryBucket(
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
      accessLogs: { targetBucket: args.accessLogBucket, targetPrefix: `${args.bucketName}/` },
    },
    opts,
  );
  return { bucket, arn: bucket.arn, name: bucket.bucket };
}

/** Bucket names are global: the cluster's name (one per region) and the account make them unique. */
export function telemetryBucketName(clusterName: string, store: string, accountId: string): string {
  return `${clusterName}-${store}-${accountId}`;
}

export interface TelemetryStorage {
  readonly lokiBucket: TelemetryBucket;
  readonly tempoBucket: TelemetryBucket;
  /** IRSA roles of the stores (their buckets) and of Grafana (CloudWatch, read-only). */
  readonly lokiRole: aws.iam.Role;
  readonly tempoRole: aws.iam.Role;
  readonly grafanaRole: aws.iam.Role;
}

/**
 * Loki's and Tempo's buckets under one protected customer key, and the IRSA roles of the service
 * accounts in `namespace` that use them (and Grafana's).
 */
export function createTelemetryStorage(
  name: string,
  args: ObservabilityArgs,
  namespace: string,
  opts: pulumi.CustomResourceOptions,
): TelemetryStorage {
  const storageKey = encryptionKey(
    `${name}-storage-key`,
    {
      description: `Logs and traces of ${args.clusterName} in S3`,
      accountId: args.accountId,
      region: args.region,
      alias: `${args.clusterName}-telemetry`,
    },
    { ...opts, protect: true },
  );
  const logBucket =
    args.accessLogBucket ??
    accessLogBucket(
      `${name}-access-logs`,
      {
        accountId: args.accountId,
        tags: { [DR_EXEMPT_TAG]: "access logs of the telemetry buckets, which restart empty too" },
      },
      opts,
    ).bucket.id;
  const bucket = (store: string, retentionDays: number) =>
    telemetryBucket(
      `${name}-${store}-bucket`,
      {
        bucketName: telemetryBucketName(args.clusterName, store, args.accountId),
        keyArn: storageKey.arn,
        retentionDays,
        accessLogBucket: logBucket,
      },
      opts,
    );
  const lokiBucket = bucket("loki", args.logRetentionDays ?? 30);
  const tempoBucket = bucket("tempo", args.traceRetentionDays ?? 30);
  const irsa = (role: string, serviceAccount: string, policy: pulumi.Input<string>) =>
    serviceAccountRole(
      `${name}-${role}`,
      {
        oidcProviderArn: args.oidcProviderArn,
        oidcIssuerUrl: args.oidcProviderUrl,
        namespace,
        serviceAccount,
        policy,
      },
      opts,
    );
  const bucketPolicy = (b: TelemetryBucket) =>
    pulumi
      .all([b.arn, storageKey.arn])
      .apply(([bucketArn, keyArn]) => JSON.stringify(bucketAccessPolicy(bucketArn, keyArn)));
  return {
    lokiBucket,
    tempoBucket,
    lokiRole: irsa("loki-role", LOKI_SERVICE_ACCOUNT, bucketPolicy(lokiBucket)),
    tempoRole: irsa("tempo-role", TEMPO_SERVICE_ACCOUNT, bucketPolicy(tempoBucket)),
    grafanaRole: irsa(
      "grafana-role",
      GRAFANA_SERVICE_ACCOUNT,
      JSON.stringify(grafanaCloudWatchReadPolicy(args.accountId, args.region)),
    ),
  };
}
