/**
 * ElastiCache (Redis OSS / Valkey) replication groups: encryption at rest and in transit, AUTH or
 * RBAC, automatic failover across zones, and snapshots.
 */
import { ELASTICACHE_REPLICATION_GROUP as REPLICATION_GROUP, isUnknown } from "@platform/model";
import { configProperty, resourcePolicy } from "../lib/policy";
import { asArray, label, undecidable } from "../lib/values";

const KIND = "ElastiCache replication group";

export const elasticachePolicies = [
  resourcePolicy({
    name: "elasticache-at-rest-encryption",
    description:
      "Checks that ElastiCache replication groups encrypt data at rest with a customer KMS key.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: [REPLICATION_GROUP],
    controls: { checkov: ["CKV_AWS_29", "CKV_AWS_191"], trivy: ["AVD-AWS-0045"] },
    validate: (r) => {
      if (r.props.atRestEncryptionEnabled !== true || !r.props.kmsKeyId) {
        r.report(
          `${label(KIND, r.name)} must encrypt data at rest with a customer key: set atRestEncryptionEnabled: true and kmsKeyId.`,
        );
      }
    },
  }),
  resourcePolicy({
    name: "elasticache-in-transit-encryption",
    description: "Checks that ElastiCache replication groups require TLS.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: [REPLICATION_GROUP],
    controls: { checkov: ["CKV_AWS_30"], trivy: ["AVD-AWS-0051"] },
    validate: (r) => {
      if (
        r.props.transitEncryptionEnabled !== true ||
        r.props.transitEncryptionMode === "preferred"
      ) {
        r.report(
          `${label(KIND, r.name)} must require TLS: set transitEncryptionEnabled: true (and transitEncryptionMode "required" if set).`,
        );
      }
    },
  }),
  resourcePolicy({
    name: "elasticache-auth",
    description:
      "Checks that ElastiCache replication groups require clients to authenticate (AUTH token or RBAC user groups).",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: [REPLICATION_GROUP],
    controls: { checkov: ["CKV_AWS_31"] },
    validate: (r) => {
      // An unknown token or user group is still a token or user group.
      const hasToken = r.props.authToken !== undefined && r.props.authToken !== "";
      const groups = r.props.userGroupIds;
      const hasGroups = isUnknown(groups) || asArray(groups).length > 0;
      if (!hasToken && !hasGroups) {
        r.report(
          `${label(KIND, r.name)} must require authentication: set userGroupIds (RBAC) or an authToken read from a secret.`,
        );
      }
    },
  }),
  resourcePolicy({
    name: "elasticache-automatic-failover",
    description:
      "Checks that ElastiCache replication groups fail over automatically to a replica in another zone.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: [REPLICATION_GROUP],
    controls: { checkov: ["CKV2_AWS_50"] },
    validate: (r) => {
      if (r.props.automaticFailoverEnabled !== true || r.props.multiAzEnabled !== true) {
        r.report(
          `${label(KIND, r.name)} must fail over across zones: set automaticFailoverEnabled: true and multiAzEnabled: true with at least one replica.`,
        );
      }
    },
  }),
  resourcePolicy({
    name: "elasticache-snapshots",
    description: "Checks that ElastiCache replication groups keep automatic snapshots.",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: [REPLICATION_GROUP],
    // CKV_AWS_134 and AVD-AWS-0050 read aws_elasticache_cluster, not replication groups.
    config: {
      minDays: configProperty.integer(7, "Minimum snapshotRetentionLimit in days.", 1, 35),
    },
    validate: (r) => {
      const days = r.props.snapshotRetentionLimit;
      if (isUnknown(days)) undecidable(r.args, ["snapshotRetentionLimit"]);
      if (typeof days !== "number" || days < r.config.minDays) {
        r.report(
          `${label(KIND, r.name)} must keep snapshots for at least ${r.config.minDays} days: set snapshotRetentionLimit (got ${days ?? "0, no snapshots"}).`,
        );
      }
    },
  }),
];
