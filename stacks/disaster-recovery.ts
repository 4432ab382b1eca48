/**
 * Disaster recovery of one region into its peer (`platform:drRegion`): cluster state, the data
 * tier's database and buckets, AWS Backup, DNS failover and the restore drill.
 */
import { DataTier } from "@platform/data-tier";
import { DisasterRecovery, DrPosture, StandbyRecovery } from "@platform/disaster-recovery";
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
  /** The SNS topic every CloudWatch alarm of the stack posts to. */
  readonly alarmTopicArn?: pulumi.Input<string>;
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
      peerProvider: context.drAws!,
      databaseStrategy: settings.databaseStrategy,
      retention: settings.retention,
      replicatedBackupRetentionDays: settings.retention.replicatedAutomatedBackupsDays,
      immutability: settings.immutability,
      standby: context.config.standby.standby,
      hourlyClusterBackups: foundation.environment === "prod",
      alarmTopicArn: deps.alarmTopicArn,
      accessLogBucket: dataTier.accessLogsBucketName,
      databases: [
        {
          name: "postgres",
          instanceArn: dataTier.postgresPrimaryArn,
          instanceIdentifier: dataTier.postgresPrimaryIdentifier,
          instanceClass: dataTier.postgres.primary.instanceClass,
          port: dataTier.postgresPort,
          parameterGroup: {
            family: dataTier.postgres.parameterGroup.family,
            parameters: dataTier.postgres.parameterGroup.parameters.apply((p) => p ?? []),
          },
          monitoringIntervalSeconds: dataTier.postgres.monitoringIntervalSeconds,
        },
      ],
      ...(dataTier.sharedFileSystemId
        ? { fileSystems: [{ name: "shared-files", fileSystemId: dataTier.sharedFileSystemId }] }
        : {}),
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

interface StandbyDeps {
  /** kube-prometheus-stack: its CRDs (ServiceMonitor, PrometheusRule) come first. */
  readonly prometheus?: pulumi.Resource;
  readonly alarmTopicArn?: pulumi.Input<string>;
}

/**
 * A standby's recovery side: the primary's posture through a StackReference (its replica sources,
 * key and replicated bucket), the replicas in this stack's VPC, Velero on the replicated bucket.
 */
export function deployStandbyRecovery(
  context: PlatformContext,
  deps: StandbyDeps,
): { readonly standby: StandbyRecovery; readonly outputs: Record<string, unknown> } {
  const { foundation, standby: settings } = context.config;
  const primaryStack = settings.primary!.stack;
  const primary = context.primary!;
  const posture = primary.requireOutput("disasterRecovery") as pulumi.Output<DrPosture>;
  const standby = new StandbyRecovery(
    "dr-standby",
    {
      accountId: foundation.accountId,
      stack: foundation.stack,
      region: foundation.region,
      state: settings.state,
      primary: posture,
      network: {
        vpcId: context.network.vpcId,
        cidr: context.network.cidr,
        isolatedSubnetIds: context.network.isolatedSubnetIds,
      },
      cluster: {
        oidcProviderArn: context.cluster.oidcProviderArn,
        oidcProviderUrl: context.cluster.oidcProviderUrl,
      },
      alarmTopicArn: deps.alarmTopicArn,
      monitoring: { release: deps.prometheus },
      logRetentionDays: foundation.network.flowLogRetentionDays,
    },
    {
      providers: { aws: context.aws, kubernetes: context.cluster.kubernetesProvider },
    },
  );
  return {
    standby,
    outputs: {
      standby: pulumi
        .all([
          posture,
          pulumi.all(standby.replicas.map((r) => r.identifier)),
          standby.subnetGroupName,
          standby.securityGroupId,
        ])
        .apply(([p, replicaIdentifiers, subnetGroup, securityGroupId]) => ({
          stack: foundation.stack,
          region: foundation.region,
          state: settings.state,
          primaryStack,
          primary: p,
          replicaIdentifiers,
          subnetGroup,
          securityGroupId,
          endpoint: `${foundation.region}.${context.config.disasterRecovery.dns.domainName}`,
        })),
    },
  };
}
