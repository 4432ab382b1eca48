/**
 * Cluster add-ons: Karpenter's node ceiling, the ingress rate limits, the canary SLO gate, and the
 * DNS the ingress path publishes to. The hosted zone and domain are the keys the disaster-recovery
 * section declares (`platform:hostedZoneId`, `platform:domainName`): one zone carries this region's
 * names (external-dns) and the failover records.
 */
import {
  parsePrometheusUrl,
  WAF_EVALUATION_WINDOWS,
  WAF_RATE_LIMIT_RANGE,
} from "@platform/cluster-addons";
import { instanceTypesOfFamily, isOffered, OFFERINGS_SOURCE } from "@platform/model/aws/offerings";
import { checkGp3Performance } from "@platform/cluster-addons";
import { LOG_RETENTION_DAYS } from "./foundation";
import { Problems } from "@platform/core";
import { ConfigSection, configKey } from "./schema";

export interface ClusterAddonsConfig {
  readonly karpenter: {
    readonly nodeCeiling: number;
    readonly onDemandPercent: number;
    readonly architectures: readonly string[];
    readonly amiAlias: string;
  };
  readonly gpu: {
    readonly maxNodes: number;
    readonly instanceFamilies: readonly string[];
    readonly volumeSizeGiB: number;
  };
  readonly highIopsVolumes: { readonly iops: number; readonly throughputMiBps: number };
  readonly dns: {
    readonly hostedZoneId: string;
    readonly domainName: string;
    readonly acmeEmail: string;
    readonly healthCheckPath: string;
  };
  readonly rateLimits: {
    readonly globalRps: number;
    readonly apiRps: number;
    readonly apiPathPrefix: string;
    readonly perClientRps: number;
    readonly windowSeconds: number;
  };
  readonly delivery: {
    readonly prometheusUrl: string;
    readonly maxErrorRatio: number;
    readonly maxP95Seconds: number;
  };
  readonly wafLogRetentionDays: number;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const AMI_ALIAS = /^(al2023|bottlerocket)@(latest|v\d{8}|v\d+\.\d+\.\d+)$/;
const ARCHITECTURES = ["amd64", "arm64"];

/** NVIDIA GPU families are EC2's g and p families; Graviton ones (g5g) cannot join the amd64 pool. */
const GPU_FAMILY = /^[gp]\d+[a-z0-9-]*$/;
const GRAVITON_FAMILY = /^[a-z]+\d+g[a-z]*$/;

/** A GPU family that exists and of which the region offers at least one size. */
function checkGpuFamily(problems: Problems, key: string, family: string, region: string): void {
  if (
    !problems.check(
      GPU_FAMILY.test(family) && !GRAVITON_FAMILY.test(family),
      key,
      family,
      'contain x86 NVIDIA GPU instance families such as "g6", "g5" or "p5"',
    )
  )
    return;
  const types = instanceTypesOfFamily(family);
  if (
    !problems.check(
      types.length > 0,
      key,
      family,
      `contain instance families that exist (checked against ${OFFERINGS_SOURCE.ec2InstanceTypes})`,
    )
  )
    return;
  problems.check(
    types.some((type) => isOffered("ec2", region, type)),
    key,
    family,
    `contain instance families offered in ${region} (checked against ${OFFERINGS_SOURCE.regionOfferings})`,
  );
}

export const clusterAddons: ConfigSection<ClusterAddonsConfig> = {
  keys: {
    karpenterNodeCeiling: {
      type: "integer",
      default: 1000,
      description:
        "Most nodes Karpenter may run; becomes NodePool CPU limits of 4 vCPU (the smallest node) per node.",
    },
    karpenterOnDemandPercent: {
      type: "integer",
      default: 20,
      description:
        "Share of karpenterNodeCeiling (percent) for the on-demand NodePool; spot gets the rest.",
    },
    karpenterArchitectures: {
      type: "array",
      items: "string",
      default: ["amd64"],
      description:
        'CPU architectures Karpenter may launch: "amd64", "arm64" (multi-arch images only).',
    },
    karpenterAmiAlias: {
      type: "string",
      default: "al2023@latest",
      description:
        "EC2NodeClass AMI alias; pin a release (al2023@vYYYYMMDD) to roll AMIs deliberately.",
    },
    gpuNodeMax: {
      type: "integer",
      default: 5,
      description:
        "Most GPU nodes Karpenter may run (NodePool limits.nodes); 0 leaves the GPU pool out. The pool has 0 nodes until a pod requests nvidia.com/gpu.",
    },
    gpuInstanceFamilies: {
      type: "array",
      items: "string",
      default: ["g6", "g5"],
      description:
        "x86 NVIDIA GPU instance families of the GPU pool (e.g. g6, g6e, g5, p5); each must be offered in the stack's region.",
    },
    gpuNodeVolumeSizeGiB: {
      type: "integer",
      default: 200,
      description: "Root volume of a GPU node in GiB (CUDA images and model caches).",
    },
    highIopsVolumeIops: {
      type: "integer",
      default: 16000,
      description:
        "Provisioned IOPS of each volume of the gp3-high-iops StorageClass (gp3: 3,000-16,000; volumes need 1 GiB per 500 IOPS).",
    },
    highIopsVolumeThroughputMiBps: {
      type: "integer",
      default: 1000,
      description:
        "Provisioned throughput of each gp3-high-iops volume in MiB/s (gp3: 125-1,000, at most 0.25 MiB/s per IOPS).",
    },
    acmeEmail: {
      type: "string",
      default: "",
      description: "Let's Encrypt account address for cert-manager; empty means platform:owner.",
    },
    ingressGlobalRps: {
      type: "integer",
      default: 1000,
      description:
        "WAF rate limit for the whole ALB, all clients together, in requests per second.",
    },
    ingressApiRps: {
      type: "integer",
      default: 500,
      description:
        "WAF rate limit for paths under ingressApiPathPrefix, all clients together (RPS).",
    },
    ingressApiPathPrefix: {
      type: "string",
      default: "/api/",
      description: "URL path prefix the API rate limit applies to.",
    },
    ingressPerClientRps: {
      type: "integer",
      default: 100,
      description: "WAF rate limit per client IP address, in requests per second.",
    },
    ingressRateWindowSeconds: {
      type: "integer",
      default: 60,
      description:
        "WAF evaluation window (60, 120, 300 or 600 s); limits are enforced as RPS x window per window.",
    },
    prometheusUrl: {
      type: "string",
      default: "http://kube-prometheus-stack-prometheus.monitoring.svc:9090",
      description: "In-cluster Prometheus the canary analysis queries.",
    },
    canaryMaxErrorRateBasisPoints: {
      type: "integer",
      default: 10,
      description: "Highest 5xx rate a canary may show, in basis points (10 = 0.1%).",
    },
    canaryMaxP95LatencyMs: {
      type: "integer",
      default: 100,
      description: "Highest p95 latency a canary may show, in milliseconds.",
    },
    wafLogRetentionDays: {
      type: "integer",
      default: 365,
      description: "Retention of the WAF log group, in days (a CloudWatch Logs retention value).",
    },
  },

  build(values, problems, context): ClusterAddonsConfig {
    const key = configKey;
    const nodeCeiling = values.karpenterNodeCeiling as number;
    problems.integerInRange(key("karpenterNodeCeiling"), nodeCeiling, 1, 5000);
    const onDemandPercent = values.karpenterOnDemandPercent as number;
    problems.integerInRange(key("karpenterOnDemandPercent"), onDemandPercent, 0, 100);
    const architectures = values.karpenterArchitectures as string[];
    problems.check(
      architectures.length > 0 && architectures.every((a) => ARCHITECTURES.includes(a)),
      key("karpenterArchitectures"),
      architectures,
      'list "amd64", "arm64" or both',
    );
    const amiAlias = values.karpenterAmiAlias as string;
    problems.check(
      AMI_ALIAS.test(amiAlias),
      key("karpenterAmiAlias"),
      amiAlias,
      'be an EC2NodeClass AMI alias such as "al2023@latest" or "al2023@v20260101"',
    );

    const gpuMaxNodes = values.gpuNodeMax as number;
    problems.integerInRange(key("gpuNodeMax"), gpuMaxNodes, 0, 100);
    const gpuFamilies = values.gpuInstanceFamilies as string[];
    problems.check(
      gpuMaxNodes === 0 || gpuFamilies.length > 0,
      key("gpuInstanceFamilies"),
      gpuFamilies,
      "list at least one GPU instance family while platform:gpuNodeMax is above 0",
    );
    for (const family of gpuMaxNodes > 0 ? gpuFamilies : []) {
      checkGpuFamily(problems, key("gpuInstanceFamilies"), family, context.region);
    }
    const gpuVolume = values.gpuNodeVolumeSizeGiB as number;
    problems.integerInRange(key("gpuNodeVolumeSizeGiB"), gpuVolume, 20, 16384);
    const highIopsVolumes = {
      iops: values.highIopsVolumeIops as number,
      throughputMiBps: values.highIopsVolumeThroughputMiBps as number,
    };
    checkGp3Performance(
      problems,
      { iops: key("highIopsVolumeIops"), throughputMiBps: key("highIopsVolumeThroughputMiBps") },
      highIopsVolumes,
    );

    // hostedZoneId, domainName and healthCheckPath are the disaster-recovery section's keys (it
    // validates them): the ingress path publishes the regional name its failover record targets.
    const hostedZoneId = values.hostedZoneId as string;
    const domainName = String(values.domainName ?? "").replace(/\.$/, "");
    const healthCheckPath = String(values.healthCheckPath ?? "/healthz");
    const acmeEmail = (values.acmeEmail as string) || (values.owner as string);
    problems.check(
      EMAIL.test(acmeEmail),
      key("acmeEmail"),
      acmeEmail,
      "be an email address (it defaults to platform:owner, which is not one)",
    );

    const windowSeconds = values.ingressRateWindowSeconds as number;
    const windowOk = problems.oneOf(
      key("ingressRateWindowSeconds"),
      windowSeconds,
      WAF_EVALUATION_WINDOWS,
    );
    const rps = (name: string) => {
      const value = values[name] as number;
      const maxRps = windowOk ? Math.floor(WAF_RATE_LIMIT_RANGE.max / windowSeconds) : 1_000_000;
      problems.integerInRange(key(name), value, 1, maxRps);
      return value;
    };
    const globalRps = rps("ingressGlobalRps");
    const apiRps = rps("ingressApiRps");
    const perClientRps = rps("ingressPerClientRps");
    problems.check(
      apiRps <= globalRps,
      key("ingressApiRps"),
      apiRps,
      `not exceed ingressGlobalRps (${globalRps})`,
    );
    problems.check(
      perClientRps <= globalRps,
      key("ingressPerClientRps"),
      perClientRps,
      `not exceed ingressGlobalRps (${globalRps})`,
    );
    const apiPathPrefix = values.ingressApiPathPrefix as string;
    problems.check(
      /^\/[\w\-./]*$/.test(apiPathPrefix),
      key("ingressApiPathPrefix"),
      apiPathPrefix,
      'be a URL path starting with "/", such as "/api/"',
    );

    const prometheusUrl = values.prometheusUrl as string;
    problems.check(
      parsePrometheusUrl(prometheusUrl) !== undefined,
      key("prometheusUrl"),
      prometheusUrl,
      'be an in-cluster Service URL such as "http://kube-prometheus-stack-prometheus.monitoring.svc:9090"',
    );
    const errorBasisPoints = values.canaryMaxErrorRateBasisPoints as number;
    problems.integerInRange(key("canaryMaxErrorRateBasisPoints"), errorBasisPoints, 1, 9999);
    const p95Ms = values.canaryMaxP95LatencyMs as number;
    problems.integerInRange(key("canaryMaxP95LatencyMs"), p95Ms, 1, 60000);
    const wafLogRetentionDays = values.wafLogRetentionDays as number;
    problems.oneOf(key("wafLogRetentionDays"), wafLogRetentionDays, LOG_RETENTION_DAYS);

    return {
      karpenter: { nodeCeiling, onDemandPercent, architectures, amiAlias },
      gpu: { maxNodes: gpuMaxNodes, instanceFamilies: gpuFamilies, volumeSizeGiB: gpuVolume },
      highIopsVolumes,
      dns: { hostedZoneId, domainName, acmeEmail, healthCheckPath },
      rateLimits: { globalRps, apiRps, apiPathPrefix, perClientRps, windowSeconds },
      delivery: {
        prometheusUrl,
        maxErrorRatio: errorBasisPoints / 10_000,
        maxP95Seconds: p95Ms / 1000,
      },
      wafLogRetentionDays,
    };
  },
};
