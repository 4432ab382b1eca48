/**
 * Amazon Managed Service for Prometheus workspaces hold the platform's long-term metrics: they are
 * encrypted with a customer-managed key (without `kmsKeyArn`, an AWS-owned key the account cannot
 * audit or revoke) and log to CloudWatch, so that rejected or throttled writes are visible.
 * Neither pinned scanner has a check for `aws_prometheus_workspace` (scanners/checkov.json and
 * trivy.json list none): these policies name no control.
 */
import { AMP_WORKSPACE, isUnknown } from "@platform/model";
import { resourcePolicy, type DomainPolicy } from "../lib/policy";
import { label } from "../lib/values";
import { isCustomerManagedKey } from "./cmk";

/** A CloudWatch Logs ARN as AMP's logging configuration takes it: ending in `:*`. */
function isLogGroupArn(value: unknown): boolean {
  return (
    isUnknown(value) || (typeof value === "string" && /^arn:aws[\w-]*:logs:.+:\*$/.test(value))
  );
}

export const ampPolicies: DomainPolicy[] = [
  resourcePolicy({
    name: "amp-workspace-cmk",
    description:
      "Checks that Amazon Managed Service for Prometheus workspaces are encrypted with a customer-managed KMS key.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: [AMP_WORKSPACE],
    controls: {},
    validate: (r) => {
      if (!isCustomerManagedKey(r.props.kmsKeyArn)) {
        r.report(
          `${label("AMP workspace", r.name)} must be encrypted with a customer-managed KMS key: set kmsKeyArn to the ARN of a key the platform creates (it can only be set when the workspace is created).`,
        );
      }
    },
  }),
  resourcePolicy({
    name: "amp-workspace-logging",
    description:
      "Checks that Amazon Managed Service for Prometheus workspaces send their logs to a CloudWatch log group.",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: [AMP_WORKSPACE],
    controls: {},
    validate: (r) => {
      const logging = r.props.loggingConfiguration;
      // Built from a log group the program creates: unknown until apply, as a whole or its ARN.
      if (isUnknown(logging)) return;
      const arn = (logging as Record<string, unknown> | undefined)?.logGroupArn;
      if (!isLogGroupArn(arn)) {
        r.report(
          `${label("AMP workspace", r.name)} must log to CloudWatch: set loggingConfiguration.logGroupArn to "<log group ARN>:*" of a log group with retention and a KMS key.`,
        );
      }
    },
  }),
];
