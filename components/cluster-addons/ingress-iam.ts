/**
 * IAM documents of the ingress path's controllers, as pure functions of known values so that tests
 * can assert every statement. Each follows its project's published policy, narrowed to the stack's
 * hosted zone wherever the action supports resource-level permissions.
 */
import { PolicyDocument, policyDocument } from "@platform/core";

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
  return policyDocument([
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
function hostedZoneArn(partition: string, zoneId: string): string {
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
  return policyDocument([
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
  return policyDocument([
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
