/**
 * Worked examples of the `Workload` classes, one per kind of application the platform runs. Each
 * takes what the platform's stack exposes (`ClusterAddons.gpuPool` and `.storageClasses`, the data
 * tier's `sharedStorageClass`, the cluster's OIDC provider) and declares one workload;
 * `workload-classes.test.ts` runs them under Pulumi's mocks and through the policy pack.
 */
import { GpuPool, Workload, WorkloadArgs, WorkloadStorageClass } from "@platform/cluster-addons";
import * as pulumi from "@pulumi/pulumi";

/** What an application stack reads from the platform's stack outputs. */
export interface PlatformHandles {
  readonly gpuPool: GpuPool | undefined;
  readonly highIopsStorageClass: WorkloadStorageClass;
  readonly sharedStorageClass: WorkloadStorageClass;
  readonly oidcProviderArn: pulumi.Input<string>;
  readonly oidcProviderUrl: pulumi.Input<string>;
  readonly accountId: string;
  readonly region: string;
}

/**
 * An application image in the platform's own repositories (`platform/<name>`, replicated to the DR
 * peer and signature-checked at admission), pinned by the digest CI's push printed: the application
 * namespaces admit digests only. These example images are not published; the digests only show
 * the form.
 */
const appImage = (platform: PlatformHandles, name: string, tag: string, digest: string) =>
  `${platform.accountId}.dkr.ecr.${platform.region}.amazonaws.com/platform/${name}:${tag}@sha256:${digest}`;

/** GPU inference: one GPU per pod on the GPU pool, which scales from zero. */
export function gpuInference(platform: PlatformHandles, opts: pulumi.ComponentResourceOptions) {
  return new Workload(
    "embeddings",
    {
      namespace: "apps",
      image: appImage(
        platform,
        "embeddings",
        "2.3.0",
        "4bf99210477b6360e9ab665cb5f2fc2911d02f3be980d67449c8126fd2ba3176",
      ),
      port: 8080,
      resources: { requests: { cpu: "2", memory: "8Gi" }, limits: { cpu: "4", memory: "16Gi" } },
      gpu: { count: 1, pool: platform.gpuPool },
      replicas: { min: 2, max: 5 },
    },
    opts,
  );
}

/** A database-style service: each replica owns a 16,000-IOPS gp3 volume (a StatefulSet). */
export function highIopsStore(platform: PlatformHandles, opts: pulumi.ComponentResourceOptions) {
  return new Workload(
    "ledger-store",
    {
      namespace: "payments",
      image: appImage(
        platform,
        "ledger-store",
        "5.1.0",
        "c4b1b79a34d112fce889ec2d427cabbf8dc039475ad6ec00ee1eb13938ac76d1",
      ),
      port: 7000,
      resources: { requests: { cpu: "2", memory: "8Gi" }, limits: { cpu: "4", memory: "8Gi" } },
      replicas: { min: 3, max: 3 },
      // 16,000 IOPS need at least 32 GiB (500 IOPS per GiB).
      volumes: [
        {
          name: "data",
          mountPath: "/var/lib/ledger",
          sizeGiB: 200,
          storageClass: platform.highIopsStorageClass,
        },
      ],
      onDemandOnly: true,
    },
    opts,
  );
}

/** Shared uploads: every replica mounts the same EFS-backed read-write-many volume. */
export function sharedUploads(platform: PlatformHandles, opts: pulumi.ComponentResourceOptions) {
  return new Workload(
    "uploads",
    {
      namespace: "apps",
      image: appImage(
        platform,
        "uploads",
        "1.9.4",
        "f6cd5a5552381044ac0e2c4268042e4c9fd4ebe19aa9c9a110789b20452f2f3e",
      ),
      port: 8080,
      resources: {
        requests: { cpu: "250m", memory: "256Mi" },
        limits: { cpu: "1", memory: "512Mi" },
      },
      volumes: [
        {
          name: "uploads",
          mountPath: "/srv/uploads",
          sizeGiB: 100,
          storageClass: platform.sharedStorageClass,
        },
      ],
    },
    opts,
  );
}

/** A queue consumer scaled by KEDA on the SQS queue's depth, reading it through IRSA. */
export function queueConsumer(platform: PlatformHandles, opts: pulumi.ComponentResourceOptions) {
  const queueArn = `arn:aws:sqs:${platform.region}:${platform.accountId}:invoices`;
  const queueUrl = `https://sqs.${platform.region}.amazonaws.com/${platform.accountId}/invoices`;
  return new Workload(
    "invoice-worker",
    {
      namespace: "payments",
      image: appImage(
        platform,
        "invoice-worker",
        "3.0.1",
        "0ab9e72189419f49205677706c46392789ef833113fe58e1bdb5e170637d19ea",
      ),
      port: 8080,
      resources: {
        requests: { cpu: "500m", memory: "512Mi" },
        limits: { cpu: "1", memory: "1Gi" },
      },
      replicas: { min: 2, max: 50 },
      autoscaling: {
        events: {
          triggers: [
            {
              type: "aws-sqs-queue",
              metadata: { queueURL: queueUrl, queueLength: "20", awsRegion: platform.region },
            },
          ],
          aws: {
            oidcProviderArn: platform.oidcProviderArn,
            oidcProviderUrl: platform.oidcProviderUrl,
            policy: JSON.stringify({
              Version: "2012-10-17",
              Statement: [
                { Effect: "Allow", Action: "sqs:GetQueueAttributes", Resource: queueArn },
              ],
            }),
          },
        },
      },
    },
    opts,
  );
}

/** A public API tuned for 10x spikes (the default behaviour), with VPA recommendations. */
export function spikyApi(platform: PlatformHandles, opts: pulumi.ComponentResourceOptions) {
  const args: WorkloadArgs = {
    namespace: "apps",
    image: appImage(
      platform,
      "storefront-api",
      "8.2.0",
      "77a5518be04e3aea94b04140c6d87613831e6753b209a9fd12c355f9bf4154a7",
    ),
    port: 8080,
    resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } },
    replicas: { min: 3, max: 60 },
    autoscaling: {
      cpuPercent: 60,
      // Scale down a little faster than the default once the spike has passed for 10 minutes.
      behavior: { scaleDown: { stabilizationWindowSeconds: 600 } },
    },
    verticalPodAutoscaler: "Off",
  };
  return new Workload("storefront-api", args, opts);
}
