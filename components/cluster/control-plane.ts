/** The cluster's keys and its control plane: the EKS cluster, its log group and access entries. */
import { encryptionKey } from "@platform/core";
import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import { ClusterArgs } from "./args";
import { autoScalingVolumeKeyStatements } from "./documents";

export const CONTROL_PLANE_LOG_TYPES = [
  "api",
  "audit",
  "authenticator",
  "controllerManager",
  "scheduler",
] as const;
const CLUSTER_ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

interface ClusterKeys {
  /** Envelope encryption of Kubernetes secrets. */
  readonly secretsKey: aws.kms.Key;
  /** EBS volumes of the nodes and of persistent volumes. */
  readonly volumeKey: aws.kms.Key;
}

/** Both keys are protected: losing one loses every secret or volume encrypted with it. */
export function createClusterKeys(
  name: string,
  args: ClusterArgs,
  opts: pulumi.CustomResourceOptions,
): ClusterKeys {
  const secretsKey = encryptionKey(
    `${name}-secrets-key`,
    {
      description: `Envelope encryption of Kubernetes secrets in ${args.clusterName}`,
      accountId: args.accountId,
      region: args.region,
    },
    { ...opts, protect: true },
  );
  const volumeKey = encryptionKey(
    `${name}-volume-key`,
    {
      description: `EBS volumes of ${args.clusterName}'s nodes and persistent volumes`,
      accountId: args.accountId,
      region: args.region,
      extraStatements: autoScalingVolumeKeyStatements(args.accountId),
    },
    { ...opts, protect: true },
  );
  return { secretsKey, volumeKey };
}

/** Access entries granting each administrator role cluster-admin. */
function adminAccessEntries(
  adminRoleArns: readonly string[],
): Record<string, eks.types.input.AccessEntryArgs> {
  const entries: Record<string, eks.types.input.AccessEntryArgs> = {};
  adminRoleArns.forEach((principalArn, i) => {
    entries[`admin-${i}`] = {
      principalArn,
      accessPolicies: {
        "cluster-admin": { policyArn: CLUSTER_ADMIN_POLICY, accessScope: { type: "cluster" } },
      },
    };
  });
  return entries;
}

/**
 * An EKS cluster with a private API endpoint, secrets encrypted with `secretsKey`, every
 * control-plane log type into a log group with retention created first, access entries, IRSA,
 * deletion protection, and no default node group or unpinned add-on.
 */
export function createControlPlane(
  name: string,
  args: ClusterArgs,
  secretsKey: aws.kms.Key,
  opts: pulumi.CustomResourceOptions,
): eks.Cluster {
  // Created before the cluster so EKS writes into a group with retention and encryption.
  const controlPlaneLogs = new aws.cloudwatch.LogGroup(
    `${name}-control-plane-logs`,
    {
      name: `/aws/eks/${args.clusterName}/cluster`,
      retentionInDays: args.controlPlaneLogRetentionDays ?? 365,
      kmsKeyId: args.logsKeyArn,
    },
    opts,
  );
  return new eks.Cluster(
    `${name}-eks`,
    {
      name: args.clusterName,
      version: args.kubernetesVersion,
      vpcId: args.vpcId,
      privateSubnetIds: args.privateSubnetIds,
      endpointPrivateAccess: true,
      endpointPublicAccess: args.endpointPublicAccess ?? false,
      ...(args.endpointPublicAccess
        ? { publicAccessCidrs: [...(args.publicAccessCidrs ?? [])] }
        : {}),
      encryptionConfigKeyArn: secretsKey.arn,
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      authenticationMode: eks.AuthenticationMode.Api,
      accessEntries: adminAccessEntries(args.adminRoleArns),
      createOidcProvider: true,
      skipDefaultNodeGroup: true,
      deletionProtection: true,
      // Every add-on is an explicit, pinned aws.eks.Addon (managed-addons.ts).
      bootstrapSelfManagedAddons: false,
      useDefaultVpcCni: true,
      corednsAddonOptions: { enabled: false },
      kubeProxyAddonOptions: { enabled: false },
    },
    { ...opts, dependsOn: [controlPlaneLogs] },
  );
}
