/**
 * The data tier of one region: PostgreSQL, Valkey and buckets in the isolated subnets, reachable
 * from the cluster's nodes only, with an IRSA role per consuming workload.
 */
import { DataTier } from "@platform/data-tier";
import { DATA_TIER_NAME } from "./config/dataTier";
import { GRAFANA_DATABASE } from "./observability";
import type { PlatformContext } from "./program";

interface DataTierDeployment {
  readonly dataTier: DataTier;
  /** Stack outputs; other domains (DR, observability) read the same values from `dataTier`. */
  readonly outputs: Record<string, unknown>;
}

export function deployDataTier(context: PlatformContext): DataTierDeployment {
  const { foundation, dataTier: settings } = context.config;
  const dataTier = new DataTier(
    DATA_TIER_NAME,
    {
      namePrefix: `platform-${foundation.stack}`,
      accountId: foundation.accountId,
      region: foundation.region,
      vpcId: context.network.vpcId,
      isolatedSubnetIds: context.network.isolatedSubnetIds,
      // Every managed node carries the EKS cluster security group; pods share their node's groups.
      clientSecurityGroupIds: [context.cluster.nodeSecurityGroupId],
      logsKeyArn: context.network.logsKeyArn,
      oidcProviderArn: context.cluster.oidcProviderArn,
      oidcProviderUrl: context.cluster.oidcProviderUrl,
      consumers: settings.consumers,
      clientEgress: {
        isolatedSubnetCidrs: context.network.isolatedSubnetCidrs,
        dependsOn: context.baseline.namespaces.map((ns) => ns.namespace),
      },
      postgres: settings.postgres,
      // Grafana has no IAM database authentication: its user is a rotated password user.
      postgresUsers: [GRAFANA_DATABASE],
      // The rotation functions reach AWS's APIs through NAT.
      rotationSubnetIds: context.network.privateSubnetIds,
      cache: settings.cache,
    },
    { providers: { aws: context.aws, kubernetes: context.cluster.kubernetesProvider } },
  );
  return {
    dataTier,
    outputs: {
      dataKeyArn: dataTier.dataKeyArn,
      postgresPrimaryArn: dataTier.postgresPrimaryArn,
      postgresPrimaryIdentifier: dataTier.postgresPrimaryIdentifier,
      postgresPrimaryAddress: dataTier.postgresPrimaryAddress,
      postgresReplicaIdentifiers: dataTier.postgresReplicaIdentifiers,
      postgresReplicaArns: dataTier.postgresReplicaArns,
      postgresReplicaAddresses: dataTier.postgresReplicaAddresses,
      ...(dataTier.postgresProxyEndpoint
        ? { postgresProxyEndpoint: dataTier.postgresProxyEndpoint }
        : {}),
      postgresMasterSecretArn: dataTier.postgresMasterSecretArn,
      postgresUserSecretArns: dataTier.postgresUserSecretArns,
      postgresPort: dataTier.postgresPort,
      cacheReplicationGroupId: dataTier.cacheReplicationGroupId,
      cacheConfigurationEndpoint: dataTier.cacheConfigurationEndpoint,
      cacheMemberClusters: dataTier.cacheMemberClusters,
      cacheAuthTokenSecretArn: dataTier.cacheAuthTokenSecretArn,
      cachePort: dataTier.cachePort,
      assetsBucketName: dataTier.assetsBucketName,
      assetsBucketArn: dataTier.assetsBucketArn,
      backupsBucketName: dataTier.backupsBucketName,
      backupsBucketArn: dataTier.backupsBucketArn,
      accessLogsBucketName: dataTier.accessLogsBucketName,
      accessLogsBucketArn: dataTier.accessLogsBucketArn,
      dataConsumerRoleArns: dataTier.consumerRoleArns,
      ...(dataTier.sharedFileSystemId
        ? {
            sharedFileSystemId: dataTier.sharedFileSystemId,
            sharedStorageClassName: dataTier.sharedStorageClass!.name,
          }
        : {}),
    },
  };
}
