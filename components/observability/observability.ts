import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { registryHost } from "@platform/core";
import { createAlertingPipeline } from "./alarm-topic";
import { ReceiverChannels, receiverChannels } from "./alerting";
import { GrafanaDatabaseArgs, ObservabilityArgs } from "./args";
import { readDashboards } from "./dashboards";
import { createNetworkPolicies } from "./network-policies";
import { createNamespaces, namespaceNames } from "./namespaces";
import { createManagedPrometheus } from "./managed-prometheus";
import {
  createGrafanaDatabaseSetup,
  createGrafanaRestart,
  GrafanaDatabaseResources,
  readSecretsPolicy,
} from "./database-setup";
import { createReleases, ObservabilityReleases } from "./releases";
import { platformPrometheusRules } from "./rules";
import { createSecrets } from "./secrets";
import { createTelemetryStorage, TelemetryStorage } from "./storage";
import { validateContent, validateObservabilityArgs } from "./validation";
import { GRAFANA_FULLNAME, serviceUrl, SERVICES } from "./values";

/**
 * Metrics, alerts, dashboards, logs and traces for one region's cluster, plus AWS-side alarms:
 * kube-prometheus-stack (HA Prometheus and Alertmanager, remote-writing to the region's AMP
 * workspace), Grafana (HA on a shared PostgreSQL database, SSO through OIDC), Loki and
 * tempo-distributed on S3 with IRSA, OpenTelemetry collectors (a gateway that routes each trace
 * to one tail-sampling pod), fluent-bit on every node, the blackbox exporter, the SLO and
 * health PrometheusRules, dashboards from files, and an encrypted SNS alarm topic where the alerts
 * and the CloudWatch alarms meet, subscribed by on-call, with a heartbeat that pages when the
 * alerting pipeline itself stops.
 */
export class Observability extends pulumi.ComponentResource {
  public readonly namespace: pulumi.Output<string>;
  public readonly agentsNamespace: pulumi.Output<string>;
  public readonly storageClassName: string;
  public readonly lokiBucketName: pulumi.Output<string>;
  public readonly tempoBucketName: pulumi.Output<string>;
  /** The region's AMP workspace: its ARN and the query endpoint Grafana reads. */
  public readonly managedPrometheusWorkspaceArn: pulumi.Output<string>;
  public readonly managedPrometheusQueryUrl: pulumi.Output<string>;
  /** Where Prometheus alerts and CloudWatch alarms meet; on-call subscribes to it. */
  public readonly alarmTopicArn: pulumi.Output<string>;
  /** The Watchdog's heartbeat; its CloudWatch alarm pages through the alarm topic when it stops. */
  public readonly heartbeatTopicArn: pulumi.Output<string>;
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
    const rules = platformPrometheusRules(namespaceNames(args).monitoring, args.slo, {
      grafanaDatabase: args.grafana?.database !== undefined,
    });
    const dashboards = readDashboards();
    validateContent(rules, dashboards);
    const childOpts = { parent: this };
    const namespaces = createNamespaces(name, args, childOpts);
    const { monitoring, agents } = namespaces;
    this.namespace = monitoring.name;
    this.agentsNamespace = agents.name;
    this.storageClassName = namespaces.storageClassName;

    const credentials = args.receivers ?? {};
    this.receivers = receiverChannels(credentials);
    const secrets = createSecrets(name, credentials, args.grafana ?? {}, this.namespace, {
      parent: this,
      dependsOn: [monitoring],
    });
    const storage = createTelemetryStorage(name, args, namespaces.monitoringName, childOpts);
    const managedPrometheus = createManagedPrometheus(
      name,
      args,
      namespaces.monitoringName,
      storage.grafanaRole,
      childOpts,
    );
    const alerting = createAlertingPipeline(name, args, namespaces.monitoringName, childOpts);
    const networkPolicies = createNetworkPolicies(
      name,
      {
        namespace: namespaces.monitoringName,
        agentsNamespace: namespaces.agentsName,
        apiServerCidrs: args.apiServerCidrs ?? [args.vpcCidr, "172.20.0.1/32"],
        vpcCidr: args.vpcCidr,
        queryNamespaces: args.prometheusQueryNamespaces ?? [],
        grafanaDatabase: args.grafana?.database
          ? { cidrs: args.grafana.database.cidrs, port: args.grafana.database.port }
          : undefined,
      },
      { parent: this, dependsOn: [monitoring, agents] },
    );
    const database = args.grafana?.database;
    const grafanaDatabase = database
      ? this.grafanaDatabase(name, args, database, namespaces.monitoringName, storage, [
          monitoring,
          ...networkPolicies,
        ])
      : undefined;
    this.releases = createReleases(
      name,
      args,
      {
        namespaces,
        networkPolicies,
        secrets,
        storage,
        receivers: this.receivers,
        alerting,
        dashboards,
        rules,
        managedPrometheus,
        grafanaDatabase,
      },
      this,
    );

    this.lokiBucketName = storage.lokiBucket.name;
    this.tempoBucketName = storage.tempoBucket.name;
    this.managedPrometheusWorkspaceArn = managedPrometheus.workspace.arn;
    this.managedPrometheusQueryUrl = managedPrometheus.queryUrl;
    this.alarmTopicArn = alerting.topic.arn;
    this.heartbeatTopicArn = alerting.heartbeatTopic.arn;
    this.alarmNames = alerting.alarmNames;
    const ns = namespaces.monitoringName;
    this.otlpEndpoint = `${SERVICES.otelCollector.name}.${ns}.svc:${SERVICES.otelCollector.port}`;
    this.prometheusUrl = serviceUrl(SERVICES.prometheus, ns);
    this.grafanaUrl = serviceUrl(SERVICES.grafana, ns);
    this.registerOutputs({
      namespace: this.namespace,
      agentsNamespace: this.agentsNamespace,
      storageClassName: this.storageClassName,
      lokiBucketName: this.lokiBucketName,
      tempoBucketName: this.tempoBucketName,
      managedPrometheusWorkspaceArn: this.managedPrometheusWorkspaceArn,
      managedPrometheusQueryUrl: this.managedPrometheusQueryUrl,
      alarmTopicArn: this.alarmTopicArn,
      heartbeatTopicArn: this.heartbeatTopicArn,
      alarmNames: this.alarmNames,
      otlpEndpoint: this.otlpEndpoint,
      prometheusUrl: this.prometheusUrl,
      grafanaUrl: this.grafanaUrl,
      receivers: this.receivers,
      releases: this.releases,
    });
  }

  /**
   * Grafana's database: the setup Job, Grafana's read access to its credentials, and the weekly
   * restart that makes it read the rotated ones.
   */
  private grafanaDatabase(
    name: string,
    args: ObservabilityArgs,
    database: GrafanaDatabaseArgs,
    namespace: string,
    storage: TelemetryStorage,
    dependsOn: readonly pulumi.Resource[],
  ): GrafanaDatabaseResources {
    const childOpts = { parent: this };
    const host = registryHost(args.accountId, args.region);
    const setup = createGrafanaDatabaseSetup(
      name,
      {
        namespace,
        region: args.region,
        registryHost: host,
        oidcProviderArn: args.oidcProviderArn,
        oidcProviderUrl: args.oidcProviderUrl,
        host: database.host,
        port: database.port,
        database: database.name ?? "grafana",
        user: database.user ?? "grafana",
        masterSecretArn: database.masterSecretArn,
        userSecretArn: database.userSecretArn,
        keyArn: database.keyArn,
        dependsOn,
      },
      childOpts,
    );
    const readCredentials = new aws.iam.RolePolicy(
      `${name}-grafana-database-secret`,
      {
        role: storage.grafanaRole.name,
        policy: pulumi
          .all([database.userSecretArn, database.keyArn])
          .apply(([secretArn, keyArn]) =>
            JSON.stringify(
              readSecretsPolicy({ region: args.region, secretArns: [secretArn], keyArn }),
            ),
          ),
      },
      childOpts,
    );
    createGrafanaRestart(
      name,
      { namespace, deployment: GRAFANA_FULLNAME, registryHost: host, dependsOn },
      childOpts,
    );
    return { dependencies: [setup, readCredentials] };
  }
}
