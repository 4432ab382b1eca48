/**
 * The high-performance block StorageClass, `gp3-high-iops`: EBS gp3 with provisioned IOPS and
 * throughput, encrypted with the cluster's volume key. (The shared, read-write-many class on EFS
 * comes with its file system, from the data tier.)
 *
 * gp3 limits, Amazon EBS User Guide "General Purpose SSD volumes" and the EC2 API reference
 * (CreateVolume `Iops`/`Throughput`, EbsBlockDevice), read 2026-12:
 * 3,000-16,000 IOPS; 125-1,000 MiB/s; at most 500 IOPS per GiB of volume size and at most
 * 0.25 MiB/s of throughput per provisioned IOPS.
 * https://docs.aws.amazon.com/ebs/latest/userguide/general-purpose.html
 *
 * StorageClass parameters: aws-ebs-csi-driver v1.55.0 (the pinned add-on's release)
 * docs/parameters.md (`type`, `iops`, `throughput`, `encrypted`, `kmsKeyId`,
 * `csi.storage.k8s.io/fstype`).
 */
import { Problems } from "@platform/core";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export const GP3_LIMITS = {
  minIops: 3_000,
  maxIops: 16_000,
  minThroughputMiBps: 125,
  maxThroughputMiBps: 1_000,
  maxIopsPerGiB: 500,
  maxMiBpsPerIops: 0.25,
} as const;

export const HIGH_IOPS_STORAGE_CLASS = "gp3-high-iops";

export interface Gp3Performance {
  readonly iops: number;
  readonly throughputMiBps: number;
}

/**
 * A StorageClass a `Workload` volume can use, with what the Workload must know about it:
 * whether every pod shares one volume (`ReadWriteMany`) or each gets its own (`ReadWriteOnce`),
 * and the IOPS each volume is provisioned with (its size must allow them: 500 IOPS per GiB).
 */
export interface WorkloadStorageClass {
  readonly name: string;
  readonly accessMode: "ReadWriteOnce" | "ReadWriteMany";
  readonly provisionedIops?: number;
  /**
   * Set when the class's backend is backed up and replicated outside Kubernetes (EFS: AWS Backup
   * and EFS replication): the reason, a label value, that Velero need not copy its claims.
   */
  readonly recoveredOutsideCluster?: string;
}

/** Checks gp3 IOPS and throughput against gp3's limits and their ratio; `path` names the argument. */
export function checkGp3Performance(
  problems: Problems,
  path: { readonly iops: string; readonly throughputMiBps: string },
  performance: Gp3Performance,
): void {
  const { iops, throughputMiBps } = performance;
  const iopsOk = problems.integerInRange(path.iops, iops, GP3_LIMITS.minIops, GP3_LIMITS.maxIops);
  problems.integerInRange(
    path.throughputMiBps,
    throughputMiBps,
    GP3_LIMITS.minThroughputMiBps,
    GP3_LIMITS.maxThroughputMiBps,
  );
  if (iopsOk) {
    problems.check(
      throughputMiBps <= iops * GP3_LIMITS.maxMiBpsPerIops,
      path.throughputMiBps,
      throughputMiBps,
      `not exceed 0.25 MiB/s per provisioned IOPS (${iops * GP3_LIMITS.maxMiBpsPerIops} MiB/s at ${iops} IOPS)`,
    );
  }
}

/** Smallest gp3 volume that may carry `iops` (500 IOPS per GiB). */
export function minimumGp3SizeGiB(iops: number): number {
  return Math.ceil(iops / GP3_LIMITS.maxIopsPerGiB);
}

export function highIopsStorageClassSpec(
  performance: Gp3Performance,
  volumeKeyArn: pulumi.Input<string>,
) {
  return {
    provisioner: "ebs.csi.aws.com",
    parameters: {
      type: "gp3",
      iops: String(performance.iops),
      throughput: String(performance.throughputMiBps),
      encrypted: "true",
      kmsKeyId: volumeKeyArn,
      "csi.storage.k8s.io/fstype": "ext4",
    },
    // A deleted claim keeps its volume: a database's data is never thrown away by accident.
    reclaimPolicy: "Retain",
    // Created in the zone of the pod that claims it.
    volumeBindingMode: "WaitForFirstConsumer",
    allowVolumeExpansion: true,
  };
}

interface StorageClassesArgs {
  readonly volumeKeyArn: pulumi.Input<string>;
  readonly highIops: Gp3Performance;
}

export interface StorageClasses {
  readonly highIops: WorkloadStorageClass;
  readonly resources: readonly k8s.storage.v1.StorageClass[];
}

export function createStorageClasses(
  name: string,
  args: StorageClassesArgs,
  parent: pulumi.Resource,
): StorageClasses {
  const highIops = new k8s.storage.v1.StorageClass(
    `${name}-${HIGH_IOPS_STORAGE_CLASS}`,
    {
      metadata: { name: HIGH_IOPS_STORAGE_CLASS },
      ...highIopsStorageClassSpec(args.highIops, args.volumeKeyArn),
    },
    { parent },
  );
  return {
    highIops: {
      name: HIGH_IOPS_STORAGE_CLASS,
      accessMode: "ReadWriteOnce",
      provisionedIops: args.highIops.iops,
    },
    resources: [highIops],
  };
}
