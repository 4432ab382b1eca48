/**
 * Observability of one region: the monitoring stack in the cluster, SLO and health alerts routed
 * to on-call, and CloudWatch alarms on the data tier's databases and cache nodes.
 */
import type { DataTier } from "@platform/data-tier";
import {
  CacheAlarmTarget,
  DatabaseAlarmTarget,
  Observability,
  receiverFor,
} from "@platform/observability";
import * as pulumi from "@pulumi/pulumi";
import { ProbeUrl, probeName } from "./config/observability";
import type { PlatformContext } from "./program";

export interface ObservabilityDeployment {
  readonly observability: Observability;
  readonly outputs: Record<string, unknown>;
}

/** Namespaces whose controllers query Prometheus: canary analysis (Argo Rollouts), KEDA, OpenCost. */
const PROMETHEUS_QUERY_NAMESPACES = ["argo-rollouts", "keda", "opencost"];

/** GiB of memory per vCPU of the RDS instance families the platform uses. */
const MEMORY_PER_VCPU_GIB: Readonly<Record<string, number>> = { r: 8, m: 4, x: 16 };

/**
 * PostgreSQL's default max_connections on RDS is LEAST({DBInstanceClassMemory/9531392}, 5000)
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.MaxConnections).
 * `large` has 2 vCPUs, `xlarge` 4 and `Nxlarge` 4N; unknown classes get a conservative 100.
 */
export function postgresMaxConnections(instanceClass: string): number {
  const match = /^db\.([a-z])\d+[a-z]*\.(\d*)(x?large)$/.exec(instanceClass);
  const perVcpu = match ? MEMORY_PER_VCPU_GIB[match[1]] : undefined;
  if (!match || perVcpu === undefined) return 100;
  const vcpus = match[3] === "large" ? 2 : 4 * Number(match[2] || 1);
  return Math.min(Math.floor((vcpus * perVcpu * 1024 ** 3) / 9531392), 5000);
}

/**
 * Node IDs of a cluster-mode replication group: `<group>-<shard, 4 digits>-<node, 3 digits>`
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.html). Derived from the
 * configured shape so that the number of alarms is known before deployment.
 */
export function cacheNodeIds(
  replicationGroupId: pulumi.Output<string>,
  shards: number,
  replicasPerShard: number,
): pulumi.Output<string>[] {
  const ids: pulumi.Output<string>[] = [];
  for (let shard = 1; shard <= shards; shard++) {
    for (let node = 1; node <= 1 + replicasPerShard; node++) {
      ids.push(
        replicationGroupId.apply(
          (id) => `${id}-${String(shard).padStart(4, "0")}-${String(node).padStart(3, "0")}`,
        ),
      );
    }
  }
  return ids;
}

/**
 * With no `syntheticProbeUrls`, the availability SLO watches what clients reach: the failover name
 * and this region's own endpoint (from the disaster-recovery section), on its health-check path.
 */
export function defaultProbes(dns: {
  readonly failoverRecordName: string;
  readonly primaryEndpoint: string;
  readonly healthCheckPath: string;
}): ProbeUrl[] {
  const hosts = [...new Set([dns.failoverRecordName, dns.primaryEndpoint])];
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
  if (deps.dataTier) {
    const { postgres, cache } = context.config.dataTier;
    const shared = {
      allocatedStorageGiB: postgres.allocatedStorageGiB,
      maxConnections: postgresMaxConnections(postgres.instanceClass),
    };
    databases.push({
      name: "postgres",
      instanceIdentifier: deps.dataTier.postgresPrimaryIdentifier,
      ...shared,
    });
    deps.dataTier.postgresReplicaIdentifiers.forEach((identifier, i) =>
      databases.push({
        name: `postgres-replica-${i + 1}`,
        instanceIdentifier: identifier,
        isReplica: true,
        ...shared,
      }),
    );
    caches.push({
      name: "valkey",
      cacheClusterIds: cacheNodeIds(
        deps.dataTier.cacheReplicationGroupId,
        cache.shards,
        cache.replicasPerShard,
      ),
    });
  }

  const observability = new Observability(
    "observability",
    {
      clusterName: context.cluster.clusterName,
      accountId: foundation.accountId,
      region: foundation.region,
      vpcCidr: foundation.network.vpcCidr,
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
    },
    {
      providers: { aws: context.aws, kubernetes: context.cluster.kubernetesProvider },
      // Pods need the baseline's priority classes before they can be admitted.
      dependsOn: [context.baseline],
    },
  );
  if (
    foundation.environment === "prod" &&
    receiverFor("critical", observability.receivers) === "null"
  ) {
    void pulumi.log.warn(
      "No alert receiver is configured: critical alerts reach nobody. Set platform:alertPagerDutyRoutingKey (or Slack/email) with pulumi config set --secret.",
    );
  }
  return {
    observability,
    outputs: {
      monitoringNamespace: observability.namespace,
      grafanaUrl: observability.grafanaUrl,
      prometheusUrl: observability.prometheusUrl,
      otlpEndpoint: observability.otlpEndpoint,
      lokiBucketName: observability.lokiBucketName,
      tempoBucketName: observability.tempoBucketName,
      alarmTopicArn: observability.alarmTopicArn,
    },
  };
}
