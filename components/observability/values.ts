/**
 * Helm values of every observability chart, built by pure functions from plain settings so that
 * tests read exactly what reaches each chart. Service names are fixed with `fullnameOverride`
 * so that the components can find each other whatever the Helm release is called.
 */
import {
  alertmanagerConfig,
  AlertTopics,
  ReceiverChannels,
  RECEIVER_SECRET_NAME,
} from "./alerting";
import { chartImage, IMAGES, imageReference, repositoryImage } from "@platform/core";
import { PROMETHEUS_SCRAPE_INTERVAL_SECONDS } from "@platform/model";
import {
  EVERY_NODE_TOLERATIONS,
  PLATFORM_CRITICAL,
  resources,
  RESTRICTED_CONTAINER,
  restrictedPod,
  RUNTIME_DEFAULT_SECCOMP,
  SYSTEM_NODE_SELECTOR,
  SYSTEM_TOLERATIONS,
} from "./security";
import { secretFieldCommand } from "./database-setup";

type HelmValues = Record<string, unknown>;

/** In-cluster service names (fixed by fullnameOverride) and ports. */
export const SERVICES = {
  prometheus: { name: "kube-prometheus-stack-prometheus", port: 9090 },
  alertmanager: { name: "kube-prometheus-stack-alertmanager", port: 9093 },
  loki: { name: "loki", port: 3100 },
  /** Tempo's query path (tempo-distributed: the query frontend). */
  tempo: { name: "tempo-query-frontend", port: 3200 },
  /** Tempo's write path (tempo-distributed: the distributors' OTLP/gRPC receiver). */
  tempoOtlpGrpc: { name: "tempo-distributor", port: 4317 },
  grafana: { name: "grafana", port: 80 },
  /** The collector applications send to: it routes each trace's spans to one sampler. */
  otelCollector: { name: "otel-collector", port: 4317 },
  /** Headless: the gateway's load-balancing exporter resolves it to the sampler pods' IPs. */
  otelSampler: { name: "otel-sampler-headless", port: 4317 },
} as const;

export function serviceUrl(service: { name: string; port: number }, namespace: string): string {
  return `http://${service.name}.${namespace}.svc:${service.port}`;
}

/** Grafana data source UIDs; dashboards refer to data sources by these. */
export const DATASOURCE_UIDS = {
  prometheus: "prometheus",
  loki: "loki",
  tempo: "tempo",
  alertmanager: "alertmanager",
  cloudwatch: "cloudwatch",
  /** The region's Amazon Managed Service for Prometheus workspace: long-term metrics. */
  managedPrometheus: "amp",
} as const;

export const GRAFANA_ADMIN_SECRET = "grafana-admin";
export const GRAFANA_DASHBOARD_LABEL = "grafana_dashboard";

const systemPlacement = {
  nodeSelector: SYSTEM_NODE_SELECTOR,
  tolerations: SYSTEM_TOLERATIONS,
  priorityClassName: PLATFORM_CRITICAL,
};

export interface PrometheusStackSettings {
  /** The stack's registry (`registryHost`): every image comes through its pull-through cache. */
  readonly registryHost: string;
  readonly clusterName: string;
  readonly region: string;
  /** Namespace of node agents (node exporter), which need host access. */
  readonly agentsNamespace: string;
  readonly storageClassName: string;
  readonly prometheusReplicas: number;
  readonly retentionDays: number;
  readonly volumeSizeGiB: number;
  readonly alertmanagerReplicas: number;
  readonly receivers: ReceiverChannels;
  /** The SNS topics every route ends at (the alarm topic) and the Watchdog feeds (the heartbeat). */
  readonly topics: AlertTopics;
  /** IRSA role of Alertmanager's service account: publishes to `topics` only. */
  readonly alertmanagerRoleArn: string;
  /** Prometheus's copy of every sample in AMP. @default - none: metrics live in the cluster only */
  readonly remoteWrite?: RemoteWriteSettings;
}

/** Where and how Prometheus sends its samples to the region's AMP workspace. */
export interface RemoteWriteSettings {
  /** The workspace's `<prometheusEndpoint>api/v1/remote_write`. */
  readonly url: string;
  readonly region: string;
  /** IRSA role of Prometheus's service account: `aps:RemoteWrite` on the workspace only. */
  readonly roleArn: string;
  /** Active series one Prometheus replica scrapes: sizes the queue. */
  readonly activeSeries: number;
}

/** Prometheus's service account (`prometheus.serviceAccount.name`), trusted by its IRSA role. */
export const PROMETHEUS_SERVICE_ACCOUNT = "prometheus";
/** Seconds between scrapes (`scrapeInterval`): the cost model prices AMP's samples by it too. */
const SCRAPE_INTERVAL_SECONDS = PROMETHEUS_SCRAPE_INTERVAL_SECONDS;
/**
 * Label AMP deduplicates an HA pair on, with `cluster` (an external label already): it keeps one
 * replica's samples at a time.
 * @see https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-ingest-dedupe.html
 */
export const AMP_REPLICA_LABEL = "__replica__";

/** Prometheus's `queue_config`, in the Prometheus Operator's QueueConfig field names. */
export interface RemoteWriteQueue {
  readonly capacity: number;
  readonly maxSamplesPerSend: number;
  readonly minShards: number;
  readonly maxShards: number;
  readonly batchSendDeadline: string;
  readonly minBackoff: string;
  readonly maxBackoff: string;
  readonly retryOnRateLimit: boolean;
}

/** Samples per request: Prometheus's default, well under AMP's 1 MB request limit after snappy. */
const MAX_SAMPLES_PER_SEND = 2000;
/** Requests one shard completes per second, assuming a ~500 ms round trip to AMP at the p99. */
const SENDS_PER_SHARD_SECOND = 2;

/**
 * A queue sized for `activeSeries` at the scrape interval: enough shards at the minimum to keep
 * up without resharding, four times that at the maximum to drain a backlog after an outage (the
 * WAL keeps about two hours), and a buffer per shard of five sends (Prometheus's docs advise 3 to
 * 10 times `max_samples_per_send`).
 * @see https://prometheus.io/docs/practices/remote_write/#parameters
 */
export function remoteWriteQueue(activeSeries: number): RemoteWriteQueue {
  const samplesPerSecond = activeSeries / SCRAPE_INTERVAL_SECONDS;
  const steadyShards = Math.max(
    1,
    Math.ceil(samplesPerSecond / (MAX_SAMPLES_PER_SEND * SENDS_PER_SHARD_SECOND)),
  );
  return {
    capacity: MAX_SAMPLES_PER_SEND * 5,
    maxSamplesPerSend: MAX_SAMPLES_PER_SEND,
    minShards: steadyShards,
    maxShards: Math.max(10, steadyShards * 4),
    batchSendDeadline: "5s",
    minBackoff: "30ms",
    maxBackoff: "5s",
    // AMP answers 429 when a workspace is throttled: back off and retry rather than drop.
    retryOnRateLimit: true,
  };
}

/** Prometheus's remote_write to AMP, signed with SigV4 by the pod's IRSA credentials. */
function remoteWriteValues(rw: RemoteWriteSettings): Record<string, unknown>[] {
  return [
    {
      name: "amp",
      url: rw.url,
      // No keys or role here: the SDK's default chain reads the IRSA web identity token.
      sigv4: { region: rw.region },
      queueConfig: remoteWriteQueue(rw.activeSeries),
      // Metric metadata (HELP/TYPE) for Grafana's query builder on the AMP data source.
      metadataConfig: { send: true, sendInterval: "1m" },
    },
  ];
}

/** IRSA: the EKS pod identity webhook gives pods of an annotated service account the role's credentials. */
const IRSA_ANNOTATION = "eks.amazonaws.com/role-arn";
/** Alertmanager's service account (`alertmanager.serviceAccount.name`), trusted by its IRSA role. */
export const ALERTMANAGER_SERVICE_ACCOUNT = "alertmanager";

/** Keep 15% of the volume free for compaction and the WAL: retention by size stops short of it. */
export function retentionSize(volumeSizeGiB: number): string {
  return `${Math.floor(volumeSizeGiB * 0.85)}GB`;
}

function volumeClaim(storageClassName: string, sizeGiB: number) {
  return {
    volumeClaimTemplate: {
      spec: {
        storageClassName,
        accessModes: ["ReadWriteOnce"],
        resources: { requests: { storage: `${sizeGiB}Gi` } },
      },
    },
  };
}

export function kubePrometheusStackValues(s: PrometheusStackSettings): HelmValues {
  const host = s.registryHost;
  return {
    fullnameOverride: "kube-prometheus-stack",
    // CRDs from the chart's crds/ directory; the preview CRD upgrade Job (busybox:latest) stays off.
    crds: { enabled: true, upgradeJob: { enabled: false } },
    // Grafana is its own release (grafana-community chart); its dashboards still come from here.
    grafana: { enabled: false, forceDeployDashboards: true, defaultDashboardsTimezone: "utc" },
    // EKS runs these control-plane components; their metrics endpoints are not reachable.
    kubeControllerManager: { enabled: false },
    kubeScheduler: { enabled: false },
    kubeEtcd: { enabled: false },
    kubeProxy: { enabled: false },
    windowsMonitoring: { enabled: false },
    defaultRules: {
      create: true,
      rules: {
        etcd: false,
        kubeControllerManager: false,
        kubeSchedulerAlerting: false,
        kubeSchedulerRecording: false,
        kubeProxy: false,
        windows: false,
        // Replaced by the platform-health PrometheusRule (pods, volumes, nodes).
        kubernetesApps: false,
        kubernetesStorage: false,
        nodeExporterAlerting: false,
      },
    },
    nodeExporter: {
      enabled: true,
      operatingSystems: {
        linux: { enabled: true },
        aix: { enabled: false },
        darwin: { enabled: false },
      },
    },
    "prometheus-node-exporter": {
      // Host network, PID and root filesystem: only the agents namespace admits it.
      namespaceOverride: s.agentsNamespace,
      // The table's tag is the distroless one: the chart must not append the suffix again.
      image: { ...chartImage(host, IMAGES.nodeExporter), distroless: false },
      kubeRBACProxy: { enabled: false },
      // Runs only when a permission fix is asked for (none is); pinned rather than `latest`.
      permissionInitContainer: { image: chartImage(host, IMAGES.busybox) },
      priorityClassName: PLATFORM_CRITICAL,
      tolerations: EVERY_NODE_TOLERATIONS,
      resources: resources({ cpu: "50m", memory: "64Mi", cpuLimit: "250m", memoryLimit: "128Mi" }),
      securityContext: restrictedPod(65534),
      containerSecurityContext: {
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        seccompProfile: RUNTIME_DEFAULT_SECCOMP,
      },
    },
    "kube-state-metrics": {
      image: chartImage(host, IMAGES.kubeStateMetrics),
      kubeRBACProxy: { enabled: false },
      ...systemPlacement,
      resources: resources({
        cpu: "100m",
        memory: "256Mi",
        cpuLimit: "500m",
        memoryLimit: "512Mi",
      }),
      securityContext: { enabled: true, ...restrictedPod(65534) },
      containerSecurityContext: RESTRICTED_CONTAINER,
    },
    prometheusOperator: {
      image: chartImage(host, IMAGES.prometheusOperator),
      // The default image of Thanos sidecars (none runs): an argument of the Operator.
      thanosImage: chartImage(host, IMAGES.thanos),
      ...systemPlacement,
      resources: resources({
        cpu: "100m",
        memory: "128Mi",
        cpuLimit: "500m",
        memoryLimit: "512Mi",
      }),
      securityContext: restrictedPod(65534),
      containerSecurityContext: RESTRICTED_CONTAINER,
      prometheusConfigReloader: {
        image: chartImage(host, IMAGES.prometheusConfigReloader),
        resources: resources({ cpu: "50m", memory: "32Mi", cpuLimit: "200m", memoryLimit: "64Mi" }),
      },
      admissionWebhooks: {
        // Rules and monitors are validated on admission, before Prometheus loads them.
        enabled: true,
        failurePolicy: "Fail",
        // The Operator serves the webhooks itself; no separate webhook Deployment.
        deployment: { enabled: false },
        patch: {
          image: chartImage(host, IMAGES.admissionWebhookCertgen),
          ...systemPlacement,
          resources: resources({
            cpu: "50m",
            memory: "64Mi",
            cpuLimit: "200m",
            memoryLimit: "128Mi",
          }),
          securityContext: restrictedPod(2000),
        },
        createSecretJob: { securityContext: RESTRICTED_CONTAINER },
        patchWebhookJob: { securityContext: RESTRICTED_CONTAINER },
      },
    },
    alertmanager: {
      config: alertmanagerConfig(s.receivers, s.topics),
      // SigV4 for sns_configs: the AWS SDK's default chain reads the IRSA web identity token.
      serviceAccount: {
        create: true,
        name: ALERTMANAGER_SERVICE_ACCOUNT,
        annotations: { [IRSA_ANNOTATION]: s.alertmanagerRoleArn },
      },
      podDisruptionBudget: { enabled: true, minAvailable: 1 },
      alertmanagerSpec: {
        image: chartImage(host, IMAGES.alertmanager),
        replicas: s.alertmanagerReplicas,
        // Receiver credentials, mounted at /etc/alertmanager/secrets/<name>/ and read as files.
        secrets: [RECEIVER_SECRET_NAME],
        ...systemPlacement,
        podAntiAffinity: "hard",
        resources: resources({
          cpu: "50m",
          memory: "128Mi",
          cpuLimit: "500m",
          memoryLimit: "256Mi",
        }),
        securityContext: restrictedPod(1000),
        retention: "120h",
        storage: volumeClaim(s.storageClassName, 5),
      },
    },
    prometheus: {
      podDisruptionBudget: { enabled: true, minAvailable: 1 },
      ...(s.remoteWrite
        ? {
            serviceAccount: {
              create: true,
              name: PROMETHEUS_SERVICE_ACCOUNT,
              annotations: { [IRSA_ANNOTATION]: s.remoteWrite.roleArn },
            },
          }
        : {}),
      prometheusSpec: {
        image: chartImage(host, IMAGES.prometheus),
        replicas: s.prometheusReplicas,
        retention: `${s.retentionDays}d`,
        retentionSize: retentionSize(s.volumeSizeGiB),
        storageSpec: volumeClaim(s.storageClassName, s.volumeSizeGiB),
        ...systemPlacement,
        // Two replicas on one node are one failure domain.
        podAntiAffinity: "hard",
        resources: resources({ cpu: "500m", memory: "3Gi", cpuLimit: "2", memoryLimit: "6Gi" }),
        securityContext: restrictedPod(1000),
        externalLabels: { cluster: s.clusterName, region: s.region },
        // The replica label AMP deduplicates the HA pair on (the Operator adds it per replica).
        replicaExternalLabelName: AMP_REPLICA_LABEL,
        ...(s.remoteWrite ? { remoteWrite: remoteWriteValues(s.remoteWrite) } : {}),
        scrapeInterval: `${SCRAPE_INTERVAL_SECONDS}s`,
        evaluationInterval: "30s",
        walCompression: true,
        enableAdminAPI: false,
        // Select monitors and rules from every namespace, not only this release's.
        ruleSelectorNilUsesHelmValues: false,
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        probeSelectorNilUsesHelmValues: false,
        scrapeConfigSelectorNilUsesHelmValues: false,
      },
    },
    thanosRuler: { enabled: false },
  };
}

interface LokiSettings {
  readonly registryHost: string;
  readonly region: string;
  readonly bucketName: string;
  readonly roleArn: string;
  readonly retentionDays: number;
  readonly replicas: number;
  readonly storageClassName: string;
}

export const LOKI_SERVICE_ACCOUNT = "loki";
export const TEMPO_SERVICE_ACCOUNT = "tempo";

export function lokiValues(s: LokiSettings): HelmValues {
  return {
    fullnameOverride: "loki",
    deploymentMode: "Monolithic",
    // The PVC-resize Job (off: `singleBinary.statefulSetRecreateJob.enabled`) pinned all the same.
    defaults: { statefulSetRecreateJob: { image: chartImage(s.registryHost, IMAGES.kubectl) } },
    loki: {
      image: chartImage(s.registryHost, IMAGES.loki),
      auth_enabled: false,
      podSecurityContext: restrictedPod(10001),
      containerSecurityContext: RESTRICTED_CONTAINER,
      commonConfig: { replication_factor: Math.min(3, s.replicas) },
      schemaConfig: {
        configs: [
          {
            from: "2026-01-01",
            store: "tsdb",
            object_store: "s3",
            schema: "v13",
            index: { prefix: "index_", period: "24h" },
          },
        ],
      },
      storage: {
        type: "s3",
        // The chart (18.11.0, templates/_helpers.tpl) reads only `chunks` and `ruler`.
        bucketNames: { chunks: s.bucketName, ruler: s.bucketName },
        // Credentials come from IRSA; encryption from the bucket's default SSE-KMS.
        s3: { region: s.region, insecure: false, s3ForcePathStyle: false },
      },
      limits_config: { retention_period: `${s.retentionDays * 24}h` },
      compactor: {
        retention_enabled: true,
        delete_request_store: "s3",
        working_directory: "/var/loki/compactor",
      },
    },
    serviceAccount: {
      create: true,
      name: LOKI_SERVICE_ACCOUNT,
      annotations: { [IRSA_ANNOTATION]: s.roleArn },
    },
    singleBinary: {
      replicas: s.replicas,
      ...systemPlacement,
      resources: resources({ cpu: "250m", memory: "1Gi", cpuLimit: "1", memoryLimit: "2Gi" }),
      persistence: { enabled: true, size: "20Gi", storageClass: s.storageClassName },
    },
    read: { replicas: 0 },
    write: { replicas: 0 },
    backend: { replicas: 0 },
    gateway: { enabled: false },
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    // Both caches run this image, so no one flag skips it: pinned although neither cache runs.
    memcached: { image: chartImage(s.registryHost, IMAGES.memcached) },
    memcachedExporter: { image: chartImage(s.registryHost, IMAGES.memcachedExporter) },
    lokiCanary: { enabled: false },
    test: { enabled: false },
    sidecar: { rules: { enabled: false } },
    minio: { enabled: false },
    rollout_operator: { enabled: false },
    monitoring: {
      serviceMonitor: { enabled: true },
      dashboards: { enabled: false },
      rules: { enabled: false },
    },
  };
}

interface TempoSettings {
  readonly registryHost: string;
  readonly region: string;
  readonly bucketName: string;
  readonly roleArn: string;
  readonly retentionDays: number;
  readonly storageClassName: string;
  /** Replicas of each component; ingesters run at least 3 (replication factor 3). */
  readonly replicas: number;
}

/** One replica per zone at most skew 1: a zone's loss leaves the others serving. */
function zoneSpread(component: string): string {
  // Passed through the chart's `tpl`, so the selector is the chart's own (tempo-distributed 2.9.0
  // values.yaml, `<component>.topologySpreadConstraints`).
  return [
    "- maxSkew: 1",
    "  topologyKey: topology.kubernetes.io/zone",
    "  whenUnsatisfiable: DoNotSchedule",
    "  labelSelector:",
    "    matchLabels:",
    `      {{- include "tempo.selectorLabels" (dict "ctx" . "component" "${component}") | nindent 6 }}`,
  ].join("\n");
}

/**
 * Tempo in microservices mode (tempo-distributed): distributors, ingesters (replication factor 3),
 * queriers, query frontends and compactors, each with `replicas` pods spread over the zones and a
 * PodDisruptionBudget, blocks in S3 through IRSA. Chart keys: grafana-community/helm-charts
 * tag tempo-distributed-2.9.0 (f87fee7), charts/tempo-distributed/values.yaml.
 */
export function tempoDistributedValues(s: TempoSettings): HelmValues {
  const component = (name: string, sizes: Parameters<typeof resources>[0]) => ({
    replicas: s.replicas,
    nodeSelector: SYSTEM_NODE_SELECTOR,
    tolerations: SYSTEM_TOLERATIONS,
    resources: resources(sizes),
    topologySpreadConstraints: zoneSpread(name),
    podDisruptionBudget: { enabled: true },
    maxUnavailable: 1,
  });
  const tempoImage = chartImage(s.registryHost, IMAGES.tempo);
  return {
    fullnameOverride: "tempo",
    // `global.image.registry` (default docker.io) wins over every image's own registry.
    global: { priorityClassName: PLATFORM_CRITICAL, image: { registry: tempoImage.registry } },
    reportingEnabled: false,
    enterprise: { enabled: false },
    provisioner: { enabled: false },
    tempo: {
      image: tempoImage,
      securityContext: RESTRICTED_CONTAINER,
      podSecurityContext: restrictedPod(10001),
    },
    serviceAccount: {
      create: true,
      name: TEMPO_SERVICE_ACCOUNT,
      annotations: { [IRSA_ANNOTATION]: s.roleArn },
    },
    distributor: component("distributor", {
      cpu: "200m",
      memory: "256Mi",
      cpuLimit: "1",
      memoryLimit: "1Gi",
    }),
    ingester: {
      ...component("ingester", { cpu: "250m", memory: "1Gi", cpuLimit: "1", memoryLimit: "2Gi" }),
      // Each trace is written to three ingesters: one ingester, or one zone of three, can go.
      replicas: Math.max(3, s.replicas),
      config: { replication_factor: 3 },
      persistence: { enabled: true, size: "10Gi", storageClass: s.storageClassName },
    },
    querier: component("querier", {
      cpu: "100m",
      memory: "256Mi",
      cpuLimit: "1",
      memoryLimit: "1Gi",
    }),
    queryFrontend: {
      ...component("query-frontend", {
        cpu: "100m",
        memory: "128Mi",
        cpuLimit: "500m",
        memoryLimit: "512Mi",
      }),
      // The Jaeger UI sidecar (tempo-query): Grafana queries Tempo directly.
      query: { enabled: false },
    },
    compactor: {
      ...component("compactor", {
        cpu: "100m",
        memory: "512Mi",
        cpuLimit: "1",
        memoryLimit: "1Gi",
      }),
      config: { compaction: { block_retention: `${s.retentionDays * 24}h` } },
    },
    // Spans arrive from the sampling collectors over OTLP/gRPC only.
    traces: { otlp: { grpc: { enabled: true } } },
    // The caches' pods (memcached) are left out: trace volume after sampling does not need them.
    memcached: { enabled: false },
    cache: { caches: [] },
    storage: {
      trace: {
        backend: "s3",
        // Read by the chart's config template (`storage.trace.s3`); encryption from the bucket's
        // default SSE-KMS, credentials from IRSA.
        s3: { bucket: s.bucketName, endpoint: `s3.${s.region}.amazonaws.com`, region: s.region },
      },
    },
    gateway: { enabled: false },
    metaMonitoring: { serviceMonitor: { enabled: true }, grafanaAgent: { installOperator: false } },
    minio: { enabled: false },
    rollout_operator: { enabled: false },
  };
}

/** Grafana's shared database: PostgreSQL on the data tier, its own database and user. */
export interface GrafanaDatabaseSettings {
  /** `host:port` of the PostgreSQL primary (its Multi-AZ endpoint follows a failover). */
  readonly host: string;
  readonly name: string;
  /**
   * The password user's secret in Secrets Manager (`username`, `password`), which the data tier
   * rotates with alternating users: each pod reads it when it starts.
   */
  readonly secretArn: string;
}

/** Single sign-on through an OIDC provider; local logins are disabled once it is set. */
export interface GrafanaOidcSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly authUrl: string;
  readonly tokenUrl: string;
  readonly userInfoUrl: string;
  /** IdP groups (the `groups` claim) whose members are Grafana Admins, then Editors; others view. */
  readonly adminGroups: readonly string[];
  readonly editorGroups: readonly string[];
}

interface GrafanaSettings {
  readonly registryHost: string;
  readonly namespace: string;
  readonly region: string;
  /** IRSA role that lets the CloudWatch and AMP data sources read metrics. */
  readonly roleArn: string;
  /** Replicas; more than one needs `database`. */
  readonly replicas: number;
  /** @default - SQLite on the pod's emptyDir: one replica, UI edits lost on restart */
  readonly database?: GrafanaDatabaseSettings;
  /** @default - local admin login only */
  readonly oidc?: GrafanaOidcSettings;
  /** The AMP workspace's query endpoint (`prometheusEndpoint`). @default - no AMP data source */
  readonly managedPrometheusUrl?: string;
}

/** Where Grafana's init containers leave its database user and password, a file each (memory). */
export const GRAFANA_CREDENTIALS_DIR = "/run/grafana-database";
const GRAFANA_CREDENTIALS_VOLUME = "database-credentials";
/** The Secret holding the OIDC client secret (key `client-secret`), created by the component. */
export const GRAFANA_OIDC_SECRET = "grafana-oidc";

/** JMESPath over the ID token's claims: Admin, then Editor, else Viewer. */
export function grafanaRoleMapping(
  oidc: Pick<GrafanaOidcSettings, "adminGroups" | "editorGroups">,
): string {
  const member = (groups: readonly string[], role: string) =>
    groups.map((g) => `contains(groups[*], '${g.replace(/'/g, "\\'")}') && '${role}'`);
  return [
    ...member(oidc.adminGroups, "Admin"),
    ...member(oidc.editorGroups, "Editor"),
    "'Viewer'",
  ].join(" || ");
}

/** Secrets reach the pod as environment variables from Secrets, never in values or ConfigMaps. */
function grafanaSecretEnv(s: GrafanaSettings): Record<string, unknown> {
  const fromSecret = (name: string, key: string) => ({ secretKeyRef: { name, key } });
  return {
    ...(s.oidc
      ? { GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: fromSecret(GRAFANA_OIDC_SECRET, "client-secret") }
      : {}),
  };
}

/** grafana.ini sections for the shared database, SSO and HA alerting, as the settings ask. */
function grafanaHaIni(s: GrafanaSettings, namespace: string): Record<string, unknown> {
  return {
    ...(s.database
      ? {
          database: {
            type: "postgres",
            host: s.database.host,
            name: s.database.name,
            // The user and password come from GF_DATABASE_*__FILE (grafanaCredentials).
            // The parameter group forces TLS (rds.force_ssl); the image has no RDS CA bundle to verify.
            ssl_mode: "require",
            // Replicas share the schema: the first to start migrates it under a database lock.
            high_availability: true,
            migration_locking: true,
          },
          // Alert state and notifications are shared between the replicas over gossip.
          unified_alerting: {
            ha_peers: `grafana-headless.${namespace}.svc:9094`,
            ha_listen_address: "$__env{POD_IP}:9094",
            ha_advertise_address: "$__env{POD_IP}:9094",
          },
        }
      : {}),
    ...(s.oidc
      ? {
          "auth.generic_oauth": {
            enabled: true,
            name: "SSO",
            client_id: s.oidc.clientId,
            scopes: "openid profile email groups",
            auth_url: s.oidc.authUrl,
            token_url: s.oidc.tokenUrl,
            api_url: s.oidc.userInfoUrl,
            use_pkce: true,
            use_refresh_token: true,
            allow_sign_up: true,
            auto_login: false,
            groups_attribute_path: "groups",
            role_attribute_path: grafanaRoleMapping(s.oidc),
            role_attribute_strict: false,
            allow_assign_grafana_admin: false,
          },
          // Local logins (the generated admin's included) are off once SSO is set.
          "auth.basic": { enabled: false },
        }
      : {}),
  };
}

export const GRAFANA_SERVICE_ACCOUNT = "grafana";
/** Grafana's Deployment and Service name (`fullnameOverride`). */
export const GRAFANA_FULLNAME = "grafana";

function grafanaDatasources(
  namespace: string,
  region: string,
  managedPrometheusUrl: string | undefined,
): Record<string, unknown>[] {
  const managedPrometheus = managedPrometheusUrl
    ? [
        {
          // Long-term metrics (the workspace's retention), signed with the pod's IRSA role.
          name: "Amazon Managed Prometheus",
          uid: DATASOURCE_UIDS.managedPrometheus,
          type: "prometheus",
          access: "proxy",
          url: managedPrometheusUrl,
          jsonData: {
            httpMethod: "POST",
            timeInterval: `${SCRAPE_INTERVAL_SECONDS}s`,
            sigV4Auth: true,
            sigV4AuthType: "default",
            sigV4Region: region,
          },
        },
      ]
    : [];
  return [
    {
      name: "Prometheus",
      uid: DATASOURCE_UIDS.prometheus,
      type: "prometheus",
      access: "proxy",
      url: serviceUrl(SERVICES.prometheus, namespace),
      isDefault: true,
      jsonData: { httpMethod: "POST", timeInterval: "30s" },
    },
    {
      name: "Loki",
      uid: DATASOURCE_UIDS.loki,
      type: "loki",
      access: "proxy",
      url: serviceUrl(SERVICES.loki, namespace),
      jsonData: {
        derivedFields: [
          {
            name: "TraceID",
            matcherRegex: '"trace_id":"(\\w+)"',
            url: "${__value.raw}",
            datasourceUid: DATASOURCE_UIDS.tempo,
          },
        ],
      },
    },
    {
      name: "Tempo",
      uid: DATASOURCE_UIDS.tempo,
      type: "tempo",
      access: "proxy",
      url: serviceUrl(SERVICES.tempo, namespace),
      jsonData: {
        tracesToLogsV2: { datasourceUid: DATASOURCE_UIDS.loki, filterByTraceID: true },
        serviceMap: { datasourceUid: DATASOURCE_UIDS.prometheus },
        nodeGraph: { enabled: true },
      },
    },
    {
      name: "Alertmanager",
      uid: DATASOURCE_UIDS.alertmanager,
      type: "alertmanager",
      access: "proxy",
      url: serviceUrl(SERVICES.alertmanager, namespace),
      jsonData: { implementation: "prometheus" },
    },
    {
      // RDS and ElastiCache metrics for the data-tier dashboard, read with the pod's IRSA role.
      name: "CloudWatch",
      uid: DATASOURCE_UIDS.cloudwatch,
      type: "cloudwatch",
      jsonData: { authType: "default", defaultRegion: region },
    },
    ...managedPrometheus,
  ];
}

/**
 * Grafana's database credentials, read from Secrets Manager when the pod starts: the AWS CLI
 * fetches the secret with the pod's IRSA role, busybox splits it into a file per field on a
 * memory volume, and the image's entrypoint turns `GF_<KEY>__FILE` into `GF_<KEY>` (grafana/grafana
 * packaging/docker/run.sh). Nothing of it is in values, a ConfigMap or a Kubernetes Secret.
 */
function grafanaCredentials(s: GrafanaSettings, database: GrafanaDatabaseSettings): HelmValues {
  const json = `${GRAFANA_CREDENTIALS_DIR}/secret.json`;
  const file = (field: "username" | "password") => `${GRAFANA_CREDENTIALS_DIR}/${field}`;
  const mounts = [
    { name: GRAFANA_CREDENTIALS_VOLUME, mountPath: GRAFANA_CREDENTIALS_DIR },
    { name: "tmp", mountPath: "/tmp" },
  ];
  const resources = {
    requests: { cpu: "50m", memory: "64Mi" },
    limits: { memory: "256Mi" },
  };
  return {
    extraInitContainers: [
      {
        name: "read-database-secret",
        image: imageReference(s.registryHost, IMAGES.awsCli),
        command: ["/bin/sh", "-ec"],
        args: [
          `umask 077; aws secretsmanager get-secret-value --region ${s.region} --secret-id '${database.secretArn}' --query SecretString --output text > ${json}`,
        ],
        // The CLI keeps its cache under $HOME; the root filesystem is read-only.
        env: [{ name: "HOME", value: "/tmp" }],
        securityContext: RESTRICTED_CONTAINER,
        resources,
        volumeMounts: mounts,
      },
      {
        name: "split-database-secret",
        image: imageReference(s.registryHost, IMAGES.busybox),
        command: ["/bin/sh", "-ec"],
        args: [
          [
            "umask 077",
            `${secretFieldCommand("username", json)} > ${file("username")}`,
            `${secretFieldCommand("password", json)} > ${file("password")}`,
            `rm ${json}`,
            // An empty field would start Grafana against the wrong user: fail the pod instead.
            `test -s ${file("username")} && test -s ${file("password")}`,
          ].join("\n"),
        ],
        securityContext: RESTRICTED_CONTAINER,
        resources,
        volumeMounts: mounts,
      },
    ],
    extraVolumes: [
      { name: GRAFANA_CREDENTIALS_VOLUME, emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
    ],
    extraVolumeMounts: [
      { name: GRAFANA_CREDENTIALS_VOLUME, mountPath: GRAFANA_CREDENTIALS_DIR, readOnly: true },
    ],
    env: {
      GF_DATABASE_USER__FILE: file("username"),
      GF_DATABASE_PASSWORD__FILE: file("password"),
    },
  };
}

export function grafanaValues(s: GrafanaSettings): HelmValues {
  return {
    fullnameOverride: GRAFANA_FULLNAME,
    // Dashboards and data sources are provisioned from files; what users change in the UI lives
    // in the shared database, so any replica serves any session.
    replicas: s.replicas,
    ...(s.replicas > 1
      ? {
          podDisruptionBudget: { minAvailable: 1 },
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: "topology.kubernetes.io/zone",
              whenUnsatisfiable: "DoNotSchedule",
              labelSelector: { matchLabels: { "app.kubernetes.io/name": "grafana" } },
            },
          ],
          // Gossip of the alerting state between replicas (grafana-headless:9094).
          headlessService: true,
        }
      : {}),
    ...(s.database ? grafanaCredentials(s, s.database) : {}),
    envValueFrom: {
      ...grafanaSecretEnv(s),
      ...(s.database ? { POD_IP: { fieldRef: { fieldPath: "status.podIP" } } } : {}),
    },
    image: chartImage(s.registryHost, IMAGES.grafana),
    // Used whenever `dashboards` is set (no flag turns it off; none is set): pinned all the same.
    downloadDashboardsImage: chartImage(s.registryHost, IMAGES.curl),
    imageRenderer: { enabled: false },
    admin: {
      existingSecret: GRAFANA_ADMIN_SECRET,
      userKey: "admin-user",
      passwordKey: "admin-password",
    },
    ...systemPlacement,
    resources: resources({ cpu: "100m", memory: "256Mi", cpuLimit: "500m", memoryLimit: "512Mi" }),
    securityContext: restrictedPod(472),
    containerSecurityContext: RESTRICTED_CONTAINER,
    // The chown init container runs as root; the volume is an emptyDir owned through fsGroup.
    initChownData: { enabled: false },
    persistence: { enabled: false },
    extraEmptyDirMounts: [{ name: "tmp", mountPath: "/tmp" }],
    testFramework: { enabled: false },
    rbac: { namespaced: true },
    serviceAccount: {
      create: true,
      name: GRAFANA_SERVICE_ACCOUNT,
      annotations: { [IRSA_ANNOTATION]: s.roleArn },
    },
    serviceMonitor: { enabled: true },
    "grafana.ini": {
      analytics: {
        reporting_enabled: false,
        check_for_updates: false,
        check_for_plugin_updates: false,
      },
      users: { allow_sign_up: false },
      "auth.anonymous": { enabled: false },
      security: { cookie_secure: true, disable_gravatar: true },
      log: { mode: "console" },
      auth: {
        // The AMP data source signs its requests with SigV4 (IRSA credentials).
        sigv4_auth_enabled: true,
        ...(s.oidc ? { disable_login_form: true } : {}),
      },
      ...grafanaHaIni(s, s.namespace),
    },
    datasources: {
      "datasources.yaml": {
        apiVersion: 1,
        datasources: grafanaDatasources(s.namespace, s.region, s.managedPrometheusUrl),
      },
    },
    sidecar: {
      image: chartImage(s.registryHost, IMAGES.k8sSidecar),
      securityContext: RESTRICTED_CONTAINER,
      resources: resources({ cpu: "50m", memory: "64Mi", cpuLimit: "200m", memoryLimit: "128Mi" }),
      dashboards: {
        enabled: true,
        label: GRAFANA_DASHBOARD_LABEL,
        labelValue: "1",
        // No searchNamespace: its own namespace only (namespaced RBAC), where all dashboards live.
        folderAnnotation: "grafana_folder",
        provider: { foldersFromFilesStructure: true, allowUiUpdates: false },
      },
    },
  };
}

export interface ProbeTarget {
  readonly name: string;
  readonly url: string;
}

export function blackboxExporterValues(
  registryHost: string,
  targets: readonly ProbeTarget[],
): HelmValues {
  return {
    fullnameOverride: "blackbox-exporter",
    replicas: 2,
    image: chartImage(registryHost, IMAGES.blackboxExporter),
    configReloader: { enabled: false },
    ...systemPlacement,
    podSecurityContext: restrictedPod(1000),
    securityContext: { ...RESTRICTED_CONTAINER, runAsUser: 1000, runAsGroup: 1000 },
    resources: resources({ cpu: "50m", memory: "64Mi", cpuLimit: "250m", memoryLimit: "128Mi" }),
    podDisruptionBudget: { maxUnavailable: 1 },
    config: {
      modules: {
        https_2xx: {
          prober: "http",
          timeout: "5s",
          http: {
            valid_http_versions: ["HTTP/1.1", "HTTP/2.0"],
            follow_redirects: true,
            preferred_ip_protocol: "ip4",
            fail_if_not_ssl: true,
          },
        },
      },
    },
    serviceMonitor: {
      enabled: targets.length > 0,
      defaults: { interval: "30s", scrapeTimeout: "10s", module: "https_2xx", labels: {} },
      targets: targets.map((t) => ({ name: t.name, url: t.url })),
    },
  };
}

const OTEL_PROMETHEUS_EXPORTER_PORT = 8889;

/** Pod label that tells the collector tiers apart (both are the same chart). */
export const OTEL_TIER_LABEL = "platform/otel-tier";

/** Tail-sampling policies: what the sampler keeps of every complete trace. */
export interface TailSamplingSettings {
  /** Traces at least this slow are all kept: the latency SLO's threshold. */
  readonly latencyThresholdMs: number;
  /** Share of the other traces kept, 0 to 100. */
  readonly percentage: number;
}

/** The tail_sampling processor: any policy that matches keeps the trace (errors, slow, a share). */
export function tailSamplingProcessor(s: TailSamplingSettings): Record<string, unknown> {
  return {
    // Spans of one trace arrive within this window; the decision waits for them all.
    decision_wait: "10s",
    num_traces: 100000,
    expected_new_traces_per_sec: 1000,
    policies: [
      { name: "errors", type: "status_code", status_code: { status_codes: ["ERROR"] } },
      { name: "slow", type: "latency", latency: { threshold_ms: s.latencyThresholdMs } },
      {
        name: "share-of-the-rest",
        type: "probabilistic",
        probabilistic: { sampling_percentage: s.percentage },
      },
    ],
  };
}

const otelPlacement = {
  ...systemPlacement,
  podSecurityContext: restrictedPod(10001),
  securityContext: RESTRICTED_CONTAINER,
  podDisruptionBudget: { enabled: true, minAvailable: 1 },
};

/** One replica per zone at most skew 1, selected by the tier's label. */
function otelZoneSpread(tier: string): Record<string, unknown>[] {
  return [
    {
      maxSkew: 1,
      topologyKey: "topology.kubernetes.io/zone",
      whenUnsatisfiable: "DoNotSchedule",
      labelSelector: { matchLabels: { [OTEL_TIER_LABEL]: tier } },
    },
  ];
}

/**
 * The contrib distribution: the slimmer k8s one has neither tail sampling nor load balancing. The
 * chart takes the whole repository path (no registry key).
 */
function otelContribImage(registryHost: string): HelmValues {
  return {
    image: repositoryImage(registryHost, IMAGES.otelCollectorContrib),
    command: { name: "otelcol-contrib" },
  };
}

/**
 * What both collector tiers share: a Deployment of the contrib image on the system nodes, labelled
 * with its tier and spread over the zones.
 */
function otelDeployment(
  fullnameOverride: string,
  tier: string,
  registryHost: string,
  replicas: number,
): HelmValues {
  return {
    fullnameOverride,
    mode: "deployment",
    replicaCount: replicas,
    ...otelContribImage(registryHost),
    ...otelPlacement,
    podLabels: { [OTEL_TIER_LABEL]: tier },
    topologySpreadConstraints: otelZoneSpread(tier),
  };
}

/** Applications send OTLP only: the other protocols' ports stay closed; metrics stay on. */
const OTLP_ONLY_PORTS = {
  "jaeger-compact": { enabled: false },
  "jaeger-thrift": { enabled: false },
  "jaeger-grpc": { enabled: false },
  zipkin: { enabled: false },
  metrics: { enabled: true },
} as const;

/**
 * The gateway tier, where applications send OTLP: metrics to Prometheus's exporter, logs to Loki,
 * and traces through the load-balancing exporter, which routes every span by trace ID to one pod
 * of the sampling tier (resolved through its headless Service), so that one sampler sees each
 * whole trace. Chart keys: open-telemetry/opentelemetry-helm-charts tag
 * opentelemetry-collector-0.170.0, charts/opentelemetry-collector/values.yaml.
 */
export function otelCollectorValues(
  registryHost: string,
  namespace: string,
  replicas = 2,
): HelmValues {
  const pipeline = (processors: string[], exporters: string[]) => ({
    receivers: ["otlp"],
    processors,
    exporters,
  });
  return {
    ...otelDeployment("otel-collector", "gateway", registryHost, replicas),
    resources: resources({ cpu: "200m", memory: "512Mi", cpuLimit: "1", memoryLimit: "1Gi" }),
    ports: {
      ...OTLP_ONLY_PORTS,
      "prom-exporter": {
        enabled: true,
        containerPort: OTEL_PROMETHEUS_EXPORTER_PORT,
        servicePort: OTEL_PROMETHEUS_EXPORTER_PORT,
        protocol: "TCP",
      },
    },
    config: {
      receivers: {
        otlp: {
          protocols: {
            grpc: { endpoint: "${env:MY_POD_IP}:4317" },
            http: { endpoint: "${env:MY_POD_IP}:4318" },
          },
        },
      },
      exporters: {
        // Every span of a trace goes to the same sampler: the routing key is the trace ID.
        loadbalancing: {
          routing_key: "traceID",
          protocol: { otlp: { tls: { insecure: true } } },
          resolver: {
            dns: {
              hostname: `${SERVICES.otelSampler.name}.${namespace}.svc.cluster.local`,
              port: SERVICES.otelSampler.port,
            },
          },
        },
        // Application metrics become Prometheus series (e.g. http_server_request_duration_seconds).
        prometheus: {
          endpoint: `\${env:MY_POD_IP}:${OTEL_PROMETHEUS_EXPORTER_PORT}`,
          resource_to_telemetry_conversion: { enabled: true },
        },
        "otlphttp/loki": { endpoint: `${serviceUrl(SERVICES.loki, namespace)}/otlp` },
      },
      service: {
        pipelines: {
          // No batching before routing: the exporter batches per sampler itself.
          traces: pipeline(["memory_limiter"], ["loadbalancing"]),
          metrics: pipeline(["memory_limiter", "batch"], ["prometheus"]),
          logs: pipeline(["memory_limiter", "batch"], ["otlphttp/loki"]),
        },
      },
    },
    serviceMonitor: {
      enabled: true,
      // Application series carry their own job (service.name); keep it rather than the collector's.
      metricsEndpoints: [{ port: "metrics" }, { port: "prom-exporter", honorLabels: true }],
    },
  };
}

/** The sampling tier's pods, for its headless Service and NetworkPolicies. */
export const OTEL_SAMPLER_POD_LABELS = {
  "app.kubernetes.io/name": "opentelemetry-collector",
  [OTEL_TIER_LABEL]: "sampler",
} as const;

/**
 * The sampling tier: receives whole traces from the gateway, keeps them by the tail-sampling
 * policies, and sends what it keeps to Tempo's distributors.
 */
export function otelSamplerValues(
  registryHost: string,
  namespace: string,
  sampling: TailSamplingSettings,
  replicas = 2,
): HelmValues {
  return {
    ...otelDeployment(
      "otel-sampler",
      OTEL_SAMPLER_POD_LABELS[OTEL_TIER_LABEL],
      registryHost,
      replicas,
    ),
    // Traces wait in memory for `decision_wait`: more memory than the gateway.
    resources: resources({ cpu: "250m", memory: "1Gi", cpuLimit: "1", memoryLimit: "2Gi" }),
    // The gateway sends OTLP over gRPC only.
    ports: { ...OTLP_ONLY_PORTS, "otlp-http": { enabled: false } },
    config: {
      receivers: {
        otlp: { protocols: { grpc: { endpoint: "${env:MY_POD_IP}:4317" } } },
      },
      processors: { tail_sampling: tailSamplingProcessor(sampling) },
      exporters: {
        "otlp/tempo": {
          endpoint: `${SERVICES.tempoOtlpGrpc.name}.${namespace}.svc:${SERVICES.tempoOtlpGrpc.port}`,
          tls: { insecure: true },
        },
      },
      service: {
        pipelines: {
          traces: {
            receivers: ["otlp"],
            processors: ["memory_limiter", "tail_sampling", "batch"],
            exporters: ["otlp/tempo"],
          },
        },
      },
    },
    serviceMonitor: { enabled: true, metricsEndpoints: [{ port: "metrics" }] },
  };
}

interface FluentBitSettings {
  readonly registryHost: string;
  readonly clusterName: string;
  readonly monitoringNamespace: string;
}

export function fluentBitValues(s: FluentBitSettings): HelmValues {
  const loki = `${SERVICES.loki.name}.${s.monitoringNamespace}.svc`;
  return {
    fullnameOverride: "fluent-bit",
    kind: "DaemonSet",
    // The chart takes the whole repository path (no registry key).
    image: repositoryImage(s.registryHost, IMAGES.fluentBit),
    testFramework: { enabled: false },
    hotReload: { enabled: false },
    priorityClassName: PLATFORM_CRITICAL,
    tolerations: EVERY_NODE_TOLERATIONS,
    resources: resources({ cpu: "50m", memory: "64Mi", cpuLimit: "500m", memoryLimit: "256Mi" }),
    // Container log files are root-owned (0640): the reader runs as root, without any capability,
    // with a read-only root filesystem; only the agents namespace admits it.
    podSecurityContext: { runAsUser: 0, runAsGroup: 0, seccompProfile: RUNTIME_DEFAULT_SECCOMP },
    securityContext: {
      runAsUser: 0,
      runAsNonRoot: false,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: RUNTIME_DEFAULT_SECCOMP,
    },
    serviceMonitor: { enabled: true },
    daemonSetVolumes: [
      { name: "varlog", hostPath: { path: "/var/log" } },
      { name: "state", hostPath: { path: "/var/fluent-bit/state", type: "DirectoryOrCreate" } },
    ],
    daemonSetVolumeMounts: [
      { name: "varlog", mountPath: "/var/log", readOnly: true },
      { name: "state", mountPath: "/var/fluent-bit/state" },
    ],
    config: {
      inputs: [
        "[INPUT]",
        "    Name tail",
        "    Path /var/log/containers/*.log",
        "    multiline.parser cri",
        "    Tag kube.*",
        "    DB /var/fluent-bit/state/tail.db",
        "    Mem_Buf_Limit 16MB",
        "    Skip_Long_Lines On",
        "",
        "[INPUT]",
        "    Name systemd",
        "    Tag host.*",
        "    Systemd_Filter _SYSTEMD_UNIT=kubelet.service",
        "    Systemd_Filter _SYSTEMD_UNIT=containerd.service",
        "    DB /var/fluent-bit/state/systemd.db",
        "    Read_From_Tail On",
        "",
      ].join("\n"),
      filters: [
        "[FILTER]",
        "    Name kubernetes",
        "    Match kube.*",
        "    Merge_Log On",
        "    Keep_Log Off",
        "    K8S-Logging.Parser On",
        "    K8S-Logging.Exclude On",
        "",
      ].join("\n"),
      outputs: [
        "[OUTPUT]",
        "    Name loki",
        "    Match kube.*",
        `    Host ${loki}`,
        `    Port ${SERVICES.loki.port}`,
        `    Labels cluster=${s.clusterName}, job=kubernetes-pods`,
        "    Label_keys $kubernetes['namespace_name'],$kubernetes['pod_name'],$kubernetes['container_name']",
        "    Line_format json",
        "    Retry_Limit 10",
        "",
        "[OUTPUT]",
        "    Name loki",
        "    Match host.*",
        `    Host ${loki}`,
        `    Port ${SERVICES.loki.port}`,
        `    Labels cluster=${s.clusterName}, job=node-journal`,
        "    Line_format json",
        "    Retry_Limit 10",
        "",
      ].join("\n"),
    },
  };
}
