/**
 * What runs in the cluster: the pinned Helm releases of the monitoring stack, the dashboards Grafana
 * loads from ConfigMaps, and the platform's PrometheusRules.
 */
import { CHARTS, pinnedRelease, registryHost } from "@platform/core";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ReceiverChannels } from "./alerting";
import { AlertingPipeline } from "./alarm-topic";
import { GrafanaOidcArgs, ObservabilityArgs } from "./args";
import { DashboardFile } from "./dashboards";
import type { GrafanaDatabaseResources } from "./database-setup";
import { ManagedPrometheus } from "./managed-prometheus";
import { ObservabilityNamespaces } from "./namespaces";
import { PrometheusRuleObject } from "./rules";
import { ObservabilitySecrets } from "./secrets";
import { TelemetryStorage } from "./storage";
import {
  blackboxExporterValues,
  fluentBitValues,
  GRAFANA_DASHBOARD_LABEL,
  GrafanaOidcSettings,
  grafanaValues,
  kubePrometheusStackValues,
  lokiValues,
  OTEL_SAMPLER_POD_LABELS,
  otelCollectorValues,
  otelSamplerValues,
  SERVICES,
  tempoDistributedValues,
} from "./values";

/** The Helm releases, for dependents (e.g. monitors that need the Prometheus Operator's CRDs). */
export interface ObservabilityReleases {
  readonly kubePrometheusStack: k8s.helm.v3.Release;
  readonly loki: k8s.helm.v3.Release;
  readonly tempo: k8s.helm.v3.Release;
  readonly grafana: k8s.helm.v3.Release;
  readonly otelCollector: k8s.helm.v3.Release;
  /** The tail-sampling tier the collector's load-balancing exporter routes traces to. */
  readonly otelSampler: k8s.helm.v3.Release;
  readonly blackboxExporter: k8s.helm.v3.Release;
  readonly fluentBit: k8s.helm.v3.Release;
}

/** What the releases are configured with and wait for. */
interface ReleaseInputs {
  readonly namespaces: ObservabilityNamespaces;
  readonly networkPolicies: readonly pulumi.Resource[];
  readonly secrets: ObservabilitySecrets;
  readonly storage: TelemetryStorage;
  readonly receivers: ReceiverChannels;
  /** The topics Alertmanager publishes to and its IRSA role. */
  readonly alerting: AlertingPipeline;
  /** Dashboards Grafana loads, from ConfigMaps created before it starts. */
  readonly dashboards: readonly DashboardFile[];
  /** PrometheusRules, created once the Operator's CRDs exist. */
  readonly rules: readonly PrometheusRuleObject[];
  /** The AMP workspace Prometheus writes to and Grafana reads. */
  readonly managedPrometheus: ManagedPrometheus;
  /** Grafana's database setup and credential access, when Grafana has a database. */
  readonly grafanaDatabase?: GrafanaDatabaseResources;
}

/** One ConfigMap per dashboard, labelled for Grafana's dashboard sidecar. */
function createDashboards(
  name: string,
  dashboards: readonly DashboardFile[],
  namespace: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): k8s.core.v1.ConfigMap[] {
  return dashboards.map(
    (d) =>
      new k8s.core.v1.ConfigMap(
        `${name}-dashboard-${d.name}`,
        {
          metadata: {
            name: `dashboard-${d.name}`,
            namespace,
            labels: { [GRAFANA_DASHBOARD_LABEL]: "1" },
            annotations: { grafana_folder: "Platform" },
          },
          data: { [`${d.name}.json`]: d.json },
        },
        opts,
      ),
  );
}

/**
 * kube-prometheus-stack first (HA Prometheus and Alertmanager, and the CRDs everything else's
 * ServiceMonitors and the PrometheusRules need), then Loki and Tempo on S3, Grafana with its
 * dashboards, the OpenTelemetry collector, the blackbox exporter, and fluent-bit on every node
 * once Loki is up.
 */
export function createReleases(
  name: string,
  args: ObservabilityArgs,
  inputs: ReleaseInputs,
  parent: pulumi.Resource,
): ObservabilityReleases {
  const { namespaces, storage, managedPrometheus: amp } = inputs;
  // Every chart's images come through the stack's pull-through cache (core IMAGES).
  const host = registryHost(args.accountId, args.region);
  const namespace = namespaces.monitoring.name;
  const base = [
    namespaces.monitoring,
    namespaces.agents,
    ...namespaces.storageClasses,
    ...inputs.networkPolicies,
  ];
  const kubePrometheusStack = pinnedRelease(
    `${name}-kube-prometheus-stack`,
    {
      chart: CHARTS.kubePrometheusStack,
      namespace,
      timeoutSeconds: 900,
      values: pulumi
        .all([
          inputs.alerting.topic.arn,
          inputs.alerting.heartbeatTopic.arn,
          inputs.alerting.alertmanagerRole.arn,
          amp.remoteWriteUrl,
          amp.remoteWriteRole.arn,
        ])
        .apply(([alarmTopicArn, heartbeatTopicArn, alertmanagerRoleArn, ampUrl, ampRoleArn]) =>
          kubePrometheusStackValues({
            registryHost: host,
            clusterName: args.clusterName,
            region: args.region,
            agentsNamespace: namespaces.agentsName,
            storageClassName: namespaces.storageClassName,
            prometheusReplicas: args.prometheusReplicas ?? 2,
            retentionDays: args.metricsRetentionDays ?? 30,
            volumeSizeGiB: args.prometheusVolumeGiB ?? 50,
            alertmanagerReplicas: args.alertmanagerReplicas ?? 3,
            receivers: inputs.receivers,
            topics: { alarmTopicArn, heartbeatTopicArn, region: args.region },
            alertmanagerRoleArn,
            ...(args.managedPrometheus?.remoteWrite === false
              ? {}
              : {
                  remoteWrite: {
                    url: ampUrl,
                    region: args.region,
                    roleArn: ampRoleArn,
                    activeSeries: args.managedPrometheus?.activeSeries ?? 150_000,
                  },
                }),
          }),
        ),
    },
    { parent, dependsOn: [...base, inputs.secrets.receivers] },
  );
  const afterStack = { parent, dependsOn: [...base, kubePrometheusStack] };
  const loki = pinnedRelease(
    `${name}-loki`,
    {
      chart: CHARTS.loki,
      namespace,
      values: pulumi
        .all([storage.lokiBucket.name, storage.lokiRole.arn])
        .apply(([bucketName, roleArn]) =>
          lokiValues({
            registryHost: host,
            region: args.region,
            bucketName,
            roleArn,
            retentionDays: args.logRetentionDays ?? 30,
            replicas: args.lokiReplicas ?? 3,
            storageClassName: namespaces.storageClassName,
          }),
        ),
    },
    afterStack,
  );
  const tempo = pinnedRelease(
    `${name}-tempo`,
    {
      chart: CHARTS.tempoDistributed,
      namespace,
      values: pulumi
        .all([storage.tempoBucket.name, storage.tempoRole.arn])
        .apply(([bucketName, roleArn]) =>
          tempoDistributedValues({
            registryHost: host,
            region: args.region,
            bucketName,
            roleArn,
            retentionDays: args.traceRetentionDays ?? 30,
            storageClassName: namespaces.storageClassName,
            replicas: args.tracing?.tempoReplicas ?? 2,
          }),
        ),
    },
    afterStack,
  );
  const grafanaArgs = args.grafana ?? {};
  const dashboards = createDashboards(name, inputs.dashboards, namespace, {
    parent,
    dependsOn: [namespaces.monitoring],
  });
  const grafana = pinnedRelease(
    `${name}-grafana`,
    {
      chart: CHARTS.grafana,
      namespace,
      values: pulumi
        .all([
          storage.grafanaRole.arn,
          amp.queryUrl,
          grafanaArgs.database?.host ?? "",
          grafanaArgs.database?.userSecretArn ?? "",
        ])
        .apply(([roleArn, managedPrometheusUrl, databaseHost, databaseSecretArn]) =>
          grafanaValues({
            registryHost: host,
            namespace: namespaces.monitoringName,
            region: args.region,
            roleArn,
            replicas: grafanaArgs.replicas ?? (grafanaArgs.database ? 2 : 1),
            managedPrometheusUrl,
            ...(grafanaArgs.database
              ? {
                  database: {
                    host: `${databaseHost}:${grafanaArgs.database.port}`,
                    name: grafanaArgs.database.name ?? "grafana",
                    secretArn: databaseSecretArn,
                  },
                }
              : {}),
            ...(grafanaArgs.oidc ? { oidc: grafanaOidcSettings(grafanaArgs.oidc) } : {}),
          }),
        ),
    },
    {
      parent,
      dependsOn: [
        ...base,
        kubePrometheusStack,
        inputs.secrets.grafanaAdmin,
        ...inputs.secrets.grafana,
        // The database and user exist before the first replica connects.
        ...(inputs.grafanaDatabase?.dependencies ?? []),
        ...dashboards,
      ],
    },
  );
  const collectorReplicas = args.tracing?.collectorReplicas ?? 2;
  const otelSampler = pinnedRelease(
    `${name}-otel-sampler`,
    {
      chart: CHARTS.opentelemetryCollector,
      namespace,
      values: otelSamplerValues(
        host,
        namespaces.monitoringName,
        {
          // Every trace slower than the latency SLO's p95 bound is kept.
          latencyThresholdMs: args.slo?.latencyP95Ms ?? 100,
          percentage: args.tracing?.samplingPercentage ?? 10,
        },
        collectorReplicas,
      ),
    },
    { parent, dependsOn: [...base, kubePrometheusStack, tempo] },
  );
  // Headless: DNS answers with every ready sampler pod, which the gateway's exporter hashes over.
  const samplerHeadless = new k8s.core.v1.Service(
    `${name}-otel-sampler-headless`,
    {
      metadata: { name: SERVICES.otelSampler.name, namespace },
      spec: {
        clusterIP: "None",
        selector: { ...OTEL_SAMPLER_POD_LABELS },
        ports: [
          {
            name: "otlp",
            protocol: "TCP",
            port: SERVICES.otelSampler.port,
            targetPort: SERVICES.otelSampler.port,
          },
        ],
      },
    },
    { parent, dependsOn: [namespaces.monitoring] },
  );
  const otelCollector = pinnedRelease(
    `${name}-otel-collector`,
    {
      chart: CHARTS.opentelemetryCollector,
      namespace,
      values: otelCollectorValues(host, namespaces.monitoringName, collectorReplicas),
    },
    { parent, dependsOn: [...base, kubePrometheusStack, samplerHeadless] },
  );
  const blackboxExporter = pinnedRelease(
    `${name}-blackbox-exporter`,
    {
      chart: CHARTS.prometheusBlackboxExporter,
      namespace,
      values: blackboxExporterValues(host, args.probeTargets ?? []),
    },
    afterStack,
  );
  const fluentBit = pinnedRelease(
    `${name}-fluent-bit`,
    {
      chart: CHARTS.fluentBit,
      namespace: namespaces.agents.name,
      values: fluentBitValues({
        registryHost: host,
        clusterName: args.clusterName,
        monitoringNamespace: namespaces.monitoringName,
      }),
    },
    { parent, dependsOn: [...base, kubePrometheusStack, loki] },
  );
  createPrometheusRules(name, inputs.rules, namespace, afterStack);
  return {
    kubePrometheusStack,
    loki,
    tempo,
    grafana,
    otelCollector,
    otelSampler,
    blackboxExporter,
    fluentBit,
  };
}

/** OIDC endpoints default to the issuer's `/authorize`, `/token` and `/userinfo`. */
function grafanaOidcSettings(oidc: GrafanaOidcArgs): GrafanaOidcSettings {
  const issuer = oidc.issuer.replace(/\/+$/, "");
  return {
    issuer,
    clientId: oidc.clientId,
    authUrl: oidc.authUrl ?? `${issuer}/authorize`,
    tokenUrl: oidc.tokenUrl ?? `${issuer}/token`,
    userInfoUrl: oidc.userInfoUrl ?? `${issuer}/userinfo`,
    adminGroups: oidc.adminGroups ?? [],
    editorGroups: oidc.editorGroups ?? [],
  };
}

/** The rules as PrometheusRule objects, once the Operator's CRDs exist (`opts.dependsOn`). */
function createPrometheusRules(
  name: string,
  rules: readonly PrometheusRuleObject[],
  namespace: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): k8s.apiextensions.CustomResource[] {
  return rules.map(
    (rule) =>
      new k8s.apiextensions.CustomResource(
        `${name}-rules-${rule.metadata.name}`,
        {
          apiVersion: rule.apiVersion,
          kind: rule.kind,
          metadata: { ...rule.metadata, namespace },
          spec: rule.spec,
        },
        opts,
      ),
  );
}
