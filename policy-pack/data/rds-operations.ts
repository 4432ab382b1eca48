/**
 * RDS operations the scanners check beyond storage: database logs exported to CloudWatch, a current
 * certificate authority for TLS, and cross-region automated backups under a customer-managed key.
 */
import { isUnknown, RDS_INSTANCE } from "@platform/model";
import { resourcePolicy, type DomainPolicy } from "../lib/policy";
import { asArray, label } from "../lib/values";
import { isCustomerManagedKey } from "./cmk";

const AUTOMATED_BACKUPS_REPLICATION =
  "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication";

/**
 * The CAs RDS offers today; rds-ca-2019 expired in August 2024.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL-certificate-rotation.html (read 2025-06)
 * Checkov 3.3.13 (RDSCACertIsRecent.py) expects the same three.
 */
const CURRENT_CAS = ["rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"];

export const rdsOperationsPolicies: DomainPolicy[] = [
  resourcePolicy({
    name: "rds-instance-log-exports",
    description: "Checks that RDS instances export their database logs to CloudWatch Logs.",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: [RDS_INSTANCE],
    controls: { checkov: ["CKV_AWS_129"] },
    validate: (r) => {
      const exports = r.props.enabledCloudwatchLogsExports;
      if (isUnknown(exports)) return;
      if (asArray(exports).length === 0) {
        r.report(
          `${label("RDS instance", r.name)} must export its logs to CloudWatch Logs: set enabledCloudwatchLogsExports (for PostgreSQL ["postgresql", "upgrade"]).`,
        );
      }
    },
  }),
  resourcePolicy({
    name: "rds-instance-current-ca",
    description: "Checks that an RDS instance's certificate authority, when set, is a current one.",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: [RDS_INSTANCE],
    controls: { checkov: ["CKV_AWS_211"] },
    validate: (r) => {
      const ca = r.props.caCertIdentifier;
      if (ca === undefined || isUnknown(ca)) return; // RDS then picks its current default CA
      if (!CURRENT_CAS.includes(String(ca))) {
        r.report(
          `${label("RDS instance", r.name)} must use a current certificate authority: set caCertIdentifier to one of ${CURRENT_CAS.join(", ")} (got "${String(ca)}").`,
        );
      }
    },
  }),
  resourcePolicy({
    name: "rds-backup-replication-cmk",
    description:
      "Checks that automated backups replicated to another region are encrypted with a customer-managed key.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: [AUTOMATED_BACKUPS_REPLICATION],
    controls: { checkov: ["CKV_AWS_245"] },
    validate: (r) => {
      if (!isCustomerManagedKey(r.props.kmsKeyId)) {
        r.report(
          `${label("RDS automated backups replication", r.name)} must be encrypted with a customer-managed key: set kmsKeyId to a key in the destination region.`,
        );
      }
    },
  }),
];
