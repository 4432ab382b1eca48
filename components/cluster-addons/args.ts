/** Arguments of the add-ons and of the application `Workload`. */
import * as pulumi from "@pulumi/pulumi";
import type { RateLimits } from "./ingress";
import type { KarpenterSizing } from "./karpenter";
import type { TrafficRule } from "./placement";
import type { SloGateArgs } from "./rollouts";

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

export type DeliveryStrategy = "deployment" | "canary" | "blue-green";

export interface ResourceQuantities {
  readonly cpu: string;
  readonly memory: string;
}

export interface WorkloadArgs {
  readonly namespace: string;
  /**
   * Container image pinned to a tag other than `latest` or to a digest
   * (`registry/repo:1.4.2` or `registry/repo@sha256:<64 hex>`).
   */
  readonly image: string;
  /** Container and Service port, 1024 to 65535 (the container runs as non-root). */
  readonly port: number;
  /** Requests and limits of the container; requests must not exceed limits. */
  readonly resources: {
    readonly requests: ResourceQuantities;
    readonly limits: ResourceQuantities;
  };
  /**
   * Replica range the HPA keeps the workload in; at least 2 so the PDB lets nodes drain.
   * @default { min: 3, max: 10 } - one replica per zone at least
   */
  readonly replicas?: { readonly min: number; readonly max: number };
  /**
   * HPA targets, in percent of the requests.
   * @default { cpuPercent: 60, memoryPercent: 70 }
   */
  readonly autoscaling?: { readonly cpuPercent?: number; readonly memoryPercent?: number };
  /**
   * HTTP paths of the probes on `port`.
   * @default { livenessPath: "/healthz", readinessPath: "/ready" }
   */
  readonly probes?: { readonly livenessPath?: string; readonly readinessPath?: string };
  /** Plain environment variables; secrets belong in a Secret or in AWS Secrets Manager via IRSA. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Who may connect to `port`: pods of these namespaces and these address blocks. Prometheus in
   * `monitoring` is always admitted, for metrics and the canary analysis.
   * @default {} - nobody else (an `ingress` adds the ALB's subnets)
   */
  readonly allowFrom?: {
    readonly namespaces?: readonly string[];
    readonly cidrs?: readonly string[];
  };
  /**
   * Egress beyond DNS, which the namespace already allows.
   * @default [] - none
   */
  readonly egress?: readonly TrafficRule[];
  /** An IAM role for the service account (IRSA) with this inline policy. */
  readonly iam?: {
    readonly oidcProviderArn: pulumi.Input<string>;
    readonly oidcProviderUrl: pulumi.Input<string>;
    readonly policy: pulumi.Input<string>;
  };
  /**
   * `deployment`, or an Argo Rollout: `canary` (10/25/50/100% with the SLO gate between steps) or
   * `blue-green` (SLO gate on the preview before promotion).
   * @default "deployment"
   */
  readonly delivery?: DeliveryStrategy;
  /** Public HTTPS on the platform's shared ALB, at `host`. */
  readonly ingress?: {
    readonly host: string;
    /** @default "/" */
    readonly path?: string;
    /** Subnets the ALB's nodes sit in (target type `ip`: the ALB connects to the pods directly). */
    readonly albSourceCidrs: readonly string[];
  };
  /**
   * UID and GID the container runs as.
   * @default 10001
   */
  readonly runAsUser?: number;
  /**
   * Mount a Kubernetes API token into the pods. Only for workloads that call the API.
   * @default false
   */
  readonly kubernetesApiAccess?: boolean;
  /**
   * Run only on on-demand capacity (Karpenter's `on-demand` NodePool), for workloads that cannot
   * take a two-minute spot interruption notice.
   * @default false - spot first, on-demand when spot is short
   */
  readonly onDemandOnly?: boolean;
  /**
   * Publish VPA recommendations (updateMode "Off": nothing is changed automatically).
   * @default true
   */
  readonly verticalPodAutoscaler?: boolean;
}
