/**
 * OpenCost values and the NetworkPolicies its pod needs inside a default-deny namespace. OpenCost
 * reads the cluster's Prometheus (kube-prometheus-stack in `monitoring`), which in turn scrapes
 * OpenCost's exporter, so spend per namespace, workload and label is visible.
 * @see https://github.com/opencost/opencost-helm-chart/blob/main/charts/opencost/values.yaml
 */
import { IMAGES } from "@platform/core";
import type * as k8s from "@pulumi/kubernetes";

export interface OpenCostSettings {
  /** The stack's ECR registry, whose pull-through cache serves every image. */
  readonly registryHost: string;
  /** Cluster name reported as the cluster ID in OpenCost's allocation data. */
  readonly clusterId: string;
  readonly prometheus: PrometheusEndpoint;
  /** Labels Prometheus selects ServiceMonitors by; undefined means no ServiceMonitor. */
  readonly serviceMonitorLabels?: Readonly<Record<string, string>>;
}

export interface PrometheusEndpoint {
  readonly serviceName: string;
  readonly namespace: string;
  readonly port: number;
  /** Labels of the Prometheus pods, for the egress NetworkPolicy. */
  readonly podLabels: Readonly<Record<string, string>>;
}

/** kube-prometheus-stack installed as release `kube-prometheus-stack` in namespace `monitoring`. */
export const KUBE_PROMETHEUS_STACK: PrometheusEndpoint = {
  serviceName: "kube-prometheus-stack-prometheus",
  namespace: "monitoring",
  port: 9090,
  podLabels: { "app.kubernetes.io/name": "prometheus" },
};

export const OPENCOST_POD_LABELS = { "app.kubernetes.io/name": "opencost" } as const;
export const OPENCOST_EXPORTER_PORT = 9003;

const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: 1001,
  runAsGroup: 1001,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

/** Chart values: exporter only (no UI, no MCP server), restricted security context, pinned image. */
export function openCostValues(settings: OpenCostSettings): Record<string, unknown> {
  const p = settings.prometheus;
  const exporterImage = IMAGES.opencost;
  return {
    podSecurityContext: {
      runAsNonRoot: true,
      runAsUser: 1001,
      runAsGroup: 1001,
      fsGroup: 1001,
      seccompProfile: { type: "RuntimeDefault" },
    },
    podAutomountServiceAccountToken: true,
    // Our own NetworkPolicies (below) fit the namespace's default-deny baseline.
    networkPolicies: { enabled: false },
    // A read-only root filesystem needs writable scratch space for the exporter's config and cache.
    extraVolumes: [
      { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
      { name: "var-configs", emptyDir: { sizeLimit: "64Mi" } },
    ],
    opencost: {
      exporter: {
        // The chart renders `registry/repository:tag` and carries the digest in `tag`
        // (templates/_helpers.tpl "opencost.fullImageName"), as its own default does.
        image: {
          registry: `${settings.registryHost}/${exporterImage.upstream}`,
          repository: exporterImage.repository,
          tag: `${exporterImage.tag}@${exporterImage.digest}`,
        },
        defaultClusterId: settings.clusterId,
        replicas: 1,
        resources: {
          requests: { cpu: "50m", memory: "256Mi" },
          limits: { cpu: "1", memory: "1Gi" },
        },
        securityContext: RESTRICTED_CONTAINER,
        extraVolumeMounts: [
          { name: "tmp", mountPath: "/tmp" },
          { name: "var-configs", mountPath: "/var/configs" },
        ],
      },
      prometheus: {
        // Off explicitly: AMP would add the chart's sigv4 proxy sidecar (`:latest`, not cached).
        amp: { enabled: false },
        external: { enabled: false },
        internal: {
          enabled: true,
          serviceName: p.serviceName,
          namespaceName: p.namespace,
          port: p.port,
          scheme: "http",
        },
      },
      metrics: {
        serviceMonitor: settings.serviceMonitorLabels
          ? { enabled: true, additionalLabels: { ...settings.serviceMonitorLabels } }
          : { enabled: false },
      },
      ui: { enabled: false },
      mcp: { enabled: false },
    },
  };
}

/** NetworkPolicy specs (name -> spec) admitting exactly what OpenCost needs. */
export function openCostNetworkPolicies(
  prometheus: PrometheusEndpoint,
): Record<string, k8s.types.input.networking.v1.NetworkPolicySpec> {
  const podSelector = { matchLabels: { ...OPENCOST_POD_LABELS } };
  const monitoring = {
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": prometheus.namespace } },
  };
  return {
    "opencost-to-prometheus": {
      podSelector,
      policyTypes: ["Egress"],
      egress: [
        {
          to: [{ ...monitoring, podSelector: { matchLabels: { ...prometheus.podLabels } } }],
          ports: [{ protocol: "TCP", port: prometheus.port }],
        },
      ],
    },
    // The Kubernetes API (pods, nodes, volumes) and the public AWS price list, both over HTTPS.
    "opencost-to-https": {
      podSelector,
      policyTypes: ["Egress"],
      egress: [{ ports: [{ protocol: "TCP", port: 443 }] }],
    },
    "prometheus-scrapes-opencost": {
      podSelector,
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [{ ...monitoring, podSelector: { matchLabels: { ...prometheus.podLabels } } }],
          ports: [{ protocol: "TCP", port: OPENCOST_EXPORTER_PORT }],
        },
      ],
    },
  };
}
