/** Arguments of the add-ons and of the application `Workload`. */
import * as pulumi from "@pulumi/pulumi";
import type { OriginLockdown, RateLimits } from "./ingress";
import type { GpuPool, GpuSizing } from "./gpu";
import type { KarpenterSizing } from "./karpenter";
import type { TrafficRule } from "./placement";
import type { SloGateArgs } from "./rollouts";
import type { Gp3Performance, WorkloadStorageClass } from "./storage";

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
  /**
   * The GPU NodePool: 0 nodes until a pod requests `nvidia.com/gpu`, at most `maxNodes`.
   * @default - no GPU pool, device plugin or GPU node class
   * @see https://karpenter.sh/docs/concepts/nodepools/#spec-limits
   */
  readonly gpu?: GpuSizing;
  /**
   * IOPS and throughput of the `gp3-high-iops` StorageClass (gp3: 3,000-16,000 IOPS, 125-1,000
   * MiB/s, at most 0.25 MiB/s per IOPS).
   * @default { iops: 16000, throughputMiBps: 1000 }
   * @see https://docs.aws.amazon.com/ebs/latest/userguide/general-purpose.html
   */
  readonly highIopsVolumes?: Gp3Performance;
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
  /**
   * The ALB sits behind CloudFront: its security group admits these prefix lists and CIDRs only,
   * and its web ACL requires CloudFront's origin header.
   * @default - open to the internet (0.0.0.0/0 on 443), no origin header
   * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/restrict-access-to-load-balancer.html
   */
  readonly originLockdown?: OriginLockdown;
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
   * How the replica count follows load: an HPA on CPU and memory (targets in percent of the
   * requests), or KEDA triggers instead; `behavior` tunes how fast either scales.
   * @default { cpuPercent: 60, memoryPercent: 70, behavior: SPIKE_BEHAVIOR }
   */
  readonly autoscaling?: {
    readonly cpuPercent?: number;
    readonly memoryPercent?: number;
    /**
     * Scale-up and scale-down rules of the HPA (or of the HPA KEDA manages).
     * @default SPIKE_BEHAVIOR - absorbs a 10x spike within about a minute, scales down slowly
     * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#configurable-scaling-behavior
     */
    readonly behavior?: ScalingBehavior;
    /**
     * Scale on events with KEDA (a `ScaledObject`, which manages its own HPA) instead of the
     * CPU/memory HPA: queue depth, a Prometheus query, a schedule.
     * @default - no KEDA; the HPA scales on CPU and memory
     * @see https://keda.sh/docs/2.20/scalers/
     */
    readonly events?: EventScaling;
  };
  /**
   * NVIDIA GPUs per pod: adds the `nvidia.com/gpu` limit and the GPU pool's toleration and node
   * selector. `pool` is `ClusterAddons.gpuPool`, undefined when the cluster has no GPU pool.
   * @default - no GPU
   */
  readonly gpu?: { readonly count: number; readonly pool: GpuPool | undefined };
  /**
   * Persistent volumes. A `ReadWriteOnce` class (e.g. `gp3-high-iops`) gives each replica its own
   * volume and makes the workload a StatefulSet (stable names and volumes); a `ReadWriteMany`
   * class (e.g. the data tier's `efs-shared`) gives every replica the same volume.
   * @default [] - none
   */
  readonly volumes?: readonly WorkloadVolume[];
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
   * A VerticalPodAutoscaler: `Off` publishes recommendations only, `Initial` sets requests when a
   * pod is created, `Auto` also evicts pods whose requests drifted; `false` creates none.
   * `Initial` and `Auto` change CPU and memory requests, so they are refused while an HPA (or a
   * KEDA `cpu`/`memory` trigger) scales on them.
   * @default "Off"
   * @see https://github.com/kubernetes/autoscaler/tree/master/vertical-pod-autoscaler#quick-start
   */
  readonly verticalPodAutoscaler?: VpaUpdateMode | false;
}

export type VpaUpdateMode = "Off" | "Initial" | "Auto";

export interface ScalingRules {
  /** Seconds of past recommendations considered; the highest (down) or lowest (up) wins. */
  readonly stabilizationWindowSeconds?: number;
  /** `Max` applies the policy allowing the largest change, `Min` the smallest. */
  readonly selectPolicy?: "Max" | "Min" | "Disabled";
  readonly policies?: readonly {
    readonly type: "Pods" | "Percent";
    readonly value: number;
    readonly periodSeconds: number;
  }[];
}

export interface ScalingBehavior {
  readonly scaleUp?: ScalingRules;
  readonly scaleDown?: ScalingRules;
}

/** One KEDA trigger: a scaler type of KEDA 2.20 and its metadata (the scaler's own keys). */
export interface EventTrigger {
  readonly type: string;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface EventScaling {
  readonly triggers: readonly EventTrigger[];
  /**
   * For `aws-*` triggers: an IAM role KEDA's operator assumes (through its IRSA web identity) to
   * read the source, e.g. `sqs:GetQueueAttributes` on the queue.
   */
  readonly aws?: {
    readonly oidcProviderArn: pulumi.Input<string>;
    readonly oidcProviderUrl: pulumi.Input<string>;
    readonly policy: pulumi.Input<string>;
  };
  /** @default 30 - seconds between trigger checks */
  readonly pollingIntervalSeconds?: number;
}

export interface WorkloadVolume {
  /** Volume name, a DNS-1123 label. */
  readonly name: string;
  /** Absolute path in the container. */
  readonly mountPath: string;
  readonly sizeGiB: number;
  /** `ClusterAddons.storageClasses.highIops`, the data tier's shared class, or another. */
  readonly storageClass: WorkloadStorageClass;
}
