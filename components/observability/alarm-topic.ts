/**
 * The alarm topic where Prometheus alerts (Alertmanager's `sns_configs`) and the CloudWatch alarms
 * meet, and on-call's subscriptions to it: email, PagerDuty over HTTPS, Slack through AWS Chatbot.
 * Also the dead man's switch (a heartbeat topic the Watchdog feeds and a CloudWatch alarm on its
 * publishes) and Alertmanager's IRSA role, allowed to publish to those two topics only.
 */
import { encryptionKey, serviceAccountRole } from "@platform/core";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  AlarmSpec,
  cacheAlarms,
  databaseAlarms,
  heartbeatAlarm,
  rotationFunctionAlarm,
} from "./alarms";
import { ObservabilityArgs, OnCallArgs } from "./args";
import {
  alarmTopicPolicy,
  alertmanagerPublishPolicy,
  chatbotTrustPolicy,
  cloudWatchUsesKeyStatement,
  heartbeatTopicPolicy,
} from "./documents";
import { runbookUrl } from "./runbooks";
import { ALERTMANAGER_SERVICE_ACCOUNT } from "./values";

export interface AlertingPipeline {
  readonly topic: aws.sns.Topic;
  readonly heartbeatTopic: aws.sns.Topic;
  /** The IRSA role annotated on Alertmanager's service account. */
  readonly alertmanagerRole: aws.iam.Role;
  readonly alarmNames: pulumi.Output<string>[];
}

/**
 * Read-only guardrail of the Chatbot channel: members can read CloudWatch from Slack, never change
 * anything (Chatbot applies AdministratorAccess when no guardrail is set).
 */
export const CHATBOT_GUARDRAIL_POLICY_ARN = "arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess";

/**
 * What PagerDuty is sent, by the message body (CloudWatch alarms carry no message attributes, and
 * an attribute filter drops every message without any): every CloudWatch alarm, and the alerts
 * Alertmanager marks critical. Warning and info reach email and chat only.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering.html
 */
export const PAGE_FILTER_POLICY = {
  $or: [
    { AlarmName: [{ exists: true }] },
    { metadata: { additionalContext: { severity: ["critical"] } } },
  ],
};

/** `oncall@example.com` -> `oncall-example-com`: a stable resource name per address. */
export function emailSlug(address: string): string {
  return address
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

function createSubscriptions(
  name: string,
  clusterName: string,
  topic: aws.sns.Topic,
  onCall: OnCallArgs,
  opts: pulumi.CustomResourceOptions,
): void {
  for (const address of onCall.emails ?? []) {
    new aws.sns.TopicSubscription(
      `${name}-alarms-email-${emailSlug(address)}`,
      { topic: topic.arn, protocol: "email", endpoint: address },
      opts,
    );
  }
  if (onCall.pagerDutyUrl !== undefined) {
    new aws.sns.TopicSubscription(
      `${name}-alarms-pagerduty`,
      {
        topic: topic.arn,
        protocol: "https",
        endpoint: pulumi.secret(onCall.pagerDutyUrl),
        endpointAutoConfirms: true,
        filterPolicyScope: "MessageBody",
        filterPolicy: JSON.stringify(PAGE_FILTER_POLICY),
      },
      opts,
    );
  }
  if (onCall.slack !== undefined) {
    const role = new aws.iam.Role(
      `${name}-chatbot-role`,
      {
        description: `AWS Chatbot in Slack for ${clusterName}'s alarm topic (read-only)`,
        assumeRolePolicy: JSON.stringify(chatbotTrustPolicy()),
        maxSessionDuration: 3600,
      },
      opts,
    );
    new aws.iam.RolePolicyAttachment(
      `${name}-chatbot-read-only`,
      { role: role.name, policyArn: CHATBOT_GUARDRAIL_POLICY_ARN },
      opts,
    );
    new aws.chatbot.SlackChannelConfiguration(
      `${name}-chatbot-slack`,
      {
        configurationName: `${clusterName}-alarms`,
        iamRoleArn: role.arn,
        slackTeamId: onCall.slack.workspaceId,
        slackChannelId: onCall.slack.channelId,
        snsTopicArns: [topic.arn],
        guardrailPolicyArns: [CHATBOT_GUARDRAIL_POLICY_ARN],
        // Commands from the channel run with each member's own role, never the channel's.
        userAuthorizationRequired: true,
        loggingLevel: "ERROR",
      },
      opts,
    );
  }
}

function createAlarm(
  name: string,
  clusterName: string,
  spec: AlarmSpec,
  topic: aws.sns.Topic,
  opts: pulumi.CustomResourceOptions,
): aws.cloudwatch.MetricAlarm {
  return new aws.cloudwatch.MetricAlarm(
    `${name}-${spec.id}`,
    {
      name: `${clusterName}-${spec.id}`,
      alarmDescription: `${spec.description}. Runbook: ${runbookUrl(spec.runbook)}`,
      namespace: spec.namespace,
      metricName: spec.metricName,
      dimensions: spec.dimensions,
      statistic: spec.statistic,
      period: spec.periodSeconds,
      evaluationPeriods: spec.evaluationPeriods,
      datapointsToAlarm: spec.evaluationPeriods,
      comparisonOperator: spec.comparison,
      threshold: spec.threshold,
      treatMissingData: spec.treatMissingData,
      alarmActions: [topic.arn],
      okActions: [topic.arn],
    },
    opts,
  );
}

/**
 * The alarm topic and its subscriptions, the heartbeat topic and alarm, Alertmanager's role, and
 * CloudWatch alarms on the data tier's databases, cache nodes and secret rotations. Both topics are encrypted with a
 * protected customer key that CloudWatch and Alertmanager's role may use.
 */
export function createAlertingPipeline(
  name: string,
  args: ObservabilityArgs,
  monitoringNamespace: string,
  opts: pulumi.CustomResourceOptions,
): AlertingPipeline {
  const alarmsKey = encryptionKey(
    `${name}-alarms-key`,
    {
      description: `SNS topic of ${args.clusterName}'s CloudWatch alarms`,
      accountId: args.accountId,
      region: args.region,
      alias: `${args.clusterName}-alarms`,
      extraStatements: [cloudWatchUsesKeyStatement(args.accountId)],
    },
    { ...opts, protect: true },
  );
  const topic = new aws.sns.Topic(
    `${name}-alarms`,
    { name: `${args.clusterName}-alarms`, kmsMasterKeyId: alarmsKey.arn },
    opts,
  );
  new aws.sns.TopicPolicy(
    `${name}-alarms-policy`,
    {
      arn: topic.arn,
      policy: topic.arn.apply((arn) =>
        JSON.stringify(alarmTopicPolicy(arn, args.accountId, args.region)),
      ),
    },
    opts,
  );
  createSubscriptions(name, args.clusterName, topic, args.onCall ?? {}, opts);

  const heartbeatTopicName = `${args.clusterName}-alertmanager-heartbeat`;
  const heartbeatTopic = new aws.sns.Topic(
    `${name}-heartbeat`,
    { name: heartbeatTopicName, kmsMasterKeyId: alarmsKey.arn },
    opts,
  );
  new aws.sns.TopicPolicy(
    `${name}-heartbeat-policy`,
    {
      arn: heartbeatTopic.arn,
      policy: heartbeatTopic.arn.apply((arn) => JSON.stringify(heartbeatTopicPolicy(arn))),
    },
    opts,
  );
  const alertmanagerRole = serviceAccountRole(
    `${name}-alertmanager-role`,
    {
      oidcProviderArn: args.oidcProviderArn,
      oidcIssuerUrl: args.oidcProviderUrl,
      namespace: monitoringNamespace,
      serviceAccount: ALERTMANAGER_SERVICE_ACCOUNT,
      policy: pulumi
        .all([topic.arn, heartbeatTopic.arn, alarmsKey.arn])
        .apply(([alarmTopicArn, heartbeatTopicArn, keyArn]) =>
          JSON.stringify(alertmanagerPublishPolicy([alarmTopicArn, heartbeatTopicArn], keyArn)),
        ),
    },
    opts,
  );

  const specs: AlarmSpec[] = [
    heartbeatAlarm(heartbeatTopicName),
    ...(args.databases ?? []).flatMap(databaseAlarms),
    ...(args.caches ?? []).flatMap(cacheAlarms),
    ...(args.rotationFunctions ?? []).map(rotationFunctionAlarm),
  ];
  const alarmNames = specs.map(
    (spec) => createAlarm(name, args.clusterName, spec, topic, opts).name,
  );
  return { topic, heartbeatTopic, alertmanagerRole, alarmNames };
}
