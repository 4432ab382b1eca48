import { Problems } from "@platform/core";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { autoscaling } from "./autoscaling";
import {
  ingress,
  RateLimits,
  requestsPerWindow,
  WAF_EVALUATION_WINDOWS,
  WAF_RATE_LIMIT_RANGE,
} from "./ingress";
import { karpenter, KarpenterSizing } from "./karpenter";
import { rollouts, SloGateArgs } from "./rollouts";

export interface ClusterAddonsArgs {
  readonly clusterName: string;
  /** @default "aws" */
  readonly partition?: string;
  readonly region: string;
  readonly accountId: string;
  readonly vpcId: pulumi.Input<string>;
  /** The VPC's CIDR: the EKS control plane calls webhooks from its ENIs in the VPC. */
  readonly vpcCidr: string;
  readonly oidcProviderArn: pulumi.Input<string>;
  readonly oidcProviderUrl: pulumi.Input<string>;
  /** The EKS-managed cluster security group, which Karpenter's nodes join like managed nodes. */
  readonly nodeSecurityGroupId: pulumi.Input<string>;
  /** The cluster's KMS key for EBS volumes. */
  readonly volumeKeyArn: pulumi.Input<string>;
  /** KMS key of the stack's CloudWatch log groups (WAF logs). */
  readonly logsKeyArn: pulumi.Input<string>;
  /** Tags for instances Karpenter launches (provider default tags do not reach them). */
  readonly nodeTags: Record<string, string>;
  readonly karpenter: KarpenterSizing;
  readonly dns: {
    /** Public hosted zone of `domainName`, shared with the DR failover records. */
    readonly hostedZoneId: string;
    readonly domainName: string;
    /** Let's Encrypt account address (expiry notices). */
    readonly acmeEmail: string;
    /**
     * Path the DR health check requests on `<region>.<domainName>`; the ALB answers it.
     * @default "/healthz"
     */
    readonly healthCheckPath?: string;
  };
  readonly rateLimits: RateLimits;
  /** SLO gate of every canary step. */
  readonly delivery: SloGateArgs;
  /**
   * Retention of the WAF log group, in days.
   * @default 365
   */
  readonly wafLogRetentionDays?: number;
}

const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const AMI_ALIAS = /^(al2023|bottlerocket)@(latest|v\d{8}|v\d+\.\d+\.\d+)$/;
/** `http://<service>.<namespace>.svc[.cluster.local]:<port>` */
const IN_CLUSTER_URL = /^https?:\/\/[a-z0-9-]+\.([a-z0-9-]+)\.svc(\.cluster\.local)?:(\d+)\/?$/;

export function parsePrometheusUrl(url: string): { namespace: string; port: number } | undefined {
  const match = IN_CLUSTER_URL.exec(url);
  return match ? { namespace: match[1], port: Number(match[3]) } : undefined;
}

export function validateClusterAddonsArgs(args: ClusterAddonsArgs): void {
  const problems = new Problems();
  problems.check(
    HOSTED_ZONE_ID.test(args.dns.hostedZoneId),
    "args.dns.hostedZoneId",
    args.dns.hostedZoneId,
    'be a Route 53 hosted zone ID such as "Z0123456789ABCDEFGHIJ"',
  );
  problems.check(
    DOMAIN.test(args.dns.domainName),
    "args.dns.domainName",
    args.dns.domainName,
    'be a lower-case DNS name such as "platform.example.com"',
  );
  problems.check(
    /^\/[\w\-./]*$/.test(args.dns.healthCheckPath ?? "/healthz"),
    "args.dns.healthCheckPath",
    args.dns.healthCheckPath,
    'be a URL path starting with "/", such as "/healthz"',
  );
  problems.check(
    EMAIL.test(args.dns.acmeEmail),
    "args.dns.acmeEmail",
    args.dns.acmeEmail,
    "be an email address",
  );

  const limits = args.rateLimits;
  if (
    problems.oneOf("args.rateLimits.windowSeconds", limits.windowSeconds, WAF_EVALUATION_WINDOWS)
  ) {
    for (const key of ["globalRps", "apiRps", "perClientRps"] as const) {
      const perWindow = requestsPerWindow(limits[key], limits.windowSeconds);
      problems.check(
        Number.isInteger(limits[key]) &&
          perWindow >= WAF_RATE_LIMIT_RANGE.min &&
          perWindow <= WAF_RATE_LIMIT_RANGE.max,
        `args.rateLimits.${key}`,
        limits[key],
        `be a whole number whose ${limits.windowSeconds}-second total is within WAF's ${WAF_RATE_LIMIT_RANGE.min} to ${WAF_RATE_LIMIT_RANGE.max}`,
      );
    }
  }
  problems.check(
    limits.apiRps <= limits.globalRps,
    "args.rateLimits.apiRps",
    limits.apiRps,
    `not exceed globalRps (${limits.globalRps})`,
  );
  problems.check(
    limits.perClientRps <= limits.globalRps,
    "args.rateLimits.perClientRps",
    limits.perClientRps,
    `not exceed globalRps (${limits.globalRps})`,
  );
  problems.check(
    /^\/[\w\-./]*$/.test(limits.apiPathPrefix),
    "args.rateLimits.apiPathPrefix",
    limits.apiPathPrefix,
    'be a URL path starting with "/", such as "/api/"',
  );

  const sizing = args.karpenter;
  problems.integerInRange("args.karpenter.nodeCeiling", sizing.nodeCeiling, 1, 5000);
  problems.integerInRange("args.karpenter.onDemandPercent", sizing.onDemandPercent, 0, 100);
  problems.check(
    sizing.architectures.length > 0 &&
      sizing.architectures.every((a) => a === "amd64" || a === "arm64"),
    "args.karpenter.architectures",
    sizing.architectures,
    'list "amd64", "arm64" or both',
  );
  problems.check(
    AMI_ALIAS.test(sizing.amiAlias),
    "args.karpenter.amiAlias",
    sizing.amiAlias,
    'be an EC2NodeClass AMI alias such as "al2023@latest" or "al2023@v20260101"',
  );
  problems.integerInRange("args.karpenter.volumeSizeGiB", sizing.volumeSizeGiB, 20, 16384);

  problems.check(
    parsePrometheusUrl(args.delivery.prometheusUrl) !== undefined,
    "args.delivery.prometheusUrl",
    args.delivery.prometheusUrl,
    'be an in-cluster Service URL such as "http://kube-prometheus-stack-prometheus.monitoring.svc:9090"',
  );
  problems.check(
    args.delivery.maxErrorRatio > 0 && args.delivery.maxErrorRatio < 1,
    "args.delivery.maxErrorRatio",
    args.delivery.maxErrorRatio,
    "be a ratio between 0 and 1 (0.001 is 0.1%)",
  );
  problems.check(
    args.delivery.maxP95Seconds > 0 && args.delivery.maxP95Seconds <= 60,
    "args.delivery.maxP95Seconds",
    args.delivery.maxP95Seconds,
    "be a latency in seconds above 0 and at most 60",
  );
  problems.throwIfAny("Cluster add-on arguments");
}

/**
 * Every cluster add-on the platform runs: Karpenter, the ingress path (AWS Load Balancer
 * Controller, ACM, WAF, external-dns, cert-manager), metrics-server, KEDA, the VPA and Argo
 * Rollouts. Each release is pinned, has its own least-privilege IRSA role where it calls AWS, and
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
  /** Releases by name, for dependents that need an add-on's CRDs or webhooks first. */
  public readonly releases: Readonly<Record<string, k8s.helm.v3.Release>>;

  constructor(name: string, args: ClusterAddonsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("platform:cluster-addons:ClusterAddons", name, {}, opts);
    validateClusterAddonsArgs(args);
    const partition = args.partition ?? "aws";
    const oidc = { oidcProviderArn: args.oidcProviderArn, oidcProviderUrl: args.oidcProviderUrl };

    const nodes = karpenter(
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
    const edge = ingress(
      `${name}-ingress`,
      {
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
        ...oidc,
      },
      this,
    );
    const scaling = autoscaling(`${name}-autoscaling`, { vpcCidr: args.vpcCidr }, this);
    const prometheus = parsePrometheusUrl(args.delivery.prometheusUrl)!;
    const delivery = rollouts(
      `${name}-rollouts`,
      {
        ...args.delivery,
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
    this.releases = {
      karpenter: nodes.release,
      "aws-load-balancer-controller": edge.loadBalancerController,
      "external-dns": edge.externalDns,
      "cert-manager": edge.certManager,
      "metrics-server": scaling.metricsServer,
      keda: scaling.keda,
      "vertical-pod-autoscaler": scaling.verticalPodAutoscaler,
      "argo-rollouts": delivery,
    };
    this.registerOutputs({
      karpenterRoleArn: this.karpenterRoleArn,
      karpenterNodeRoleArn: this.karpenterNodeRoleArn,
      interruptionQueueUrl: this.interruptionQueueUrl,
      certificateArn: this.certificateArn,
      webAclArn: this.webAclArn,
      ingressClassName: this.ingressClassName,
      clusterIssuerName: this.clusterIssuerName,
      releases: this.releases,
    });
  }
}
