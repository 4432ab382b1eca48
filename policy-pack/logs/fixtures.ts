/** Happy-path CloudWatch Logs resources: each a correct production resource that passes every policy. */
import { aws, KEY_ARN } from "../test/builders";

export const happyLogs = {
  logGroup: () =>
    aws("aws:cloudwatch/logGroup:LogGroup", "flow-logs", {
      retentionInDays: 365,
      kmsKeyId: KEY_ARN,
    }),
  metricAlarm: () =>
    aws("aws:cloudwatch/metricAlarm:MetricAlarm", "postgres-cpu", {
      comparisonOperator: "GreaterThanThreshold",
      evaluationPeriods: 3,
      metricName: "CPUUtilization",
      namespace: "AWS/RDS",
      period: 300,
      statistic: "Average",
      threshold: 80,
      alarmActions: ["arn:aws:sns:us-west-2:111122223333:platform-alarms"],
    }),
};
