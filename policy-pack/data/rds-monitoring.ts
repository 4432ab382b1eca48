/**
 * RDS enhanced monitoring (OS metrics at up to one-second granularity) on every DB instance:
 * primaries, cross-region replicas (production after a promotion) and in-region read replicas
 * alike, since any read replica can be promoted and the monitoring costs only its CloudWatch Logs
 * ingestion.
 */
import { isUnknown } from "@platform/model";
import { configProperty, resourcePolicy } from "../lib/policy";
import { label } from "../lib/values";

const RDS_INSTANCE = "aws:rds/instance:Instance";

export const rdsMonitoringPolicies = [
  resourcePolicy({
    name: "rds-instance-enhanced-monitoring",
    description:
      "Checks that every RDS instance, read replicas included, has enhanced monitoring at most `maxIntervalSeconds` apart, with a monitoring role.",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: [RDS_INSTANCE],
    controls: { checkov: ["CKV_AWS_118"] },
    config: {
      maxIntervalSeconds: configProperty.integer(
        60,
        "Longest interval between enhanced monitoring samples (RDS allows 1, 5, 10, 15, 30, 60)",
        1,
        60,
      ),
    },
    validate: (r) => {
      const config = r.config;
      const interval = r.props.monitoringInterval;
      if (isUnknown(interval)) return;
      const seconds = Number(interval ?? 0);
      if (!(seconds > 0) || seconds > config.maxIntervalSeconds) {
        r.report(
          `${label("RDS instance", r.name)} must have enhanced monitoring: set monitoringInterval between 1 and ${config.maxIntervalSeconds} seconds and monitoringRoleArn to a role trusting monitoring.rds.amazonaws.com with AmazonRDSEnhancedMonitoringRole (got ${interval === undefined ? "none" : String(interval)}).`,
        );
        return;
      }
      if (r.props.monitoringRoleArn === undefined || r.props.monitoringRoleArn === "") {
        r.report(
          `${label("RDS instance", r.name)} must name the role RDS publishes enhanced monitoring with: set monitoringRoleArn.`,
        );
      }
    },
  }),
];
