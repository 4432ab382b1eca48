/**
 * How each pinned chart composes its images beyond `registry/repository:tag@digest`, keyed by the
 * chart's name as CHARTS pins it. Read from the charts' templates at their pinned tags (the source
 * of each entry says which); a chart without an entry composes each image from its own fields.
 */
import type { ChartImageRules } from "./manifest";

export const CHART_IMAGE_RULES: Readonly<Record<string, ChartImageRules>> = {
  // argoproj/argo-helm@argo-rollouts-2.41.0 charts/argo-rollouts/templates/dashboard/deployment.yaml:
  // the dashboard Deployment exists only `if .Values.dashboard.enabled`.
  "argo-rollouts": { renderedWhen: { "dashboard.image": "dashboard.enabled" } },
  // kedacore/charts@v2.20.2 keda/templates/manager/deployment.yaml (and metrics-server/, webhooks/):
  // `.Values.global.image.registry | default .Values.image.<part>.registry`.
  keda: { globalRegistry: ["global.image.registry"] },
  // kubernetes-sigs/metrics-server@metrics-server-helm-chart-3.13.1 charts/metrics-server/templates/
  // deployment.yaml: the nanny container only `if .Values.addonResizer.enabled`.
  "metrics-server": { renderedWhen: { "addonResizer.image": "addonResizer.enabled" } },
  // opencost/opencost-helm-chart@opencost-2.5.17 charts/opencost/templates/deployment.yaml: the UI
  // container `if .Values.opencost.ui.enabled`, the sigv4 proxy `if and
  // .Values.opencost.prometheus.amp.enabled .Values.opencost.sigV4Proxy`.
  opencost: {
    renderedWhen: {
      "opencost.ui.image": "opencost.ui.enabled",
      "opencost.sigV4Proxy.image": "opencost.prometheus.amp.enabled",
    },
  },
};
