/**
 * Karpenter's IAM documents, as pure functions of known values so that tests can assert every
 * statement: the controller policy of its published template, narrowed to this cluster, region,
 * account and queue, and the interruption queue's policies.
 */
import { PolicyDocument, policyDocument, PolicyStatement } from "@platform/core";

interface KarpenterPolicyScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly clusterName: string;
  readonly nodeRoleArn: string;
  readonly interruptionQueueArn: string;
  /** KMS key of the interruption queue: receiving SSE-KMS messages needs kms:Decrypt. */
  readonly interruptionQueueKeyArn: string;
  /** KMS key of the nodes' EBS volumes (EC2NodeClass blockDeviceMappings). */
  readonly volumeKeyArn: string;
}

/**
 * The Karpenter v1 controller policy: the statements of Karpenter's getting-started CloudFormation
 * for v1.14 (NodeLifecycle, IAMIntegration, EKSIntegration, Interruption, ResourceDiscovery,
 * ZonalShift), scoped to one cluster, plus the KMS grants that launching nodes with the platform's
 * customer-managed volume key requires.
 * @see https://github.com/aws/karpenter-provider-aws/blob/v1.14.1/website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml
 */
export function karpenterControllerPolicy(scope: KarpenterPolicyScope): PolicyDocument {
  const { partition: p, region: r, accountId: a, clusterName: c } = scope;
  const ec2 = (kind: string, account = "*") => `arn:${p}:ec2:${r}:${account}:${kind}/*`;
  const taggedResources = [
    ec2("fleet"),
    ec2("instance"),
    ec2("volume"),
    ec2("network-interface"),
    ec2("launch-template"),
    ec2("spot-instances-request"),
  ];
  const ownedByCluster = { [`aws:ResourceTag/kubernetes.io/cluster/${c}`]: "owned" };
  const requestForCluster = {
    [`aws:RequestTag/kubernetes.io/cluster/${c}`]: "owned",
    "aws:RequestTag/eks:eks-cluster-name": c,
  };
  const instanceProfile = `arn:${p}:iam::${a}:instance-profile/*`;
  return policyDocument([
    {
      Sid: "AllowScopedEC2InstanceAccessActions",
      Effect: "Allow",
      Resource: [
        `arn:${p}:ec2:${r}::image/*`,
        `arn:${p}:ec2:${r}::snapshot/*`,
        ec2("security-group"),
        ec2("subnet"),
        ec2("capacity-reservation"),
        ec2("placement-group"),
      ],
      Action: ["ec2:RunInstances", "ec2:CreateFleet"],
    },
    {
      Sid: "AllowScopedEC2LaunchTemplateAccessActions",
      Effect: "Allow",
      Resource: ec2("launch-template"),
      Action: ["ec2:RunInstances", "ec2:CreateFleet"],
      Condition: {
        StringEquals: ownedByCluster,
        StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
      },
    },
    {
      Sid: "AllowScopedEC2InstanceActionsWithTags",
      Effect: "Allow",
      Resource: taggedResources,
      Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
      Condition: {
        StringEquals: requestForCluster,
        StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
      },
    },
    {
      Sid: "AllowScopedResourceCreationTagging",
      Effect: "Allow",
      Resource: taggedResources,
      Action: "ec2:CreateTags",
      Condition: {
        StringEquals: {
          ...requestForCluster,
          "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"],
        },
        StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
      },
    },
    {
      Sid: "AllowScopedResourceTagging",
      Effect: "Allow",
      Resource: ec2("instance"),
      Action: "ec2:CreateTags",
      Condition: {
        StringEquals: ownedByCluster,
        StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
        StringEqualsIfExists: { "aws:RequestTag/eks:eks-cluster-name": c },
        "ForAllValues:StringEquals": {
          "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"],
        },
      },
    },
    {
      Sid: "AllowScopedDeletion",
      Effect: "Allow",
      Resource: [ec2("instance"), ec2("launch-template")],
      Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
      Condition: {
        StringEquals: ownedByCluster,
        StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
      },
    },
    {
      Sid: "AllowPassingInstanceRole",
      Effect: "Allow",
      Resource: scope.nodeRoleArn,
      Action: "iam:PassRole",
      Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
    },
    {
      Sid: "AllowScopedInstanceProfileCreationActions",
      Effect: "Allow",
      Resource: instanceProfile,
      Action: "iam:CreateInstanceProfile",
      Condition: {
        StringEquals: { ...requestForCluster, "aws:RequestTag/topology.kubernetes.io/region": r },
        StringLike: { "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
      },
    },
    {
      Sid: "AllowScopedInstanceProfileTagActions",
      Effect: "Allow",
      Resource: instanceProfile,
      Action: "iam:TagInstanceProfile",
      Condition: {
        StringEquals: {
          ...ownedByCluster,
          "aws:ResourceTag/topology.kubernetes.io/region": r,
          ...requestForCluster,
          "aws:RequestTag/topology.kubernetes.io/region": r,
        },
        StringLike: {
          "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*",
          "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*",
        },
      },
    },
    {
      Sid: "AllowScopedInstanceProfileActions",
      Effect: "Allow",
      Resource: instanceProfile,
      Action: [
        "iam:AddRoleToInstanceProfile",
        "iam:RemoveRoleFromInstanceProfile",
        "iam:DeleteInstanceProfile",
      ],
      Condition: {
        StringEquals: { ...ownedByCluster, "aws:ResourceTag/topology.kubernetes.io/region": r },
        StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*" },
      },
    },
    {
      Sid: "AllowAPIServerEndpointDiscovery",
      Effect: "Allow",
      Resource: `arn:${p}:eks:${r}:${a}:cluster/${c}`,
      Action: "eks:DescribeCluster",
    },
    {
      Sid: "AllowInterruptionQueueActions",
      Effect: "Allow",
      Resource: scope.interruptionQueueArn,
      Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
    },
    {
      Sid: "AllowInterruptionQueueDecryption",
      Effect: "Allow",
      Resource: scope.interruptionQueueKeyArn,
      Action: "kms:Decrypt",
    },
    {
      Sid: "AllowRegionalReadActions",
      Effect: "Allow",
      Resource: "*",
      Action: [
        "ec2:DescribeCapacityReservations",
        "ec2:DescribeImages",
        "ec2:DescribeInstances",
        "ec2:DescribeInstanceStatus",
        "ec2:DescribeInstanceTypeOfferings",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeLaunchTemplates",
        "ec2:DescribePlacementGroups",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSpotPriceHistory",
        "ec2:DescribeSubnets",
      ],
      Condition: { StringEquals: { "aws:RequestedRegion": r } },
    },
    {
      Sid: "AllowSSMReadActions",
      Effect: "Allow",
      Resource: `arn:${p}:ssm:${r}::parameter/aws/service/*`,
      Action: "ssm:GetParameter",
    },
    {
      Sid: "AllowPricingReadActions",
      Effect: "Allow",
      Resource: "*",
      Action: "pricing:GetProducts",
    },
    {
      Sid: "AllowUnscopedInstanceProfileListAction",
      Effect: "Allow",
      Resource: "*",
      Action: "iam:ListInstanceProfiles",
    },
    {
      Sid: "AllowInstanceProfileReadActions",
      Effect: "Allow",
      Resource: instanceProfile,
      Action: "iam:GetInstanceProfile",
    },
    {
      Sid: "AllowZonalShiftStatusReadOnly",
      Effect: "Allow",
      Resource: "*",
      Action: "arc-zonal-shift:GetManagedResource",
      Condition: {
        StringEquals: {
          "arc-zonal-shift:ResourceIdentifier": `arn:${p}:eks:${r}:${a}:cluster/${c}`,
        },
      },
    },
    // EC2 encrypts node volumes with the caller's rights on the customer-managed key, through grants
    // (the EBS permissions for IAM principals; Karpenter's troubleshooting guide, "Node terminates
    // before ready on failed encrypted EBS volume").
    {
      Sid: "AllowNodeVolumeEncryption",
      Effect: "Allow",
      Resource: scope.volumeKeyArn,
      Action: [
        "kms:GenerateDataKeyWithoutPlaintext",
        "kms:Decrypt",
        "kms:ReEncryptFrom",
        "kms:ReEncryptTo",
        "kms:DescribeKey",
      ],
    },
    {
      Sid: "AllowNodeVolumeGrants",
      Effect: "Allow",
      Resource: scope.volumeKeyArn,
      Action: "kms:CreateGrant",
      Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
    },
  ]);
}

/** EventBridge detail types Karpenter reacts to, from its v1.14 CloudFormation. */
export const INTERRUPTION_EVENTS = {
  "scheduled-change": { source: "aws.health", detailType: "AWS Health Event" },
  "spot-interruption": { source: "aws.ec2", detailType: "EC2 Spot Instance Interruption Warning" },
  rebalance: { source: "aws.ec2", detailType: "EC2 Instance Rebalance Recommendation" },
  "instance-state-change": {
    source: "aws.ec2",
    detailType: "EC2 Instance State-change Notification",
  },
  "capacity-reservation-interruption": {
    source: "aws.ec2",
    detailType: "EC2 Capacity Reservation Instance Interruption Warning",
  },
} as const;

/** Queue policy: EventBridge (and SQS itself) may send; nothing may use the queue without TLS. */
export function interruptionQueuePolicy(queueArn: string): PolicyDocument {
  return policyDocument([
    {
      Sid: "EventBridgeDeliversInterruptionEvents",
      Effect: "Allow",
      Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] },
      Action: "sqs:SendMessage",
      Resource: queueArn,
    },
    {
      Sid: "DenyHTTP",
      Effect: "Deny",
      Principal: "*",
      Action: "sqs:*",
      Resource: queueArn,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ]);
}

/** Key-policy statement letting EventBridge write to the SSE-KMS interruption queue. */
export function interruptionKeyStatement(accountId: string): PolicyStatement {
  return {
    Sid: "EventBridgeEncryptsInterruptionEvents",
    Effect: "Allow",
    Principal: { Service: "events.amazonaws.com" },
    Action: ["kms:GenerateDataKey", "kms:Decrypt"],
    Resource: "*",
    Condition: { StringEquals: { "aws:SourceAccount": accountId } },
  };
}
