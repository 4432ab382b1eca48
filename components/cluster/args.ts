/** Arguments of the network and the cluster. */
import * as pulumi from "@pulumi/pulumi";

export interface NetworkArgs {
  /** Private IPv4 CIDR of the VPC, /16 to /20. */
  readonly cidr: string;
  readonly accountId: string;
  readonly region: string;
  /** Name of the EKS cluster that will use the VPC, for subnet discovery tags. */
  readonly clusterName: string;
  /**
   * `per-az`: one NAT gateway in each AZ, so losing an AZ keeps the others' egress.
   * `single`: one NAT gateway for all AZs; cheaper, and a single point of failure (opt-in).
   * @default "per-az"
   */
  readonly natGateways?: "per-az" | "single";
  /**
   * Retention of the flow-log group, in days.
   * @default 365
   */
  readonly flowLogRetentionDays?: number;
  /**
   * Interface endpoints (service names after `com.amazonaws.<region>.`) a private EKS cluster needs.
   * @default ["ecr.api", "ecr.dkr", "sts", "logs", "ec2"]
   * @see https://docs.aws.amazon.com/eks/latest/userguide/private-clusters.html
   */
  readonly interfaceEndpoints?: readonly string[];
}

export interface ClusterArgs {
  /** Physical EKS cluster name. */
  readonly clusterName: string;
  readonly accountId: string;
  readonly region: string;
  readonly kubernetesVersion: string;
  readonly vpcId: pulumi.Input<string>;
  readonly privateSubnetIds: pulumi.Input<string>[];
  /** IAM roles granted cluster-admin through access entries. */
  readonly adminRoleArns: readonly string[];
  /**
   * Opt-in: a public API endpoint, reachable only from `publicAccessCidrs`.
   * @default false
   */
  readonly endpointPublicAccess?: boolean;
  /** @default [] - required and non-empty when `endpointPublicAccess` is true */
  readonly publicAccessCidrs?: readonly string[];
  /**
   * Retention of the control-plane log group, in days.
   * @default 365
   */
  readonly controlPlaneLogRetentionDays?: number;
  readonly logsKeyArn: pulumi.Input<string>;
  /** On-demand Graviton pool for critical add-ons, tainted `CriticalAddonsOnly`. */
  readonly systemPool: NodePoolArgs;
  /** Spot pool of diversified instance types for applications. */
  readonly workloadPool: NodePoolArgs;
  /** @default 100 */
  readonly nodeVolumeSizeGiB?: number;
  /** Tags for instances and volumes the node groups launch (provider default tags do not reach them). */
  readonly nodeTags: Record<string, string>;
}

export interface NodePoolArgs {
  readonly instanceTypes: readonly string[];
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredSize: number;
}
