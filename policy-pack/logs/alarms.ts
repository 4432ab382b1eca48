/** CloudWatch alarms: an alarm whose actions are disabled changes state and tells no one. */
import { resourcePolicy, type DomainPolicy } from "../lib/policy";
import { label } from "../lib/values";

export const alarmPolicies: DomainPolicy[] = [
  resourcePolicy({
    name: "metric-alarm-actions-enabled",
    description: "Checks that CloudWatch metric alarms keep their actions enabled.",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: ["aws:cloudwatch/metricAlarm:MetricAlarm"],
    controls: { checkov: ["CKV_AWS_319"] },
    validate: (r) => {
      if (r.props.actionsEnabled === false) {
        r.report(
          `${label("CloudWatch metric alarm", r.name)} must keep its actions enabled: remove actionsEnabled: false (silence a noisy alarm by fixing its threshold).`,
        );
      }
    },
  }),
];
