/**
 * Happy-path alerting resources: an encrypted alarm topic, a CloudWatch alarm notifying it, and
 * on-call's email subscription to it (each a correct production resource that passes every policy).
 */
import type { AnalyzerResource } from "../../tools/analyzer";
import { ACCOUNT, aws, k8s, KEY_ARN, withDeps } from "../test/builders";

export const ALARM_TOPIC_ARN = `arn:aws:sns:us-west-2:${ACCOUNT}:platform-alarms`;

export const happyAlerting = {
  alarmTopic: () =>
    aws("aws:sns/topic:Topic", "alarms", { name: "platform-alarms", kmsMasterKeyId: KEY_ARN }),
  alarm: (topic: AnalyzerResource) =>
    withDeps(
      aws("aws:cloudwatch/metricAlarm:MetricAlarm", "alertmanager-heartbeat", {
        namespace: "AWS/SNS",
        metricName: "NumberOfMessagesPublished",
        statistic: "Sum",
        period: 300,
        evaluationPeriods: 1,
        comparisonOperator: "LessThanThreshold",
        threshold: 1,
        treatMissingData: "breaching",
        alarmActions: [ALARM_TOPIC_ARN],
      }),
      { alarmActions: [topic] },
    ),
  emailSubscription: (topic: AnalyzerResource) =>
    withDeps(
      aws("aws:sns/topicSubscription:TopicSubscription", "alarms-email", {
        topic: ALARM_TOPIC_ARN,
        protocol: "email",
        endpoint: "oncall@example.com",
      }),
      { topic: [topic] },
    ),
  /** kube-prometheus-stack with Alertmanager receivers `receivers` (its routes are not read). */
  prometheusStack: (receivers: unknown[]) =>
    k8s("kubernetes:helm.sh/v3:Release", "kube-prometheus-stack", {
      chart: "kube-prometheus-stack",
      version: "88.5.3",
      repositoryOpts: { repo: "https://prometheus-community.github.io/helm-charts" },
      namespace: "monitoring",
      values: { alertmanager: { config: { receivers } } },
    }),
};

/** The alarm topic, an alarm on it and the email subscription, for the happy stack. */
export function happyAlertingStack() {
  const alarmTopic = happyAlerting.alarmTopic();
  return {
    alarmTopic,
    alarm: happyAlerting.alarm(alarmTopic),
    alarmEmail: happyAlerting.emailSubscription(alarmTopic),
  };
}
