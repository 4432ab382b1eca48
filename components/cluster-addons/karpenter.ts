/**
 * Karpenter: node autoscaling with an interruption queue, a node role with an EC2_LINUX access
 * entry, one EC2NodeClass (IMDSv2 only, encrypted gp3) and two NodePools (spot first, on-demand
 * second) with consolidation on and limits derived from the stack's node ceiling.
 */
import { NODE_MANAGED_POLICIES, nodeTrustPolicy } from "@platform/cluster";
import {
  CHARTS,
  encryptionKey,
  pinnedRelease,
  registryHost,
  serviceAccountRole,
} from "@platform/core";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  INTERRUPTION_EVENTS,
  interruptionKeyStatement,
  interruptionQueuePolicy,
  karpenterControllerPolicy,
} from "./karpenter-iam";
import { karpenterValues } from "./values";

/** The smallest node a NodePool may launch; the CPU limit divided by it bounds the node count. */
const MIN_NODE_VCPU = 4;
/** Memory limit per vCPU of limit: above the largest ratio allowed (r family, 8 GiB per vCPU). */
const MEMORY_GIB_PER_LIMIT_VCPU = 8;
const NODE_CLASS_NAME = "default";

export interface KarpenterSizing {
  /** Most nodes Karpenter may run across both pools. */
  readonly nodeCeiling: number;
  /** Share of the ceiling (whole percent) the on-demand pool may use; spot gets the rest. */
  readonly onDemandPercent: number;
  /** `kubernetes.io/arch` values the pools may launch. */
  readonly architectures: readonly string[];
  /** EC2NodeClass AMI alias, e.g. `al2023@latest` or a pinned `al2023@v20260101`. */
  readonly amiAlias: string;
  readonly volumeSizeGiB: number;
}

interface PoolLimits {
  readonly cpu: string;
  readonly memory: string;
  /** The node count the CPU limit guarantees, for documentation and tests. */
  readonly maxNodes: number;
}

/**
 * NodePool limits are CPU and memory, not nodes. Every node has at least `MIN_NODE_VCPU` vCPUs,
 * so `cpu = nodes x MIN_NODE_VCPU` caps the pool at `nodes` nodes; memory is set high enough
 * (8 GiB per vCPU) that it never binds first.
 */
export function poolLimits(sizing: KarpenterSizing): { spot: PoolLimits; onDemand: PoolLimits } {
  const onDemandNodes = Math.floor((sizing.nodeCeiling * sizing.onDemandPercent) / 100);
  const spotNodes = sizing.nodeCeiling - onDemandNodes;
  const limits = (nodes: number): PoolLimits => ({
    cpu: String(nodes * MIN_NODE_VCPU),
    memory: `${nodes * MIN_NODE_VCPU * MEMORY_GIB_PER_LIMIT_VCPU}Gi`,
    maxNodes: nodes,
  });
  return { spot: limits(spotNodes), onDemand: limits(onDemandNodes) };
}

interface NodeClassArgs {
  readonly clusterName: string;
  readonly nodeRoleName: pulumi.Input<string>;
  readonly securityGroupId: pulumi.Input<string>;
  readonly volumeKeyArn: pulumi.Input<string>;
  readonly amiAlias: string;
  readonly volumeSizeGiB: number;
  readonly tags: Record<string, string>;
}

/** EC2NodeClass (karpenter.k8s.aws/v1): IMDSv2 only with hop limit 1, encrypted gp3 root volume. */
export function ec2NodeClassSpec(args: NodeClassArgs) {
  return {
    role: args.nodeRoleName,
    amiSelectorTerms: [{ alias: args.amiAlias }],
    // The network tags the private subnets for discovery; nodes join the EKS-managed cluster group.
    subnetSelectorTerms: [{ tags: { "karpenter.sh/discovery": args.clusterName } }],
    securityGroupSelectorTerms: [{ id: args.securityGroupId }],
    metadataOptions: {
      httpEndpoint: "enabled",
      httpProtocolIPv6: "disabled",
      httpPutResponseHopLimit: 1,
      httpTokens: "required",
    },
    blockDeviceMappings: [
      {
        deviceName: "/dev/xvda",
        ebs: {
          volumeSize: `${args.volumeSizeGiB}Gi`,
          volumeType: "gp3",
          iops: 3000,
          throughput: 125,
          encrypted: true,
          kmsKeyID: args.volumeKeyArn,
          deleteOnTermination: true,
        },
      },
    ],
    detailedMonitoring: true,
    // Provider default tags do not reach instances Karpenter launches.
    tags: { ...args.tags },
  };
}

/** Instance families spread over compute, general purpose and memory optimised, 6th gen or newer. */
const INSTANCE_CATEGORIES = ["c", "m", "r"] as const;
const INSTANCE_CPUS = ["4", "8", "16"] as const;

export function nodePoolSpec(
  capacityType: "spot" | "on-demand",
  limits: PoolLimits,
  architectures: readonly string[],
) {
  return {
    template: {
      metadata: {
        labels: { "platform/node-pool": "workloads", "platform/capacity-type": capacityType },
      },
      spec: {
        nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: NODE_CLASS_NAME },
        requirements: [
          { key: "karpenter.sh/capacity-type", operator: "In", values: [capacityType] },
          { key: "kubernetes.io/arch", operator: "In", values: [...architectures] },
          { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
          {
            key: "karpenter.k8s.aws/instance-category",
            operator: "In",
            values: [...INSTANCE_CATEGORIES],
          },
          { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: ["5"] },
          { key: "karpenter.k8s.aws/instance-cpu", operator: "In", values: [...INSTANCE_CPUS] },
        ],
        // Nodes are replaced at least monthly, so they pick up patched AMIs.
        expireAfter: "720h",
        terminationGracePeriod: "24h",
      },
    },
    disruption: {
      consolidationPolicy: "WhenEmptyOrUnderutilized",
      consolidateAfter: "1m",
      // At most a tenth of the nodes are voluntarily disrupted at once.
      budgets: [{ nodes: "10%" }],
    },
    limits: { cpu: limits.cpu, memory: limits.memory },
    // Spot is tried first; on-demand takes what spot cannot place.
    weight: capacityType === "spot" ? 100 : 10,
  };
}

interface KarpenterArgs {
  readonly clusterName: string;
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly oidcProviderArn: pulumi.Input<string>;
  readonly oidcProviderUrl: pulumi.Input<string>;
  readonly securityGroupId: pulumi.Input<string>;
  readonly volumeKeyArn: pulumi.Input<string>;
  readonly nodeTags: Record<string, string>;
  readonly sizing: KarpenterSizing;
}

interface KarpenterResources {
  readonly controllerRole: aws.iam.Role;
  readonly nodeRole: aws.iam.Role;
  readonly interruptionQueue: aws.sqs.Queue;
  readonly release: k8s.helm.v3.Release;
  readonly nodePools: readonly k8s.apiextensions.CustomResource[];
}

const KARPENTER_NAMESPACE = "kube-system";

export function createKarpenter(
  name: string,
  args: KarpenterArgs,
  parent: pulumi.Resource,
): KarpenterResources {
  const opts = { parent };
  const nodeRole = new aws.iam.Role(
    `${name}-node-role`,
    {
      assumeRolePolicy: JSON.stringify(nodeTrustPolicy()),
      description: `Nodes Karpenter launches in ${args.clusterName}`,
    },
    opts,
  );
  NODE_MANAGED_POLICIES.forEach(
    (policyArn, i) =>
      new aws.iam.RolePolicyAttachment(
        `${name}-node-role-${i}`,
        { role: nodeRole.name, policyArn },
        opts,
      ),
  );
  new aws.eks.AccessEntry(
    `${name}-node-access`,
    { clusterName: args.clusterName, principalArn: nodeRole.arn, type: "EC2_LINUX" },
    opts,
  );

  const queueKey = encryptionKey(
    `${name}-interruption-key`,
    {
      description: `Karpenter interruption queue of ${args.clusterName}`,
      accountId: args.accountId,
      region: args.region,
      extraStatements: [interruptionKeyStatement(args.accountId)],
    },
    { ...opts, protect: true },
  );
  const queue = new aws.sqs.Queue(
    `${name}-interruption-queue`,
    {
      name: `${args.clusterName}-karpenter`,
      // Interruption notices are useless after two minutes; Karpenter's own template keeps five.
      messageRetentionSeconds: 300,
      kmsMasterKeyId: queueKey.arn,
      kmsDataKeyReusePeriodSeconds: 300,
    },
    opts,
  );
  new aws.sqs.QueuePolicy(
    `${name}-interruption-queue-policy`,
    {
      queueUrl: queue.url,
      policy: queue.arn.apply((arn) => JSON.stringify(interruptionQueuePolicy(arn))),
    },
    opts,
  );
  for (const [event, pattern] of Object.entries(INTERRUPTION_EVENTS)) {
    const rule = new aws.cloudwatch.EventRule(
      `${name}-${event}`,
      {
        description: `Karpenter (${args.clusterName}): ${pattern.detailType}`,
        eventPattern: JSON.stringify({
          source: [pattern.source],
          "detail-type": [pattern.detailType],
        }),
      },
      opts,
    );
    new aws.cloudwatch.EventTarget(
      `${name}-${event}`,
      { rule: rule.name, arn: queue.arn, targetId: "KarpenterInterruptionQueueTarget" },
      opts,
    );
  }

  const controllerRole = serviceAccountRole(
    `${name}-controller`,
    {
      oidcProviderArn: args.oidcProviderArn,
      oidcIssuerUrl: args.oidcProviderUrl,
      namespace: KARPENTER_NAMESPACE,
      serviceAccount: "karpenter",
      policy: pulumi
        .all([nodeRole.arn, queue.arn, queueKey.arn, args.volumeKeyArn])
        .apply(([nodeRoleArn, queueArn, queueKeyArn, volumeKeyArn]) =>
          JSON.stringify(
            karpenterControllerPolicy({
              partition: args.partition,
              region: args.region,
              accountId: args.accountId,
              clusterName: args.clusterName,
              nodeRoleArn,
              interruptionQueueArn: queueArn,
              interruptionQueueKeyArn: queueKeyArn,
              volumeKeyArn,
            }),
          ),
        ),
    },
    opts,
  );

  const crds = pinnedRelease(
    "karpenter-crd",
    { chart: CHARTS.karpenterCrd, namespace: KARPENTER_NAMESPACE, values: {} },
    opts,
  );
  const release = pinnedRelease(
    "karpenter",
    {
      chart: CHARTS.karpenter,
      namespace: KARPENTER_NAMESPACE,
      // karpenter-crd owns the CRDs, so upgrades update them (Helm never upgrades crds/).
      skipCrds: true,
      values: karpenterValues({
        registryHost: registryHost(args.accountId, args.region),
        clusterName: args.clusterName,
        interruptionQueueName: queue.name,
        roleArn: controllerRole.arn,
      }),
    },
    { ...opts, dependsOn: [crds] },
  );

  const crOpts = { ...opts, dependsOn: [release] };
  const nodeClass = new k8s.apiextensions.CustomResource(
    `${name}-node-class`,
    {
      apiVersion: "karpenter.k8s.aws/v1",
      kind: "EC2NodeClass",
      metadata: { name: NODE_CLASS_NAME },
      spec: ec2NodeClassSpec({
        clusterName: args.clusterName,
        nodeRoleName: nodeRole.name,
        securityGroupId: args.securityGroupId,
        volumeKeyArn: args.volumeKeyArn,
        amiAlias: args.sizing.amiAlias,
        volumeSizeGiB: args.sizing.volumeSizeGiB,
        tags: args.nodeTags,
      }),
    },
    crOpts,
  );
  const limits = poolLimits(args.sizing);
  const nodePools = (["spot", "on-demand"] as const).map(
    (capacityType) =>
      new k8s.apiextensions.CustomResource(
        `${name}-${capacityType}-pool`,
        {
          apiVersion: "karpenter.sh/v1",
          kind: "NodePool",
          metadata: { name: capacityType },
          spec: nodePoolSpec(
            capacityType,
            capacityType === "spot" ? limits.spot : limits.onDemand,
            args.sizing.architectures,
          ),
        },
        { ...crOpts, dependsOn: [release, nodeClass] },
      ),
  );
  return { controllerRole, nodeRole, interruptionQueue: queue, release, nodePools };
}
