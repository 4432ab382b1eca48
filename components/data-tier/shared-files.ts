/**
 * Shared files: one EFS file system (regional, encrypted with the data key, TLS-only), a mount
 * target in each zone's isolated subnet reachable from the cluster's nodes on NFS (2049), and the
 * `efs-shared` StorageClass through which workloads claim read-write-many volumes. Each claim gets
 * its own access point (a directory and an enforced POSIX identity), created by the EFS CSI driver.
 * The file system carries `platform:backup=true`, so the disaster-recovery backup plan selects it;
 * the DR component replicates it into the peer region.
 *
 * EFS CSI StorageClass parameters: kubernetes-sigs/aws-efs-csi-driver v3.4.1 docs/parameters.md.
 */
import { BACKUP_TAG } from "@platform/model";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DataTierArgs } from "./args";
import { allowTcpFrom, emptySecurityGroup } from "./network";

export const NFS_PORT = 2049;
export const SHARED_STORAGE_CLASS = "efs-shared";

export interface SharedFilesResources {
  readonly fileSystem: aws.efs.FileSystem;
  readonly mountTargets: readonly aws.efs.MountTarget[];
  readonly securityGroup: aws.ec2.SecurityGroup;
  readonly storageClass: k8s.storage.v1.StorageClass;
}

/** Denies every request not made over TLS; IAM policies grant the rest. */
export function sharedFilesPolicy(fileSystemArn: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: "*",
        Resource: fileSystemArn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  };
}

export function sharedStorageClassSpec(fileSystemId: pulumi.Input<string>) {
  return {
    provisioner: "efs.csi.aws.com",
    parameters: {
      // One access point per claim: its own directory, and EFS enforces the access point's
      // POSIX identity, so one workload's files are not another's.
      provisioningMode: "efs-ap",
      fileSystemId,
      directoryPerms: "700",
      basePath: "/volumes",
    },
    // A deleted claim keeps its access point and files.
    reclaimPolicy: "Retain",
    // EFS is regional with a mount target in every zone: binding need not wait for the pod.
    volumeBindingMode: "Immediate",
  };
}

export function createSharedFiles(
  name: string,
  args: DataTierArgs,
  dataKey: aws.kms.Key,
  opts: pulumi.CustomResourceOptions,
): SharedFilesResources {
  const securityGroup = emptySecurityGroup(
    `${name}-efs-sg`,
    `${args.namePrefix}-efs`,
    args.vpcId,
    "EFS mount targets: NFS from the cluster's nodes only",
    opts,
  );
  args.clientSecurityGroupIds.forEach((clientGroup, i) =>
    allowTcpFrom(
      `${name}-efs-from-client-${i}`,
      securityGroup.id,
      clientGroup,
      NFS_PORT,
      "NFS from the cluster's nodes (EFS CSI driver)",
      opts,
    ),
  );
  const fileSystem = new aws.efs.FileSystem(
    `${name}-files`,
    {
      creationToken: `${args.namePrefix}-shared-files`,
      encrypted: true,
      kmsKeyId: dataKey.arn,
      performanceMode: "generalPurpose",
      // Elastic throughput follows the load and is billed per GB transferred: no provisioning.
      throughputMode: "elastic",
      lifecyclePolicies: [
        { transitionToIa: "AFTER_30_DAYS" },
        { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" },
      ],
      tags: {
        Name: `${args.namePrefix}-shared-files`,
        [BACKUP_TAG.key]: BACKUP_TAG.value,
      },
    },
    { ...opts, protect: true },
  );
  new aws.efs.FileSystemPolicy(
    `${name}-files-policy`,
    {
      fileSystemId: fileSystem.id,
      policy: fileSystem.arn.apply((arn) => JSON.stringify(sharedFilesPolicy(arn))),
    },
    opts,
  );
  const mountTargets = args.isolatedSubnetIds.map(
    (subnetId, i) =>
      new aws.efs.MountTarget(
        `${name}-files-mount-${i}`,
        { fileSystemId: fileSystem.id, subnetId, securityGroups: [securityGroup.id] },
        opts,
      ),
  );
  const storageClass = new k8s.storage.v1.StorageClass(
    `${name}-${SHARED_STORAGE_CLASS}`,
    {
      metadata: { name: SHARED_STORAGE_CLASS },
      ...sharedStorageClassSpec(fileSystem.id),
    },
    { ...opts, dependsOn: mountTargets },
  );
  return { fileSystem, mountTargets, securityGroup, storageClass };
}
