import { encryptionKey, Problems, serviceAccountRole } from "@platform/core";
import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { managedNodeGroup, nodeLaunchTemplate, NodePoolArgs, nodeRole } from "./nodes";
import { KUBERNETES_RELEASES, ManagedAddonName } from "./versions";

export interface ClusterArgs {
  /** Physical EKS cluster name. */
  readonly clusterName: string;
  readonly accountId: string;
  readonly region: string;
  readonly kubernetesVersion: string;
  readonly vpcId: pulumi.Input<string>;
  readonly privateSubnetIds: pulumi.Input<string>[];
  /** IAM roles granted cluster-admin through access entries. */
  readonly adminRoleArns: readonly string[];
  /**
   * Opt-in: a public API endpoint, reachable only from `publicAccessCidrs`.
   * @default false
   */
  readonly endpointPublicAccess?: boolean;
  /** @default [] - required and non-empty when `endpointPublicAccess` is true */
  readonly publicAccessCidrs?: readonly string[];
  /**
   * Retention of the control-plane log group, in days.
   * @default 365
   */
  readonly controlPlaneLogRetentionDays?: number;
  readonly logsKeyArn: pulumi.Input<string>;
  /** On-demand Graviton pool for critical add-ons, tainted `CriticalAddonsOnly`. */
  readonly systemPool: NodePoolArgs;
  /** Spot pool of diversified instance types for applications. */
  readonly workloadPool: NodePoolArgs;
  /** @default 100 */
  readonly nodeVolumeSizeGiB?: number;
  /** Tags for instances and volumes the node groups launch (provider default tags do not reach them). */
  readonly nodeTags: Record<string, string>;
}

export const CONTROL_PLANE_LOG_TYPES = [
  "api",
  "audit",
  "authenticator",
  "controllerManager",
  "scheduler",
] as const;
const CLUSTER_ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

export function validateClusterArgs(args: ClusterArgs): void {
  const problems = new Problems();
  problems.check(
    args.kubernetesVersion in KUBERNETES_RELEASES,
    "args.kubernetesVersion",
    args.kubernetesVersion,
    `be one of ${Object.keys(KUBERNETES_RELEASES).join(", ")}`,
  );
  problems.check(
    /^[a-zA-Z][-a-zA-Z0-9]{0,99}$/.test(args.clusterName),
    "args.clusterName",
    args.clusterName,
    "be 1 to 100 letters, digits and hyphens, starting with a letter",
  );
  problems.check(
    args.adminRoleArns.length > 0,
    "args.adminRoleArns",
    args.adminRoleArns,
    "name at least one IAM role",
  );
  const cidrs = args.publicAccessCidrs ?? [];
  if (args.endpointPublicAccess) {
    problems.check(
      cidrs.length > 0,
      "args.publicAccessCidrs",
      cidrs,
      "list the allowed CIDRs when the endpoint is public",
    );
    problems.check(
      !cidrs.includes("0.0.0.0/0"),
      "args.publicAccessCidrs",
      cidrs,
      "not contain 0.0.0.0/0",
    );
  }
  for (const [poolName, pool] of [
    ["systemPool", args.systemPool],
    ["workloadPool", args.workloadPool],
  ] as const) {
    problems.check(
      pool.minSize <= pool.maxSize,
      `args.${poolName}.minSize`,
      pool.minSize,
      `not exceed maxSize (${pool.maxSize})`,
    );
    problems.check(
      pool.desiredSize >= pool.minSize && pool.desiredSize <= pool.maxSize,
      `args.${poolName}.desiredSize`,
      pool.desiredSize,
      `be between minSize and maxSize (${pool.minSize} to ${pool.maxSize})`,
    );
  }
  problems.check(
    new Set(args.workloadPool.instanceTypes).size >= 4,
    "args.workloadPool.instanceTypes",
    args.workloadPool.instanceTypes,
    "list at least four distinct instance types for spot diversity",
  );
  problems.throwIfAny("Cluster arguments");
}

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
  public readonly addons: Readonly<Record<ManagedAddonName, aws.eks.Addon>>;
  /** Provider for everything that runs inside the cluster. */
  public readonly kubernetesProvider: k8s.Provider;

  constructor(name: string, args: ClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("platform:cluster:Cluster", name, {}, opts);
    validateClusterArgs(args);
    const childOpts = { parent: this };
    const release = KUBERNETES_RELEASES[args.kubernetesVersion];

    const secretsKey = encryptionKey(
      `${name}-secrets-key`,
      {
        description: `Envelope encryption of Kubernetes secrets in ${args.clusterName}`,
        accountId: args.accountId,
        region: args.region,
      },
      { ...childOpts, protect: true },
    );
    const autoScalingRole = `arn:aws:iam::${args.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
    const volumeKey = encryptionKey(
      `${name}-volume-key`,
      {
        description: `EBS volumes of ${args.clusterName}'s nodes and persistent volumes`,
        accountId: args.accountId,
        region: args.region,
        // Managed node groups launch through Auto Scaling, whose service-linked role must use the key.
        extraStatements: [
          {
            Sid: "AutoScalingUsesKeyForNodeVolumes",
            Effect: "Allow",
            Principal: { AWS: autoScalingRole },
            Action: [
              "kms:Encrypt",
              "kms:Decrypt",
              "kms:ReEncrypt*",
              "kms:GenerateDataKey*",
              "kms:DescribeKey",
            ],
            Resource: "*",
          },
          {
            Sid: "AutoScalingGrantsForAttachedVolumes",
            Effect: "Allow",
            Principal: { AWS: autoScalingRole },
            Action: "kms:CreateGrant",
            Resource: "*",
            Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
          },
        ],
      },
      { ...childOpts, protect: true },
    );
    // Created before the cluster so EKS writes into a group with retention and encryption.
    const controlPlaneLogs = new aws.cloudwatch.LogGroup(
      `${name}-control-plane-logs`,
      {
        name: `/aws/eks/${args.clusterName}/cluster`,
        retentionInDays: args.controlPlaneLogRetentionDays ?? 365,
        kmsKeyId: args.logsKeyArn,
      },
      childOpts,
    );

    const accessEntries: Record<string, eks.types.input.AccessEntryArgs> = {};
    args.adminRoleArns.forEach((principalArn, i) => {
      accessEntries[`admin-${i}`] = {
        principalArn,
        accessPolicies: {
          "cluster-admin": { policyArn: CLUSTER_ADMIN_POLICY, accessScope: { type: "cluster" } },
        },
      };
    });
    this.clusterName = args.clusterName;
    this.eksCluster = new eks.Cluster(
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
        accessEntries,
        createOidcProvider: true,
        skipDefaultNodeGroup: true,
        deletionProtection: true,
        // Every add-on is an explicit, pinned aws.eks.Addon below.
        bootstrapSelfManagedAddons: false,
        useDefaultVpcCni: true,
        corednsAddonOptions: { enabled: false },
        kubeProxyAddonOptions: { enabled: false },
      },
      { ...childOpts, dependsOn: [controlPlaneLogs] },
    );
    this.oidcProviderArn = this.eksCluster.oidcProviderArn;
    this.oidcProviderUrl = this.eksCluster.oidcProviderUrl;
    this.clusterSecurityGroupId = this.eksCluster.clusterSecurityGroupId;
    this.kubeconfig = pulumi.secret(this.eksCluster.kubeconfigJson);
    // @pulumi/eks does not surface the EKS-managed group; the EKS API reports it once the cluster exists.
    this.nodeSecurityGroupId = aws.eks
      .getClusterOutput({ name: args.clusterName }, { parent: this, dependsOn: [this.eksCluster] })
      .apply((c) => c.vpcConfig.clusterSecurityGroupId);

    const irsa = (
      role: string,
      namespace: string,
      serviceAccount: string,
      extra: { policy?: pulumi.Input<string>; managedPolicyArns?: string[] },
    ) =>
      serviceAccountRole(
        `${name}-${role}`,
        {
          oidcProviderArn: this.oidcProviderArn,
          oidcIssuerUrl: this.oidcProviderUrl,
          namespace,
          serviceAccount,
          ...extra,
        },
        childOpts,
      );
    const vpcCniRole = irsa("vpc-cni", "kube-system", "aws-node", {
      managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"],
    });
    const ebsCsiRole = irsa("ebs-csi", "kube-system", "ebs-csi-controller-sa", {
      managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"],
      // Persistent volumes are encrypted with the platform's volume key.
      policy: volumeKey.arn.apply((keyArn) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: [
                "kms:Encrypt",
                "kms:Decrypt",
                "kms:ReEncrypt*",
                "kms:GenerateDataKey*",
                "kms:DescribeKey",
              ],
              Resource: keyArn,
            },
            {
              Effect: "Allow",
              Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
              Resource: keyArn,
              Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
            },
          ],
        }),
      ),
    });

    const addon = (
      addonName: ManagedAddonName,
      extra: { serviceAccountRoleArn?: pulumi.Input<string>; configurationValues?: string },
      dependsOn: pulumi.Resource[],
    ) =>
      new aws.eks.Addon(
        `${name}-${addonName}`,
        {
          clusterName: args.clusterName,
          addonName,
          addonVersion: release.addons[addonName],
          resolveConflictsOnCreate: "OVERWRITE",
          resolveConflictsOnUpdate: "OVERWRITE",
          ...extra,
        },
        { ...childOpts, dependsOn: [this.eksCluster, ...dependsOn] },
      );
    // Networking add-ons come before the nodes: a node without a CNI never becomes Ready.
    const vpcCni = addon(
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
    );
    const podIdentityAgent = addon("eks-pod-identity-agent", {}, []);

    const role = nodeRole(`${name}-node-role`, childOpts);
    this.nodeRoleArn = role.arn;
    const launchTemplate = (pool: string) =>
      nodeLaunchTemplate(
        `${name}-${pool}-launch-template`,
        {
          volumeSizeGiB: args.nodeVolumeSizeGiB ?? 100,
          volumeKeyArn: volumeKey.arn,
          tags: args.nodeTags,
        },
        childOpts,
      );
    const groupCluster = {
      name: args.clusterName,
      nodeRoleArn: role.arn,
      subnetIds: args.privateSubnetIds,
    };
    const nodeOpts = { ...childOpts, dependsOn: [this.eksCluster, vpcCni, podIdentityAgent] };
    this.nodeGroups = {
      system: managedNodeGroup(
        `${name}-system`,
        {
          role: "system",
          pool: args.systemPool,
          capacityType: "ON_DEMAND",
          amiType: "AL2023_ARM_64_STANDARD",
          taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }],
        },
        groupCluster,
        launchTemplate("system"),
        nodeOpts,
      ),
      workloads: managedNodeGroup(
        `${name}-workloads`,
        {
          role: "workloads",
          pool: args.workloadPool,
          capacityType: "SPOT",
          amiType: "AL2023_x86_64_STANDARD",
          taints: [],
        },
        groupCluster,
        launchTemplate("workloads"),
        nodeOpts,
      ),
    };
    const nodes = [this.nodeGroups.system, this.nodeGroups.workloads];
    const criticalAddonPlacement = {
      tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }],
      nodeSelector: { "platform/node-pool": "system" },
    };
    this.addons = {
      "vpc-cni": vpcCni,
      "eks-pod-identity-agent": podIdentityAgent,
      "kube-proxy": addon("kube-proxy", {}, []),
      coredns: addon(
        "coredns",
        { configurationValues: JSON.stringify({ replicaCount: 3, ...criticalAddonPlacement }) },
        nodes,
      ),
      "aws-ebs-csi-driver": addon(
        "aws-ebs-csi-driver",
        {
          serviceAccountRoleArn: ebsCsiRole.arn,
          configurationValues: JSON.stringify({ controller: criticalAddonPlacement }),
        },
        nodes,
      ),
      "snapshot-controller": addon(
        "snapshot-controller",
        { configurationValues: JSON.stringify(criticalAddonPlacement) },
        nodes,
      ),
    };

    this.kubernetesProvider = new k8s.Provider(
      `${name}-k8s`,
      { kubeconfig: this.kubeconfig, enableServerSideApply: true },
      // Nothing runs in the cluster before its nodes and managed add-ons (DNS, CNI, snapshot CRDs) are up.
      { ...childOpts, dependsOn: [...nodes, ...Object.values(this.addons)] },
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
      addons: this.addons,
      kubernetesProvider: this.kubernetesProvider,
    });
  }
}
