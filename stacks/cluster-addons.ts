/**
 * The cluster's add-ons for one region: node and pod autoscaling, the ingress path with TLS, WAF and
 * DNS, and progressive delivery. Application teams deploy with `Workload` from
 * @platform/cluster-addons, on the IngressClass and analysis template created here.
 */
import { ClusterAddons, GpuTelemetry, OriginLockdown } from "@platform/cluster-addons";
import { registryHost } from "@platform/core";
import type * as pulumi from "@pulumi/pulumi";
import type { PlatformContext } from "./program";

interface ClusterAddonsDeployment {
  readonly addons: ClusterAddons;
  /** Public subnets the shared ALB connects to pods from (Workload `ingress.albSourceCidrs`). */
  readonly albSourceCidrs: readonly string[];
  readonly outputs: Record<string, unknown>;
}

export function deployClusterAddons(
  context: PlatformContext,
  originLockdown?: OriginLockdown,
): ClusterAddonsDeployment {
  const { foundation, clusterAddons: settings } = context.config;
  const addons = new ClusterAddons(
    "cluster-addons",
    {
      clusterName: context.cluster.clusterName,
      region: foundation.region,
      accountId: foundation.accountId,
      vpcId: context.network.vpcId,
      vpcCidr: context.network.cidr,
      oidcProviderArn: context.cluster.oidcProviderArn,
      oidcProviderUrl: context.cluster.oidcProviderUrl,
      nodeSecurityGroupId: context.cluster.nodeSecurityGroupId,
      volumeKeyArn: context.cluster.volumeKeyArn,
      logsKeyArn: context.network.logsKeyArn,
      nodeTags: { ...foundation.tags },
      karpenter: { ...settings.karpenter, volumeSizeGiB: foundation.cluster.nodeVolumeSizeGiB },
      gpu: settings.gpu,
      highIopsVolumes: settings.highIopsVolumes,
      dns: settings.dns,
      rateLimits: settings.rateLimits,
      delivery: settings.delivery,
      wafLogRetentionDays: settings.wafLogRetentionDays,
      originLockdown,
    },
    {
      providers: { aws: context.aws, kubernetes: context.cluster.kubernetesProvider },
      // Pods need the baseline's priority classes before they can be admitted.
      dependsOn: [context.baseline],
    },
  );
  const albSourceCidrs = context.network.publicSubnetCidrs;
  return {
    addons,
    albSourceCidrs,
    outputs: {
      karpenterRoleArn: addons.karpenterRoleArn,
      karpenterNodeRoleArn: addons.karpenterNodeRoleArn,
      karpenterInterruptionQueueUrl: addons.interruptionQueueUrl,
      ingressCertificateArn: addons.certificateArn,
      ingressWebAclArn: addons.webAclArn,
      ingressClassName: addons.ingressClassName,
      ingressAlbSourceCidrs: albSourceCidrs,
      clusterIssuerName: addons.clusterIssuerName,
      gpuNodePoolName: addons.gpuPool?.nodePoolName ?? "",
      highIopsStorageClassName: addons.storageClasses.highIops.name,
    },
  };
}

/**
 * GPU metrics (DCGM exporter and its ServiceMonitor), once Prometheus's CRDs exist; none without a
 * GPU pool.
 */
export function deployGpuTelemetry(
  context: PlatformContext,
  prometheus: pulumi.Resource,
): GpuTelemetry | undefined {
  if (context.config.clusterAddons.gpu.maxNodes === 0) return undefined;
  const { accountId, region } = context.config.foundation;
  return new GpuTelemetry(
    "gpu-telemetry",
    { registryHost: registryHost(accountId, region), prometheus },
    { providers: { kubernetes: context.cluster.kubernetesProvider } },
  );
}
