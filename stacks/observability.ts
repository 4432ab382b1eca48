/**
 * Observability of one region: the monitoring stack in the cluster, SLO and health alerts routed
 * to on-call through the alarm topic, and CloudWatch alarms on the data tier's databases and cache
 * nodes. A production stack whose config reaches no human fails the preview (policy
 * `alerts-reach-a-human`), not here: the policy sees what is registered, whatever the config.
 */
import type { DataTier } from "@platform/data-tier";
import {
  CacheAlarmTarget,
  DatabaseAlarmTarget,
  Observability,
  RotationFunctionAlarmTarget,
} from "@platform/observability";
import { ProbeUrl, probeName } from "./config/observability";
import type { PlatformContext } from "./program";

interface ObservabilityDeployment {
  readonly observability: Observability;
  readonly outputs: Record<string, unknown>;
}

/**
 * Grafana's database and its password user on a primary's PostgreSQL: the data tier keeps and
 * rotates the user's secret, Observability's setup Job creates the role and the database.
 */
export const GRAFANA_DATABASE = { name: "grafana", database: "grafana" } as const;

/** Namespaces whose controllers query Prometheus: canary analysis (Argo Rollouts), KEDA, OpenCost. */
const PROMETHEUS_QUERY_NAMESPACES = ["argo-rollouts", "keda", "opencost"];

/**
 * With no `syntheticProbeUrls`, the availability SLO watches what clients reach: the failover name
 * and this region's own endpoint (from the disaster-recovery section), on its health-check path.
 */
function defaultProbes(dns: {
  readonly failoverRecordName: string;
  readonly primaryEndpoint: string;
  readonly healthCheckPath: string;
}): ProbeUrl[] {
  // A standby has no failover record of its own (its primary owns it).
  const hosts = [...new Set([dns.failoverRecordName, dns.primaryEndpoint])].filter((h) => h !== "");
  return hosts.map((host) => {
    const url = `https://${host.replace(/\.$/, "")}${dns.healthCheckPath}`;
    return { name: probeName(url), url };
  });
}

export function deployObservability(
  context: PlatformContext,
  deps: { readonly dataTier?: DataTier } = {},
): ObservabilityDeployment {
  const { foundation, observability: settings } = context.config;
  const databases: DatabaseAlarmTarget[] = [];
  const caches: CacheAlarmTarget[] = [];
  const rotationFunctions: RotationFunctionAlarmTarget[] = [];
  if (deps.dataTier) {
    const { dataTier } = deps;
    const shared = {
      allocatedStorageGiB: dataTier.postgresAllocatedStorageGiB,
      maxConnections: dataTier.postgresMaxConnections,
    };
    databases.push({
      name: "postgres",
      instanceIdentifier: dataTier.postgresPrimaryIdentifier,
      ...shared,
    });
    dataTier.postgresReplicaIdentifiers.forEach((identifier, i) =>
      databases.push({
        name: `postgres-replica-${i + 1}`,
        instanceIdentifier: identifier,
        isReplica: true,
        ...shared,
      }),
    );
    caches.push({ name: "valkey", cacheClusterIds: dataTier.cacheNodeIds });
    const rotates: Record<string, string> = {
      "cache-auth-token": "the Valkey AUTH token",
      "postgres-users": "PostgreSQL's password users (Grafana's)",
    };
    for (const [name, functionName] of Object.entries(dataTier.rotationFunctionNames)) {
      rotationFunctions.push({ name, functionName, rotates: rotates[name] ?? name });
    }
  }

  const standby = context.config.standby;
  const passiveStandby = standby.role === "standby" && standby.state === "passive";
  const observability = new Observability(
    "observability",
    {
      clusterName: context.cluster.clusterName,
      accountId: foundation.accountId,
      region: foundation.region,
      vpcCidr: context.network.cidr,
      prometheusQueryNamespaces: PROMETHEUS_QUERY_NAMESPACES,
      oidcProviderArn: context.cluster.oidcProviderArn,
      oidcProviderUrl: context.cluster.oidcProviderUrl,
      volumeKeyArn: context.cluster.volumeKeyArn,
      prometheusReplicas: settings.prometheusReplicas,
      metricsRetentionDays: settings.prometheusRetentionDays,
      prometheusVolumeGiB: settings.prometheusVolumeGiB,
      alertmanagerReplicas: settings.alertmanagerReplicas,
      logRetentionDays: settings.lokiRetentionDays,
      traceRetentionDays: settings.tempoRetentionDays,
      probeTargets:
        settings.probes.length > 0
          ? settings.probes
          : defaultProbes(context.config.disasterRecovery.dns),
      receivers: settings.receivers,
      onCall: settings.onCall,
      databases,
      caches,
      rotationFunctions,
      // A primary's telemetry buckets log to the data tier's access-log bucket; a standby's
      // Observability creates its own.
      ...(deps.dataTier ? { accessLogBucket: deps.dataTier.accessLogsBucketName } : {}),
      managedPrometheus: {
        retentionDays: settings.ampRetentionDays,
        // A passive standby's idle cluster is not worth archiving; it writes once active.
        remoteWrite: !passiveStandby,
        activeSeries: context.config.costControls.assumptions.metricsActiveSeries,
      },
      grafana: {
        // Grafana's own database on the data tier's PostgreSQL; a standby has no writable one
        // until failover, so its Grafana runs alone on SQLite.
        ...(deps.dataTier
          ? {
              database: {
                host: deps.dataTier.postgresPrimaryAddress,
                port: deps.dataTier.postgresPort,
                cidrs: context.network.isolatedSubnetCidrs,
                masterSecretArn: deps.dataTier.postgresMasterSecretArn,
                userSecretArn: deps.dataTier.postgresUserSecretArns[GRAFANA_DATABASE.name],
                keyArn: deps.dataTier.dataKeyArn,
                name: GRAFANA_DATABASE.database,
                user: GRAFANA_DATABASE.name,
              },
            }
          : {}),
        ...(settings.grafanaOidc ? { oidc: settings.grafanaOidc } : {}),
      },
      tracing: { samplingPercentage: settings.traceSamplingPercent },
    },
    {
      providers: { aws: context.aws, kubernetes: context.cluster.kubernetesProvider },
      // Pods need the baseline's priority classes before they can be admitted.
      dependsOn: [context.baseline],
    },
  );
  return {
    observability,
    outputs: {
      monitoringNamespace: observability.namespace,
      grafanaUrl: observability.grafanaUrl,
      prometheusUrl: observability.prometheusUrl,
      otlpEndpoint: observability.otlpEndpoint,
      lokiBucketName: observability.lokiBucketName,
      tempoBucketName: observability.tempoBucketName,
      managedPrometheusWorkspaceArn: observability.managedPrometheusWorkspaceArn,
      alarmTopicArn: observability.alarmTopicArn,
      heartbeatTopicArn: observability.heartbeatTopicArn,
    },
  };
}
