/**
 * Pure IAM documents of the network and the cluster: plain values in, JSON-ready values out, so
 * every statement is tested exactly.
 */
import { KEY_USER_ACTIONS, PolicyDocument, policyDocument, PolicyStatement } from "@platform/core";

/** Trust policy of a role EC2 instances assume: the nodes of managed node groups and Karpenter. */
export function nodeTrustPolicy(): PolicyDocument {
  return policyDocument([
    {
      Effect: "Allow",
      Principal: { Service: "ec2.amazonaws.com" },
      Action: "sts:AssumeRole",
    },
  ]);
}

/**
 * Key-policy statements of the volume key: managed node groups launch through Auto Scaling, whose
 * service-linked role must encrypt, decrypt and grant for the volumes it attaches.
 */
export function autoScalingVolumeKeyStatements(accountId: string): PolicyStatement[] {
  const autoScalingRole = `arn:aws:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
  return [
    {
      Sid: "AutoScalingUsesKeyForNodeVolumes",
      Effect: "Allow",
      Principal: { AWS: autoScalingRole },
      Action: KEY_USER_ACTIONS,
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
  ];
}

/** The EBS CSI driver encrypts persistent volumes with the platform's volume key. */
export function ebsCsiKeyPolicy(volumeKeyArn: string): PolicyDocument {
  return policyDocument([
    {
      Effect: "Allow",
      Action: KEY_USER_ACTIONS,
      Resource: volumeKeyArn,
    },
    {
      Effect: "Allow",
      Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
      Resource: volumeKeyArn,
      Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
    },
  ]);
}

/** Only the flow-logs service, acting for this account, assumes the delivery role. */
export function flowLogsTrustPolicy(accountId: string): PolicyDocument {
  return policyDocument([
    {
      Effect: "Allow",
      Principal: { Service: "vpc-flow-logs.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    },
  ]);
}

/** The delivery role writes to its own log group only. */
export function flowLogsDeliveryPolicy(logGroupArn: string): PolicyDocument {
  return policyDocument([
    {
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
      Resource: [logGroupArn, `${logGroupArn}:*`],
    },
  ]);
}
