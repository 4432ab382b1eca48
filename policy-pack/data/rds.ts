/**
 * RDS instances and Aurora clusters: customer-key encryption, no public endpoint, Multi-AZ in
 * production, backups, deletion protection, a final snapshot, IAM authentication and Performance
 * Insights. Each rule is a pair of single-type policies (instance, cluster) so the runtime filters
 * other resources before deserializing them. Plaintext master passwords and Aurora replicas need the
 * whole stack and live in stack.ts.
 */
import type { PlatformPolicy, ResourceContext } from "../lib/policy";
import { configProperty, resourcePolicy } from "../lib/policy";
import type { Controls } from "../lib/policy";
import type { EnforcementLevel, Severity } from "@pulumi/policy";
import { isUnknown, label, undecidable } from "../lib/values";

export const RDS_INSTANCE = "aws:rds/instance:Instance";
export const RDS_CLUSTER = "aws:rds/cluster:Cluster";
export const RDS_CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance";

const IAM_AUTH_ENGINES = new Set([
  "mysql",
  "postgres",
  "mariadb",
  "aurora-mysql",
  "aurora-postgresql",
  "aurora",
]);

type Kind = "instance" | "cluster";
const KIND_LABEL: Record<Kind, string> = { instance: "RDS instance", cluster: "Aurora cluster" };
const KIND_TYPE: Record<Kind, string> = { instance: RDS_INSTANCE, cluster: RDS_CLUSTER };

interface PairSpec {
  readonly rule: string;
  readonly description: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly severity: Severity;
  readonly controls: Record<Kind, Controls>;
  readonly check: (r: ResourceContext<{ minDays: number }>, kind: Kind) => void;
  readonly minDays?: { readonly default: number; readonly description: string };
}

/** One policy per kind, named `rds-instance-<rule>` and `rds-cluster-<rule>`. */
function pair(spec: PairSpec): PlatformPolicy[] {
  return (["instance", "cluster"] as const).map((kind) =>
    resourcePolicy({
      name: `rds-${kind}-${spec.rule}`,
      description: spec.description.replace(
        "{kind}",
        kind === "instance" ? "RDS instances" : "Aurora clusters",
      ),
      domain: "data",
      enforcementLevel: spec.enforcementLevel,
      severity: spec.severity,
      resourceTypes: [KIND_TYPE[kind]],
      controls: spec.controls[kind],
      config: spec.minDays
        ? { minDays: configProperty.integer(spec.minDays.default, spec.minDays.description) }
        : undefined,
      validate: (r) => spec.check(r as ResourceContext<{ minDays: number }>, kind),
    }),
  );
}

export const rdsPolicies: PlatformPolicy[] = [
  ...pair({
    rule: "encrypted-cmk",
    description: "Checks that {kind} encrypt storage with a customer-managed KMS key.",
    enforcementLevel: "mandatory",
    severity: "high",
    controls: {
      instance: { checkov: ["CKV_AWS_16"], trivy: ["AVD-AWS-0080"] },
      cluster: { checkov: ["CKV_AWS_96", "CKV_AWS_327"], trivy: ["AVD-AWS-0079"] },
    },
    check: (r, kind) => {
      if (r.props.storageEncrypted !== true || !r.props.kmsKeyId) {
        r.report(
          `${label(KIND_LABEL[kind], r.name)} must encrypt storage with a customer-managed key: set storageEncrypted: true and kmsKeyId.`,
        );
      }
    },
  }),
  ...pair({
    rule: "multi-az",
    description: "Checks that production {kind} run across availability zones.",
    enforcementLevel: "mandatory",
    severity: "high",
    controls: { instance: { checkov: ["CKV_AWS_157"] }, cluster: { checkov: ["CKV_AWS_157"] } },
    check: (r, kind) => {
      // Aurora replicates storage across three zones; its instances are checked in stack.ts.
      if (kind === "cluster") {
        const engine = String(r.props.engine ?? "");
        if (engine.startsWith("aurora")) return;
        // Multi-AZ DB clusters (non-Aurora) need the Multi-AZ instance class settings.
        if (!r.props.dbClusterInstanceClass) {
          r.report(
            `${label(KIND_LABEL[kind], r.name)} must be a Multi-AZ DB cluster: set dbClusterInstanceClass, storageType and allocatedStorage.`,
          );
        }
        return;
      }
      if (isUnknown(r.props.multiAz)) undecidable(r.args, ["multiAz"]);
      if (r.props.multiAz !== true && !r.props.replicateSourceDb) {
        r.report(
          `${label(KIND_LABEL[kind], r.name)} must be Multi-AZ: set multiAz: true (or set this policy to disabled for non-production stacks).`,
        );
      }
    },
  }),
  ...pair({
    rule: "backup-retention",
    description:
      "Checks that {kind} keep automated backups long enough to recover from a bad change.",
    enforcementLevel: "mandatory",
    severity: "high",
    minDays: { default: 7, description: "Minimum backupRetentionPeriod in days." },
    controls: {
      instance: { checkov: ["CKV_AWS_133"], trivy: ["AVD-AWS-0077"] },
      cluster: { checkov: ["CKV_AWS_133"], trivy: ["AVD-AWS-0077"] },
    },
    check: (r, kind) => {
      const days = r.props.backupRetentionPeriod;
      if (isUnknown(days)) undecidable(r.args, ["backupRetentionPeriod"]);
      if (kind === "instance" && r.props.replicateSourceDb) return; // replicas inherit the source's backups
      if (typeof days !== "number" || days < r.config.minDays) {
        r.report(
          `${label(KIND_LABEL[kind], r.name)} must keep backups for at least ${r.config.minDays} days: set backupRetentionPeriod (got ${days ?? "the default of 1"}).`,
        );
      }
    },
  }),
  ...pair({
    rule: "deletion-protection",
    description: "Checks that {kind} have deletion protection enabled.",
    enforcementLevel: "mandatory",
    severity: "high",
    controls: { instance: { checkov: ["CKV_AWS_293"] }, cluster: { checkov: ["CKV_AWS_139"] } },
    check: (r, kind) => {
      if (r.props.deletionProtection !== true) {
        r.report(
          `${label(KIND_LABEL[kind], r.name)} must have deletion protection: set deletionProtection: true.`,
        );
      }
    },
  }),
  ...pair({
    rule: "final-snapshot",
    description: "Checks that {kind} take a final snapshot when deleted.",
    enforcementLevel: "mandatory",
    severity: "high",
    controls: { instance: {}, cluster: {} },
    check: (r, kind) => {
      // RDS cannot snapshot a read replica on deletion; its source keeps the data.
      if (kind === "instance" && r.props.replicateSourceDb) return;
      if (r.props.skipFinalSnapshot === true || !r.props.finalSnapshotIdentifier) {
        r.report(
          `${label(KIND_LABEL[kind], r.name)} must take a final snapshot on deletion: set skipFinalSnapshot: false and finalSnapshotIdentifier.`,
        );
      }
    },
  }),
  ...pair({
    rule: "iam-authentication",
    description: "Checks that {kind} accept IAM database authentication.",
    enforcementLevel: "mandatory",
    severity: "medium",
    controls: { instance: { checkov: ["CKV_AWS_161"] }, cluster: { checkov: ["CKV_AWS_162"] } },
    check: (r, kind) => {
      if (!IAM_AUTH_ENGINES.has(String(r.props.engine ?? ""))) return;
      if (r.props.iamDatabaseAuthenticationEnabled !== true) {
        r.report(
          `${label(KIND_LABEL[kind], r.name)} must enable IAM authentication: set iamDatabaseAuthenticationEnabled: true so workloads connect with IRSA tokens instead of passwords.`,
        );
      }
    },
  }),
  ...(
    [
      [RDS_INSTANCE, "rds-instance-performance-insights", "RDS instance"],
      [
        RDS_CLUSTER_INSTANCE,
        "rds-cluster-instance-performance-insights",
        "Aurora cluster instance",
      ],
    ] as const
  ).map(([type, name, kind]) =>
    resourcePolicy({
      name,
      description: `Checks that ${kind}s enable Performance Insights encrypted with a customer key.`,
      domain: "data",
      enforcementLevel: "advisory",
      severity: "low",
      resourceTypes: [type],
      controls: { checkov: ["CKV_AWS_353", "CKV_AWS_354"] },
      validate: (r) => {
        if (r.props.performanceInsightsEnabled !== true || !r.props.performanceInsightsKmsKeyId) {
          r.report(
            `${label(kind, r.name)} must enable Performance Insights with a customer key: set performanceInsightsEnabled: true and performanceInsightsKmsKeyId.`,
          );
        }
      },
    }),
  ),
  resourcePolicy({
    name: "rds-instance-not-public",
    description: "Checks that RDS instances have no publicly reachable endpoint.",
    domain: "data",
    enforcementLevel: "mandatory",
    severity: "critical",
    resourceTypes: [RDS_INSTANCE],
    controls: { checkov: ["CKV_AWS_17"], trivy: ["AVD-AWS-0180"] },
    validate: (r) => {
      if (r.props.publiclyAccessible === true) {
        r.report(
          `${label("RDS instance", r.name)} must not be publicly accessible: set publiclyAccessible: false and reach it from the VPC.`,
        );
      }
    },
  }),
  resourcePolicy({
    name: "rds-cluster-instance-not-public",
    description: "Checks that Aurora cluster instances have no publicly reachable endpoint.",
    domain: "data",
    enforcementLevel: "mandatory",
    severity: "critical",
    resourceTypes: [RDS_CLUSTER_INSTANCE],
    controls: { checkov: ["CKV_AWS_17"], trivy: ["AVD-AWS-0180"] },
    validate: (r) => {
      if (r.props.publiclyAccessible === true) {
        r.report(
          `${label("Aurora cluster instance", r.name)} must not be publicly accessible: set publiclyAccessible: false.`,
        );
      }
    },
  }),
];
