/**
 * Data safety: resources that hold state are protected from deletion by Pulumi itself, and KMS keys
 * wait long enough before deletion for a mistake to be caught. The Analyzer protocol carries
 * `protect` but not `retainOnDelete`, so `protect` is what the pack can see; the components set it
 * explicitly. Deletion protection, final snapshots and versioning of each service are checked in
 * data/.
 */
import {
  BUCKET_TYPES,
  DYNAMODB_TABLE,
  EBS_VOLUME,
  EFS_FILE_SYSTEM,
  ELASTICACHE_REPLICATION_GROUP,
  ELASTICACHE_SERVERLESS_CACHE,
  KMS_KEY,
  PERSISTENT_VOLUME_CLAIM,
  RDS_CLUSTER,
  RDS_INSTANCE,
} from "@platform/model";
import { configProperty, resourcePolicy } from "../lib/policy";
import { label } from "../lib/values";

const STATEFUL_TYPES = [
  RDS_INSTANCE,
  RDS_CLUSTER,
  "aws:rds/globalCluster:GlobalCluster",
  ELASTICACHE_REPLICATION_GROUP,
  ELASTICACHE_SERVERLESS_CACHE,
  ...BUCKET_TYPES,
  KMS_KEY,
  EBS_VOLUME,
  EFS_FILE_SYSTEM,
  DYNAMODB_TABLE,
  "aws:backup/vault:Vault",
  "aws:secretsmanager/secret:Secret",
  "aws:ecr/repository:Repository",
  PERSISTENT_VOLUME_CLAIM,
];

export const statefulProtected = resourcePolicy({
  name: "stateful-resources-protected",
  description:
    "Checks that resources holding state (databases, caches, buckets, keys, volumes) carry the protect option.",
  enforcementLevel: "mandatory",
  severity: "critical",
  resourceTypes: STATEFUL_TYPES,
  validate: (r) => {
    if (r.args.opts.protect !== true) {
      r.report(
        `${label(r.type, r.name)} must be protected: pass { protect: true } (and retainOnDelete: true) so that no update or destroy can delete its data.`,
      );
    }
  },
});

export const kmsKeyDeletionWindow = resourcePolicy({
  name: "kms-key-deletion-window",
  description: "Checks that KMS keys wait long enough before deletion for a mistake to be caught.",
  enforcementLevel: "mandatory",
  severity: "medium",
  resourceTypes: [KMS_KEY],
  config: {
    minDays: configProperty.integer(30, "Minimum deletionWindowInDays.", 7, 30),
  },
  validate: (r) => {
    const days = r.props.deletionWindowInDays ?? 30; // the AWS default is 30
    if (typeof days === "number" && days < r.config.minDays) {
      r.report(
        `${label("KMS key", r.name)} must wait at least ${r.config.minDays} days before deletion: set deletionWindowInDays to ${r.config.minDays} (got ${days}).`,
      );
    }
  },
});

export const protectionPolicies = [statefulProtected, kmsKeyDeletionWindow];
