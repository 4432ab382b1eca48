/**
 * Every container image tag the observability charts run, set explicitly in their values so that
 * a chart upgrade never moves an image silently. Each tag is the chart's appVersion (or its own
 * default) at the pinned chart version in components/core/charts.ts, read from the charts' Chart.yaml
 * and values.yaml:
 * - prometheus-community/helm-charts@cf408a2 (2026-08-22): kube-prometheus-stack 88.5.3
 *   (operator v0.93.1, Prometheus v3.14.0-distroless, Alertmanager v0.34.0, certgen 1.8.7),
 *   kube-state-metrics 8.4.0 (v2.20.0), prometheus-node-exporter 4.56.1 (v1.12.1),
 *   prometheus-blackbox-exporter 11.17.2 (v0.28.0)
 * - grafana-community/helm-charts@3386a11 (2026-08-20): grafana 12.11.1 (13.2.0, sidecar 2.10.1),
 *   loki 18.11.0 (3.7.6), tempo 2.2.4 (2.10.8)
 * - open-telemetry/opentelemetry-helm-charts@dd5665c (2026-08-20): opentelemetry-collector 0.170.0 (0.158.0)
 * - fluent/helm-charts@5b81bf7 (2026-08-18): fluent-bit 0.58.1 (5.1.1)
 */
export const IMAGE_TAGS = {
  prometheus: "v3.14.0-distroless",
  alertmanager: "v0.34.0",
  prometheusOperator: "v0.93.1",
  prometheusConfigReloader: "v0.93.1",
  admissionWebhookCertgen: "1.8.7",
  kubeStateMetrics: "v2.20.0",
  /** The chart appends `-distroless` (kube-prometheus-stack sets image.distroless). */
  nodeExporter: "v1.12.1",
  blackboxExporter: "v0.28.0",
  grafana: "13.2.0",
  k8sSidecar: "2.10.1",
  loki: "3.7.6",
  tempo: "2.10.8",
  otelCollector: "0.158.0",
  fluentBit: "5.1.1",
} as const;
