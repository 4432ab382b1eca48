/**
 * Cluster state: Velero with its schedules, the CSI snapshot class it moves data from, the canary
 * namespace and the weekly restore drill with its alerts.
 */
import { PRIORITY_CLASSES, RestrictedNamespace } from "@platform/cluster";
import { CHARTS, pinnedRelease, type SecureBucket, serviceAccountRole } from "@platform/core";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  BackupTier,
  canaryDeploymentSpec,
  DRILL,
  drillAlertRules,
  drillContainers,
  EXCLUDED_NAMESPACES,
  HOURLY_TIER,
  NONROOT_POD_SECURITY,
  veleroPolicy,
  veleroScheduleSpec,
  veleroValues,
} from "./documents";
import { protectedBucket } from "./storage";
import { ImmutabilityMode } from "./types";

export const VELERO_NAMESPACE = "velero";
const VELERO_SERVICE_ACCOUNT = "velero";
export const STORAGE_LOCATION = "default";
const METRICS_PORT = 8085;

interface ClusterBackupArgs {
  /** Key of Velero's bucket (in the stack's region). */
  readonly keyArn: pulumi.Input<string>;
  /** Object Lock of Velero's bucket, and days its noncurrent versions are kept. */
  readonly objectLock: { readonly mode: ImmutabilityMode; readonly days: number };
  readonly noncurrentDays: number;
  /** The region's access-log bucket, which Velero's bucket logs to. */
  readonly accessLogBucket: pulumi.Input<string>;
  /** The cluster's OIDC provider, which Velero's IRSA role trusts. */
  readonly oidcProviderArn: pulumi.Input<string>;
  readonly oidcProviderUrl: pulumi.Input<string>;
  readonly region: string;
  /** The stack's ECR registry, whose pull-through cache serves Velero's, the drill's and the canary's images. */
  readonly registryHost: string;
  readonly tiers: readonly BackupTier[];
  /** Adds Velero's hourly schedule (cluster-state RPO of one hour) to the retention tiers. */
  readonly hourly: boolean;
  /** Namespace of the Prometheus that scrapes Velero and evaluates the drill's alerts. */
  readonly monitoringNamespace: string;
  /** Labels the Prometheus rule selector matches. */
  readonly ruleLabels: Readonly<Record<string, string>>;
  /**
   * StorageClass of the canary's volume; without one the canary holds objects only and the drill
   * does not exercise volume data.
   */
  readonly canaryStorageClass?: string;
  /** The Prometheus Operator's release, whose CRDs the monitors and the rule need. */
  readonly monitoringRelease?: pulumi.Resource;
}

interface ClusterBackup {
  /** Velero's Object-Locked bucket, which the component replicates out of the region. */
  readonly bucket: SecureBucket;
  readonly release: k8s.helm.v3.Release;
  readonly schedules: readonly k8s.apiextensions.CustomResource[];
  readonly drill: k8s.batch.v1.CronJob;
  readonly alertRule: k8s.apiextensions.CustomResource;
}

/**
 * Velero backing up to its own Object-Locked bucket through a least-privilege IRSA role, on the
 * backup tiers' schedules, and the weekly restore drill.
 */
export function createClusterBackup(
  name: string,
  args: ClusterBackupArgs,
  opts: pulumi.CustomResourceOptions,
): ClusterBackup {
  const bucket = protectedBucket(
    `${name}-velero`,
    {
      keyArn: args.keyArn,
      objectLock: args.objectLock,
      noncurrentDays: args.noncurrentDays,
      accessLogBucket: args.accessLogBucket,
    },
    opts,
  );
  const veleroRole = serviceAccountRole(
    `${name}-velero-irsa`,
    {
      oidcProviderArn: args.oidcProviderArn,
      oidcIssuerUrl: args.oidcProviderUrl,
      namespace: VELERO_NAMESPACE,
      serviceAccount: VELERO_SERVICE_ACCOUNT,
      policy: pulumi
        .all([bucket.bucket.arn, args.keyArn])
        .apply(([bucketArn, keyArn]) =>
          JSON.stringify(veleroPolicy({ bucketArn, keyArn, region: args.region })),
        ),
    },
    opts,
  );
  const namespace = createVeleroNamespace(name, args.monitoringNamespace, opts);
  const crdOpts = {
    ...opts,
    dependsOn: [namespace, ...(args.monitoringRelease ? [args.monitoringRelease] : [])],
  };

  const release = pinnedRelease(
    `${name}-velero`,
    {
      chart: CHARTS.velero,
      namespace: VELERO_NAMESPACE,
      values: pulumi
        .all([veleroRole.arn, bucket.bucket.bucket, args.keyArn])
        .apply(([roleArn, bucketName, keyArn]) =>
          veleroValues({
            registryHost: args.registryHost,
            roleArn,
            bucketName,
            keyArn,
            region: args.region,
            storageLocation: STORAGE_LOCATION,
            priorityClassName: PRIORITY_CLASSES.platformCritical.name,
          }),
        ),
    },
    crdOpts,
  );

  // Velero picks the CSI snapshot class labelled for it; the EBS CSI driver takes the snapshot.
  new k8s.apiextensions.CustomResource(
    `${name}-snapshot-class`,
    {
      apiVersion: "snapshot.storage.k8s.io/v1",
      kind: "VolumeSnapshotClass",
      metadata: {
        name: "velero-ebs",
        labels: { "velero.io/csi-volumesnapshot-class": "true" },
      },
      driver: "ebs.csi.aws.com",
      // The snapshot only lives until the data mover has copied it into the bucket.
      deletionPolicy: "Delete",
    },
    opts,
  );

  const releaseOpts = { ...opts, dependsOn: [release] };
  const veleroTiers = [...(args.hourly ? [HOURLY_TIER] : []), ...args.tiers];
  const schedules = veleroTiers.map(
    (tier) =>
      new k8s.apiextensions.CustomResource(
        `${name}-schedule-${tier.name}`,
        {
          apiVersion: "velero.io/v1",
          kind: "Schedule",
          metadata: { name: tier.name, namespace: VELERO_NAMESPACE },
          spec: veleroScheduleSpec(tier, STORAGE_LOCATION, [
            ...EXCLUDED_NAMESPACES,
            DRILL.scratchNamespace,
          ]),
        },
        releaseOpts,
      ),
  );

  // The canary: a restricted namespace with a known object, restored every week.
  const canary = new RestrictedNamespace(
    DRILL.canaryNamespace,
    { quota: { pods: "5", persistentVolumeClaims: "1" } },
    opts,
  );
  new k8s.core.v1.ConfigMap(
    `${name}-canary-marker`,
    {
      metadata: { name: "restore-canary", namespace: DRILL.canaryNamespace },
      data: { purpose: "Restored weekly into dr-drill-scratch by the restore drill." },
    },
    { ...opts, dependsOn: [canary] },
  );
  if (args.canaryStorageClass !== undefined) {
    // A volume with a marker file, so the drill also exercises CSI snapshots and the data mover.
    new k8s.core.v1.PersistentVolumeClaim(
      `${name}-canary-data`,
      {
        metadata: {
          name: "canary-data",
          namespace: DRILL.canaryNamespace,
          // Binds when the canary pod schedules (WaitForFirstConsumer): do not wait for it here.
          annotations: { "pulumi.com/skipAwait": "true" },
        },
        spec: {
          accessModes: ["ReadWriteOnce"],
          storageClassName: args.canaryStorageClass,
          resources: { requests: { storage: "1Gi" } },
        },
      },
      { ...opts, dependsOn: [canary], protect: true },
    );
    new k8s.apps.v1.Deployment(
      `${name}-restore-canary`,
      {
        metadata: { name: "restore-canary", namespace: DRILL.canaryNamespace },
        spec: canaryDeploymentSpec("canary-data", args.registryHost),
      },
      { ...opts, dependsOn: [canary] },
    );
  }

  const drill = createRestoreDrill(
    name,
    {
      schedule: DRILL.schedule,
      sourceSchedule: DRILL.sourceSchedule,
      registryHost: args.registryHost,
      dependsOn: [namespace, release, ...schedules],
    },
    opts,
  );

  const alertRule = new k8s.apiextensions.CustomResource(
    `${name}-alerts`,
    {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PrometheusRule",
      metadata: {
        name: "disaster-recovery",
        namespace: VELERO_NAMESPACE,
        labels: { ...args.ruleLabels },
      },
      spec: drillAlertRules(VELERO_NAMESPACE),
    },
    crdOpts,
  );
  return { bucket, release, schedules, drill, alertRule };
}

/**
 * The restore drill: a CronJob that restores the canary namespace from the newest backup of
 * `sourceSchedule` into the scratch namespace, with RBAC that can delete that namespace only.
 */
export function createRestoreDrill(
  name: string,
  args: {
    /** When the drill runs (5-field cron, UTC). */
    readonly schedule: string;
    /** The Velero schedule whose newest backup it restores. */
    readonly sourceSchedule: string;
    readonly registryHost: string;
    /** Velero's namespace and release, and the schedules whose backups it restores. */
    readonly dependsOn: readonly pulumi.Resource[];
  },
  base: pulumi.CustomResourceOptions,
): k8s.batch.v1.CronJob {
  const dependsOn = [...args.dependsOn];
  const nsOpts = { ...base, dependsOn };
  const drillName = "dr-restore-drill";
  const serviceAccount = new k8s.core.v1.ServiceAccount(
    `${name}-drill-sa`,
    { metadata: { name: drillName, namespace: VELERO_NAMESPACE } },
    nsOpts,
  );
  const role = new k8s.rbac.v1.Role(
    `${name}-drill-role`,
    {
      metadata: { name: drillName, namespace: VELERO_NAMESPACE },
      rules: [
        {
          apiGroups: ["velero.io"],
          resources: ["restores"],
          verbs: ["create", "get", "list", "watch"],
        },
        {
          apiGroups: ["velero.io"],
          resources: ["backups", "schedules"],
          verbs: ["get", "list"],
        },
      ],
    },
    nsOpts,
  );
  new k8s.rbac.v1.RoleBinding(
    `${name}-drill-binding`,
    {
      metadata: { name: drillName, namespace: VELERO_NAMESPACE },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: drillName },
      subjects: [{ kind: "ServiceAccount", name: drillName, namespace: VELERO_NAMESPACE }],
    },
    { ...nsOpts, dependsOn: [role, serviceAccount] },
  );
  const clusterRole = new k8s.rbac.v1.ClusterRole(
    `${name}-drill-scratch-role`,
    {
      metadata: { name: `${drillName}-scratch` },
      // Only the scratch namespace, by name: the drill can delete nothing else.
      rules: [
        {
          apiGroups: [""],
          resources: ["namespaces"],
          resourceNames: [DRILL.scratchNamespace],
          verbs: ["get", "delete"],
        },
      ],
    },
    base,
  );
  new k8s.rbac.v1.ClusterRoleBinding(
    `${name}-drill-scratch-binding`,
    {
      metadata: { name: `${drillName}-scratch` },
      roleRef: {
        apiGroup: "rbac.authorization.k8s.io",
        kind: "ClusterRole",
        name: `${drillName}-scratch`,
      },
      subjects: [{ kind: "ServiceAccount", name: drillName, namespace: VELERO_NAMESPACE }],
    },
    { ...base, dependsOn: [clusterRole, serviceAccount] },
  );
  const containers = drillContainers(VELERO_NAMESPACE, args.registryHost, args.sourceSchedule);
  const drill = new k8s.batch.v1.CronJob(
    `${name}-drill`,
    {
      metadata: { name: drillName, namespace: VELERO_NAMESPACE },
      spec: {
        schedule: args.schedule,
        timeZone: "Etc/UTC",
        concurrencyPolicy: "Forbid",
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 4,
        failedJobsHistoryLimit: 4,
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: 2 * 3600,
            template: {
              metadata: { labels: { "app.kubernetes.io/name": drillName } },
              spec: {
                serviceAccountName: drillName,
                restartPolicy: "Never",
                securityContext: { ...NONROOT_POD_SECURITY },
                initContainers: [containers.init],
                containers: [containers.main],
                volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
              },
            },
          },
        },
      },
    },
    { ...base, dependsOn: [...dependsOn, serviceAccount] },
  );
  return drill;
}

/**
 * Velero's namespace, in the primary and the standby alike, with its two NetworkPolicies: HTTPS
 * out (S3, STS and the Kubernetes API, all on 443: AWS service IPs are not a fixed range) and
 * metrics in from the monitoring namespace only.
 * Velero's data mover pods run as root (Velero sets runAsUser 0 on them: they restore file
 * ownership), which only the baseline level admits. Everything this program defines in the
 * namespace still meets "restricted", and audit/warn stay at restricted.
 */
export function createVeleroNamespace(
  name: string,
  monitoringNamespace: string,
  opts: pulumi.CustomResourceOptions,
): RestrictedNamespace {
  const namespace = new RestrictedNamespace(
    VELERO_NAMESPACE,
    { podSecurity: "baseline", quota: { pods: "100", persistentVolumeClaims: "50" } },
    opts,
  );
  const nsOpts = { ...opts, dependsOn: [namespace] };
  new k8s.networking.v1.NetworkPolicy(
    `${name}-velero-egress`,
    {
      metadata: { name: "velero-egress-https", namespace: VELERO_NAMESPACE },
      spec: {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [{ ports: [{ protocol: "TCP", port: 443 }] }],
      },
    },
    nsOpts,
  );
  new k8s.networking.v1.NetworkPolicy(
    `${name}-velero-metrics`,
    {
      metadata: { name: "velero-metrics-from-prometheus", namespace: VELERO_NAMESPACE },
      spec: {
        podSelector: { matchLabels: { "app.kubernetes.io/name": "velero" } },
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [
              {
                namespaceSelector: {
                  matchLabels: { "kubernetes.io/metadata.name": monitoringNamespace },
                },
              },
            ],
            ports: [{ protocol: "TCP", port: METRICS_PORT }],
          },
        ],
      },
    },
    nsOpts,
  );
  return namespace;
}
