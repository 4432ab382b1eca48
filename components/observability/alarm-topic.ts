import { encryptionKey } from "@platform/core";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmSpec, cacheAlarms, databaseAlarms } from "./alarms";
import { ObservabilityArgs } from "./args";
import { alarmTopicPolicy, cloudWatchUsesKeyStatement } from "./documents";

interface AwsAlarms {
  readonly topic: aws.sns.Topic;
  readonly alarmNames: pulumi.Output<string>[];
}

/**
 * CloudWatch alarms on the data tier's databases and cache nodes, to an SNS topic encrypted with a
 * protected customer key that only this account's alarms may publish to, subscribed by on-call.
 */
export function createAwsAlarms(
  name: string,
  args: ObservabilityArgs,
  opts: pulumi.CustomResourceOptions,
): AwsAlarms {
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
  const onCall = args.onCall ?? {};
  if (onCall.pagerDutyCloudWatchUrl !== undefined) {
    new aws.sns.TopicSubscription(
      `${name}-alarms-pagerduty`,
      {
        topic: topic.arn,
        protocol: "https",
        endpoint: pulumi.secret(onCall.pagerDutyCloudWatchUrl),
        endpointAutoConfirms: true,
      },
      opts,
    );
  }
  if (onCall.email !== undefined) {
    new aws.sns.TopicSubscription(
      `${name}-alarms-email`,
      { topic: topic.arn, protocol: "email", endpoint: onCall.email },
      opts,
    );
  }
  const specs: AlarmSpec[] = [
    ...(args.databases ?? []).flatMap(databaseAlarms),
    ...(args.caches ?? []).flatMap(cacheAlarms),
  ];
  const alarmNames = specs.map(
    (spec) =>
      new aws.cloudwatch.MetricAlarm(
        `${name}-${spec.id}`,
        {
          name: `${args.clusterName}-${spec.id}`,
          alarmDescription: spec.description,
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
      ).name,
  );
  return { topic, alarmNames };
}
