/**
 * Pure IAM documents of observability: the alarm topic's and its key's policies, and the stores'
 * and Grafana's role policies. Plain values in, JSON-ready values out.
 */
import { PolicyDocument, policyDocument, PolicyStatement } from "@platform/core";

/** The SNS topic's key policy statement: CloudWatch must use the key to publish alarms. */
export function cloudWatchUsesKeyStatement(accountId: string): PolicyStatement {
  return {
    Sid: "CloudWatchPublishesAlarmsToEncryptedTopic",
    Effect: "Allow",
    Principal: { Service: "cloudwatch.amazonaws.com" },
    Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
    Resource: "*",
    Condition: { StringEquals: { "aws:SourceAccount": accountId } },
  };
}

/** Only this account's CloudWatch alarms may publish, and only over TLS. */
export function alarmTopicPolicy(
  topicArn: string,
  accountId: string,
  region: string,
): PolicyDocument {
  return policyDocument([
    {
      Sid: "CloudWatchAlarmsPublish",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: "sns:Publish",
      Resource: topicArn,
      Condition: {
        StringEquals: { "aws:SourceAccount": accountId },
        ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${region}:${accountId}:alarm:*` },
      },
    },
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "sns:Publish",
      Resource: topicArn,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ]);
}

/**
 * Read-only CloudWatch access for Grafana's CloudWatch data source (Grafana docs, "IAM policies"
 * for the CloudWatch data source), limited to metrics and this region's alarms. Listing and
 * reading metrics has no resource-level permissions in IAM, hence `*` there.
 */
export function grafanaCloudWatchReadPolicy(accountId: string, region: string): PolicyDocument {
  return policyDocument([
    {
      Sid: "ReadMetrics",
      Effect: "Allow",
      Action: [
        "cloudwatch:GetMetricData",
        "cloudwatch:ListMetrics",
        "cloudwatch:DescribeAlarmsForMetric",
      ],
      Resource: "*",
    },
    {
      Sid: "ReadAlarms",
      Effect: "Allow",
      Action: ["cloudwatch:DescribeAlarms", "cloudwatch:DescribeAlarmHistory"],
      Resource: `arn:aws:cloudwatch:${region}:${accountId}:alarm:*`,
    },
    {
      Sid: "ResolveDimensions",
      Effect: "Allow",
      Action: ["ec2:DescribeRegions", "tag:GetResources"],
      Resource: "*",
    },
  ]);
}

/**
 * Least privilege for a store that owns one bucket: list it, read, write and delete its objects
 * (Loki's compactor and Tempo's compactor delete expired data), and use its key.
 */
export function bucketAccessPolicy(bucketArn: string, keyArn: string): PolicyDocument {
  return policyDocument([
    { Sid: "ListBucket", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn },
    {
      Sid: "ReadWriteObjects",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: `${bucketArn}/*`,
    },
    {
      Sid: "UseBucketKey",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: keyArn,
    },
  ]);
}

/**
 * Alertmanager's IRSA role: publish to its topics (the alarm topic and the heartbeat topic) and
 * nothing else, and use their key as SNS requires of a publisher to an encrypted topic.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#sns-what-permissions-for-sse
 */
export function alertmanagerPublishPolicy(
  topicArns: readonly string[],
  keyArn: string,
): PolicyDocument {
  return policyDocument([
    {
      Sid: "PublishToAlertTopics",
      Effect: "Allow",
      Action: "sns:Publish",
      Resource: [...topicArns],
    },
    {
      Sid: "UseTopicKey",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: keyArn,
    },
  ]);
}

/** The heartbeat topic: only over TLS (Alertmanager publishes with its role's identity policy). */
export function heartbeatTopicPolicy(topicArn: string): PolicyDocument {
  return policyDocument([
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "sns:Publish",
      Resource: topicArn,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ]);
}

/**
 * AWS Chatbot assumes the Slack channel configuration's role.
 * @see https://docs.aws.amazon.com/chatbot/latest/adminguide/chatbot-iam-policies.html
 */
export function chatbotTrustPolicy(): PolicyDocument {
  return policyDocument([
    {
      Sid: "ChatbotAssumesRole",
      Effect: "Allow",
      Principal: { Service: "chatbot.amazonaws.com" },
      Action: "sts:AssumeRole",
    },
  ]);
}

/**
 * Prometheus's IRSA policy: remote write to the region's AMP workspace and nothing else.
 * @see https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-and-IAM.html
 */
export function remoteWritePolicy(workspaceArn: string): PolicyDocument {
  return policyDocument([
    { Sid: "RemoteWrite", Effect: "Allow", Action: "aps:RemoteWrite", Resource: workspaceArn },
  ]);
}

/** Grafana's AMP data source: the query API of the one workspace, read-only. */
export function managedPrometheusQueryPolicy(workspaceArn: string): PolicyDocument {
  return policyDocument([
    {
      Sid: "QueryWorkspace",
      Effect: "Allow",
      Action: ["aps:QueryMetrics", "aps:GetSeries", "aps:GetLabels", "aps:GetMetricMetadata"],
      Resource: workspaceArn,
    },
  ]);
}
