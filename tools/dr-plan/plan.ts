/**
 * The restore plan of a region, from its stack outputs (`pulumi stack output --json`): which copy
 * of each data store to use, in which region, and the exact commands, in order. The same plan in
 * `drill` mode rehearses every restore into throwaway targets without touching production.
 */
import { Problems, ValidationError } from "../../components/core/validation";
import type { DrPosture } from "@platform/disaster-recovery";

export type Scenario = "region-loss" | "drill";

export interface PlanStep {
  readonly title: string;
  /** Which copy is used and why. */
  readonly source?: string;
  readonly region: string;
  readonly commands: readonly string[];
  readonly notes?: readonly string[];
}

export interface RestorePlan {
  readonly scenario: Scenario;
  readonly region: string;
  readonly peerRegion: string;
  readonly objectives: DrPosture["objectives"];
  readonly steps: readonly PlanStep[];
}

const SCENARIOS: readonly Scenario[] = ["region-loss", "drill"];

/** The posture inside a stack's outputs (under `disasterRecovery`), checked for what the plan reads. */
export function readPosture(outputs: unknown): DrPosture {
  const problems = new Problems();
  const root = (outputs ?? {}) as Record<string, unknown>;
  const posture = (root.disasterRecovery ?? root) as Record<string, unknown>;
  for (const key of [
    "region",
    "peerRegion",
    "objectives",
    "databaseStrategy",
    "velero",
    "databases",
    "buckets",
    "awsBackup",
    "failover",
  ]) {
    problems.check(
      posture[key] !== undefined,
      `outputs.disasterRecovery.${key}`,
      posture[key],
      "be present (pass the JSON of `pulumi stack output --json` for a stack with disaster recovery)",
    );
  }
  problems.throwIfAny("Stack outputs");
  return posture as unknown as DrPosture;
}

function quote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

function databaseSteps(p: DrPosture, scenario: Scenario): PlanStep[] {
  const r = `--region ${p.peerRegion}`;
  return p.databases.map((db) => {
    const restoreId =
      scenario === "drill" ? `${db.primaryIdentifier}-drill` : `${db.primaryIdentifier}-restored`;
    const pitr = [
      `aws rds describe-db-instance-automated-backups --db-instance-automated-backups-arn ${quote(db.automatedBackupsReplicationArn)} ${r} --query 'DBInstanceAutomatedBackups[0].RestoreWindow'`,
      `aws rds restore-db-instance-to-point-in-time --source-db-instance-automated-backups-arn ${quote(db.automatedBackupsReplicationArn)} --target-db-instance-identifier ${restoreId} --use-latest-restorable-time --db-subnet-group-name ${db.peerSubnetGroup ?? "<a DB subnet group in " + p.peerRegion + ">"} --no-publicly-accessible --deletion-protection ${r}`,
      `aws rds wait db-instance-available --db-instance-identifier ${restoreId} ${r}`,
    ];
    if (scenario === "drill") {
      return {
        title: `Rehearse the restore of database ${db.name} from replicated automated backups`,
        source: `RDS automated backups replicated to ${p.peerRegion} (${db.replicatedBackupRetentionDays} days of point-in-time restore)`,
        region: p.peerRegion,
        commands: [
          ...pitr,
          ...(db.replicaIdentifier
            ? [
                `aws cloudwatch get-metric-statistics --namespace AWS/RDS --metric-name ReplicaLag --dimensions Name=DBInstanceIdentifier,Value=${db.replicaIdentifier} --statistics Maximum --period 300 --start-time $(date -u -d '-1 hour' +%FT%TZ) --end-time $(date -u +%FT%TZ) ${r}`,
              ]
            : []),
          `aws rds delete-db-instance --db-instance-identifier ${restoreId} --skip-final-snapshot --delete-automated-backups ${r}  # after checking the data; disable deletion protection first with modify-db-instance --no-deletion-protection`,
        ],
        notes: [
          `Record the restore duration against the ${p.objectives.rtoMinutes}-minute RTO and the newest restorable time against the ${p.objectives.databaseRpoMinutes}-minute RPO.`,
        ],
      };
    }
    if (db.replicaIdentifier) {
      return {
        title: `Promote database ${db.name}'s cross-region replica`,
        source: `Read replica ${db.replicaIdentifier} (asynchronous, lag of seconds); fallback: point-in-time restore from replicated automated backups`,
        region: p.peerRegion,
        commands: [
          `aws rds promote-read-replica --db-instance-identifier ${db.replicaIdentifier} --backup-retention-period 14 ${r}`,
          `aws rds wait db-instance-available --db-instance-identifier ${db.replicaIdentifier} ${r}`,
          `aws rds modify-db-instance --db-instance-identifier ${db.replicaIdentifier} --multi-az --apply-immediately ${r}`,
          // The RDS-managed master secret lives in the lost region: RDS creates a new one here.
          `aws rds modify-db-instance --db-instance-identifier ${db.replicaIdentifier} --manage-master-user-password --apply-immediately ${r}`,
        ],
        notes: [
          "Workloads connect with IAM database authentication (their IRSA roles name the instance's resource id: the recovered stack's data tier grants the promoted one).",
          "Promotion is one-way: the old primary, if it returns, must be rebuilt as a replica of the new one before failing back.",
          `If the replica is damaged (e.g. a bad change replicated), restore instead: ${pitr[1]}`,
        ],
      };
    }
    return {
      title: `Restore database ${db.name} from replicated automated backups`,
      source: `RDS automated backups replicated to ${p.peerRegion} (backups-only strategy)`,
      region: p.peerRegion,
      commands: [
        ...pitr,
        `aws rds modify-db-instance --db-instance-identifier ${restoreId} --multi-az --apply-immediately ${r}`,
      ],
      notes: [
        `Older copies: aws backup list-recovery-points-by-backup-vault --backup-vault-name ${p.awsBackup.peerVault} ${r}`,
      ],
    };
  });
}

function clusterStep(p: DrPosture, scenario: Scenario): PlanStep {
  const v = p.velero;
  const location = "dr-replica";
  const common = [
    `velero backup-location create ${location} --provider aws --bucket ${v.replicaBucket} --config region=${p.peerRegion} --access-mode ReadOnly`,
    `velero backup get --selector velero.io/storage-location=${location}`,
  ];
  if (scenario === "drill") {
    return {
      title: "Rehearse the cluster restore from the replicated Velero bucket",
      source: `Newest daily backup in ${v.replicaBucket} (replica of ${v.bucket}, ${p.peerRegion})`,
      region: p.peerRegion,
      commands: [
        `kubectl -n ${v.namespace} create job --from=cronjob/dr-restore-drill dr-restore-drill-manual`,
        `kubectl -n ${v.namespace} wait --for=condition=complete job/dr-restore-drill-manual --timeout=30m`,
        `velero restore get`,
        ...common.map((c) => `${c}  # from a scratch cluster in ${p.peerRegion}`),
      ],
      notes: [
        `The weekly CronJob restores ${v.drill.canaryNamespace} into ${v.drill.scratchNamespace}; the RestoreDrillStale alert fires when no restore succeeded for 8 days.`,
      ],
    };
  }
  return {
    title: `Restore cluster state into a cluster in ${p.peerRegion}`,
    source: `Newest hourly backup in ${v.replicaBucket} (Object-Locked replica of ${v.bucket}); daily, weekly and monthly backups are there too`,
    region: p.peerRegion,
    commands: [
      p.standbyStack
        ? `# the standby ${p.standbyStack} restores on failover: npm run dr:plan -- <its outputs> --scenario failover`
        : `pulumi stack select <a stack for ${p.peerRegion}> && pulumi up  # the same program, region ${p.peerRegion}`,
      ...common,
      `velero restore create region-recovery --from-schedule hourly --exclude-namespaces ${v.namespace},${v.drill.scratchNamespace} --wait`,
      "velero restore describe region-recovery --details",
    ],
    notes: [
      `Cluster state RPO: up to ${p.objectives.clusterStateRpoHours} hour (hourly schedule); stateless workloads also redeploy from Git.`,
      "Volume data returns through Velero's data mover (snapshotMoveData): the new cluster needs the EBS CSI driver and snapshot controller.",
    ],
  };
}

/** The steps, in the order a recovery runs them. */
export function restorePlan(posture: DrPosture, scenario: Scenario = "region-loss"): RestorePlan {
  const problems = new Problems();
  problems.oneOf("--scenario", scenario, SCENARIOS);
  problems.throwIfAny("dr-plan arguments");
  const p = posture;
  const f = p.failover;
  const steps: PlanStep[] = [
    {
      title:
        scenario === "drill"
          ? "Check that the failover health check sees the region healthy"
          : "Confirm the region is lost and traffic has failed over",
      region: "global",
      commands: [
        `aws route53 get-health-check-status --health-check-id ${f.healthCheckId}`,
        `dig +short ${f.recordName} CNAME  # ${scenario === "drill" ? f.primaryEndpoint : `${f.peerEndpoint} once Route 53 has failed over`}`,
      ],
      notes:
        scenario === "drill"
          ? ["Do not disable the health check in a drill: failover is automatic."]
          : [
              `Route 53 answers ${f.recordName} with ${f.peerEndpoint} after three failed checks (about 90 seconds); that endpoint serves once the steps below are done.`,
            ],
    },
    ...databaseSteps(p, scenario),
    {
      title:
        scenario === "drill" ? "Check object replication" : "Switch object storage to the replicas",
      source: "S3 replication with replication time control (15-minute objective)",
      region: p.peerRegion,
      commands: p.buckets.flatMap((b) => [
        `aws s3api head-bucket --bucket ${b.replica} --region ${p.peerRegion}  # replica of ${b.source} (${b.name})`,
        `aws cloudwatch get-metric-statistics --namespace AWS/S3 --metric-name ReplicationLatency --dimensions Name=SourceBucket,Value=${b.source} Name=DestinationBucket,Value=${b.replica} Name=RuleId,Value=to-${p.peerRegion} --statistics Maximum --period 900 --start-time $(date -u -d '-1 hour' +%FT%TZ) --end-time $(date -u +%FT%TZ) --region ${p.region}`,
      ]),
      notes:
        scenario === "drill"
          ? [`Replication latency must stay under ${p.objectives.objectStorageRpoMinutes} minutes.`]
          : [
              "Point workloads at the replica buckets (their names are above); replicas keep versions and Object Lock retention.",
              "Before failing back, replicate the other way (new objects were written in the peer region).",
            ],
    },
    clusterStep(p, scenario),
    {
      title: "Caches",
      region: p.peerRegion,
      commands: [],
      notes: [
        "Valkey/ElastiCache snapshots stay in their region (a cross-region copy needs an export to S3): the cache starts empty in the peer region and warms from the database.",
      ],
    },
  ];
  return {
    scenario,
    region: p.region,
    peerRegion: p.peerRegion,
    objectives: p.objectives,
    steps,
  };
}

export function renderPlan(plan: RestorePlan): string {
  const lines = [
    `# ${plan.scenario === "drill" ? "DR drill" : "Regional recovery"}: ${plan.region} -> ${plan.peerRegion}`,
    "",
    `Objectives: database RPO ${plan.objectives.databaseRpoMinutes} min, objects RPO ${plan.objectives.objectStorageRpoMinutes} min, cluster state RPO ${plan.objectives.clusterStateRpoHours} h, RTO ${plan.objectives.rtoMinutes} min.`,
  ];
  plan.steps.forEach((step, i) => {
    lines.push("", `## ${i + 1}. ${step.title} (${step.region})`);
    if (step.source) lines.push(`Copy: ${step.source}`);
    for (const c of step.commands) lines.push(`    ${c}`);
    for (const n of step.notes ?? []) lines.push(`- ${n}`);
  });
  return `${lines.join("\n")}\n`;
}

export { ValidationError };
