/** Stack identity, network and cluster settings: what every other section builds on. */
import {
  AVAILABILITY_ZONE_COUNT,
  cidrsOverlap,
  parseCidr,
  supportedKubernetesVersions,
  VPC_PREFIX_RANGE,
} from "@platform/cluster";
import { platformTags, PlatformTags, Problems } from "@platform/core";
import { isEc2InstanceType, isOffered, OFFERINGS_SOURCE } from "@platform/model/aws/offerings";
import { AWS_REGIONS, isEuRegion } from "./regions";
import { ConfigSection, configKey, ParsedValues } from "./schema";

export type Environment = "prod" | "staging" | "dev";
export type NatGatewayMode = "per-az" | "single";

export interface NodePoolConfig {
  readonly instanceTypes: readonly string[];
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredSize: number;
}

export interface FoundationConfig {
  readonly stack: string;
  readonly environment: Environment;
  readonly accountId: string;
  readonly region: string;
  readonly drRegion: string;
  readonly tags: PlatformTags;
  readonly network: {
    readonly vpcCidr: string;
    readonly availabilityZoneCount: number;
    readonly natGateways: NatGatewayMode;
    readonly flowLogRetentionDays: number;
  };
  readonly cluster: {
    readonly kubernetesVersion: string;
    readonly endpointPublicAccess: boolean;
    readonly publicAccessCidrs: readonly string[];
    readonly adminRoleArns: readonly string[];
    readonly nodeVolumeSizeGiB: number;
    readonly systemPool: NodePoolConfig;
    readonly workloadPool: NodePoolConfig;
    readonly applicationNamespaces: readonly string[];
  };
}

/** Retention periods CloudWatch Logs accepts (PutRetentionPolicy), in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((c) => parseCidr(c)!);
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
/** Graviton families carry a `g` after the generation digit: m7g, c7gn, r8g, t4g. */
const GRAVITON_INSTANCE_TYPE = /^[a-z]+\d+g[a-z]*\.[a-z0-9]+$/;
const IAM_ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/[\w+=,.@/-]+$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const RESERVED_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

/** An EC2 instance type that exists and that the region offers (a bad one fails at AWS after minutes). */
function checkInstanceType(problems: Problems, key: string, type: string, region: string): void {
  if (
    !problems.check(
      INSTANCE_TYPE.test(type),
      key,
      type,
      'contain EC2 instance types such as "m7g.large"',
    )
  )
    return;
  if (
    !problems.check(
      isEc2InstanceType(type),
      key,
      type,
      `contain EC2 instance types that exist (checked against ${OFFERINGS_SOURCE.ec2InstanceTypes})`,
    )
  )
    return;
  problems.check(
    isOffered("ec2", region, type),
    key,
    type,
    `contain instance types offered in ${region} (checked against ${OFFERINGS_SOURCE.regionOfferings})`,
  );
}

function checkNodePool(
  problems: Problems,
  prefix: string,
  values: ParsedValues,
  region: string,
): NodePoolConfig {
  const pool = {
    instanceTypes: values[`${prefix}InstanceTypes`] as string[],
    minSize: values[`${prefix}MinSize`] as number,
    maxSize: values[`${prefix}MaxSize`] as number,
    desiredSize: values[`${prefix}DesiredSize`] as number,
  };
  const key = (name: string) => configKey(`${prefix}${name}`);
  problems.check(
    pool.instanceTypes.length > 0,
    key("InstanceTypes"),
    pool.instanceTypes,
    "list at least one instance type",
  );
  for (const type of pool.instanceTypes) {
    checkInstanceType(problems, key("InstanceTypes"), type, region);
  }
  const minOk = problems.integerInRange(key("MinSize"), pool.minSize, 0, 1000);
  const maxOk = problems.integerInRange(key("MaxSize"), pool.maxSize, 1, 1000);
  const desiredOk = problems.integerInRange(key("DesiredSize"), pool.desiredSize, 0, 1000);
  if (minOk && maxOk) {
    problems.check(
      pool.minSize <= pool.maxSize,
      key("MinSize"),
      pool.minSize,
      `not exceed ${key("MaxSize")} (${pool.maxSize})`,
    );
  }
  if (minOk && maxOk && desiredOk && pool.minSize <= pool.maxSize) {
    problems.check(
      pool.desiredSize >= pool.minSize && pool.desiredSize <= pool.maxSize,
      key("DesiredSize"),
      pool.desiredSize,
      `be between ${key("MinSize")} and ${key("MaxSize")} (${pool.minSize} to ${pool.maxSize})`,
    );
  }
  return pool;
}

export const foundation: ConfigSection<FoundationConfig> = {
  keys: {
    environment: {
      type: "string",
      default: "prod",
      description:
        "Environment class: prod, staging or dev. Production forbids the cheaper opt-ins.",
    },
    accountId: {
      type: "string",
      description:
        "AWS account ID this stack deploys into; the providers refuse any other account.",
    },
    drRegion: {
      type: "string",
      description: "Peer region this stack recovers into. EU stacks must name an EU region.",
    },
    costCenter: {
      type: "string",
      description: "Cost-allocation tag value (platform:cost-center).",
    },
    owner: {
      type: "string",
      description: "Owning team's address, tagged on every resource (platform:owner).",
    },
    vpcCidr: {
      type: "string",
      description:
        "Private IPv4 CIDR of the VPC, /16 to /20, unique across this repository's stacks.",
    },
    natGateways: {
      type: "string",
      default: "per-az",
      description:
        "per-az (one NAT gateway per AZ, survives an AZ loss) or single (cheaper, not in prod).",
    },
    flowLogRetentionDays: {
      type: "integer",
      default: 365,
      description:
        "Retention of the VPC flow log group, in days (a CloudWatch Logs retention value).",
    },
    kubernetesVersion: {
      type: "string",
      default: "1.35",
      description:
        "EKS Kubernetes minor version; must be in EKS standard support and have pinned add-ons.",
    },
    clusterEndpointPublicAccess: {
      type: "boolean",
      default: false,
      description:
        "Opt-in: expose the Kubernetes API publicly, restricted to clusterPublicAccessCidrs.",
    },
    clusterPublicAccessCidrs: {
      type: "array",
      items: "string",
      default: [],
      description:
        "CIDRs allowed to reach a public API endpoint; required when it is public, never 0.0.0.0/0.",
    },
    clusterAdminRoleArns: {
      type: "array",
      items: "string",
      description: "IAM roles granted cluster-admin through EKS access entries.",
    },
    nodeVolumeSizeGiB: {
      type: "integer",
      default: 100,
      description: "Encrypted gp3 root volume of every node, in GiB.",
    },
    systemInstanceTypes: {
      type: "array",
      items: "string",
      default: ["m7g.xlarge", "m6g.xlarge"],
      description: "Graviton instance types of the on-demand system node group (critical add-ons).",
    },
    systemMinSize: {
      type: "integer",
      default: 3,
      description: "Minimum size of the system node group.",
    },
    systemMaxSize: {
      type: "integer",
      default: 6,
      description: "Maximum size of the system node group.",
    },
    systemDesiredSize: {
      type: "integer",
      default: 3,
      description: "Desired size of the system node group.",
    },
    workloadInstanceTypes: {
      type: "array",
      items: "string",
      default: ["m6i.xlarge", "m6a.xlarge", "m7i.xlarge", "m5.xlarge"],
      description: "At least four interchangeable instance types for the spot workload node group.",
    },
    workloadMinSize: {
      type: "integer",
      default: 3,
      description: "Minimum size of the workload node group.",
    },
    workloadMaxSize: {
      type: "integer",
      default: 30,
      description: "Maximum size of the workload node group.",
    },
    workloadDesiredSize: {
      type: "integer",
      default: 6,
      description: "Desired size of the workload node group.",
    },
    applicationNamespaces: {
      type: "array",
      items: "string",
      default: ["apps"],
      description: "Namespaces for application teams, each with the restricted baseline.",
    },
  },

  build(values, problems, context): FoundationConfig {
    const environment = values.environment as Environment;
    problems.oneOf(configKey("environment"), environment, ["prod", "staging", "dev"]);
    const accountId = values.accountId as string;
    problems.check(
      /^\d{12}$/.test(accountId),
      configKey("accountId"),
      accountId,
      "be a 12-digit AWS account ID",
    );

    const drRegion = values.drRegion as string;
    if (
      problems.check(
        AWS_REGIONS.includes(drRegion),
        configKey("drRegion"),
        drRegion,
        'be an AWS region such as "us-east-1"',
      )
    ) {
      problems.check(
        drRegion !== context.region,
        configKey("drRegion"),
        drRegion,
        `differ from the stack's own region (aws:region is ${context.region})`,
      );
      if (isEuRegion(context.region)) {
        problems.check(
          isEuRegion(drRegion),
          configKey("drRegion"),
          drRegion,
          `be an EU region, since ${context.region} is in the EU and its data must stay there (EU regions: eu-central-1, eu-west-1, eu-west-3, eu-south-1, eu-south-2, eu-north-1)`,
        );
      }
    }
    for (const key of ["costCenter", "owner"]) {
      const value = values[key] as string;
      problems.check(
        /^[\w.@+=:/ -]{1,256}$/.test(value),
        configKey(key),
        value,
        "be a tag value of 1 to 256 letters, digits, spaces or _.:/=+-@",
      );
    }

    const vpcCidr = values.vpcCidr as string;
    const vpc = parseCidr(vpcCidr);
    if (
      problems.check(
        vpc !== undefined,
        configKey("vpcCidr"),
        vpcCidr,
        'be an IPv4 CIDR such as "10.10.0.0/16" with no host bits set',
      )
    ) {
      problems.check(
        vpc!.prefix >= VPC_PREFIX_RANGE.min && vpc!.prefix <= VPC_PREFIX_RANGE.max,
        configKey("vpcCidr"),
        vpcCidr,
        `be between /${VPC_PREFIX_RANGE.min} and /${VPC_PREFIX_RANGE.max}, room for three tiers of subnets in ${AVAILABILITY_ZONE_COUNT} AZs`,
      );
      problems.check(
        PRIVATE_RANGES.some((r) => cidrsOverlap(r, vpc!) && r.prefix <= vpc!.prefix),
        configKey("vpcCidr"),
        vpcCidr,
        "lie inside a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)",
      );
      for (const other of context.otherStacks) {
        const otherCidrText = other.config[configKey("vpcCidr")];
        const otherCidr = typeof otherCidrText === "string" ? parseCidr(otherCidrText) : undefined;
        if (otherCidr && cidrsOverlap(vpc!, otherCidr)) {
          problems.add(
            configKey("vpcCidr"),
            vpcCidr,
            `not overlap stack ${other.stack}'s VPC ${otherCidrText} (peered regions need distinct address space)`,
          );
        }
      }
    }
    const natGateways = values.natGateways as NatGatewayMode;
    if (
      problems.oneOf(configKey("natGateways"), natGateways, ["per-az", "single"]) &&
      environment === "prod"
    ) {
      problems.check(
        natGateways === "per-az",
        configKey("natGateways"),
        natGateways,
        'be "per-az" in production (one NAT gateway per AZ, so an AZ outage keeps egress)',
      );
    }
    const flowLogRetentionDays = values.flowLogRetentionDays as number;
    problems.oneOf(configKey("flowLogRetentionDays"), flowLogRetentionDays, LOG_RETENTION_DAYS);

    const kubernetesVersion = values.kubernetesVersion as string;
    const supported = supportedKubernetesVersions(context.today);
    problems.check(
      supported.includes(kubernetesVersion),
      configKey("kubernetesVersion"),
      kubernetesVersion,
      `be a version in EKS standard support with pinned add-ons (${supported.join(", ") || "none today: update components/cluster/versions.ts"})`,
    );

    const endpointPublicAccess = values.clusterEndpointPublicAccess as boolean;
    const publicAccessCidrs = values.clusterPublicAccessCidrs as string[];
    if (endpointPublicAccess) {
      problems.check(
        publicAccessCidrs.length > 0,
        configKey("clusterPublicAccessCidrs"),
        publicAccessCidrs,
        "list the CIDRs allowed to reach the public API endpoint when clusterEndpointPublicAccess is true",
      );
    } else {
      problems.check(
        publicAccessCidrs.length === 0,
        configKey("clusterPublicAccessCidrs"),
        publicAccessCidrs,
        "be empty while clusterEndpointPublicAccess is false (the endpoint is private)",
      );
    }
    for (const cidr of publicAccessCidrs) {
      const parsed = parseCidr(cidr);
      if (
        problems.check(
          parsed !== undefined,
          configKey("clusterPublicAccessCidrs"),
          cidr,
          'contain IPv4 CIDRs such as "203.0.113.0/24"',
        )
      ) {
        problems.check(
          parsed!.prefix >= 8,
          configKey("clusterPublicAccessCidrs"),
          cidr,
          "not open the API to the internet (0.0.0.0/0 or any block wider than /8)",
        );
      }
    }
    const adminRoleArns = values.clusterAdminRoleArns as string[];
    problems.check(
      adminRoleArns.length > 0,
      configKey("clusterAdminRoleArns"),
      adminRoleArns,
      "name at least one IAM role, or nobody can administer the cluster",
    );
    for (const arn of adminRoleArns) {
      const match = IAM_ROLE_ARN.exec(arn);
      if (
        problems.check(
          match !== null,
          configKey("clusterAdminRoleArns"),
          arn,
          'contain IAM role ARNs such as "arn:aws:iam::123456789012:role/platform-admin"',
        )
      ) {
        problems.check(
          match![1] === accountId,
          configKey("clusterAdminRoleArns"),
          arn,
          `belong to the stack's account (platform:accountId is ${accountId})`,
        );
      }
    }
    const nodeVolumeSizeGiB = values.nodeVolumeSizeGiB as number;
    problems.integerInRange(configKey("nodeVolumeSizeGiB"), nodeVolumeSizeGiB, 20, 16384);

    const systemPool = checkNodePool(problems, "system", values, context.region);
    for (const type of systemPool.instanceTypes) {
      problems.check(
        GRAVITON_INSTANCE_TYPE.test(type),
        configKey("systemInstanceTypes"),
        type,
        'be Graviton (arm64) instance types such as "m7g.xlarge"',
      );
    }
    const workloadPool = checkNodePool(problems, "workload", values, context.region);
    problems.check(
      new Set(workloadPool.instanceTypes).size >= 4,
      configKey("workloadInstanceTypes"),
      workloadPool.instanceTypes,
      "list at least four distinct instance types, so spot capacity comes from several pools",
    );

    const applicationNamespaces = values.applicationNamespaces as string[];
    problems.check(
      applicationNamespaces.length > 0,
      configKey("applicationNamespaces"),
      applicationNamespaces,
      "name at least one namespace",
    );
    for (const ns of applicationNamespaces) {
      problems.check(
        DNS_LABEL.test(ns) && !RESERVED_NAMESPACES.includes(ns) && !ns.startsWith("kube-"),
        configKey("applicationNamespaces"),
        ns,
        "contain DNS-1123 labels that are not reserved (default, kube-*)",
      );
    }
    problems.check(
      new Set(applicationNamespaces).size === applicationNamespaces.length,
      configKey("applicationNamespaces"),
      applicationNamespaces,
      "not repeat a namespace",
    );

    return {
      stack: context.stack,
      environment,
      accountId,
      region: context.region,
      drRegion,
      tags: platformTags({
        stack: context.stack,
        environment,
        costCenter: values.costCenter as string,
        owner: values.owner as string,
      }),
      network: {
        vpcCidr,
        availabilityZoneCount: AVAILABILITY_ZONE_COUNT,
        natGateways,
        flowLogRetentionDays,
      },
      cluster: {
        kubernetesVersion,
        endpointPublicAccess,
        publicAccessCidrs,
        adminRoleArns,
        nodeVolumeSizeGiB,
        systemPool,
        workloadPool,
        applicationNamespaces,
      },
    };
  },
};
