/** CloudWatch Logs: every log group has a retention period and is encrypted with a customer key. */
import { isUnknown } from "@platform/model";
import { configProperty, resourcePolicy } from "../lib/policy";
import { label, undecidable } from "../lib/values";

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

export const logGroupRetention = resourcePolicy({
  name: "log-group-retention",
  description:
    "Checks that CloudWatch log groups expire events after a set retention period that is long enough for investigations.",
  enforcementLevel: "mandatory",
  severity: "medium",
  resourceTypes: [LOG_GROUP],
  // Not CKV_AWS_338 (a year): 90 days keeps incident investigations possible at a quarter of the storage.
  controls: { checkov: ["CKV_AWS_66"] },
  config: {
    minDays: configProperty.integer(90, "Minimum retentionInDays.", 1, 3653),
  },
  validate: (r) => {
    const days = r.props.retentionInDays;
    if (isUnknown(days)) undecidable(r.args, ["retentionInDays"]);
    if (typeof days !== "number" || days === 0 || days < r.config.minDays) {
      r.report(
        `${label("Log group", r.name)} must set retentionInDays to at least ${r.config.minDays} (got ${days ?? "none, so logs are kept and billed forever"}).`,
      );
    }
  },
});

export const logGroupKms = resourcePolicy({
  name: "log-group-kms",
  description: "Checks that CloudWatch log groups are encrypted with a customer KMS key.",
  enforcementLevel: "mandatory",
  severity: "medium",
  resourceTypes: [LOG_GROUP],
  controls: { checkov: ["CKV_AWS_158"], trivy: ["AVD-AWS-0017"] },
  validate: (r) => {
    if (!r.props.kmsKeyId) {
      r.report(
        `${label("Log group", r.name)} must be encrypted with a customer key: set kmsKeyId to a KMS key whose policy lets logs.<region>.amazonaws.com use it.`,
      );
    }
  },
});

export const logGroupPolicies = [logGroupRetention, logGroupKms];
