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
import { IMAGE_TAGS } from "./images";
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

type HelmValues = Record<string, unknown>;

/** In-cluster service names (fixed by fullnameOverride) and ports. */
export const SERVICES = {
  prometheus: { name: "kube-prometheus-stack-prometheus", port: 9090 },
  alertmanager: { name: "kube-prometheus-stack-alertmanager", port: 9093 },
  loki: { name: "loki", port: 3100 },
  tempo: { name: "tempo", port: 3200 },
  tempoOtlpGrpc: { name: "tempo", port: 4317 },
  grafana: { name: "grafana", port: 80 },
  otelCollector: { name: "otel-collector", port: 4317 },
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
} as const;

export const GRAFANA_ADMIN_SECRET = "grafana-admin";
export const GRAFANA_DASHBOARD_LABEL = "grafana_dashboard";

const systemPlacement = {
  nodeSelector: SYSTEM_NODE_SELECTOR,
  tolerations: SYSTEM_TOLERATIONS,
  priorityClassName: PLATFORM_CRITICAL,
};

export interface PrometheusStackSettings {
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
  return {
    fullnameOverride: "kube-prometheus-stack",
    crds: { enabled: true },
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
      image: { tag: IMAGE_TAGS.nodeExporter },
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
      image: { tag: IMAGE_TAGS.kubeStateMetrics },
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
      image: { tag: IMAGE_TAGS.prometheusOperator },
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
        image: { tag: IMAGE_TAGS.prometheusConfigReloader },
        resources: resources({ cpu: "50m", memory: "32Mi", cpuLimit: "200m", memoryLimit: "64Mi" }),
      },
      admissionWebhooks: {
        // Rules and monitors are validated on admission, before Prometheus loads them.
        enabled: true,
        failurePolicy: "Fail",
        patch: {
          image: { tag: IMAGE_TAGS.admissionWebhookCertgen },
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
        image: { tag: IMAGE_TAGS.alertmanager },
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
      prometheusSpec: {
        image: { tag: IMAGE_TAGS.prometheus },
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
        scrapeInterval: "30s",
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
  };
}

interface LokiSettings {
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
    loki: {
      image: { tag: IMAGE_TAGS.loki },
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
    lokiCanary: { enabled: false },
    test: { enabled: false },
    sidecar: { rules: { enabled: false } },
    monitoring: {
      serviceMonitor: { enabled: true },
      dashboards: { enabled: false },
      rules: { enabled: false },
    },
  };
}

interface TempoSettings {
  readonly region: string;
  readonly bucketName: string;
  readonly roleArn: string;
  readonly retentionDays: number;
  readonly storageClassName: string;
}

export function tempoValues(s: TempoSettings): HelmValues {
  return {
    fullnameOverride: "tempo",
    // The single-binary chart runs one replica; spans are buffered by the collectors' retries.
    replicas: 1,
    tempo: {
      tag: IMAGE_TAGS.tempo,
      reportingEnabled: false,
      retention: `${s.retentionDays * 24}h`,
      resources: resources({ cpu: "250m", memory: "1Gi", cpuLimit: "1", memoryLimit: "2Gi" }),
      securityContext: RESTRICTED_CONTAINER,
      storage: {
        trace: {
          backend: "s3",
          s3: { bucket: s.bucketName, endpoint: `s3.${s.region}.amazonaws.com`, region: s.region },
          wal: { path: "/var/tempo/wal" },
        },
      },
    },
    securityContext: restrictedPod(10001),
    serviceAccount: {
      create: true,
      name: TEMPO_SERVICE_ACCOUNT,
      annotations: { [IRSA_ANNOTATION]: s.roleArn },
    },
    persistence: { enabled: true, size: "10Gi", storageClassName: s.storageClassName },
    serviceMonitor: { enabled: true },
    ...systemPlacement,
  };
}

interface GrafanaSettings {
  readonly namespace: string;
  readonly region: string;
  /** IRSA role that lets the CloudWatch data source read metrics. */
  readonly roleArn: string;
}

export const GRAFANA_SERVICE_ACCOUNT = "grafana";

function grafanaDatasources(namespace: string, region: string): Record<string, unknown>[] {
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
  ];
}

export function grafanaValues(s: GrafanaSettings): HelmValues {
  return {
    fullnameOverride: "grafana",
    // Dashboards and data sources are provisioned from files; one replica keeps sessions simple.
    replicas: 1,
    image: { tag: IMAGE_TAGS.grafana },
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
    },
    datasources: {
      "datasources.yaml": { apiVersion: 1, datasources: grafanaDatasources(s.namespace, s.region) },
    },
    sidecar: {
      image: { tag: IMAGE_TAGS.k8sSidecar },
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

export function blackboxExporterValues(targets: readonly ProbeTarget[]): HelmValues {
  return {
    fullnameOverride: "blackbox-exporter",
    replicas: 2,
    image: { tag: IMAGE_TAGS.blackboxExporter },
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

export function otelCollectorValues(namespace: string): HelmValues {
  const pipeline = (exporters: string[]) => ({
    receivers: ["otlp"],
    processors: ["memory_limiter", "batch"],
    exporters,
  });
  return {
    fullnameOverride: "otel-collector",
    mode: "deployment",
    replicaCount: 2,
    // The contrib distribution: the slimmer k8s one has no Prometheus exporter.
    image: { repository: "otel/opentelemetry-collector-contrib", tag: IMAGE_TAGS.otelCollector },
    command: { name: "otelcol-contrib" },
    ...systemPlacement,
    podSecurityContext: restrictedPod(10001),
    securityContext: RESTRICTED_CONTAINER,
    resources: resources({ cpu: "200m", memory: "512Mi", cpuLimit: "1", memoryLimit: "1Gi" }),
    podDisruptionBudget: { enabled: true, minAvailable: 1 },
    // Applications send OTLP only; the other protocols' ports stay closed.
    ports: {
      "jaeger-compact": { enabled: false },
      "jaeger-thrift": { enabled: false },
      "jaeger-grpc": { enabled: false },
      zipkin: { enabled: false },
      metrics: { enabled: true },
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
        "otlp/tempo": {
          endpoint: `${SERVICES.tempoOtlpGrpc.name}.${namespace}.svc:${SERVICES.tempoOtlpGrpc.port}`,
          tls: { insecure: true },
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
          traces: pipeline(["otlp/tempo"]),
          metrics: pipeline(["prometheus"]),
          logs: pipeline(["otlphttp/loki"]),
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

interface FluentBitSettings {
  readonly clusterName: string;
  readonly monitoringNamespace: string;
}

export function fluentBitValues(s: FluentBitSettings): HelmValues {
  const loki = `${SERVICES.loki.name}.${s.monitoringNamespace}.svc`;
  return {
    fullnameOverride: "fluent-bit",
    kind: "DaemonSet",
    image: { tag: IMAGE_TAGS.fluentBit },
    testFramework: { enabled: false },
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
