/**
 * IAM policy documents of the add-ons, as pure functions of known values so that tests can assert
 * every statement. Each one follows its project's published policy, narrowed to this cluster,
 * region, account, queue or hosted zone wherever the action supports resource-level permissions.
 */

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

function document(statements: readonly PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

export interface KarpenterPolicyScope {
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
  return document([
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
  return document([
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
export function interruptionKeyStatement(accountId: string): Record<string, unknown> {
  return {
    Sid: "EventBridgeEncryptsInterruptionEvents",
    Effect: "Allow",
    Principal: { Service: "events.amazonaws.com" },
    Action: ["kms:GenerateDataKey", "kms:Decrypt"],
    Resource: "*",
    Condition: { StringEquals: { "aws:SourceAccount": accountId } },
  };
}

/**
 * The AWS Load Balancer Controller's published policy for v3.5.0, verbatim: the controller needs
 * to create and tag load balancers, target groups and security groups it cannot know in advance;
 * mutations are conditioned on its `elbv2.k8s.aws/cluster` tag.
 * @see https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/v3.5.0/docs/install/iam_policy.json
 */
export function awsLoadBalancerControllerPolicy(): PolicyDocument {
  const managedByController = { Null: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "false" } };
  const taggingOwnResources = {
    Null: {
      "aws:RequestTag/elbv2.k8s.aws/cluster": "true",
      "aws:ResourceTag/elbv2.k8s.aws/cluster": "false",
    },
  };
  const elbResources = [
    "arn:aws:elasticloadbalancing:*:*:targetgroup/*/*",
    "arn:aws:elasticloadbalancing:*:*:loadbalancer/net/*/*",
    "arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*",
  ];
  return document([
    {
      Effect: "Allow",
      Action: ["iam:CreateServiceLinkedRole"],
      Resource: "*",
      Condition: {
        StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" },
      },
    },
    {
      Effect: "Allow",
      Action: [
        "ec2:DescribeAccountAttributes",
        "ec2:DescribeAddresses",
        "ec2:DescribeAvailabilityZones",
        "ec2:DescribeInternetGateways",
        "ec2:DescribeVpcs",
        "ec2:DescribeVpcPeeringConnections",
        "ec2:DescribeSubnets",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeInstances",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeTags",
        "ec2:GetCoipPoolUsage",
        "ec2:DescribeCoipPools",
        "ec2:GetSecurityGroupsForVpc",
        "ec2:DescribeIpamPools",
        "ec2:DescribeRouteTables",
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeLoadBalancerAttributes",
        "elasticloadbalancing:DescribeListeners",
        "elasticloadbalancing:DescribeListenerCertificates",
        "elasticloadbalancing:DescribeSSLPolicies",
        "elasticloadbalancing:DescribeRules",
        "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetGroupAttributes",
        "elasticloadbalancing:DescribeTargetHealth",
        "elasticloadbalancing:DescribeTags",
        "elasticloadbalancing:DescribeTrustStores",
        "elasticloadbalancing:DescribeListenerAttributes",
        "elasticloadbalancing:DescribeCapacityReservation",
      ],
      Resource: "*",
    },
    {
      Effect: "Allow",
      Action: [
        "cognito-idp:DescribeUserPoolClient",
        "acm:ListCertificates",
        "acm:DescribeCertificate",
        "iam:ListServerCertificates",
        "iam:GetServerCertificate",
        "waf-regional:GetWebACL",
        "waf-regional:GetWebACLForResource",
        "waf-regional:AssociateWebACL",
        "waf-regional:DisassociateWebACL",
        "wafv2:GetWebACL",
        "wafv2:GetWebACLForResource",
        "wafv2:AssociateWebACL",
        "wafv2:DisassociateWebACL",
        "shield:GetSubscriptionState",
        "shield:DescribeProtection",
        "shield:CreateProtection",
        "shield:DeleteProtection",
      ],
      Resource: "*",
    },
    {
      Effect: "Allow",
      Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
      Resource: "*",
    },
    { Effect: "Allow", Action: ["ec2:CreateSecurityGroup"], Resource: "*" },
    {
      Effect: "Allow",
      Action: ["ec2:CreateTags"],
      Resource: "arn:aws:ec2:*:*:security-group/*",
      Condition: {
        StringEquals: { "ec2:CreateAction": "CreateSecurityGroup" },
        Null: { "aws:RequestTag/elbv2.k8s.aws/cluster": "false" },
      },
    },
    {
      Effect: "Allow",
      Action: ["ec2:CreateTags", "ec2:DeleteTags"],
      Resource: "arn:aws:ec2:*:*:security-group/*",
      Condition: taggingOwnResources,
    },
    {
      Effect: "Allow",
      Action: [
        "ec2:AuthorizeSecurityGroupIngress",
        "ec2:RevokeSecurityGroupIngress",
        "ec2:DeleteSecurityGroup",
      ],
      Resource: "*",
      Condition: managedByController,
    },
    {
      Effect: "Allow",
      Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
      Resource: "*",
      Condition: { Null: { "aws:RequestTag/elbv2.k8s.aws/cluster": "false" } },
    },
    {
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:CreateListener",
        "elasticloadbalancing:DeleteListener",
        "elasticloadbalancing:CreateRule",
        "elasticloadbalancing:DeleteRule",
      ],
      Resource: "*",
    },
    {
      Effect: "Allow",
      Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
      Resource: elbResources,
      Condition: taggingOwnResources,
    },
    {
      Effect: "Allow",
      Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
      Resource: [
        "arn:aws:elasticloadbalancing:*:*:listener/net/*/*/*",
        "arn:aws:elasticloadbalancing:*:*:listener/app/*/*/*",
        "arn:aws:elasticloadbalancing:*:*:listener-rule/net/*/*/*",
        "arn:aws:elasticloadbalancing:*:*:listener-rule/app/*/*/*",
      ],
    },
    {
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:ModifyLoadBalancerAttributes",
        "elasticloadbalancing:SetIpAddressType",
        "elasticloadbalancing:SetSecurityGroups",
        "elasticloadbalancing:SetSubnets",
        "elasticloadbalancing:DeleteLoadBalancer",
        "elasticloadbalancing:ModifyTargetGroup",
        "elasticloadbalancing:ModifyTargetGroupAttributes",
        "elasticloadbalancing:DeleteTargetGroup",
        "elasticloadbalancing:ModifyListenerAttributes",
        "elasticloadbalancing:ModifyCapacityReservation",
        "elasticloadbalancing:ModifyIpPools",
      ],
      Resource: "*",
      Condition: managedByController,
    },
    {
      Effect: "Allow",
      Action: ["elasticloadbalancing:AddTags"],
      Resource: elbResources,
      Condition: {
        StringEquals: {
          "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"],
        },
        Null: { "aws:RequestTag/elbv2.k8s.aws/cluster": "false" },
      },
    },
    {
      Effect: "Allow",
      Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
      Resource: "arn:aws:elasticloadbalancing:*:*:targetgroup/*/*",
    },
    {
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:SetWebAcl",
        "elasticloadbalancing:ModifyListener",
        "elasticloadbalancing:AddListenerCertificates",
        "elasticloadbalancing:RemoveListenerCertificates",
        "elasticloadbalancing:ModifyRule",
        "elasticloadbalancing:SetRulePriorities",
      ],
      Resource: "*",
    },
  ]);
}

/** `arn:aws:route53:::hostedzone/Z123`: Route 53 is global, its ARNs carry no region or account. */
export function hostedZoneArn(partition: string, zoneId: string): string {
  return `arn:${partition}:route53:::hostedzone/${zoneId}`;
}

/**
 * external-dns in `upsert-only` mode, limited to one hosted zone: it may create and update (never
 * delete) A, AAAA, CNAME and TXT records there. `ListHostedZones` has no resource-level permissions;
 * the controller calls it even with a zone-id filter.
 * @see https://github.com/kubernetes-sigs/external-dns/blob/external-dns-helm-chart-1.21.1/docs/tutorials/aws.md
 */
export function externalDnsPolicy(partition: string, zoneId: string): PolicyDocument {
  const zone = hostedZoneArn(partition, zoneId);
  return document([
    {
      Sid: "UpsertRecordsInTheStackZone",
      Effect: "Allow",
      Action: "route53:ChangeResourceRecordSets",
      Resource: zone,
      Condition: {
        "ForAllValues:StringEquals": {
          "route53:ChangeResourceRecordSetsActions": ["CREATE", "UPSERT"],
          "route53:ChangeResourceRecordSetsRecordTypes": ["A", "AAAA", "CNAME", "TXT"],
        },
      },
    },
    {
      Sid: "ReadTheStackZone",
      Effect: "Allow",
      Action: ["route53:ListResourceRecordSets", "route53:ListTagsForResources"],
      Resource: zone,
    },
    {
      Sid: "ListZones",
      Effect: "Allow",
      Action: "route53:ListHostedZones",
      Resource: "*",
    },
  ]);
}

/**
 * cert-manager's Route 53 DNS-01 solver, limited to `_acme-challenge` TXT records in one zone. The
 * ClusterIssuer names the zone, so cert-manager never needs to list zones.
 * @see https://cert-manager.io/docs/configuration/acme/dns01/route53/
 */
export function certManagerDns01Policy(partition: string, zoneId: string): PolicyDocument {
  const zone = hostedZoneArn(partition, zoneId);
  return document([
    {
      Sid: "WatchChangePropagation",
      Effect: "Allow",
      Action: "route53:GetChange",
      Resource: `arn:${partition}:route53:::change/*`,
    },
    {
      Sid: "WriteAcmeChallengeRecords",
      Effect: "Allow",
      Action: "route53:ChangeResourceRecordSets",
      Resource: zone,
      Condition: {
        "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": ["TXT"] },
        "ForAllValues:StringLike": {
          "route53:ChangeResourceRecordSetsNormalizedRecordNames": ["_acme-challenge.*"],
        },
      },
    },
    {
      Sid: "ReadTheStackZone",
      Effect: "Allow",
      Action: "route53:ListResourceRecordSets",
      Resource: zone,
    },
  ]);
}
