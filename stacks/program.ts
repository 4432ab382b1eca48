/**
 * The platform for one region: validated config, explicit providers for the stack's region and its
 * DR peer, then the components. A new region is a new `Pulumi.<stack>.yaml`, never new code.
 */
import { Cluster, KubernetesBaseline, Network } from "@platform/cluster";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig, PlatformConfig, SECTIONS } from "./config";
import { deployClusterAddons, deployGpuTelemetry } from "./cluster-addons";
import { deployCostControls } from "./cost-controls";
import { deployDataTier } from "./data-tier";
import { deployDisasterRecovery, deployStandbyRecovery } from "./disaster-recovery";
import { deployEdge, EDGE_ORIGIN_VERIFY_OUTPUT, edgeOriginLockdown } from "./edge";
import { deployObservability } from "./observability";
import { deployResilience } from "./resilience";
import { deployRegistry } from "./registry";
import { deployAdmission } from "./admission";
import { listStacks, readStackFile } from "./stack-files";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as {
  isConfigSecret(key: string): boolean;
};

interface LoadOptions {
  /** @default today's date - the day support windows are judged on */
  readonly today?: string;
}

/** Reads and validates this stack's config; throws a ValidationError naming every bad key. */
function loadConfig(options: LoadOptions = {}): PlatformConfig {
  const stack = pulumi.getStack();
  const config = pulumi.runtime.allConfig();
  const otherStacks = listStacks()
    .filter((s) => s !== stack)
    .map((s) => ({ stack: s, config: readStackFile(s).config }));
  const platformConfig = new pulumi.Config("platform");
  return loadStackConfig(
    SECTIONS,
    { stack, config, secretKeys: Object.keys(config).filter((k) => isConfigSecret(k)) },
    {
      today: options.today ?? new Date().toISOString().slice(0, 10),
      otherStacks,
      secret: (key) => platformConfig.getSecret(key),
    },
  );
}

function regionalProvider(name: string, region: string, config: PlatformConfig): aws.Provider {
  const { foundation } = config;
  return new aws.Provider(name, {
    region: region as aws.Region,
    // Refuses to run against any other account: a prod config never lands in the wrong place.
    allowedAccountIds: [foundation.accountId],
    defaultTags: { tags: { ...foundation.tags } },
  });
}

/** The region of CloudFront's control plane: certificates and CLOUDFRONT-scope web ACLs. */
const EDGE_REGION = "us-east-1";

/** What every domain's composition (`stacks/<domain>.ts`) builds on. */
export interface PlatformContext {
  readonly config: PlatformConfig;
  /** Provider for the stack's own region. */
  readonly aws: aws.Provider;
  /**
   * Provider for the DR peer region; a standby has none (it must run with its primary's region
   * unreachable).
   */
  readonly drAws?: aws.Provider;
  readonly network: Network;
  readonly cluster: Cluster;
  readonly baseline: KubernetesBaseline;
  /** A standby's primary stack, whose outputs it reads (its DR posture, the edge's origin header). */
  readonly primary?: pulumi.StackReference;
}

export async function platformStack(options: LoadOptions = {}): Promise<Record<string, unknown>> {
  const config = loadConfig(options);
  const { foundation } = config;
  const aws = regionalProvider(`aws-${foundation.region}`, foundation.region, config);
  const isStandby = config.standby.role === "standby";
  const drAws = isStandby
    ? undefined
    : regionalProvider(`aws-${foundation.drRegion}`, foundation.drRegion, config);
  // A passive standby runs its workload pool at zero; Karpenter scales it when pods arrive.
  const workloadPool =
    isStandby && config.standby.state === "passive"
      ? { ...foundation.cluster.workloadPool, minSize: 0, desiredSize: 0 }
      : foundation.cluster.workloadPool;
  const clusterName = `platform-${foundation.stack}`;

  const network = new Network(
    "network",
    {
      cidr: foundation.network.vpcCidr,
      accountId: foundation.accountId,
      region: foundation.region,
      clusterName,
      natGateways: foundation.network.natGateways,
      flowLogRetentionDays: foundation.network.flowLogRetentionDays,
    },
    { providers: { aws } },
  );
  const cluster = new Cluster(
    "cluster",
    {
      clusterName,
      accountId: foundation.accountId,
      region: foundation.region,
      kubernetesVersion: foundation.cluster.kubernetesVersion,
      vpcId: network.vpcId,
      privateSubnetIds: network.privateSubnetIds,
      adminRoleArns: foundation.cluster.adminRoleArns,
      endpointPublicAccess: foundation.cluster.endpointPublicAccess,
      publicAccessCidrs: foundation.cluster.publicAccessCidrs,
      logsKeyArn: network.logsKeyArn,
      systemPool: foundation.cluster.systemPool,
      workloadPool,
      nodeVolumeSizeGiB: foundation.cluster.nodeVolumeSizeGiB,
      nodeTags: { ...foundation.tags },
    },
    { providers: { aws } },
  );
  const baseline = new KubernetesBaseline(
    "baseline",
    { applicationNamespaces: foundation.cluster.applicationNamespaces },
    { providers: { kubernetes: cluster.kubernetesProvider } },
  );
  const primary =
    isStandby && config.standby.primary
      ? new pulumi.StackReference(
          `${pulumi.getOrganization()}/${pulumi.getProject()}/${config.standby.primary.stack}`,
        )
      : undefined;
  const context: PlatformContext = { config, aws, drAws, network, cluster, baseline, primary };
  // Each domain composes its components in stacks/<domain>.ts and returns its stack outputs.
  const domainOutputs: Record<string, unknown> = {};
  // Behind CloudFront the ALB admits CloudFront (and the health checkers) only (stacks/edge.ts).
  const originLockdown = edgeOriginLockdown(context);
  const clusterAddons = deployClusterAddons(context, originLockdown);
  Object.assign(domainOutputs, clusterAddons.outputs);
  Object.assign(
    domainOutputs,
    deployRegistry(context, {
      karpenterNodeRoleArn: clusterAddons.addons.karpenterNodeRoleArn,
    }).outputs,
  );
  // A standby's database is the primary's replica: no data tier of its own.
  const data = isStandby ? undefined : deployDataTier(context);
  if (data) Object.assign(domainOutputs, data.outputs);
  const monitoring = deployObservability(context, { dataTier: data?.dataTier });
  Object.assign(domainOutputs, monitoring.outputs);
  // OpenCost's ServiceMonitor needs the Prometheus Operator CRDs; Prometheus selects every monitor.
  const prometheus = monitoring.observability.releases.kubePrometheusStack;
  const alarmTopicArn = monitoring.observability.alarmTopicArn;
  deployGpuTelemetry(context, prometheus);
  // Kyverno pulls its images through the registry's ghcr.io cache; its policies admit only that
  // ECR. Prometheus scrapes it and pages when it is down.
  Object.assign(
    domainOutputs,
    deployAdmission(context, { namespace: monitoring.observability.namespace, prometheus }).outputs,
  );
  if (data) {
    Object.assign(
      domainOutputs,
      deployDisasterRecovery(context, {
        dataTier: data.dataTier,
        prometheus,
        storageClassName: monitoring.observability.storageClassName,
        alarmTopicArn,
      }).outputs,
    );
  } else {
    Object.assign(
      domainOutputs,
      deployStandbyRecovery(context, { prometheus, alarmTopicArn }).outputs,
    );
  }
  if (config.edge.distribution && originLockdown?.originVerifyValue && data) {
    // CloudFront takes its certificate, web ACL and log delivery source in us-east-1 only.
    // One provider per region: the stack's own or its DR peer's when either is us-east-1.
    const globalAws =
      foundation.region === EDGE_REGION
        ? aws
        : foundation.drRegion === EDGE_REGION && drAws
          ? drAws
          : regionalProvider(`aws-${EDGE_REGION}`, EDGE_REGION, config);
    Object.assign(domainOutputs, {
      ...deployEdge(
        context,
        globalAws,
        originLockdown.originVerifyValue,
        data.dataTier.accessLogsBucketName,
      )?.outputs,
      // The standby's web ACL requires the same header (read through its StackReference).
      [EDGE_ORIGIN_VERIFY_OUTPUT]: pulumi.secret(originLockdown.originVerifyValue),
    });
  }
  // Fault injection on primaries only (stacks/resilience.ts says why not on a standby).
  if (!isStandby) {
    Object.assign(
      domainOutputs,
      deployResilience(context, { dataTier: data?.dataTier, alarmTopicArn }).outputs,
    );
  }
  Object.assign(
    domainOutputs,
    deployCostControls(context, {
      monitoring: { release: prometheus, serviceMonitorLabels: {} },
    }).outputs,
  );

  return {
    ...domainOutputs,
    clusterName: cluster.clusterName,
    kubeconfig: cluster.kubeconfig,
    vpcId: network.vpcId,
    publicSubnetIds: network.publicSubnetIds,
    privateSubnetIds: network.privateSubnetIds,
    isolatedSubnetIds: network.isolatedSubnetIds,
    oidcProviderArn: cluster.oidcProviderArn,
  };
}
