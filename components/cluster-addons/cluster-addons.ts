import { registryHost } from "@platform/core";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterAddonsArgs } from "./args";
import { createAutoscaling } from "./autoscaling";
import { createGpuCapacity, GpuPool, gpuPool } from "./gpu";
import { createIngress } from "./ingress";
import { createKarpenter } from "./karpenter";
import { createRollouts } from "./rollouts";
import { createStorageClasses, WorkloadStorageClass } from "./storage";
import { parsePrometheusUrl, validateClusterAddonsArgs } from "./validation";

/**
 * Every cluster add-on the platform runs: Karpenter, the ingress path (AWS Load Balancer
 * Controller, ACM, WAF, external-dns, cert-manager), metrics-server, KEDA, the VPA, Argo
 * Rollouts, the GPU NodePool with the NVIDIA device plugin, and the high-IOPS gp3 StorageClass.
 * Each release is pinned, has its own least-privilege IRSA role where it calls AWS, and
 * runs on the system nodes with the restricted security context.
 *
 * Needs an `aws` and a `kubernetes` provider in `opts.providers`.
 */
export class ClusterAddons extends pulumi.ComponentResource {
  public readonly karpenterRoleArn: pulumi.Output<string>;
  public readonly karpenterNodeRoleArn: pulumi.Output<string>;
  public readonly interruptionQueueUrl: pulumi.Output<string>;
  public readonly certificateArn: pulumi.Output<string>;
  public readonly webAclArn: pulumi.Output<string>;
  public readonly ingressClassName: string;
  public readonly clusterIssuerName: string;
  /** What a `Workload` passes as `gpu.pool`; undefined when the cluster has no GPU pool. */
  public readonly gpuPool?: GpuPool;
  /** StorageClasses a `Workload` volume may name. */
  public readonly storageClasses: { readonly highIops: WorkloadStorageClass };
  /** Releases by name, for dependents that need an add-on's CRDs or webhooks first. */
  public readonly releases: Readonly<Record<string, k8s.helm.v3.Release>>;

  constructor(name: string, args: ClusterAddonsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("platform:cluster-addons:ClusterAddons", name, {}, opts);
    validateClusterAddonsArgs(args);
    const partition = args.partition ?? "aws";
    const oidc = { oidcProviderArn: args.oidcProviderArn, oidcProviderUrl: args.oidcProviderUrl };
    const host = registryHost(args.accountId, args.region);

    const nodes = createKarpenter(
      `${name}-karpenter`,
      {
        clusterName: args.clusterName,
        partition,
        region: args.region,
        accountId: args.accountId,
        ...oidc,
        securityGroupId: args.nodeSecurityGroupId,
        volumeKeyArn: args.volumeKeyArn,
        nodeTags: args.nodeTags,
        sizing: args.karpenter,
      },
      this,
    );
    const edge = createIngress(
      `${name}-ingress`,
      {
        registryHost: host,
        clusterName: args.clusterName,
        partition,
        region: args.region,
        domainName: args.dns.domainName,
        hostedZoneId: args.dns.hostedZoneId,
        acmeEmail: args.dns.acmeEmail,
        healthCheckPath: args.dns.healthCheckPath ?? "/healthz",
        vpcId: args.vpcId,
        vpcCidr: args.vpcCidr,
        rateLimits: args.rateLimits,
        logsKeyArn: args.logsKeyArn,
        logRetentionDays: args.wafLogRetentionDays ?? 365,
        originLockdown: args.originLockdown,
        ...oidc,
      },
      this,
    );
    const gpu =
      args.gpu && args.gpu.maxNodes > 0
        ? createGpuCapacity(
            `${name}-gpu`,
            {
              registryHost: host,
              clusterName: args.clusterName,
              nodeRoleName: nodes.nodeRole.name,
              securityGroupId: args.nodeSecurityGroupId,
              volumeKeyArn: args.volumeKeyArn,
              amiAlias: args.karpenter.amiAlias,
              nodeTags: args.nodeTags,
              sizing: args.gpu,
              karpenter: nodes.release,
            },
            this,
          )
        : undefined;
    const storage = createStorageClasses(
      `${name}-storage`,
      {
        volumeKeyArn: args.volumeKeyArn,
        highIops: args.highIopsVolumes ?? { iops: 16_000, throughputMiBps: 1_000 },
      },
      this,
    );
    const scaling = createAutoscaling(
      `${name}-autoscaling`,
      { registryHost: host, vpcCidr: args.vpcCidr, ...oidc },
      this,
    );
    const prometheus = parsePrometheusUrl(args.delivery.prometheusUrl)!;
    const delivery = createRollouts(
      `${name}-rollouts`,
      {
        ...args.delivery,
        registryHost: host,
        prometheusNamespace: prometheus.namespace,
        prometheusPort: prometheus.port,
      },
      this,
    );

    this.karpenterRoleArn = nodes.controllerRole.arn;
    this.karpenterNodeRoleArn = nodes.nodeRole.arn;
    this.interruptionQueueUrl = nodes.interruptionQueue.url;
    this.certificateArn = edge.certificateArn;
    this.webAclArn = edge.webAcl.arn;
    this.ingressClassName = edge.ingressClassName;
    this.clusterIssuerName = edge.clusterIssuerName;
    this.gpuPool = gpu ? gpuPool() : undefined;
    this.storageClasses = { highIops: storage.highIops };
    this.releases = {
      karpenter: nodes.release,
      "aws-load-balancer-controller": edge.loadBalancerController,
      "external-dns": edge.externalDns,
      "cert-manager": edge.certManager,
      "metrics-server": scaling.metricsServer,
      keda: scaling.keda,
      "vertical-pod-autoscaler": scaling.verticalPodAutoscaler,
      "argo-rollouts": delivery,
      ...(gpu ? { "nvidia-device-plugin": gpu.devicePlugin } : {}),
    };
    this.registerOutputs({
      karpenterRoleArn: this.karpenterRoleArn,
      karpenterNodeRoleArn: this.karpenterNodeRoleArn,
      interruptionQueueUrl: this.interruptionQueueUrl,
      certificateArn: this.certificateArn,
      webAclArn: this.webAclArn,
      ingressClassName: this.ingressClassName,
      clusterIssuerName: this.clusterIssuerName,
      gpuPool: this.gpuPool,
      storageClasses: this.storageClasses,
      releases: this.releases,
    });
  }
}
