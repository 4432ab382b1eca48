/**
 * The EKS managed add-ons at the versions pinned for the cluster's Kubernetes release, with IRSA
 * roles for the three that call AWS (VPC CNI, EBS and EFS CSI drivers).
 */
import { serviceAccountRole } from "@platform/core";
import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import { ClusterArgs } from "./args";
import { ebsCsiKeyPolicy } from "./documents";
import { KUBERNETES_RELEASES, ManagedAddonName } from "./versions";

/** Critical add-ons run on the system pool, which is tainted `CriticalAddonsOnly`. */
const CRITICAL_ADDON_PLACEMENT = {
  tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }],
  nodeSelector: { "platform/node-pool": "system" },
};

/** What the add-ons attach to: the cluster, and the OIDC provider their IRSA roles trust. */
interface AddonTarget {
  readonly name: string;
  readonly args: ClusterArgs;
  readonly eksCluster: eks.Cluster;
  readonly opts: pulumi.CustomResourceOptions;
}

function managedAddon(
  target: AddonTarget,
  addonName: ManagedAddonName,
  extra: { serviceAccountRoleArn?: pulumi.Input<string>; configurationValues?: string },
  dependsOn: pulumi.Resource[],
): aws.eks.Addon {
  return new aws.eks.Addon(
    `${target.name}-${addonName}`,
    {
      clusterName: target.args.clusterName,
      addonName,
      addonVersion: KUBERNETES_RELEASES[target.args.kubernetesVersion].addons[addonName],
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      ...extra,
    },
    { ...target.opts, dependsOn: [target.eksCluster, ...dependsOn] },
  );
}

function irsaRole(
  target: AddonTarget,
  role: string,
  serviceAccount: string,
  extra: { policy?: pulumi.Input<string>; managedPolicyArns?: string[] },
): aws.iam.Role {
  return serviceAccountRole(
    `${target.name}-${role}`,
    {
      oidcProviderArn: target.eksCluster.oidcProviderArn,
      oidcIssuerUrl: target.eksCluster.oidcProviderUrl,
      namespace: "kube-system",
      serviceAccount,
      ...extra,
    },
    target.opts,
  );
}

interface NetworkingAddons {
  readonly "vpc-cni": aws.eks.Addon;
  readonly "eks-pod-identity-agent": aws.eks.Addon;
}

/** The add-ons nodes need before they become Ready: a node without a CNI never does. */
export function createNetworkingAddons(
  name: string,
  args: ClusterArgs,
  eksCluster: eks.Cluster,
  opts: pulumi.CustomResourceOptions,
): NetworkingAddons {
  const target = { name, args, eksCluster, opts };
  const vpcCniRole = irsaRole(target, "vpc-cni", "aws-node", {
    managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"],
  });
  return {
    "vpc-cni": managedAddon(
      target,
      "vpc-cni",
      {
        serviceAccountRoleArn: vpcCniRole.arn,
        // The network policy agent enforces the baseline's default-deny NetworkPolicies.
        configurationValues: JSON.stringify({
          enableNetworkPolicy: "true",
          env: { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1" },
        }),
      },
      [],
    ),
    "eks-pod-identity-agent": managedAddon(target, "eks-pod-identity-agent", {}, []),
  };
}

type NodeAddons = Readonly<
  Record<Exclude<ManagedAddonName, keyof NetworkingAddons>, aws.eks.Addon>
>;

/**
 * The add-ons that run on nodes (`nodes` come first): CoreDNS, the EBS CSI driver (encrypting with
 * the volume key), the EFS CSI driver's controller and the snapshot controller on the system pool;
 * kube-proxy and the CSI node plugins on every node.
 */
export function createNodeAddons(
  name: string,
  args: ClusterArgs,
  eksCluster: eks.Cluster,
  volumeKeyArn: pulumi.Output<string>,
  nodes: pulumi.Resource[],
  opts: pulumi.CustomResourceOptions,
): NodeAddons {
  const target = { name, args, eksCluster, opts };
  const ebsCsiRole = irsaRole(target, "ebs-csi", "ebs-csi-controller-sa", {
    managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"],
    policy: volumeKeyArn.apply((keyArn) => JSON.stringify(ebsCsiKeyPolicy(keyArn))),
  });
  // AmazonEFSCSIDriverPolicy: creates and deletes the access points of dynamic provisioning
  // (aws-efs-csi-driver v3.4.1 docs/iam-policy-create.md; S3 Files policies are not needed).
  const efsCsiRole = irsaRole(target, "efs-csi", "efs-csi-controller-sa", {
    managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy"],
  });
  return {
    "kube-proxy": managedAddon(target, "kube-proxy", {}, []),
    coredns: managedAddon(
      target,
      "coredns",
      { configurationValues: JSON.stringify({ replicaCount: 3, ...CRITICAL_ADDON_PLACEMENT }) },
      nodes,
    ),
    "aws-ebs-csi-driver": managedAddon(
      target,
      "aws-ebs-csi-driver",
      {
        serviceAccountRoleArn: ebsCsiRole.arn,
        configurationValues: JSON.stringify({ controller: CRITICAL_ADDON_PLACEMENT }),
      },
      nodes,
    ),
    "aws-efs-csi-driver": managedAddon(
      target,
      "aws-efs-csi-driver",
      {
        serviceAccountRoleArn: efsCsiRole.arn,
        configurationValues: JSON.stringify({ controller: CRITICAL_ADDON_PLACEMENT }),
      },
      nodes,
    ),
    "snapshot-controller": managedAddon(
      target,
      "snapshot-controller",
      { configurationValues: JSON.stringify(CRITICAL_ADDON_PLACEMENT) },
      nodes,
    ),
  };
}
