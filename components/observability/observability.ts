import { RestrictedNamespace } from "@platform/cluster";
import {
  CHARTS,
  encryptionKey,
  pinnedRelease,
  Problems,
  serviceAccountRole,
  ValidationError,
} from "@platform/core";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
  alarmTopicPolicy,
  AlarmSpec,
  CacheAlarmTarget,
  cacheAlarms,
  cloudWatchUsesKeyStatement,
  DatabaseAlarmTarget,
  databaseAlarms,
  grafanaCloudWatchReadPolicy,
} from "./alarms";
import {
  EmailReceiver,
  ReceiverChannels,
  RECEIVER_SECRET_KEYS,
  RECEIVER_SECRET_NAME,
} from "./alerting";
import { readDashboards, validateDashboards } from "./dashboards";
import { observabilityNetworkPolicies } from "./network-policies";
import { platformPrometheusRules, validatePrometheusRule } from "./rules";
import { SloObjectives, validateObjectives } from "./slo";
import { bucketAccessPolicy, telemetryBucket } from "./storage";
import {
  blackboxExporterValues,
  fluentBitValues,
  GRAFANA_ADMIN_SECRET,
  GRAFANA_DASHBOARD_LABEL,
  GRAFANA_SERVICE_ACCOUNT,
  grafanaValues,
  kubePrometheusStackValues,
  LOKI_SERVICE_ACCOUNT,
  lokiValues,
  otelCollectorValues,
  ProbeTarget,
  serviceUrl,
  SERVICES,
  TEMPO_SERVICE_ACCOUNT,
  tempoValues,
} from "./values";

export interface ReceiverCredentials {
  /** PagerDuty Events API v2 integration (routing) key: critical alerts page. */
  readonly pagerDutyRoutingKey?: pulumi.Input<string>;
  /** Slack incoming-webhook URL: warnings. */
  readonly slack?: { readonly webhookUrl: pulumi.Input<string>; readonly channel?: string };
  /** SMTP settings and password: info alerts. */
  readonly email?: EmailReceiver & { readonly password: pulumi.Input<string> };
}

export interface OnCallArgs {
  /** PagerDuty CloudWatch integration URL the alarm topic posts to (HTTPS, auto-confirmed). */
  readonly pagerDutyCloudWatchUrl?: pulumi.Input<string>;
  /** Address the alarm topic emails (the subscription must be confirmed from the inbox). */
  readonly email?: string;
}

export interface ObservabilityArgs {
  readonly clusterName: string;
  readonly accountId: string;
  readonly region: string;
  /** CIDR of the cluster's VPC: nodes, the control plane's ENIs and interface endpoints. */
  readonly vpcCidr: string;
  /**
   * Where pods reach the Kubernetes API server.
   * @default [vpcCidr, "172.20.0.1/32"] - the VPC and the `kubernetes` Service IP EKS assigns
   *   when the VPC is in 10.0.0.0/8 (service CIDR 172.20.0.0/16)
   * @see https://docs.aws.amazon.com/eks/latest/APIReference/API_KubernetesNetworkConfigRequest.html
   */
  readonly apiServerCidrs?: readonly string[];
  /**
   * Namespaces whose pods may query Prometheus, e.g. a canary-analysis controller.
   * @default []
   */
  readonly prometheusQueryNamespaces?: readonly string[];
  readonly oidcProviderArn: pulumi.Input<string>;
  readonly oidcProviderUrl: pulumi.Input<string>;
  /** KMS key of the cluster's EBS volumes; the component's StorageClass encrypts with it. */
  readonly volumeKeyArn: pulumi.Input<string>;
  /**
   * An existing encrypted StorageClass for the stores' volumes.
   * @default - the component creates `gp3-encrypted` (gp3, encrypted with `volumeKeyArn`)
   */
  readonly storageClassName?: string;
  /** @default "monitoring" */
  readonly namespace?: string;
  /**
   * Namespace of node agents (node exporter, log collector), whose host access needs the
   * `privileged` Pod Security level.
   * @default "monitoring-agents"
   */
  readonly agentsNamespace?: string;
  /** @default 2 */
  readonly prometheusReplicas?: number;
  /** @default 30 */
  readonly metricsRetentionDays?: number;
  /** @default 50 - GiB per Prometheus replica */
  readonly prometheusVolumeGiB?: number;
  /** @default 3 */
  readonly alertmanagerReplicas?: number;
  /** @default 30 */
  readonly logRetentionDays?: number;
  /** @default 30 */
  readonly traceRetentionDays?: number;
  /** @default 3 - Loki replicas (replication factor 3) */
  readonly lokiReplicas?: number;
  /** @default {} - the defaults of `SloObjectives` (99.99%, p95 < 100ms, < 0.1% errors) */
  readonly slo?: SloObjectives;
  /** Public HTTPS endpoints the blackbox exporter probes (the availability SLO). @default [] */
  readonly probeTargets?: readonly ProbeTarget[];
  /** Alertmanager receivers; a channel without credentials is left out. @default {} */
  readonly receivers?: ReceiverCredentials;
  /** Subscribers of the AWS alarm topic. @default {} */
  readonly onCall?: OnCallArgs;
  /** RDS instances to alarm on. @default [] */
  readonly databases?: readonly DatabaseAlarmTarget[];
  /** ElastiCache replication groups to alarm on. @default [] */
  readonly caches?: readonly CacheAlarmTarget[];
  /** Bucket receiving the telemetry buckets' access logs. @default - no access logging */
  readonly accessLogBucket?: pulumi.Input<string>;
}

/** The Helm releases, for dependents (e.g. monitors that need the Prometheus Operator's CRDs). */
export interface ObservabilityReleases {
  readonly kubePrometheusStack: k8s.helm.v3.Release;
  readonly loki: k8s.helm.v3.Release;
  readonly tempo: k8s.helm.v3.Release;
  readonly grafana: k8s.helm.v3.Release;
  readonly otelCollector: k8s.helm.v3.Release;
  readonly blackboxExporter: k8s.helm.v3.Release;
  readonly fluentBit: k8s.helm.v3.Release;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const HOST_PORT = /^[a-zA-Z0-9.-]+:\d{1,5}$/;

export function validateObservabilityArgs(args: ObservabilityArgs): void {
  const p = new Problems();
  p.integerInRange("args.prometheusReplicas", args.prometheusReplicas ?? 2, 1, 5);
  p.integerInRange("args.alertmanagerReplicas", args.alertmanagerReplicas ?? 3, 1, 5);
  p.integerInRange("args.lokiReplicas", args.lokiReplicas ?? 3, 1, 9);
  p.integerInRange("args.metricsRetentionDays", args.metricsRetentionDays ?? 30, 1, 365);
  p.integerInRange("args.prometheusVolumeGiB", args.prometheusVolumeGiB ?? 50, 10, 16384);
  p.integerInRange("args.logRetentionDays", args.logRetentionDays ?? 30, 1, 3650);
  p.integerInRange("args.traceRetentionDays", args.traceRetentionDays ?? 30, 1, 3650);
  for (const key of ["namespace", "agentsNamespace"] as const) {
    const value = args[key];
    if (value !== undefined)
      p.check(DNS_LABEL.test(value), `args.${key}`, value, "be a DNS-1123 label");
  }
  (args.prometheusQueryNamespaces ?? []).forEach((ns, i) =>
    p.check(DNS_LABEL.test(ns), `args.prometheusQueryNamespaces[${i}]`, ns, "be a DNS-1123 label"),
  );
  validateObjectives(args.slo ?? {}, "args.slo", p);
  const probeNames = new Set<string>();
  (args.probeTargets ?? []).forEach((t, i) => {
    p.check(DNS_LABEL.test(t.name), `args.probeTargets[${i}].name`, t.name, "be a DNS-1123 label");
    p.check(!probeNames.has(t.name), `args.probeTargets[${i}].name`, t.name, "be unique");
    probeNames.add(t.name);
    p.check(
      /^https:\/\/[^\s/]+(\/\S*)?$/.test(t.url),
      `args.probeTargets[${i}].url`,
      t.url,
      "be an https:// URL (the probe fails on plain HTTP)",
    );
  });
  const email = args.receivers?.email;
  if (email) {
    p.check(EMAIL.test(email.to), "args.receivers.email.to", email.to, "be an email address");
    p.check(EMAIL.test(email.from), "args.receivers.email.from", email.from, "be an email address");
    p.check(
      HOST_PORT.test(email.smarthost),
      "args.receivers.email.smarthost",
      email.smarthost,
      'be host:port, e.g. "email-smtp.us-west-2.amazonaws.com:587"',
    );
  }
  if (args.onCall?.email !== undefined) {
    p.check(
      EMAIL.test(args.onCall.email),
      "args.onCall.email",
      args.onCall.email,
      "be an email address",
    );
  }
  const dbNames = new Set<string>();
  (args.databases ?? []).forEach((db, i) => {
    p.check(
      DNS_LABEL.test(db.name) && !dbNames.has(db.name),
      `args.databases[${i}].name`,
      db.name,
      "be a unique DNS-1123 label",
    );
    dbNames.add(db.name);
    p.integerInRange(`args.databases[${i}].allocatedStorageGiB`, db.allocatedStorageGiB, 20, 65536);
    p.integerInRange(`args.databases[${i}].maxConnections`, db.maxConnections, 1, 262143);
  });
  const cacheNames = new Set<string>();
  (args.caches ?? []).forEach((c, i) => {
    p.check(
      DNS_LABEL.test(c.name) && !cacheNames.has(c.name),
      `args.caches[${i}].name`,
      c.name,
      "be a unique DNS-1123 label",
    );
    cacheNames.add(c.name);
    p.check(
      c.cacheClusterIds.length > 0,
      `args.caches[${i}].cacheClusterIds`,
      c.cacheClusterIds.length,
      "name at least one node",
    );
    if (c.evictionsPer5Minutes !== undefined) {
      p.integerInRange(
        `args.caches[${i}].evictionsPer5Minutes`,
        c.evictionsPer5Minutes,
        1,
        1_000_000,
      );
    }
  });
  p.throwIfAny("Observability arguments");
}

/** Bucket names are global: the cluster's name (one per region) and the account make them unique. */
export function telemetryBucketName(clusterName: string, store: string, accountId: string): string {
  return `${clusterName}-${store}-${accountId}`;
}

/**
 * Metrics, alerts, dashboards, logs and traces for one region's cluster, plus AWS-side alarms:
 * kube-prometheus-stack (HA Prometheus and Alertmanager), Grafana, Loki and Tempo on S3 with
 * IRSA, an OpenTelemetry collector, fluent-bit on every node, the blackbox exporter, the SLO and
 * health PrometheusRules, dashboards from files, and CloudWatch alarms to an encrypted SNS topic.
 */
export class Observability extends pulumi.ComponentResource {
  public readonly namespace: pulumi.Output<string>;
  public readonly agentsNamespace: pulumi.Output<string>;
  public readonly storageClassName: string;
  public readonly lokiBucketName: pulumi.Output<string>;
  public readonly tempoBucketName: pulumi.Output<string>;
  public readonly alarmTopicArn: pulumi.Output<string>;
  public readonly alarmNames: pulumi.Output<string>[];
  /** OTLP/gRPC endpoint applications send traces, metrics and logs to. */
  public readonly otlpEndpoint: string;
  public readonly prometheusUrl: string;
  public readonly grafanaUrl: string;
  public readonly receivers: ReceiverChannels;
  public readonly releases: ObservabilityReleases;

  constructor(name: string, args: ObservabilityArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("platform:observability:Observability", name, {}, opts);
    validateObservabilityArgs(args);
    const namespaceName = args.namespace ?? "monitoring";
    const agentsNamespaceName = args.agentsNamespace ?? "monitoring-agents";
    const rules = platformPrometheusRules(namespaceName, args.slo);
    const dashboards = readDashboards();
    const contentProblems = [
      ...rules.flatMap(validatePrometheusRule),
      ...validateDashboards(dashboards),
    ];
    if (contentProblems.length > 0)
      throw new ValidationError("Observability rules and dashboards", contentProblems);

    const childOpts: pulumi.CustomResourceOptions = { parent: this };
    const stateful: pulumi.CustomResourceOptions = { parent: this, protect: true };

    // --- Namespaces, storage class, secrets ---------------------------------------------------
    const monitoring = new RestrictedNamespace(
      namespaceName,
      { labels: { "platform/role": "monitoring" } },
      { parent: this },
    );
    const agents = new RestrictedNamespace(
      agentsNamespaceName,
      { podSecurity: "privileged", labels: { "platform/role": "monitoring-agents" } },
      { parent: this },
    );
    this.namespace = monitoring.name;
    this.agentsNamespace = agents.name;
    const storageClasses: pulumi.Resource[] = [];
    if (args.storageClassName === undefined) {
      storageClasses.push(
        new k8s.storage.v1.StorageClass(
          `${name}-gp3-encrypted`,
          {
            metadata: { name: "gp3-encrypted" },
            provisioner: "ebs.csi.aws.com",
            parameters: {
              type: "gp3",
              encrypted: "true",
              kmsKeyId: args.volumeKeyArn,
              "csi.storage.k8s.io/fstype": "ext4",
            },
            // A deleted claim keeps its volume: metrics and logs are not thrown away by accident.
            reclaimPolicy: "Retain",
            volumeBindingMode: "WaitForFirstConsumer",
            allowVolumeExpansion: true,
          },
          childOpts,
        ),
      );
    }
    this.storageClassName = args.storageClassName ?? "gp3-encrypted";

    const credentials = args.receivers ?? {};
    this.receivers = {
      pagerDuty: credentials.pagerDutyRoutingKey !== undefined,
      ...(credentials.slack ? { slack: { channel: credentials.slack.channel ?? "" } } : {}),
      ...(credentials.email
        ? {
            email: {
              to: credentials.email.to,
              from: credentials.email.from,
              smarthost: credentials.email.smarthost,
              username: credentials.email.username,
            },
          }
        : {}),
    };
    const receiverData: Record<string, pulumi.Input<string>> = {};
    if (credentials.pagerDutyRoutingKey !== undefined)
      receiverData[RECEIVER_SECRET_KEYS.pagerDutyRoutingKey] = credentials.pagerDutyRoutingKey;
    if (credentials.slack)
      receiverData[RECEIVER_SECRET_KEYS.slackWebhookUrl] = credentials.slack.webhookUrl;
    if (credentials.email)
      receiverData[RECEIVER_SECRET_KEYS.smtpPassword] = credentials.email.password;
    const nsOpts = { parent: this, dependsOn: [monitoring] };
    // Always created: Alertmanager mounts it even when no channel is configured.
    const receiverSecret = new k8s.core.v1.Secret(
      `${name}-alertmanager-receivers`,
      {
        metadata: { name: RECEIVER_SECRET_NAME, namespace: this.namespace },
        type: "Opaque",
        stringData: pulumi.secret(receiverData),
      },
      nsOpts,
    );
    const grafanaPassword = new random.RandomPassword(
      `${name}-grafana-admin-password`,
      { length: 32, special: false },
      childOpts,
    );
    const grafanaAdmin = new k8s.core.v1.Secret(
      `${name}-grafana-admin`,
      {
        metadata: { name: GRAFANA_ADMIN_SECRET, namespace: this.namespace },
        type: "Opaque",
        stringData: { "admin-user": "admin", "admin-password": grafanaPassword.result },
      },
      nsOpts,
    );

    // --- Object storage and IRSA for Loki and Tempo -------------------------------------------
    const storageKey = encryptionKey(
      `${name}-storage-key`,
      {
        description: `Logs and traces of ${args.clusterName} in S3`,
        accountId: args.accountId,
        region: args.region,
        alias: `${args.clusterName}-telemetry`,
      },
      stateful,
    );
    const bucket = (store: string, retentionDays: number) =>
      telemetryBucket(
        `${name}-${store}-bucket`,
        {
          bucketName: telemetryBucketName(args.clusterName, store, args.accountId),
          keyArn: storageKey.arn,
          retentionDays,
          accessLogBucket: args.accessLogBucket,
        },
        childOpts,
      );
    const lokiBucket = bucket("loki", args.logRetentionDays ?? 30);
    const tempoBucket = bucket("tempo", args.traceRetentionDays ?? 30);
    const irsa = (role: string, serviceAccount: string, policy: pulumi.Input<string>) =>
      serviceAccountRole(
        `${name}-${role}`,
        {
          oidcProviderArn: args.oidcProviderArn,
          oidcIssuerUrl: args.oidcProviderUrl,
          namespace: namespaceName,
          serviceAccount,
          policy,
        },
        childOpts,
      );
    const bucketPolicy = (b: { arn: pulumi.Output<string> }) =>
      pulumi
        .all([b.arn, storageKey.arn])
        .apply(([bucketArn, keyArn]) => bucketAccessPolicy(bucketArn, keyArn));
    const lokiRole = irsa("loki-role", LOKI_SERVICE_ACCOUNT, bucketPolicy(lokiBucket));
    const tempoRole = irsa("tempo-role", TEMPO_SERVICE_ACCOUNT, bucketPolicy(tempoBucket));
    const grafanaRole = irsa(
      "grafana-role",
      GRAFANA_SERVICE_ACCOUNT,
      grafanaCloudWatchReadPolicy(args.accountId, args.region),
    );

    // --- Network policies ---------------------------------------------------------------------
    const networkPolicies = observabilityNetworkPolicies({
      namespace: namespaceName,
      agentsNamespace: agentsNamespaceName,
      apiServerCidrs: args.apiServerCidrs ?? [args.vpcCidr, "172.20.0.1/32"],
      vpcCidr: args.vpcCidr,
      queryNamespaces: args.prometheusQueryNamespaces ?? [],
    }).map(
      (policy) =>
        new k8s.networking.v1.NetworkPolicy(
          `${name}-netpol-${policy.namespace === namespaceName ? "" : "agents-"}${policy.name}`,
          { metadata: { name: policy.name, namespace: policy.namespace }, spec: policy.spec },
          { parent: this, dependsOn: [monitoring, agents] },
        ),
    );

    // --- Helm releases ------------------------------------------------------------------------
    const base = [monitoring, agents, ...storageClasses, ...networkPolicies];
    const kubePrometheusStack = pinnedRelease(
      `${name}-kube-prometheus-stack`,
      {
        chart: CHARTS.kubePrometheusStack,
        namespace: this.namespace,
        timeoutSeconds: 900,
        values: kubePrometheusStackValues({
          clusterName: args.clusterName,
          region: args.region,
          agentsNamespace: agentsNamespaceName,
          storageClassName: this.storageClassName,
          prometheusReplicas: args.prometheusReplicas ?? 2,
          retentionDays: args.metricsRetentionDays ?? 30,
          volumeSizeGiB: args.prometheusVolumeGiB ?? 50,
          alertmanagerReplicas: args.alertmanagerReplicas ?? 3,
          receivers: this.receivers,
        }),
      },
      { parent: this, dependsOn: [...base, receiverSecret] },
    );
    // Everything else ships ServiceMonitors, whose CRD the stack installs.
    const afterStack = { parent: this, dependsOn: [...base, kubePrometheusStack] };
    const loki = pinnedRelease(
      `${name}-loki`,
      {
        chart: CHARTS.loki,
        namespace: this.namespace,
        values: pulumi.all([lokiBucket.name, lokiRole.arn]).apply(([bucketName, roleArn]) =>
          lokiValues({
            region: args.region,
            bucketName,
            roleArn,
            retentionDays: args.logRetentionDays ?? 30,
            replicas: args.lokiReplicas ?? 3,
            storageClassName: this.storageClassName,
          }),
        ),
      },
      afterStack,
    );
    const tempo = pinnedRelease(
      `${name}-tempo`,
      {
        chart: CHARTS.tempo,
        namespace: this.namespace,
        values: pulumi.all([tempoBucket.name, tempoRole.arn]).apply(([bucketName, roleArn]) =>
          tempoValues({
            region: args.region,
            bucketName,
            roleArn,
            retentionDays: args.traceRetentionDays ?? 30,
            storageClassName: this.storageClassName,
          }),
        ),
      },
      afterStack,
    );
    const dashboardMaps = dashboards.map(
      (d) =>
        new k8s.core.v1.ConfigMap(
          `${name}-dashboard-${d.name}`,
          {
            metadata: {
              name: `dashboard-${d.name}`,
              namespace: this.namespace,
              labels: { [GRAFANA_DASHBOARD_LABEL]: "1" },
              annotations: { grafana_folder: "Platform" },
            },
            data: { [`${d.name}.json`]: d.json },
          },
          nsOpts,
        ),
    );
    const grafana = pinnedRelease(
      `${name}-grafana`,
      {
        chart: CHARTS.grafana,
        namespace: this.namespace,
        values: grafanaRole.arn.apply((roleArn) =>
          grafanaValues({ namespace: namespaceName, region: args.region, roleArn }),
        ),
      },
      { parent: this, dependsOn: [...base, kubePrometheusStack, grafanaAdmin, ...dashboardMaps] },
    );
    const otelCollector = pinnedRelease(
      `${name}-otel-collector`,
      {
        chart: CHARTS.opentelemetryCollector,
        namespace: this.namespace,
        values: otelCollectorValues(namespaceName),
      },
      afterStack,
    );
    const blackboxExporter = pinnedRelease(
      `${name}-blackbox-exporter`,
      {
        chart: CHARTS.prometheusBlackboxExporter,
        namespace: this.namespace,
        values: blackboxExporterValues(args.probeTargets ?? []),
      },
      afterStack,
    );
    const fluentBit = pinnedRelease(
      `${name}-fluent-bit`,
      {
        chart: CHARTS.fluentBit,
        namespace: this.agentsNamespace,
        values: fluentBitValues({
          clusterName: args.clusterName,
          monitoringNamespace: namespaceName,
        }),
      },
      { parent: this, dependsOn: [...base, kubePrometheusStack, loki] },
    );
    this.releases = {
      kubePrometheusStack,
      loki,
      tempo,
      grafana,
      otelCollector,
      blackboxExporter,
      fluentBit,
    };
    for (const rule of rules) {
      new k8s.apiextensions.CustomResource(
        `${name}-rules-${rule.metadata.name}`,
        {
          apiVersion: rule.apiVersion,
          kind: rule.kind,
          metadata: { ...rule.metadata, namespace: this.namespace },
          spec: rule.spec,
        },
        afterStack,
      );
    }

    // --- AWS-side alarms ----------------------------------------------------------------------
    const alarmsKey = encryptionKey(
      `${name}-alarms-key`,
      {
        description: `SNS topic of ${args.clusterName}'s CloudWatch alarms`,
        accountId: args.accountId,
        region: args.region,
        alias: `${args.clusterName}-alarms`,
        extraStatements: [cloudWatchUsesKeyStatement(args.accountId)],
      },
      stateful,
    );
    const topic = new aws.sns.Topic(
      `${name}-alarms`,
      { name: `${args.clusterName}-alarms`, kmsMasterKeyId: alarmsKey.arn },
      childOpts,
    );
    new aws.sns.TopicPolicy(
      `${name}-alarms-policy`,
      {
        arn: topic.arn,
        policy: topic.arn.apply((arn) => alarmTopicPolicy(arn, args.accountId, args.region)),
      },
      childOpts,
    );
    const onCall = args.onCall ?? {};
    if (onCall.pagerDutyCloudWatchUrl !== undefined) {
      new aws.sns.TopicSubscription(
        `${name}-alarms-pagerduty`,
        {
          topic: topic.arn,
          protocol: "https",
          endpoint: pulumi.secret(onCall.pagerDutyCloudWatchUrl),
          endpointAutoConfirms: true,
        },
        childOpts,
      );
    }
    if (onCall.email !== undefined) {
      new aws.sns.TopicSubscription(
        `${name}-alarms-email`,
        { topic: topic.arn, protocol: "email", endpoint: onCall.email },
        childOpts,
      );
    }
    const specs: AlarmSpec[] = [
      ...(args.databases ?? []).flatMap(databaseAlarms),
      ...(args.caches ?? []).flatMap(cacheAlarms),
    ];
    this.alarmNames = specs.map(
      (spec) =>
        new aws.cloudwatch.MetricAlarm(
          `${name}-${spec.id}`,
          {
            name: `${args.clusterName}-${spec.id}`,
            alarmDescription: spec.description,
            namespace: spec.namespace,
            metricName: spec.metricName,
            dimensions: spec.dimensions,
            statistic: spec.statistic,
            period: spec.periodSeconds,
            evaluationPeriods: spec.evaluationPeriods,
            datapointsToAlarm: spec.evaluationPeriods,
            comparisonOperator: spec.comparison,
            threshold: spec.threshold,
            treatMissingData: spec.treatMissingData,
            alarmActions: [topic.arn],
            okActions: [topic.arn],
          },
          childOpts,
        ).name,
    );

    this.lokiBucketName = lokiBucket.name;
    this.tempoBucketName = tempoBucket.name;
    this.alarmTopicArn = topic.arn;
    this.otlpEndpoint = `${SERVICES.otelCollector.name}.${namespaceName}.svc:${SERVICES.otelCollector.port}`;
    this.prometheusUrl = serviceUrl(SERVICES.prometheus, namespaceName);
    this.grafanaUrl = serviceUrl(SERVICES.grafana, namespaceName);
    this.registerOutputs({
      namespace: this.namespace,
      agentsNamespace: this.agentsNamespace,
      storageClassName: this.storageClassName,
      lokiBucketName: this.lokiBucketName,
      tempoBucketName: this.tempoBucketName,
      alarmTopicArn: this.alarmTopicArn,
      alarmNames: this.alarmNames,
      otlpEndpoint: this.otlpEndpoint,
      prometheusUrl: this.prometheusUrl,
      grafanaUrl: this.grafanaUrl,
      receivers: this.receivers,
      releases: this.releases,
    });
  }
}
