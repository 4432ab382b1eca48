import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ClusterArgs, NodePoolArgs } from "./args";
import { nodeTrustPolicy } from "./documents";

interface NodeGroupSpec {
  readonly role: "system" | "workloads";
  readonly pool: NodePoolArgs;
  readonly capacityType: "ON_DEMAND" | "SPOT";
  readonly amiType: "AL2023_ARM_64_STANDARD" | "AL2023_x86_64_STANDARD";
  readonly taints: readonly {
    key: string;
    value: string;
    effect: "NO_SCHEDULE" | "NO_EXECUTE" | "PREFER_NO_SCHEDULE";
  }[];
}

/** IAM actions the nodes' kubelet and container runtime need; the CNI's rights go to its own IRSA role. */
export const NODE_MANAGED_POLICIES = [
  "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
  "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
  "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
] as const;

function nodeRole(name: string, opts: pulumi.CustomResourceOptions): aws.iam.Role {
  const role = new aws.iam.Role(
    name,
    {
      assumeRolePolicy: JSON.stringify(nodeTrustPolicy()),
      description: "EKS managed node groups",
    },
    opts,
  );
  NODE_MANAGED_POLICIES.forEach(
    (policyArn, i) =>
      new aws.iam.RolePolicyAttachment(`${name}-${i}`, { role: role.name, policyArn }, opts),
  );
  return role;
}

interface LaunchTemplateArgs {
  readonly volumeSizeGiB: number;
  readonly volumeKeyArn: pulumi.Input<string>;
  readonly tags: Record<string, string>;
}

/**
 * IMDSv2 only with a hop limit of 1, so pods cannot borrow the node's credentials (they use IRSA
 * or Pod Identity); encrypted gp3 root volumes with the platform's key; detailed monitoring.
 * @see https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html
 */
function nodeLaunchTemplate(
  name: string,
  args: LaunchTemplateArgs,
  opts: pulumi.CustomResourceOptions,
): aws.ec2.LaunchTemplate {
  return new aws.ec2.LaunchTemplate(
    name,
    {
      description: `EKS nodes: IMDSv2 only, encrypted gp3 (${name})`,
      updateDefaultVersion: true,
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "disabled",
      },
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: {
            volumeSize: args.volumeSizeGiB,
            volumeType: "gp3",
            iops: 3000,
            throughput: 125,
            encrypted: "true",
            kmsKeyId: args.volumeKeyArn,
            deleteOnTermination: "true",
          },
        },
      ],
      monitoring: { enabled: true },
      tagSpecifications: [
        { resourceType: "instance", tags: { ...args.tags, Name: name } },
        { resourceType: "volume", tags: { ...args.tags, Name: name } },
      ],
    },
    opts,
  );
}

function managedNodeGroup(
  name: string,
  spec: NodeGroupSpec,
  cluster: {
    name: pulumi.Input<string>;
    nodeRoleArn: pulumi.Input<string>;
    subnetIds: pulumi.Input<string>[];
  },
  launchTemplate: aws.ec2.LaunchTemplate,
  opts: pulumi.CustomResourceOptions,
): aws.eks.NodeGroup {
  return new aws.eks.NodeGroup(
    name,
    {
      clusterName: cluster.name,
      nodeRoleArn: cluster.nodeRoleArn,
      subnetIds: cluster.subnetIds,
      capacityType: spec.capacityType,
      amiType: spec.amiType,
      instanceTypes: [...spec.pool.instanceTypes],
      scalingConfig: {
        minSize: spec.pool.minSize,
        maxSize: spec.pool.maxSize,
        desiredSize: spec.pool.desiredSize,
      },
      launchTemplate: {
        id: launchTemplate.id,
        version: pulumi.interpolate`${launchTemplate.latestVersion}`,
      },
      labels: { "platform/node-pool": spec.role },
      taints: spec.taints.map((t) => ({ ...t })),
      updateConfig: { maxUnavailablePercentage: 33 },
    },
    // Autoscalers own the desired size once the group exists.
    { ...opts, ignoreChanges: ["scalingConfig.desiredSize"] },
  );
}

interface NodeGroups {
  readonly role: aws.iam.Role;
  readonly system: aws.eks.NodeGroup;
  readonly workloads: aws.eks.NodeGroup;
}

/**
 * The node role and two managed node groups, each with its launch template: `system`, on-demand
 * Graviton tainted `CriticalAddonsOnly` for the add-ons, and `workloads`, spot x86 for applications.
 * `opts.dependsOn` names what the nodes need before they can become Ready (the CNI).
 */
export function createNodeGroups(
  name: string,
  args: ClusterArgs,
  volumeKeyArn: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): NodeGroups {
  const childOpts = { parent: opts.parent };
  const role = nodeRole(`${name}-node-role`, childOpts);
  const launchTemplate = (pool: string) =>
    nodeLaunchTemplate(
      `${name}-${pool}-launch-template`,
      {
        volumeSizeGiB: args.nodeVolumeSizeGiB ?? 100,
        volumeKeyArn,
        tags: args.nodeTags,
      },
      childOpts,
    );
  const cluster = {
    name: args.clusterName,
    nodeRoleArn: role.arn,
    subnetIds: args.privateSubnetIds,
  };
  return {
    role,
    system: managedNodeGroup(
      `${name}-system`,
      {
        role: "system",
        pool: args.systemPool,
        capacityType: "ON_DEMAND",
        amiType: "AL2023_ARM_64_STANDARD",
        taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }],
      },
      cluster,
      launchTemplate("system"),
      opts,
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
      cluster,
      launchTemplate("workloads"),
      opts,
    ),
  };
}
