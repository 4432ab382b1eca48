import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterArgs, NodePoolArgs } from "./args";
import { createClusterKeys, createControlPlane } from "./control-plane";
import { createNetworkingAddons, createNodeAddons } from "./managed-addons";
import { createNodeGroups } from "./nodes";
import { validateClusterArgs } from "./validation";
import { ManagedAddonName } from "./versions";

/**
 * An EKS cluster with a private API endpoint, secrets envelope-encrypted with a dedicated KMS key,
 * every control-plane log type, access entries for administrators, IRSA, two managed node groups
 * and the EKS managed add-ons at pinned versions. No default node group.
 */
export class Cluster extends pulumi.ComponentResource {
  public readonly eksCluster: eks.Cluster;
  public readonly clusterName: string;
  public readonly kubeconfig: pulumi.Output<string>;
  public readonly oidcProviderArn: pulumi.Output<string>;
  public readonly oidcProviderUrl: pulumi.Output<string>;
  public readonly clusterSecurityGroupId: pulumi.Output<string>;
  /**
   * The EKS-managed cluster security group, which EKS attaches to the control plane and to every
   * managed node: the source data stores admit clients from.
   */
  public readonly nodeSecurityGroupId: pulumi.Output<string>;
  public readonly nodeRoleArn: pulumi.Output<string>;
  public readonly secretsKeyArn: pulumi.Output<string>;
  public readonly volumeKeyArn: pulumi.Output<string>;
  public readonly nodeGroups: {
    readonly system: aws.eks.NodeGroup;
    readonly workloads: aws.eks.NodeGroup;
  };
  /** The sizes each node group was declared with (`args.systemPool`, `args.workloadPool`). */
  public readonly nodePools: {
    readonly system: NodePoolArgs;
    readonly workloads: NodePoolArgs;
  };
  public readonly addons: Readonly<Record<ManagedAddonName, aws.eks.Addon>>;
  /** Provider for everything that runs inside the cluster. */
  public readonly kubernetesProvider: k8s.Provider;

  constructor(name: string, args: ClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("platform:cluster:Cluster", name, {}, opts);
    validateClusterArgs(args);
    const childOpts = { parent: this };

    const { secretsKey, volumeKey } = createClusterKeys(name, args, childOpts);
    this.clusterName = args.clusterName;
    this.eksCluster = createControlPlane(name, args, secretsKey, childOpts);
    this.oidcProviderArn = this.eksCluster.oidcProviderArn;
    this.oidcProviderUrl = this.eksCluster.oidcProviderUrl;
    this.clusterSecurityGroupId = this.eksCluster.clusterSecurityGroupId;
    this.kubeconfig = pulumi.secret(this.eksCluster.kubeconfigJson);
    // @pulumi/eks does not surface the EKS-managed group; the EKS API reports it once the cluster exists.
    this.nodeSecurityGroupId = aws.eks
      .getClusterOutput({ name: args.clusterName }, { parent: this, dependsOn: [this.eksCluster] })
      .apply((c) => c.vpcConfig.clusterSecurityGroupId);

    const networking = createNetworkingAddons(name, args, this.eksCluster, childOpts);
    const nodes = createNodeGroups(name, args, volumeKey.arn, {
      ...childOpts,
      dependsOn: [this.eksCluster, ...Object.values(networking)],
    });
    this.nodeRoleArn = nodes.role.arn;
    this.nodeGroups = { system: nodes.system, workloads: nodes.workloads };
    this.nodePools = { system: args.systemPool, workloads: args.workloadPool };
    this.addons = {
      ...networking,
      ...createNodeAddons(
        name,
        args,
        this.eksCluster,
        volumeKey.arn,
        [nodes.system, nodes.workloads],
        childOpts,
      ),
    };

    this.kubernetesProvider = new k8s.Provider(
      `${name}-k8s`,
      { kubeconfig: this.kubeconfig, enableServerSideApply: true },
      // Nothing runs in the cluster before its nodes and managed add-ons (DNS, CNI, snapshot CRDs) are up.
      {
        ...childOpts,
        dependsOn: [nodes.system, nodes.workloads, ...Object.values(this.addons)],
      },
    );
    this.secretsKeyArn = secretsKey.arn;
    this.volumeKeyArn = volumeKey.arn;
    this.registerOutputs({
      eksCluster: this.eksCluster,
      clusterName: this.clusterName,
      kubeconfig: this.kubeconfig,
      oidcProviderArn: this.oidcProviderArn,
      oidcProviderUrl: this.oidcProviderUrl,
      clusterSecurityGroupId: this.clusterSecurityGroupId,
      nodeSecurityGroupId: this.nodeSecurityGroupId,
      nodeRoleArn: this.nodeRoleArn,
      secretsKeyArn: this.secretsKeyArn,
      volumeKeyArn: this.volumeKeyArn,
      nodeGroups: this.nodeGroups,
      nodePools: this.nodePools,
      addons: this.addons,
      kubernetesProvider: this.kubernetesProvider,
    });
  }
}
