/**
 * Every Helm chart the platform installs, pinned to an exact version from an https or OCI
 * repository. One table so that an upgrade is one reviewed line.
 *
 * Versions: newest stable release in each upstream repository as of 2026-08 (shared/REFERENCE.md).
 */
export interface ChartPin {
  readonly chart: string;
  readonly version: string;
  /** https:// repository URL, or an oci:// registry path (then `chart` is the full OCI reference). */
  readonly repository: string;
}

export const CHARTS = {
  kubePrometheusStack: {
    chart: "kube-prometheus-stack",
    version: "88.5.3",
    repository: "https://prometheus-community.github.io/helm-charts",
  },
  loki: {
    chart: "loki",
    version: "18.11.0",
    repository: "https://grafana-community.github.io/helm-charts",
  },
  // Tempo in microservices mode. tempo-distributed 3.x (Tempo 3) needs Kafka between distributors
  // and block builders; 2.9.0 (grafana-community/helm-charts tag tempo-distributed-2.9.0, f87fee7,
  // 2026-04-02) is the newest release with ingesters, and runs the Tempo 2.10 line.
  tempoDistributed: {
    chart: "tempo-distributed",
    version: "2.9.0",
    repository: "https://grafana-community.github.io/helm-charts",
  },
  grafana: {
    chart: "grafana",
    version: "12.11.1",
    repository: "https://grafana-community.github.io/helm-charts",
  },
  // Verified in the charts' own repositories (Chart.yaml at HEAD, 2026-08): prometheus-community
  // /helm-charts@cf408a2, open-telemetry/opentelemetry-helm-charts@dd5665c, fluent/helm-charts@5b81bf7.
  prometheusBlackboxExporter: {
    chart: "prometheus-blackbox-exporter",
    version: "11.17.2",
    repository: "https://prometheus-community.github.io/helm-charts",
  },
  opentelemetryCollector: {
    chart: "opentelemetry-collector",
    version: "0.170.0",
    repository: "https://open-telemetry.github.io/opentelemetry-helm-charts",
  },
  fluentBit: {
    chart: "fluent-bit",
    version: "0.58.1",
    repository: "https://fluent.github.io/helm-charts",
  },
  velero: {
    chart: "velero",
    version: "12.1.0",
    repository: "https://vmware-tanzu.github.io/helm-charts",
  },
  karpenter: {
    chart: "oci://public.ecr.aws/karpenter/karpenter",
    version: "1.14.1",
    repository: "oci://public.ecr.aws/karpenter",
  },
  karpenterCrd: {
    chart: "oci://public.ecr.aws/karpenter/karpenter-crd",
    version: "1.14.1",
    repository: "oci://public.ecr.aws/karpenter",
  },
  awsLoadBalancerController: {
    chart: "aws-load-balancer-controller",
    version: "3.5.0",
    repository: "https://aws.github.io/eks-charts",
  },
  certManager: {
    chart: "oci://quay.io/jetstack/charts/cert-manager",
    version: "v1.21.1",
    repository: "oci://quay.io/jetstack/charts",
  },
  externalDns: {
    chart: "external-dns",
    version: "1.21.1",
    repository: "https://kubernetes-sigs.github.io/external-dns/",
  },
  keda: { chart: "keda", version: "2.20.2", repository: "https://kedacore.github.io/charts" },
  metricsServer: {
    chart: "metrics-server",
    version: "3.13.1",
    repository: "https://kubernetes-sigs.github.io/metrics-server/",
  },
  // argo-helm charts/argo-rollouts/Chart.yaml at af0a9310 (2026-07-02): chart 2.41.0, app v1.9.0.
  argoRollouts: {
    chart: "argo-rollouts",
    version: "2.41.0",
    repository: "https://argoproj.github.io/argo-helm",
  },
  // kubernetes/autoscaler tag vertical-pod-autoscaler-chart-0.11.0: the official chart, app 1.7.1.
  verticalPodAutoscaler: {
    chart: "vertical-pod-autoscaler",
    version: "0.11.0",
    repository: "https://kubernetes.github.io/autoscaler",
  },
  // NVIDIA/k8s-device-plugin tag v0.20.0 (1b826acc, 2026-08-19): chart and app 0.20.0; repository
  // from its README ("helm repo add nvdp https://nvidia.github.io/k8s-device-plugin").
  nvidiaDevicePlugin: {
    chart: "nvidia-device-plugin",
    version: "0.20.0",
    repository: "https://nvidia.github.io/k8s-device-plugin",
  },
  // NVIDIA/dcgm-exporter tag 4.5.3-4.8.2 (691c9276, 2026-05-06): chart 4.8.2, DCGM 4.5.3; repository
  // from its README ("helm repo add gpu-helm-charts https://nvidia.github.io/dcgm-exporter/helm-charts").
  dcgmExporter: {
    chart: "dcgm-exporter",
    version: "4.8.2",
    repository: "https://nvidia.github.io/dcgm-exporter/helm-charts",
  },
  opencost: {
    chart: "opencost",
    version: "2.5.17",
    repository: "https://opencost.github.io/opencost-helm-chart",
  },
  // kyverno/kyverno tag v1.19.0 (ee97ce0, 2026-08-20) charts/kyverno/Chart.yaml: chart 3.9.0, app
  // v1.19.0; repository from the chart's README ("helm repo add kyverno https://kyverno.github.io/kyverno/").
  kyverno: {
    chart: "kyverno",
    version: "3.9.0",
    repository: "https://kyverno.github.io/kyverno/",
  },
} as const satisfies Record<string, ChartPin>;
