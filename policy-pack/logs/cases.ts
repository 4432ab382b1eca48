/** Violating and passing cases of the CloudWatch Logs policies. */
import { type Case, exercising, passes, violates } from "../test/case";
import { change } from "../test/builders";
import { happy } from "../test/fixtures";

export const cases: Case[] = [
  passes("log-group-retention", "one year", happy.logGroup()),
  exercising(
    ["CKV_AWS_66"],
    violates(
      "log-group-retention",
      "kept forever",
      change(happy.logGroup(), "retentionInDays", undefined),
    ),
  ),
  violates("log-group-retention", "7 days", change(happy.logGroup(), "retentionInDays", 7)),
  passes("log-group-kms", "customer key", happy.logGroup()),
  exercising(
    ["CKV_AWS_158", "AVD-AWS-0017"],
    violates("log-group-kms", "no key", change(happy.logGroup(), "kmsKeyId", undefined)),
  ),
  passes("metric-alarm-actions-enabled", "actions left enabled", happy.metricAlarm()),
  exercising(
    ["CKV_AWS_319"],
    violates(
      "metric-alarm-actions-enabled",
      "actions disabled",
      change(happy.metricAlarm(), "actionsEnabled", false),
    ),
  ),
];
