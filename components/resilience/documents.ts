/**
 * The FIS experiment role's documents: trusted by FIS for this account's experiments only, allowed
 * the actions the declared templates use, on this stack's resources only (by tag where the service
 * supports `aws:ResourceTag`, by ARN otherwise). Describe and log-delivery calls support no resource
 * scope and get `*`.
 * @see https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html (permissions per action)
 * @see https://docs.aws.amazon.com/fis/latest/userguide/monitoring-logging.html#fis-logging-permissions
 */
import { policyDocument, PolicyDocument, PolicyStatement } from "@platform/core";
import { STACK_TAG_KEY } from "@platform/model";

export function fisTrustPolicy(accountId: string, region: string): PolicyDocument {
  return policyDocument([
    {
      Effect: "Allow",
      Principal: { Service: "fis.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: {
        StringEquals: { "aws:SourceAccount": accountId },
        ArnLike: { "aws:SourceArn": `arn:aws:fis:${region}:${accountId}:experiment/*` },
      },
    },
  ]);
}

export interface FisRoleScope {
  readonly accountId: string;
  readonly region: string;
  readonly stack: string;
  readonly vpcId: string;
  readonly clusterArn: string;
  readonly volumeKeyArn: string;
  readonly postgresPrimaryArn?: string;
  readonly cacheReplicationGroupArn?: string;
}

/** The IAM actions each FIS action needs beyond the shared describe calls (FIS actions reference). */
export const FIS_ACTION_PERMISSIONS: Readonly<Record<string, readonly string[]>> = {
  "aws:ec2:stop-instances": [
    "ec2:StopInstances",
    "ec2:StartInstances",
    "ec2:DescribeInstances",
    "kms:CreateGrant",
  ],
  "aws:ec2:terminate-instances": ["ec2:TerminateInstances", "ec2:DescribeInstances"],
  "aws:ec2:send-spot-instance-interruptions": [
    "ec2:SendSpotInstanceInterruptions",
    "ec2:DescribeInstances",
  ],
  "aws:network:disrupt-connectivity": [
    "ec2:CreateNetworkAcl",
    "ec2:CreateNetworkAclEntry",
    "ec2:CreateTags",
    "ec2:DeleteNetworkAcl",
    "ec2:DescribeManagedPrefixLists",
    "ec2:DescribeNetworkAcls",
    "ec2:DescribeSubnets",
    "ec2:DescribeVpcs",
    "ec2:GetManagedPrefixListEntries",
    "ec2:ReplaceNetworkAclAssociation",
  ],
  "aws:rds:reboot-db-instances": [
    "rds:RebootDBInstance",
    "rds:DescribeDBInstances",
    "tag:GetResources",
  ],
  "aws:elasticache:replicationgroup-interrupt-az-power": [
    "elasticache:InterruptClusterAzPower",
    "elasticache:DescribeReplicationGroups",
    "tag:GetResources",
  ],
  "aws:eks:pod-delete": ["eks:DescribeCluster"],
  "aws:eks:pod-cpu-stress": ["eks:DescribeCluster"],
  "aws:eks:pod-network-latency": ["eks:DescribeCluster", "ec2:DescribeSubnets"],
};

/** Calls FIS makes to deliver experiment logs to CloudWatch Logs (no resource-level scope). */
export const LOG_DELIVERY_ACTIONS = [
  "logs:CreateLogDelivery",
  "logs:PutResourcePolicy",
  "logs:DescribeResourcePolicies",
  "logs:DescribeLogGroups",
] as const;

const DESCRIBE = /^(ec2:(Describe|Get)|rds:Describe|elasticache:Describe|tag:GetResources)/;

/**
 * The least-privilege policy for the given FIS actions: each mutating call on this stack's
 * resources only. Throws for an action this module does not know, so a new experiment cannot run
 * with a role nobody reviewed.
 */
export function fisRolePolicy(actionIds: readonly string[], scope: FisRoleScope): PolicyDocument {
  const unknown = actionIds.filter((a) => FIS_ACTION_PERMISSIONS[a] === undefined);
  if (unknown.length > 0) throw new Error(`no reviewed permissions for FIS actions ${unknown}`);
  const uses = (id: string) => actionIds.includes(id);
  const { accountId, region } = scope;
  const ec2 = (resource: string) => `arn:aws:ec2:${region}:${accountId}:${resource}`;
  const ofStack = { StringEquals: { [`aws:ResourceTag/${STACK_TAG_KEY}`]: scope.stack } };
  const statements: PolicyStatement[] = [];

  const instanceActions = [
    ...(uses("aws:ec2:stop-instances") ? ["ec2:StopInstances", "ec2:StartInstances"] : []),
    ...(uses("aws:ec2:terminate-instances") ? ["ec2:TerminateInstances"] : []),
    ...(uses("aws:ec2:send-spot-instance-interruptions")
      ? ["ec2:SendSpotInstanceInterruptions"]
      : []),
  ];
  if (instanceActions.length > 0) {
    statements.push({
      Sid: "StackInstances",
      Effect: "Allow",
      Action: instanceActions,
      Resource: ec2("instance/*"),
      Condition: ofStack,
    });
  }
  if (uses("aws:ec2:stop-instances")) {
    // Starting a stopped node attaches its encrypted volumes again: EC2 needs a grant on the key.
    statements.push({
      Sid: "StartEncryptedVolumes",
      Effect: "Allow",
      Action: "kms:CreateGrant",
      Resource: scope.volumeKeyArn,
      Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
    });
  }
  if (uses("aws:network:disrupt-connectivity")) {
    // FIS swaps each subnet's network ACL for a deny-all one it creates and tags managedByFIS.
    const vpc = ec2(`vpc/${scope.vpcId}`);
    const inVpc = { StringEquals: { "ec2:Vpc": vpc } };
    statements.push(
      {
        Sid: "CreateFisNetworkAcl",
        Effect: "Allow",
        Action: "ec2:CreateNetworkAcl",
        Resource: ec2("network-acl/*"),
        Condition: { StringEquals: { "aws:RequestTag/managedByFIS": "true" } },
      },
      {
        Sid: "CreateFisNetworkAclInStackVpc",
        Effect: "Allow",
        Action: "ec2:CreateNetworkAcl",
        Resource: vpc,
      },
      {
        Sid: "TagFisNetworkAcl",
        Effect: "Allow",
        Action: "ec2:CreateTags",
        Resource: ec2("network-acl/*"),
        Condition: { StringEquals: { "ec2:CreateAction": "CreateNetworkAcl" } },
      },
      {
        Sid: "ChangeFisNetworkAcl",
        Effect: "Allow",
        Action: ["ec2:CreateNetworkAclEntry", "ec2:DeleteNetworkAcl"],
        Resource: ec2("network-acl/*"),
        Condition: { StringEquals: { "aws:ResourceTag/managedByFIS": "true", "ec2:Vpc": vpc } },
      },
      {
        Sid: "SwapStackSubnetAcls",
        Effect: "Allow",
        Action: "ec2:ReplaceNetworkAclAssociation",
        Resource: [ec2("subnet/*"), ec2("network-acl/*")],
        Condition: inVpc,
      },
    );
  }
  if (uses("aws:rds:reboot-db-instances") && scope.postgresPrimaryArn) {
    statements.push({
      Sid: "FailOverPostgresPrimary",
      Effect: "Allow",
      Action: "rds:RebootDBInstance",
      Resource: scope.postgresPrimaryArn,
    });
  }
  if (
    uses("aws:elasticache:replicationgroup-interrupt-az-power") &&
    scope.cacheReplicationGroupArn
  ) {
    statements.push({
      Sid: "InterruptCachePower",
      Effect: "Allow",
      Action: "elasticache:InterruptClusterAzPower",
      Resource: scope.cacheReplicationGroupArn,
    });
  }
  if (actionIds.some((a) => a.startsWith("aws:eks:pod-"))) {
    statements.push({
      Sid: "DescribeStackCluster",
      Effect: "Allow",
      Action: "eks:DescribeCluster",
      Resource: scope.clusterArn,
    });
  }
  const describe = [
    ...new Set(actionIds.flatMap((a) => FIS_ACTION_PERMISSIONS[a]).filter((p) => DESCRIBE.test(p))),
  ].sort();
  if (describe.length > 0) {
    statements.push({ Sid: "FindTargets", Effect: "Allow", Action: describe, Resource: "*" });
  }
  statements.push({
    Sid: "DeliverExperimentLogs",
    Effect: "Allow",
    Action: [...LOG_DELIVERY_ACTIONS],
    Resource: "*",
  });
  return policyDocument(statements);
}
