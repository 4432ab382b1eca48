/**
 * Pure documents of disaster recovery: IAM and bucket policies, Velero's Helm values, backup
 * schedules and the restore drill's alert. Plain values in, JSON-ready values out.
 */
import {
  IMAGES,
  imageReference,
  repositoryImage,
  KEY_USER_ACTIONS,
  PolicyDocument,
  policyDocument,
  PolicyStatement,
} from "@platform/core";
import type * as k8s from "@pulumi/kubernetes";

type Container = k8s.types.input.core.v1.Container;

/** Trust policy for a role an AWS service assumes on this account's behalf only (confused deputy). */
export function serviceTrustPolicy(service: string, accountId: string): PolicyDocument {
  return policyDocument([
    {
      Effect: "Allow",
      Principal: { Service: service },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    },
  ]);
}

/** S3 encrypts with the bucket's key; the key's encryption context is the bucket (bucket keys) or object ARN. */
function s3KeyUse(
  actions: readonly string[],
  keyArn: string,
  region: string,
  bucketArn: string,
): PolicyStatement {
  return {
    Effect: "Allow",
    Action: [...actions],
    Resource: keyArn,
    Condition: {
      StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` },
      StringLike: { "kms:EncryptionContext:aws:s3:arn": [bucketArn, `${bucketArn}/*`] },
    },
  };
}

interface VeleroPolicyArgs {
  readonly bucketArn: string;
  readonly keyArn: string;
  readonly region: string;
}

/**
 * Velero's server and node agent: objects of its own bucket and its key, through S3 only. No EC2
 * actions: volumes are captured as CSI snapshots by the EBS CSI driver (whose own role takes them)
 * and their data moved into the bucket, so Velero never calls the EC2 snapshot API.
 * @see https://github.com/vmware-tanzu/velero-plugin-for-aws#set-permissions-for-velero
 */
export function veleroPolicy(args: VeleroPolicyArgs): PolicyDocument {
  return policyDocument([
    {
      Sid: "ReadWriteBackupObjects",
      Effect: "Allow",
      Action: [
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:AbortMultipartUpload",
        "s3:ListMultipartUploadParts",
      ],
      Resource: `${args.bucketArn}/*`,
    },
    {
      Sid: "ListBackupBucket",
      Effect: "Allow",
      Action: ["s3:ListBucket", "s3:GetBucketLocation"],
      Resource: args.bucketArn,
    },
    {
      Sid: "UseBackupKeyThroughS3",
      ...s3KeyUse(["kms:GenerateDataKey", "kms:Decrypt"], args.keyArn, args.region, args.bucketArn),
    },
  ]);
}

/**
 * Velero in a standby: reads the replicated backup bucket (objects, listing) and decrypts with the
 * peer key through S3. Nothing that writes or deletes: the bucket is the primary's copy.
 */
export function veleroReadOnlyPolicy(args: VeleroPolicyArgs): PolicyDocument {
  return policyDocument([
    {
      Sid: "ReadBackupObjects",
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: `${args.bucketArn}/*`,
    },
    {
      Sid: "ListBackupBucket",
      Effect: "Allow",
      Action: ["s3:ListBucket", "s3:GetBucketLocation"],
      Resource: args.bucketArn,
    },
    {
      Sid: "DecryptThroughS3",
      ...s3KeyUse(["kms:Decrypt"], args.keyArn, args.region, args.bucketArn),
    },
  ]);
}

interface ReplicationPair {
  readonly sourceBucketArn: string;
  /** Absent when the source bucket uses SSE-S3. */
  readonly sourceKeyArn?: string;
  readonly destinationBucketArn: string;
  readonly destinationKeyArn: string;
}

interface ReplicationPolicyArgs {
  readonly sourceRegion: string;
  readonly destinationRegion: string;
  readonly pairs: readonly ReplicationPair[];
}

/**
 * The S3 replication role: read versions (with their retention and legal holds, for Object Lock
 * buckets) from each source, write replicas to its destination only, decrypt with the source key
 * and encrypt with the peer key, each only through S3 for that bucket.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
 */
export function replicationPolicy(args: ReplicationPolicyArgs): PolicyDocument {
  const sources = args.pairs.map((p) => p.sourceBucketArn);
  const destinations = args.pairs.map((p) => p.destinationBucketArn);
  return policyDocument([
    {
      Sid: "ReadReplicationConfiguration",
      Effect: "Allow",
      Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
      Resource: sources,
    },
    {
      Sid: "ReadSourceVersions",
      Effect: "Allow",
      Action: [
        "s3:GetObjectVersionForReplication",
        "s3:GetObjectVersionAcl",
        "s3:GetObjectVersionTagging",
        "s3:GetObjectRetention",
        "s3:GetObjectLegalHold",
      ],
      Resource: sources.map((arn) => `${arn}/*`),
    },
    {
      Sid: "WriteReplicas",
      Effect: "Allow",
      Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
      Resource: destinations.map((arn) => `${arn}/*`),
    },
    ...args.pairs.flatMap((p, i) =>
      p.sourceKeyArn
        ? [
            {
              Sid: `DecryptSource${i}`,
              ...s3KeyUse(["kms:Decrypt"], p.sourceKeyArn, args.sourceRegion, p.sourceBucketArn),
            },
          ]
        : [],
    ),
    ...args.pairs.map((p, i) => ({
      Sid: `EncryptReplica${i}`,
      ...s3KeyUse(
        ["kms:Encrypt", "kms:GenerateDataKey"],
        p.destinationKeyArn,
        args.destinationRegion,
        p.destinationBucketArn,
      ),
    })),
  ]);
}

/**
 * AWS Backup's role may use the vault keys of both regions (the managed policies cover the
 * services, not customer keys in another region), through AWS Backup's own grants only.
 */
export function backupKeysPolicy(keyArns: readonly string[]): PolicyDocument {
  return policyDocument([
    {
      Sid: "UseVaultKeys",
      Effect: "Allow",
      Action: KEY_USER_ACTIONS,
      Resource: [...keyArns],
    },
    {
      Sid: "GrantVaultKeysToAwsResources",
      Effect: "Allow",
      Action: "kms:CreateGrant",
      Resource: [...keyArns],
      Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
    },
  ]);
}

/** The AWS managed policies AWS Backup needs to back up and restore RDS, EBS and S3. */
export const BACKUP_MANAGED_POLICIES = [
  "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
  "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
  "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
  "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
] as const;

export interface BackupTier {
  readonly name: "hourly" | "daily" | "weekly" | "monthly";
  /** Velero (5-field cron, UTC). */
  readonly cron: string;
  /** AWS Backup (6-field `cron()` expression, UTC). */
  readonly awsCron: string;
  readonly retentionDays: number;
}

export interface RetentionDays {
  readonly dailyDays: number;
  readonly weeklyDays: number;
  readonly monthlyDays: number;
}

/** Velero's hourly schedule: the cluster-state RPO of one hour; kept two days (48 restore points). */
export const HOURLY_TIER = { name: "hourly", cron: "15 * * * *", retentionDays: 2 } as const;

/**
 * The three retention tiers: every day at 03:00 UTC, Sundays at 04:00, the first of each month at
 * 05:00 (so tiers never start together). AWS Backup runs an hour later, after Velero's uploads.
 */
export function backupTiers(retention: RetentionDays): readonly BackupTier[] {
  return [
    {
      name: "daily",
      cron: "0 3 * * *",
      awsCron: "cron(0 4 ? * * *)",
      retentionDays: retention.dailyDays,
    },
    {
      name: "weekly",
      cron: "0 4 * * 0",
      awsCron: "cron(0 5 ? * SUN *)",
      retentionDays: retention.weeklyDays,
    },
    {
      name: "monthly",
      cron: "0 5 1 * *",
      awsCron: "cron(0 6 1 * ? *)",
      retentionDays: retention.monthlyDays,
    },
  ];
}

/** Velero's TTL format: hours, minutes, seconds. */
export function veleroTtl(days: number): string {
  return `${days * 24}h0m0s`;
}

/** Namespaces no schedule backs up: Kubernetes' own, and the drill's scratch copy. */
export const EXCLUDED_NAMESPACES = ["kube-system", "kube-public", "kube-node-lease"] as const;

/** Spec of a Velero `Schedule` (velero.io/v1) backing up the whole cluster with volume data moved to S3. */
export function veleroScheduleSpec(
  tier: Pick<BackupTier, "name" | "cron" | "retentionDays">,
  storageLocation: string,
  excludedNamespaces: readonly string[],
): Record<string, unknown> {
  return {
    schedule: tier.cron,
    // A missed run (Velero down at 03:00) is taken when it comes back, not skipped.
    skipImmediately: false,
    useOwnerReferencesInBackup: false,
    template: {
      ttl: veleroTtl(tier.retentionDays),
      storageLocation,
      includedNamespaces: ["*"],
      excludedNamespaces: [...excludedNamespaces],
      includeClusterResources: true,
      snapshotVolumes: true,
      // CSI snapshots are copied into the bucket (and so replicated out of the region), then deleted.
      snapshotMoveData: true,
      defaultVolumesToFsBackup: false,
      metadata: { labels: { "platform/backup-tier": tier.name } },
    },
  };
}

/** Container security context of the restricted Pod Security Standard. */
const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

/** Pod security context of the drill's and the canary's pods: the distroless `nonroot` user. */
export const NONROOT_POD_SECURITY = {
  runAsNonRoot: true,
  runAsUser: 65532,
  runAsGroup: 65532,
  fsGroup: 65532,
  seccompProfile: { type: "RuntimeDefault" },
};

/** The Velero image's user (`cnb`, Paketo run image); its home holds Kopia's config and cache. */
const VELERO_UID = 1002;
const VELERO_GID = 1000;
const VELERO_HOME = "/home/cnb";

interface VeleroValuesArgs {
  /** The stack's ECR registry, whose pull-through cache serves every image. */
  readonly registryHost: string;
  readonly roleArn: string;
  readonly bucketName: string;
  readonly region: string;
  readonly keyArn: string;
  readonly storageLocation: string;
  readonly priorityClassName: string;
  /**
   * `ReadOnly` in a standby: Velero restores from the replicated bucket and never writes, prunes
   * or expires anything in it.
   * @default "ReadWrite"
   */
  readonly accessMode?: "ReadWrite" | "ReadOnly";
}

const VELERO_POD_SECURITY = {
  runAsNonRoot: true,
  runAsUser: VELERO_UID,
  runAsGroup: VELERO_GID,
  fsGroup: VELERO_GID,
  seccompProfile: { type: "RuntimeDefault" },
};

/** Kopia writes its repository config and cache under $HOME: ephemeral volumes, not the root fs. */
const KOPIA_HOME_VOLUMES = {
  extraVolumes: [
    { name: "udmrepo", emptyDir: {} },
    { name: "cache", emptyDir: { sizeLimit: "2Gi" } },
  ],
  extraVolumeMounts: [
    { name: "udmrepo", mountPath: `${VELERO_HOME}/udmrepo` },
    { name: "cache", mountPath: `${VELERO_HOME}/.cache` },
  ],
};

/**
 * Helm values of the velero chart 12.1.0: IRSA credentials (no static keys), one S3 location with
 * SSE-KMS, CSI snapshots with data movement through the node agent (no host paths, no fs-backup),
 * restricted security contexts where Velero allows them, requests and limits, metrics.
 */
export function veleroValues(args: VeleroValuesArgs): Record<string, unknown> {
  const systemPlacement = {
    tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }],
    nodeSelector: { "platform/node-pool": "system" },
  };
  return {
    image: repositoryImage(args.registryHost, IMAGES.velero),
    initContainers: [
      {
        name: "velero-plugin-for-aws",
        image: imageReference(args.registryHost, IMAGES.veleroPluginForAws),
        imagePullPolicy: "IfNotPresent",
        securityContext: { ...RESTRICTED_CONTAINER },
        resources: {
          requests: { cpu: "10m", memory: "32Mi" },
          limits: { cpu: "100m", memory: "64Mi" },
        },
        volumeMounts: [{ mountPath: "/target", name: "plugins" }],
      },
    ],
    credentials: { useSecret: false },
    serviceAccount: {
      server: {
        create: true,
        name: "velero",
        annotations: { "eks.amazonaws.com/role-arn": args.roleArn },
      },
    },
    podSecurityContext: { ...VELERO_POD_SECURITY },
    containerSecurityContext: { ...RESTRICTED_CONTAINER },
    ...KOPIA_HOME_VOLUMES,
    resources: {
      requests: { cpu: "200m", memory: "256Mi" },
      limits: { cpu: "1", memory: "1Gi" },
    },
    priorityClassName: args.priorityClassName,
    ...systemPlacement,
    upgradeCRDs: true,
    // The chart's kubectl Jobs (CRD clean-up, namespace labelling) pull it; the chart would otherwise
    // default the tag to the cluster's version (velero 12.1.0 templates/cleanup-crds.yaml).
    kubectl: {
      image: repositoryImage(args.registryHost, IMAGES.kubectl),
    },
    upgradeJobResources: {
      requests: { cpu: "10m", memory: "32Mi" },
      limits: { cpu: "200m", memory: "128Mi" },
    },
    // The CRD upgrade hook runs `velero install --crds-only` with the server's security context.
    upgradeCRDsJob: {
      extraVolumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
      extraVolumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
      extraEnvVars: [{ name: "HOME", value: "/tmp" }],
    },
    backupsEnabled: true,
    // No EC2 snapshot location: volumes go through CSI snapshots and the data mover.
    snapshotsEnabled: false,
    deployNodeAgent: true,
    nodeAgent: {
      // Data movement reads snapshot-backed volumes it mounts itself; host paths serve only fs-backup.
      disableHostPath: true,
      priorityClassName: args.priorityClassName,
      podSecurityContext: { ...VELERO_POD_SECURITY },
      containerSecurityContext: { ...RESTRICTED_CONTAINER },
      ...KOPIA_HOME_VOLUMES,
      resources: {
        requests: { cpu: "100m", memory: "256Mi" },
        limits: { cpu: "1", memory: "1Gi" },
      },
      // Volumes live on every pool, so the agent runs on every node.
      tolerations: [{ operator: "Exists" }],
    },
    configuration: {
      backupStorageLocation: [
        {
          name: args.storageLocation,
          provider: "aws",
          bucket: args.bucketName,
          default: true,
          accessMode: args.accessMode ?? "ReadWrite",
          config: { region: args.region, serverSideEncryption: "aws:kms", kmsKeyId: args.keyArn },
        },
      ],
      volumeSnapshotLocation: [],
      uploaderType: "kopia",
      features: "EnableCSI",
      defaultSnapshotMoveData: true,
      defaultVolumesToFsBackup: false,
      extraEnvVars: [{ name: "HOME", value: VELERO_HOME }],
      logFormat: "json",
    },
    metrics: {
      enabled: true,
      serviceMonitor: { enabled: true, autodetect: false },
      nodeAgentPodMonitor: { enabled: true, autodetect: false },
    },
    podDisruptionBudget: { enabled: false },
  };
}

/** The drill restores the canary namespace into this one, emptied first. */
export const DRILL = {
  canaryNamespace: "dr-canary",
  scratchNamespace: "dr-drill-scratch",
  /** Sundays 06:00 UTC, after the weekly backup; weekly so the 8-day alert allows one miss-and-retry day. */
  schedule: "0 6 * * 0",
  sourceSchedule: "daily",
  staleAfterDays: 8,
} as const;

/**
 * Alerts on Velero's own metrics: no successful restore from the daily schedule (the drill's
 * source) in 8 days, a failed or partially failed restore, and a daily backup older than 26 hours.
 * `velero_restore_success_total{schedule}` counts restores of backups made by that schedule;
 * Velero initialises it at 0, so `increase` sees the first success.
 */
export function drillAlertRules(veleroNamespace: string): Record<string, unknown> {
  const schedule = DRILL.sourceSchedule;
  const window = `${DRILL.staleAfterDays}d`;
  return {
    groups: [
      {
        name: "disaster-recovery",
        rules: [
          {
            alert: "RestoreDrillStale",
            expr: `(sum(increase(velero_restore_success_total{namespace="${veleroNamespace}",schedule="${schedule}"}[${window}])) or vector(0)) < 1`,
            for: "1h",
            labels: { severity: "critical" },
            annotations: {
              summary: `No successful Velero restore drill in ${DRILL.staleAfterDays} days`,
              description: `The weekly restore drill (CronJob dr-restore-drill in ${veleroNamespace}) has not restored a backup of schedule ${schedule} in ${DRILL.staleAfterDays} days. Check the job's logs and 'velero restore get'; see docs/disaster-recovery.md.`,
              runbook_url: "docs/disaster-recovery.md#restore-drill",
            },
          },
          {
            alert: "VeleroRestoreFailed",
            expr: `sum by (schedule) (increase(velero_restore_failed_total{namespace="${veleroNamespace}"}[1d]) + increase(velero_restore_partial_failure_total{namespace="${veleroNamespace}"}[1d])) > 0`,
            labels: { severity: "warning" },
            annotations: {
              summary: "A Velero restore failed or partially failed in the last day",
              runbook_url: "docs/disaster-recovery.md#restore-drill",
            },
          },
          {
            alert: "VeleroDailyBackupStale",
            expr: `time() - max(velero_backup_last_successful_timestamp{namespace="${veleroNamespace}",schedule="${schedule}"}) > 26 * 3600`,
            for: "30m",
            labels: { severity: "critical" },
            annotations: {
              summary: "The daily Velero backup has not succeeded for over 26 hours",
              runbook_url: "docs/disaster-recovery.md#3-cluster-state",
            },
          },
        ],
      },
    ],
  };
}

/** The standby's drill: at 45 past each hour, after the hourly backup (at 15) has replicated. */
export const STANDBY_DRILL_SCHEDULE = "45 * * * *";

/**
 * The standby's alerts: no successful restore of the primary's hourly backup in 2 hours (the
 * cluster-state RPO of 1 hour, with one missed run), or a failed restore.
 */
export function standbyAlertRules(veleroNamespace: string): Record<string, unknown> {
  return {
    groups: [
      {
        name: "standby-recovery",
        rules: [
          {
            alert: "StandbyRestoreStale",
            expr: `(sum(increase(velero_restore_success_total{namespace="${veleroNamespace}",schedule="${HOURLY_TIER.name}"}[2h])) or vector(0)) < 1`,
            for: "15m",
            labels: { severity: "critical" },
            annotations: {
              summary: "The standby has not restored the primary's hourly backup for 2 hours",
              description: `The standby's hourly restore drill (CronJob dr-restore-drill in ${veleroNamespace}) has not restored a backup of schedule ${HOURLY_TIER.name} in 2 hours: a failover now would restore older cluster state than the 1-hour RPO. Check the drill's logs, 'velero backup get' (backup sync from the replicated bucket) and S3 replication.`,
              runbook_url: "docs/disaster-recovery.md#standby-and-failover",
            },
          },
          {
            alert: "StandbyRestoreFailed",
            expr: `sum(increase(velero_restore_failed_total{namespace="${veleroNamespace}"}[1h]) + increase(velero_restore_partial_failure_total{namespace="${veleroNamespace}"}[1h])) > 0`,
            labels: { severity: "warning" },
            annotations: {
              summary:
                "A Velero restore in the standby failed or partially failed in the last hour",
              runbook_url: "docs/disaster-recovery.md#standby-and-failover",
            },
          },
        ],
      },
    ],
  };
}

/** The drill's two steps, each one command in an image without a shell. */
export function drillContainers(
  veleroNamespace: string,
  registryHost: string,
  sourceSchedule: string = DRILL.sourceSchedule,
): {
  readonly init: Container;
  readonly main: Container;
} {
  const resources = {
    requests: { cpu: "50m", memory: "64Mi" },
    limits: { cpu: "500m", memory: "256Mi" },
  };
  return {
    // Last week's copy goes first, so the restore cannot pass by finding objects already there.
    init: {
      name: "empty-scratch",
      image: imageReference(registryHost, IMAGES.kubectl),
      // The image's entrypoint is /bin/kubectl (kubernetes build/server-image/kubectl).
      command: ["/bin/kubectl"],
      args: [
        "delete",
        "namespace",
        DRILL.scratchNamespace,
        "--ignore-not-found",
        "--wait=true",
        "--timeout=10m",
      ],
      securityContext: { ...RESTRICTED_CONTAINER, runAsUser: NONROOT_POD_SECURITY.runAsUser },
      // kubectl keeps its discovery cache under $HOME.
      env: [{ name: "HOME", value: "/tmp" }],
      volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
      resources,
    },
    main: {
      name: "restore",
      image: imageReference(registryHost, IMAGES.velero),
      command: ["/velero"],
      args: [
        "restore",
        "create",
        "--namespace",
        veleroNamespace,
        "--from-schedule",
        sourceSchedule,
        "--include-namespaces",
        DRILL.canaryNamespace,
        "--namespace-mappings",
        `${DRILL.canaryNamespace}:${DRILL.scratchNamespace}`,
        "--wait",
      ],
      securityContext: { ...RESTRICTED_CONTAINER, runAsUser: VELERO_UID },
      env: [{ name: "HOME", value: "/tmp" }],
      volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
      resources,
    },
  };
}

/**
 * The canary: one pod that writes a marker file to its volume once and then idles; its probes
 * check the marker, so a restored copy that lost its data never becomes ready.
 */
export function canaryDeploymentSpec(
  claimName: string,
  registryHost: string,
): k8s.types.input.apps.v1.DeploymentSpec {
  const labels = { "app.kubernetes.io/name": "restore-canary" };
  const markerProbe = { exec: { command: ["test", "-s", "/data/marker"] }, periodSeconds: 60 };
  return {
    replicas: 1,
    // One ReadWriteOnce volume: the old pod releases it before the new one starts.
    strategy: { type: "Recreate" },
    selector: { matchLabels: labels },
    template: {
      metadata: { labels },
      spec: {
        automountServiceAccountToken: false,
        securityContext: { ...NONROOT_POD_SECURITY },
        containers: [
          {
            name: "canary",
            image: imageReference(registryHost, IMAGES.busybox),
            command: [
              "sh",
              "-c",
              "test -s /data/marker || date -u > /data/marker; exec sleep 2147483647",
            ],
            securityContext: { ...RESTRICTED_CONTAINER },
            resources: {
              requests: { cpu: "5m", memory: "8Mi" },
              limits: { cpu: "50m", memory: "32Mi" },
            },
            readinessProbe: markerProbe,
            livenessProbe: markerProbe,
            volumeMounts: [{ name: "data", mountPath: "/data" }],
          },
        ],
        volumes: [{ name: "data", persistentVolumeClaim: { claimName } }],
      },
    },
  };
}
