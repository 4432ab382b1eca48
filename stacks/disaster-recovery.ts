/**
 * Disaster recovery of one region into its peer (`platform:drRegion`): cluster state, the data
 * tier's database and buckets, AWS Backup, DNS failover and the restore drill.
 */
import { DataTier } from "@platform/data-tier";
import { DisasterRecovery } from "@platform/disaster-recovery";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformContext } from "./program";

interface DisasterRecoveryDeployment {
  readonly disasterRecovery: DisasterRecovery;
  readonly outputs: Record<string, unknown>;
}

interface DisasterRecoveryDeps {
  readonly dataTier: DataTier;
  /** kube-prometheus-stack: its CRDs (ServiceMonitor, PodMonitor, PrometheusRule) come first. */
  readonly prometheus?: pulumi.Resource;
  /** The encrypted StorageClass the restore canary's volume uses. */
  readonly storageClassName?: string;
}

export function deployDisasterRecovery(
  context: PlatformContext,
  deps: DisasterRecoveryDeps,
): DisasterRecoveryDeployment {
  const { foundation, disasterRecovery: settings } = context.config;
  const { dataTier } = deps;
  const disasterRecovery = new DisasterRecovery(
    "dr",
    {
      accountId: foundation.accountId,
      region: foundation.region,
      peerRegion: settings.peerRegion,
      peerProvider: context.drAws,
      databaseStrategy: settings.databaseStrategy,
      retention: settings.retention,
      replicatedBackupRetentionDays: settings.retention.replicatedAutomatedBackupsDays,
      immutability: settings.immutability,
      peerVpcCidr: settings.peerVpcCidr,
      databases: [
        {
          name: "postgres",
          instanceArn: dataTier.postgresPrimaryArn,
          instanceIdentifier: dataTier.postgresPrimaryIdentifier,
          instanceClass: dataTier.postgres.primary.instanceClass,
          port: dataTier.postgresPort,
        },
      ],
      buckets: [
        {
          name: "assets",
          bucketName: dataTier.assetsBucketName,
          bucketArn: dataTier.assetsBucketArn,
          keyArn: dataTier.dataKeyArn,
        },
        {
          name: "backups",
          bucketName: dataTier.backupsBucketName,
          bucketArn: dataTier.backupsBucketArn,
          keyArn: dataTier.dataKeyArn,
        },
        // Server access logs are audit evidence: they leave the region too (SSE-S3 at the source).
        {
          name: "access-logs",
          bucketName: dataTier.accessLogsBucketName,
          bucketArn: dataTier.accessLogsBucketArn,
        },
      ],
      cluster: {
        oidcProviderArn: context.cluster.oidcProviderArn,
        oidcProviderUrl: context.cluster.oidcProviderUrl,
      },
      failover: {
        hostedZoneId: settings.dns.hostedZoneId,
        recordName: settings.dns.failoverRecordName,
        primaryEndpoint: settings.dns.primaryEndpoint,
        peerEndpoint: settings.dns.peerEndpoint,
        healthCheckPath: settings.dns.healthCheckPath,
      },
      monitoring: { release: deps.prometheus },
      canaryStorageClass: deps.storageClassName,
      flowLogRetentionDays: foundation.network.flowLogRetentionDays,
    },
    {
      providers: {
        aws: context.aws,
        kubernetes: context.cluster.kubernetesProvider,
      },
    },
  );
  return {
    disasterRecovery,
    outputs: { disasterRecovery: disasterRecovery.posture },
  };
}
