/**
 * How each pinned chart composes its images beyond `registry/repository:tag@digest`, keyed by the
 * chart's name as CHARTS pins it. Read from the charts' templates at their pinned tags (the source
 * of each entry says which); a chart without an entry composes each image from its own fields.
 */
import type { ChartImageRules } from "./manifest";

export const CHART_IMAGE_RULES: Readonly<Record<string, ChartImageRules>> = {
  // prometheus-community/helm-charts tag kube-prometheus-stack-88.5.3 (ea930ba), subcharts at
  // kube-state-metrics-8.4.0 and prometheus-node-exporter-4.56.1.
  "kube-prometheus-stack": {
    templateKeys: {
      "prometheusOperator.priorityClassName": "templates/prometheus-operator/deployment.yaml",
      // The subcharts' templates/deployment.yaml and templates/daemonset.yaml.
      "kube-state-metrics.priorityClassName": "kube-state-metrics templates/deployment.yaml",
      "prometheus-node-exporter.priorityClassName":
        "prometheus-node-exporter templates/daemonset.yaml",
    },
    // templates/prometheus-operator/deployment.yaml, prometheus/prometheus.yaml,
    // alertmanager/alertmanager.yaml; the subcharts' templates/_helpers.tpl alike.
    globalRegistry: ["global.imageRegistry"],
    renderedWhen: {
      // charts/crds/templates/upgrade/job.yaml: `if .Values.upgradeJob.enabled`.
      "crds.upgradeJob.image.": "crds.upgradeJob.enabled",
      // templates/prometheus-operator/admission-webhooks/deployment/deployment.yaml.
      "prometheusOperator.admissionWebhooks.deployment.image":
        "prometheusOperator.admissionWebhooks.deployment.enabled",
      // templates/thanos-ruler/ruler.yaml: `if .Values.thanosRuler.enabled`.
      "thanosRuler.thanosRulerSpec.image": "thanosRuler.enabled",
      // kube-state-metrics templates/deployment.yaml: `if .Values.kubeRBACProxy.enabled`.
      "kube-state-metrics.kubeRBACProxy.image": "kube-state-metrics.kubeRBACProxy.enabled",
      // prometheus-node-exporter templates/daemonset.yaml: `if .Values.kubeRBACProxy.enabled`.
      "prometheus-node-exporter.kubeRBACProxy.image":
        "prometheus-node-exporter.kubeRBACProxy.enabled",
    },
  },
  // prometheus-community/helm-charts tag prometheus-blackbox-exporter-11.17.2 (a66a3d5).
  "prometheus-blackbox-exporter": {
    templateKeys: {
      // templates/_helpers.tpl "prometheus-blackbox-exporter.fullname".
      fullnameOverride: "templates/_helpers.tpl",
      // templates/configmap.yaml: `toYaml .Values.config` is the exporter's blackbox.yaml.
      "config.": "templates/configmap.yaml",
    },
    // templates/_helpers.tpl: `.Values.global.imageRegistry | default .Values.image.registry`.
    globalRegistry: ["global.imageRegistry"],
    // templates/_helpers.tpl: the config-reloader container `if .Values.configReloader.enabled`.
    renderedWhen: { "configReloader.image": "configReloader.enabled" },
  },
  // grafana-community/helm-charts tag loki-18.11.0 (3386a11).
  loki: {
    templateKeys: {
      // templates/_helpers.tpl: `dig "storage" "bucketNames" "chunks"` (required for S3).
      "loki.storage.bucketNames": "templates/_helpers.tpl",
      // values.yaml's loki.config template: `with .Values.loki.limits_config`, rendered whole.
      "loki.limits_config.": "values.yaml loki.config",
    },
    // templates/_helpers.tpl "loki.image": `coalesce $global.imageRegistry $global.image.registry
    // $global.registry $component.registry ...`.
    globalRegistry: ["global.imageRegistry", "global.image.registry", "global.registry"],
    renderedWhen: {
      // templates/gateway/deployment.yaml: `if .Values.gateway.enabled` (its metrics exporter too).
      "gateway.": "gateway.enabled",
      // templates/loki-canary/daemonset.yaml: `if .Values.lokiCanary.enabled`.
      "lokiCanary.image": "lokiCanary.enabled",
      // templates/tests/test-canary.yaml: `if (and .enabled $.Values.lokiCanary.enabled)`.
      "test.image": "test.enabled",
      // templates/_pod.tpl "loki.rulesSidecar": `if .Values.sidecar.rules.enabled`.
      "sidecar.image": "sidecar.rules.enabled",
    },
  },
  // grafana-community/helm-charts tag tempo-distributed-2.9.0 (f87fee7).
  "tempo-distributed": {
    templateKeys: {
      "compactor.topologySpreadConstraints": "templates/compactor/deployment-compactor.yaml",
      "ingester.maxUnavailable": "templates/ingester/poddisruptionbudget-ingester.yaml",
      // values.yaml's config template: `toYaml .Values.storage.trace.s3` when the backend is s3.
      "storage.trace.s3": "values.yaml config",
    },
    // templates/_helpers.tpl "tempo.tempoImage": `coalesce .global.registry .component.registry
    // .tempo.registry`, with `global` = `.Values.global.image`.
    globalRegistry: ["global.image.registry"],
    renderedWhen: {
      // templates/_helpers.tpl "tempo.imageReference": merged in only `if enterprise.enabled`.
      "enterprise.image": "enterprise.enabled",
      // templates/provisioner/provisioner-job.yaml and tokengen/tokengen-job.yaml, both only
      // with `.Values.enterprise.enabled`.
      kubectlImage: "enterprise.enabled",
      // templates/provisioner/provisioner-job.yaml: `if and .Values.provisioner.enabled ...`.
      "provisioner.image": "provisioner.enabled",
      // templates/gateway/deployment-gateway.yaml: `if .Values.gateway.enabled`.
      "gateway.image": "gateway.enabled",
      // templates/memcached/statefulset-memcached.yaml: `if .Values.memcached.enabled`; the
      // exporter is a container of that StatefulSet.
      "memcached.image": "memcached.enabled",
      "memcachedExporter.image": "memcached.enabled",
      // templates/query-frontend/deployment-query-frontend.yaml: `if .Values.queryFrontend.query.enabled`.
      "queryFrontend.query.image": "queryFrontend.query.enabled",
    },
  },
  // grafana-community/helm-charts tag grafana-12.11.1 (864f779).
  grafana: {
    templateKeys: {
      // templates/_helpers.tpl "grafana.fullname".
      fullnameOverride: "templates/_helpers.tpl",
      // templates/_config.tpl: ranges over every section of grafana.ini.
      "grafana.ini.": "templates/_config.tpl",
      podAnnotations: "templates/deployment.yaml",
      priorityClassName: "templates/_pod.tpl",
      "serviceAccount.annotations": "templates/serviceaccount.yaml",
    },
    // templates/_pod.tpl: `.Values.global.imageRegistry | default .Values.<image>.registry`.
    globalRegistry: ["global.imageRegistry"],
    renderedWhen: {
      // templates/_pod.tpl: `if ( and .Values.persistence.enabled .Values.initChownData.enabled )`.
      "initChownData.image": "initChownData.enabled",
      // templates/image-renderer-deployment.yaml: `if .Values.imageRenderer.enabled`.
      "imageRenderer.image": "imageRenderer.enabled",
      // templates/tests/test.yaml: `if .Values.testFramework.enabled`.
      "testFramework.image": "testFramework.enabled",
    },
  },
  // fluent/helm-charts tag fluent-bit-0.58.1 (22a564d).
  "fluent-bit": {
    renderedWhen: {
      // templates/_pod.tpl: the reloader container `if .Values.hotReload.enabled`.
      "hotReload.image": "hotReload.enabled",
      // templates/tests/test-connection.yaml: `if .Values.testFramework.enabled`.
      "testFramework.image": "testFramework.enabled",
    },
  },
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
  "cert-manager": {
    // deploy/charts/cert-manager at v1.21.1: the keys values.yaml leaves commented out.
    templateKeys: {
      // templates/_helpers.tpl "image": `$image.tag` (else the chart's appVersion).
      "image.tag": "templates/_helpers.tpl",
      "webhook.image.tag": "templates/_helpers.tpl",
      "cainjector.image.tag": "templates/_helpers.tpl",
      "acmesolver.image.tag": "templates/_helpers.tpl",
      "startupapicheck.image.tag": "templates/_helpers.tpl",
      "podDisruptionBudget.maxUnavailable": "templates/poddisruptionbudget.yaml",
      "webhook.podDisruptionBudget.maxUnavailable": "templates/webhook-poddisruptionbudget.yaml",
      "cainjector.podDisruptionBudget.maxUnavailable":
        "templates/cainjector-poddisruptionbudget.yaml",
      "serviceAccount.annotations": "templates/serviceaccount.yaml",
    },
  },
  velero: {
    // vmware-tanzu/helm-charts velero-12.1.0: templates/cleanup-crds.yaml and upgrade-crds
    // read `kubectl.image.tag`, commented out in values.yaml.
    templateKeys: { "kubectl.image.tag": "templates/cleanup-crds.yaml" },
  },
  "opentelemetry-collector": {
    templateKeys: {
      // templates/_config.tpl: the release's config is merged over the chart's preset config.
      "config.": "templates/_config.tpl",
      // templates/_config.tpl and the Service/Deployment templates range over every named port.
      "ports.": "templates/_config.tpl",
      "podDisruptionBudget.minAvailable": "templates/pdb.yaml",
    },
  },
};
