/**
 * Disaster recovery: every resource that holds state is covered by a backup or replication rule
 * of the same stack. Coverage is decided from the resources themselves, joined by property
 * dependencies (known before deployment) or by known names:
 * - AWS Backup selections: `selectionTags` (STRINGEQUALS) or `conditions.stringEquals` on
 *   `aws:ResourceTag/<key>` matching the resource's tags merged with its provider's defaultTags,
 *   or `resources` naming the resource;
 * - S3: a BucketReplicationConfig on the bucket, or the bucket being a replication destination;
 * - RDS: a cross-region replica (`replicateSourceDb`) or an InstanceAutomatedBackupsReplication
 *   naming the instance, or the instance being such a replica itself; Aurora: a global cluster;
 * - ElastiCache: automatic snapshots (`snapshotRetentionLimit` >= 1) or a global datastore;
 * - DynamoDB: point-in-time recovery or global-table replicas;
 * - Kubernetes PersistentVolumeClaims: a Velero Schedule whose namespaces include the claim's.
 * A resource may opt out with the tag `platform:dr-exempt` (label `platform/dr-exempt` for a PVC)
 * whose value says why: the exemption is visible in code review and in the stack.
 */
import {
  BACKUP_TAG,
  BUCKET_TYPES,
  DR_EXEMPT_LABEL,
  DR_EXEMPT_TAG,
  DYNAMODB_TABLE,
  EBS_VOLUME,
  EFS_FILE_SYSTEM,
  ELASTICACHE_REPLICATION_GROUP,
  ELASTICACHE_SERVERLESS_CACHE,
  PERSISTENT_VOLUME_CLAIM,
  RDS_CLUSTER,
  RDS_INSTANCE,
} from "@platform/model";
import { stackPolicy } from "../lib/policy";
import {
  dependencyUrns,
  knownString,
  namespaceKey,
  StackIndex,
  type StackResource,
} from "../lib/stack-index";
import { asArray, isObject, jsonish, label, raw, type Props } from "../lib/values";

const BACKUP_SELECTION = "aws:backup/selection:Selection";
const BUCKET_REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
const AUTOMATED_BACKUPS_REPLICATION =
  "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication";
const VELERO_SCHEDULE = "kubernetes:velero.io/v1:Schedule";

/** The enrolling tag as a message writes it: `platform:backup=true`. */
const BACKUP = `${BACKUP_TAG.key}=${BACKUP_TAG.value}`;

const STATEFUL_TYPES = [
  RDS_INSTANCE,
  RDS_CLUSTER,
  ...BUCKET_TYPES,
  ELASTICACHE_REPLICATION_GROUP,
  ELASTICACHE_SERVERLESS_CACHE,
  EBS_VOLUME,
  EFS_FILE_SYSTEM,
  DYNAMODB_TABLE,
  PERSISTENT_VOLUME_CLAIM,
];

/** The resource's tags merged over its provider's default tags (JSON-encoded on the provider). */
export function mergedTags(r: StackResource): Props {
  const provider = r.resource.provider ? raw(r.resource.provider.props) : undefined;
  const defaults = jsonish(provider?.defaultTags);
  const defaultTags = isObject(defaults) && isObject(defaults.tags) ? defaults.tags : {};
  const own = isObject(r.props.tags) ? r.props.tags : {};
  return { ...defaultTags, ...own };
}

interface TagRule {
  readonly key: string;
  readonly value: string;
}

/** What AWS Backup selections of the stack enrol: tag rules and resources named by dependency. */
function backupSelections(index: StackIndex): { tags: TagRule[]; urns: Set<string> } {
  const tags: TagRule[] = [];
  const urns = new Set<string>();
  for (const s of index.of(BACKUP_SELECTION)) {
    for (const t of asArray<Props>(s.props.selectionTags)) {
      if (t?.type === "STRINGEQUALS" && knownString(t.key) && typeof t.value === "string") {
        tags.push({ key: t.key, value: t.value });
      }
    }
    // Conditions narrow `resources`; with "*" they select by tag alone.
    const resources = asArray<unknown>(s.props.resources);
    if (resources.includes("*")) {
      for (const c of asArray<Props>(asArray<Props>(s.props.conditions)[0]?.stringEquals)) {
        const key = knownString(c?.key);
        if (key?.startsWith("aws:ResourceTag/") && typeof c.value === "string") {
          tags.push({ key: key.slice("aws:ResourceTag/".length), value: c.value });
        }
      }
    }
    for (const urn of dependencyUrns(s, "resources")) urns.add(urn);
  }
  return { tags, urns };
}

/** URNs and known names that replication or backup-copy resources of `types` point at via `property`. */
function pointedAt(
  index: StackIndex,
  types: readonly string[],
  property: string,
  nameOf: (r: StackResource) => readonly (string | undefined)[],
): { urns: Set<string>; names: Set<string> } {
  const urns = new Set<string>();
  const names = new Set<string>();
  for (const r of index.of(...types)) {
    for (const urn of dependencyUrns(r, property)) urns.add(urn);
    for (const n of nameOf(r)) if (n) names.add(n);
  }
  return { urns, names };
}

/** `arn:aws:rds:<region>:<account>:db:<identifier>` -> identifier (or the value itself). */
function dbIdentifier(value: unknown): string | undefined {
  const s = knownString(value);
  return s?.includes(":db:") ? s.split(":db:").pop() : s;
}

/** `arn:aws:s3:::<bucket>` -> bucket. */
function bucketFromArn(value: unknown): string | undefined {
  const s = knownString(value);
  return s?.startsWith("arn:aws:s3:::") ? s.slice("arn:aws:s3:::".length) : undefined;
}

function veleroNamespaces(
  index: StackIndex,
): { all: boolean; included: Set<string>; excluded: Set<string> }[] {
  return index.of(VELERO_SCHEDULE).map((s) => {
    const template = isObject(s.props.spec?.template) ? s.props.spec.template : {};
    const included = asArray<string>(template.includedNamespaces);
    return {
      all: included.length === 0 || included.includes("*"),
      included: new Set(included),
      excluded: new Set(asArray<string>(template.excludedNamespaces)),
    };
  });
}

export const drStatefulCovered = stackPolicy({
  name: "dr-stateful-resources-covered",
  description:
    "Checks that every stateful resource of the stack is covered by a backup or cross-region replication rule.",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [
    ...STATEFUL_TYPES,
    BACKUP_SELECTION,
    BUCKET_REPLICATION,
    AUTOMATED_BACKUPS_REPLICATION,
    VELERO_SCHEDULE,
  ],
  // Not CKV_AWS_133 (a retention setting), CKV_AWS_134 (aws_elasticache_cluster) or CKV2_AWS_9 (no EBS case).
  controls: { checkov: ["CKV_AWS_144"] },
  remediationSteps: `Tag the resource ${BACKUP} (the disaster-recovery AWS Backup plan selects that tag), replicate it to the DR region, or tag it ${DR_EXEMPT_TAG}=<reason>.`,
  validate: ({ args, report }) => {
    const index = new StackIndex(args.resources);
    const stateful = index.of(...STATEFUL_TYPES);
    if (stateful.length === 0) return;

    const selections = backupSelections(index);
    const bySelection = (r: StackResource) => {
      if (selections.urns.has(r.urn)) return true;
      const tags = mergedTags(r);
      return selections.tags.some((t) => tags[t.key] === t.value);
    };
    // S3: sources (the replication's `bucket`) and destinations (each rule's destination bucket).
    const replicatedBuckets = pointedAt(index, [BUCKET_REPLICATION], "bucket", (c) => [
      knownString(c.props.bucket),
    ]);
    const destinationBuckets = pointedAt(index, [BUCKET_REPLICATION], "rules", (c) =>
      asArray<Props>(c.props.rules).map((rule) => bucketFromArn(rule?.destination?.bucket)),
    );
    // RDS: automated backups replicated, or a replica, naming the source.
    const backedUpDbs = pointedAt(
      index,
      [AUTOMATED_BACKUPS_REPLICATION],
      "sourceDbInstanceArn",
      (b) => [dbIdentifier(b.props.sourceDbInstanceArn)],
    );
    const replicatedDbs = pointedAt(index, [RDS_INSTANCE], "replicateSourceDb", (i) => [
      dbIdentifier(i.props.replicateSourceDb),
    ]);
    const schedules = veleroNamespaces(index);

    const covered = (r: StackResource): boolean => {
      if (bySelection(r)) return true;
      const p = r.props;
      switch (r.type) {
        case RDS_INSTANCE: {
          if (p.replicateSourceDb) return true;
          const id = knownString(p.identifier);
          return [backedUpDbs, replicatedDbs].some(
            (links) => links.urns.has(r.urn) || (id !== undefined && links.names.has(id)),
          );
        }
        case RDS_CLUSTER:
          return Boolean(knownString(p.globalClusterIdentifier) || p.replicationSourceIdentifier);
        case ELASTICACHE_REPLICATION_GROUP:
          return Number(p.snapshotRetentionLimit ?? 0) >= 1 || Boolean(p.globalReplicationGroupId);
        case ELASTICACHE_SERVERLESS_CACHE:
          return Number(p.snapshotRetentionLimit ?? 0) >= 1;
        case DYNAMODB_TABLE:
          return (
            asArray<Props>(p.pointInTimeRecovery).some((x) => x?.enabled === true) ||
            asArray(p.replicas).length > 0
          );
        case PERSISTENT_VOLUME_CLAIM: {
          const ns = namespaceKey(index, r);
          return schedules.some((s) => !s.excluded.has(ns) && (s.all || s.included.has(ns)));
        }
        default: {
          if (!BUCKET_TYPES.includes(r.type)) return false;
          const name = knownString(p.bucket);
          return [replicatedBuckets, destinationBuckets].some(
            (links) => links.urns.has(r.urn) || (name !== undefined && links.names.has(name)),
          );
        }
      }
    };
    const exempt = (r: StackResource) =>
      r.type === PERSISTENT_VOLUME_CLAIM
        ? Boolean(knownString(r.props.metadata?.labels?.[DR_EXEMPT_LABEL]))
        : Boolean(knownString(mergedTags(r)[DR_EXEMPT_TAG]));

    for (const r of stateful) {
      if (covered(r) || exempt(r)) continue;
      const how =
        r.type === PERSISTENT_VOLUME_CLAIM
          ? `back up its namespace with a Velero Schedule (includedNamespaces) or label it ${DR_EXEMPT_LABEL}=<reason>`
          : `tag it ${BACKUP} for the AWS Backup plan, replicate it to the DR region, or tag it ${DR_EXEMPT_TAG}=<reason>`;
      report(
        `${label(r.type, r.name)} must be covered by a backup or replication rule: ${how}.`,
        r.urn,
      );
    }
  },
});

/**
 * CKV2_AWS_18: an EFS file system is in an AWS Backup plan. Stricter than the coverage policy
 * above for EFS: an exemption tag or replication alone does not do, because EFS replication copies
 * deletions and corruption to the replica at once, and only a backup restores an earlier state.
 */
export const efsInBackupPlan = stackPolicy({
  name: "efs-in-backup-plan",
  description:
    "Checks that every EFS file system is selected by an AWS Backup selection of the stack, by its tags or by name.",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [EFS_FILE_SYSTEM, BACKUP_SELECTION],
  controls: { checkov: ["CKV2_AWS_18"] },
  remediationSteps: `Tag the file system ${BACKUP} (the disaster-recovery AWS Backup plan selects that tag), or list its ARN in an aws.backup.Selection's resources.`,
  validate: ({ args, report }) => {
    const index = new StackIndex(args.resources);
    const selections = backupSelections(index);
    for (const fs of index.of(EFS_FILE_SYSTEM)) {
      if (selections.urns.has(fs.urn)) continue;
      const tags = mergedTags(fs);
      if (selections.tags.some((t) => tags[t.key] === t.value)) continue;
      report(
        `${label(fs.type, fs.name)} must be in an AWS Backup plan: tag it ${BACKUP}, which the stack's backup selection matches, or name its ARN in a selection's resources (a replica copies deletions too).`,
        fs.urn,
      );
    }
  },
});

export const coveragePolicies = [drStatefulCovered, efsInBackupPlan];
