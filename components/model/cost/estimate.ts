/**
 * The monthly cost of a stack, from its resources' inputs, the committed price table and the
 * stack's usage assumptions. One pure function serves the policy pack (stack-estimate.ts fromPolicyResource)
 * and the offline preview (stack-estimate.ts fromRecordedResources).
 *
 * Every resource type is in one of three sets: priced (a pricer below), free (listed with the
 * reason), or unknown. Unknown types are reported, never priced at zero; so is a priced type whose
 * price is missing from the table (an instance type or a region the table does not hold).
 */
import { BACKUP_TAG } from "../tags";
import { isUnknown } from "../wire";
import { AMP_WORKSPACE, AMP_WORKSPACE_CONFIGURATION } from "../types";
import {
  CostAssumptions,
  DEFAULT_COST_ASSUMPTIONS,
  PROMETHEUS_SCRAPE_INTERVAL_SECONDS,
} from "./assumptions";
import {
  HOURS_PER_MONTH,
  lookupPrice,
  PRICE_TABLE,
  PriceTable,
  RegionalPrice,
} from "./price-table";

/** The minimal shape of a resource the estimator reads. */
export interface CostResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** Plain inputs: secrets unwrapped; unknown values stay as the engine's sentinel strings. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Region of the resource's provider; undefined when not known (global types do not need it). */
  readonly region?: string;
  readonly parent?: string;
  /** Input property to the URNs its value came from (a node group's `launchTemplate`, ...). */
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

export type CostStatus = "priced" | "free" | "unknown";

export interface CostComponent {
  readonly description: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitUsd: number;
  readonly monthly: number;
  readonly priceKey: string;
  /** Set when the regional price was derived (see prices.json `estimated`). */
  readonly estimated?: string;
}

export interface CostLine {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly region?: string;
  readonly status: CostStatus;
  /** USD per month; 0 for free lines; for unknown lines, what could be priced (a lower bound). */
  readonly monthly: number;
  readonly components: readonly CostComponent[];
  /** Why a line is free or unknown, and any assumption or fallback that shaped it. */
  readonly notes: readonly string[];
  /** False when an input the price depends on was not known: the line is a lower bound. */
  readonly complete: boolean;
  /**
   * What the resource costs at its configured limit, outside `monthly`: a Karpenter NodePool with a
   * node limit holds no node until pods ask, and this many at most (the dearest type it may launch).
   */
  readonly ceiling?: CostComponent;
}

export interface CostEstimate {
  readonly currency: "USD";
  /** Sum of every line (unknown lines contribute what could be priced). */
  readonly monthly: number;
  /** Lines that cost something or could not be priced, most expensive first. */
  readonly byResource: readonly CostLine[];
  readonly unknown: readonly CostLine[];
  readonly freeCount: number;
  readonly assumptions: CostAssumptions;
  /** `monthly` with every line at its ceiling (each node-limited Karpenter pool at its limit). */
  readonly ceilingMonthly: number;
}

export interface EstimateOptions {
  /** @default DEFAULT_COST_ASSUMPTIONS */
  readonly assumptions?: CostAssumptions;
  /** Region for resources whose provider does not say (remote components, default providers). */
  readonly defaultRegion?: string;
  /** @default the committed table */
  readonly prices?: PriceTable;
  /**
   * Price every node group as on-demand and every Graviton instance type as its x86 sibling, for
   * the benchmark's "without spot and Graviton" figure. @default false
   */
  readonly onDemandX86?: boolean;
}

type Inputs = Readonly<Record<string, unknown>>;

/** What a pricer sees: the resource, its neighbours, and a priced-component builder. */
interface PricingContext {
  readonly resource: CostResource;
  readonly region: string | undefined;
  readonly assumptions: CostAssumptions;
  readonly options: EstimateOptions;
  /** The estimate's resources (only the resource itself in single-resource mode). */
  readonly stack: StackView;
  /** Adds `quantity` units at the table's price; records a missing price as unknown. */
  add(description: string, priceKey: string, quantity: number): void;
  note(text: string): void;
  /** The table lacks a price the resource needs: the line is unknown, never free. */
  unknown(reason: string): void;
  /** An input the price depends on is not known (yet): the line is a lower bound. */
  incomplete(reason: string): void;
  /** What the resource costs at its configured limit, kept out of the monthly figure. */
  ceiling(description: string, priceKey: string, quantity: number): void;
}

type Pricer = (ctx: PricingContext, inputs: Inputs) => void;

function num(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && !isUnknown(value)) {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && !isUnknown(value) ? value : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function obj(value: unknown): Inputs {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Inputs)
    : {};
}

/** Resources whose input `property` was built from `urn` (e.g. lifecycle rules of a bucket). */
function dependents(ctx: PricingContext, type: string, property: string): CostResource[] {
  return ctx.stack.dependents(type, property, ctx.resource.urn);
}

/** The resource an input property of this resource was built from, if it is of `type`. */
function source(ctx: PricingContext, property: string, type: string): CostResource | undefined {
  for (const urn of ctx.resource.propertyDependencies?.[property] ?? []) {
    const found = ctx.stack.byUrn.get(urn);
    if (found?.type === type) return found;
  }
  return undefined;
}

/** `cron(m h ? * TUE#2 *)` or `cron(m h 15 * ? *)`: once a month. */
const MONTHLY_CRON = /^cron\(\S+ \S+ (\? \* [A-Z]{3}#[1-5]|\d{1,2} \* \?) \*\)$/;
/** FIS action parameters that say how long an action stays active (ISO 8601). */
const ACTION_DURATION_PARAMETERS = [
  "duration",
  "startInstancesAfterDuration",
  "durationBeforeInterruption",
];

/** Minutes an ISO 8601 duration such as `PT15M` lasts, rounded up. */
function isoDurationMinutes(iso: string): number | undefined {
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(iso);
  if (!match || iso === "PT") return undefined;
  const [h, m, sec] = match.slice(1).map((v) => Number(v ?? 0));
  return Math.ceil(h * 60 + m + sec / 60);
}

/**
 * Action-minutes of one run of an experiment template: each action's duration parameter, or one
 * minute for an action that acts once (a reboot, a termination), which FIS rounds up to a minute.
 */
function experimentActionMinutes(template: Inputs): number {
  return list(template.actions).reduce<number>((total, action) => {
    const parameters = list(obj(action).parameters).map(obj);
    const duration = parameters.find((p) => ACTION_DURATION_PARAMETERS.includes(str(p.key) ?? ""));
    const minutes = duration ? isoDurationMinutes(str(duration.value) ?? "") : undefined;
    return total + Math.max(1, minutes ?? 1);
  }, 0);
}

/** Weekly restore tests a month (52 / 12), and the hours a snapshot restore takes before validation. */
const RESTORE_TESTS_PER_MONTH = 4.33;
const RESTORE_TEST_RESTORE_HOURS = 1;

const SIZE_VCPUS: Readonly<Record<string, number>> = {
  medium: 2,
  large: 2,
  xlarge: 4,
  "2xlarge": 8,
  "4xlarge": 16,
  "8xlarge": 32,
  "12xlarge": 48,
  "16xlarge": 64,
};

/** x86 sibling of a Graviton type for the on-demand x86 comparison: m7g.xlarge -> m7i.xlarge. */
export function x86Equivalent(instanceType: string): string {
  const match = /^([a-z]+)(\d+)g([a-z]*)\.(.+)$/.exec(instanceType);
  if (!match) return instanceType;
  const [, family, generation, , size] = match;
  const intel = Number(generation) >= 7 ? `${family}7i` : `${family}6i`;
  return `${intel}.${size}`;
}

function gp3Volume(ctx: PricingContext, description: string, ebs: Inputs, count: number): void {
  const size = num(ebs.volumeSize) ?? num(ebs.size);
  if (size === undefined) {
    ctx.note(`${description}: size not set, priced at the 20 GiB default`);
  }
  const gib = size ?? 20;
  const type = str(ebs.volumeType) ?? str(ebs.type) ?? "gp3";
  if (type === "gp3") {
    ctx.add(`${description}: ${gib} GiB gp3 x ${count}`, "ebs:gp3-gb", gib * count);
    const iops = num(ebs.iops) ?? 3000;
    if (iops > 3000)
      ctx.add(`${description}: IOPS above 3,000`, "ebs:gp3-iops", (iops - 3000) * count);
    const throughput = num(ebs.throughput) ?? 125;
    if (throughput > 125) {
      ctx.add(`${description}: MB/s above 125`, "ebs:gp3-throughput", (throughput - 125) * count);
    }
  } else if (type === "gp2") {
    ctx.add(`${description}: ${gib} GiB gp2 x ${count}`, "ebs:gp2-gb", gib * count);
  } else {
    ctx.unknown(`${description}: volume type ${type} is not in the price table`);
  }
}

/** AMP's ingestion tiers: [price key, samples in the tier a month]. */
const AMP_INGEST_TIERS: readonly [string, number][] = [
  ["amp:ingest-first-2b", 2e9],
  ["amp:ingest-next-250b", 250e9],
  ["amp:ingest-over-252b", Infinity],
];
/**
 * Days AMP keeps samples unless configured: 150, the fixed retention before it became configurable
 * (aws/amazon-managed-service-for-prometheus-roadmap issue 2, "data older than 150 days is deleted",
 * read 2026-12-05); the issue predates configurable retention, so this is the cost model's stated
 * assumption for a workspace without a configuration.
 */
const AMP_DEFAULT_RETENTION_DAYS = 150;
/** Bytes AMP stores per sample: "typically 1 or 2" (its pricing page); the upper figure. */
const AMP_BYTES_PER_SAMPLE = 2;

/**
 * Samples ingested (the `metricsActiveSeries` assumption, one every scrape interval), by AMP's
 * tiers, and the samples its retention holds at steady state, at 2 bytes each.
 */
const managedPrometheusWorkspace: Pricer = (ctx) => {
  const series = ctx.assumptions.metricsActiveSeries;
  const samples = ((series * 3600) / PROMETHEUS_SCRAPE_INTERVAL_SECONDS) * HOURS_PER_MONTH;
  let rest = samples;
  for (const [key, size] of AMP_INGEST_TIERS) {
    const inTier = Math.min(rest, size);
    if (inTier <= 0) break;
    ctx.add(
      `${round(inTier / 1e9)} billion samples ingested (metricsActiveSeries)`,
      key,
      inTier / 1e7,
    );
    rest -= inTier;
  }
  const configuration = dependents(ctx, AMP_WORKSPACE_CONFIGURATION, "workspaceId")[0];
  const configured = configuration ? num(configuration.inputs.retentionPeriodInDays) : undefined;
  if (configured === undefined)
    ctx.note(
      `retention not configured or not known: priced at AMP's default ${AMP_DEFAULT_RETENTION_DAYS} days`,
    );
  const months = (configured ?? AMP_DEFAULT_RETENTION_DAYS) / 30.4;
  const gb = (samples * months * AMP_BYTES_PER_SAMPLE) / 2 ** 30;
  ctx.add(`${round(gb)} GB stored (${round(months)} months of samples)`, "amp:store-gb", gb);
};

const nodeGroup: Pricer = (ctx, inputs) => {
  const scaling = obj(inputs.scalingConfig);
  const desired = num(scaling.desiredSize);
  if (desired === undefined) {
    ctx.incomplete("scalingConfig.desiredSize is not known");
    return;
  }
  let types = list(inputs.instanceTypes)
    .map(str)
    .filter((t): t is string => t !== undefined);
  // EKS launches t3.medium when a managed node group names no instance type.
  if (types.length === 0) types = ["t3.medium"];
  let spot = str(inputs.capacityType) === "SPOT";
  if (ctx.options.onDemandX86) {
    spot = false;
    types = types.map(x86Equivalent);
  }
  if (spot) {
    // Price-capacity-optimized spreads spot capacity over the listed types: their mean price.
    ctx.note(
      `spot: mean on-demand price of ${types.join(", ")} less the regional spot discount (ec2:spot-discount)`,
    );
    for (const type of types) {
      ctx.add(
        `${desired / types.length} x ${type} (spot share, on-demand price)`,
        `ec2:${type}`,
        (desired / types.length) * HOURS_PER_MONTH,
      );
    }
    ctx.add("spot discount", "ec2:spot-discount", 1);
  } else {
    // On-demand managed node groups launch the first listed type (prioritized allocation).
    ctx.add(`${desired} x ${types[0]} on-demand`, `ec2:${types[0]}`, desired * HOURS_PER_MONTH);
  }
  const template = source(ctx, "launchTemplate", "aws:ec2/launchTemplate:LaunchTemplate");
  const mappings = template ? list(template.inputs.blockDeviceMappings) : [];
  if (mappings.length > 0) {
    for (const mapping of mappings) {
      gp3Volume(
        ctx,
        `node volume ${str(obj(mapping).deviceName) ?? ""}`.trim(),
        obj(obj(mapping).ebs),
        desired,
      );
    }
  } else {
    gp3Volume(ctx, "node root volume", { volumeSize: inputs.diskSize ?? 20 }, desired);
  }
};

const eksControlPlane: Pricer = (ctx) => {
  ctx.add("control plane", "eks:cluster", HOURS_PER_MONTH);
};

const PRICERS: Readonly<Record<string, Pricer>> = {
  "eks:index:Cluster": (ctx, inputs) => {
    // Under the engine, @pulumi/eks registers its aws:eks/cluster:Cluster child: price that one.
    const component = ctx.resource;
    const child = ctx.stack
      .ofType("aws:eks/cluster:Cluster")
      .some(
        (r) =>
          r.parent === component.urn ||
          (r.urn.includes("eks:index:Cluster$") && r.name.startsWith(component.name)),
      );
    if (child) ctx.note("priced through its aws:eks/cluster:Cluster child");
    else eksControlPlane(ctx, inputs);
  },
  "aws:eks/cluster:Cluster": eksControlPlane,
  "aws:eks/nodeGroup:NodeGroup": nodeGroup,
  "aws:ec2/instance:Instance": (ctx, inputs) => {
    const type = str(inputs.instanceType);
    if (type === undefined) return ctx.incomplete("instanceType is not known");
    const effective = ctx.options.onDemandX86 ? x86Equivalent(type) : type;
    ctx.add(`1 x ${effective}`, `ec2:${effective}`, HOURS_PER_MONTH);
    gp3Volume(ctx, "root volume", { volumeSize: 8, ...obj(inputs.rootBlockDevice) }, 1);
  },
  "aws:ebs/volume:Volume": (ctx, inputs) => gp3Volume(ctx, "volume", inputs, 1),
  "aws:ec2/natGateway:NatGateway": (ctx) => {
    const gateways = Math.max(1, ctx.stack.ofType(ctx.resource.type).length);
    ctx.add("gateway hours", "vpc:nat-gateway", HOURS_PER_MONTH);
    const gb = ctx.assumptions.natGatewayDataGb / gateways;
    ctx.add(`${round(gb)} GB processed (natGatewayDataGb / ${gateways})`, "vpc:nat-gateway-gb", gb);
  },
  "aws:ec2/eip:Eip": (ctx) => ctx.add("public IPv4 address", "vpc:public-ipv4", HOURS_PER_MONTH),
  "aws:ec2/vpcEndpoint:VpcEndpoint": (ctx, inputs) => {
    const kind = str(inputs.vpcEndpointType) ?? "Gateway";
    if (kind === "Gateway") {
      ctx.note("gateway endpoints (S3, DynamoDB) are free");
      return;
    }
    const zones = Math.max(list(inputs.subnetIds).length, list(inputs.subnetConfigurations).length);
    if (zones === 0) return ctx.incomplete("an interface endpoint with no subnets listed");
    ctx.add(`${zones} AZ x endpoint hours`, "vpc:interface-endpoint", zones * HOURS_PER_MONTH);
    const endpoints = ctx.stack
      .ofType(ctx.resource.type)
      .filter((r) => str(r.inputs.vpcEndpointType) === kind).length;
    const gb = ctx.assumptions.interfaceEndpointDataGb / Math.max(1, endpoints);
    ctx.add(`${round(gb)} GB processed`, "vpc:interface-endpoint-gb", gb);
  },
  "aws:cloudwatch/logGroup:LogGroup": (ctx, inputs) => {
    const name = str(inputs.name) ?? "";
    const flowLogs = dependents(ctx, "aws:ec2/flowLog:FlowLog", "logDestination").length > 0;
    const controlPlane = /^\/aws\/eks\/[^/]+\/cluster$/.test(name);
    const [gb, assumption] = flowLogs
      ? [ctx.assumptions.flowLogIngestGb, "flowLogIngestGb"]
      : controlPlane
        ? [ctx.assumptions.controlPlaneLogIngestGb, "controlPlaneLogIngestGb"]
        : [ctx.assumptions.logIngestGbPerGroup, "logIngestGbPerGroup"];
    ctx.add(`${gb} GB ingested (${assumption})`, "logs:ingest-gb", gb);
    // Steady state: a year of ingest at most is held (never-expiring groups are counted at a year).
    const retention = num(inputs.retentionInDays) ?? 0;
    const months = retention > 0 ? Math.min(retention / 30.4, 12) : 12;
    ctx.add(
      `${round(gb * months)} GB stored (${round(months)} months)`,
      "logs:store-gb",
      gb * months,
    );
  },
  [AMP_WORKSPACE]: managedPrometheusWorkspace,
  "aws:kms/key:Key": (ctx) => ctx.add("customer managed key", "kms:key", 1),
  "aws:kms/replicaKey:ReplicaKey": (ctx) => ctx.add("replica key", "kms:key", 1),
  "aws:secretsmanager/secret:Secret": (ctx, inputs) => {
    ctx.add("secret", "secretsmanager:secret", 1 + list(inputs.replicas).length);
  },
  "aws:rds/instance:Instance": (ctx, inputs) => {
    const instanceClass = str(inputs.instanceClass);
    if (instanceClass === undefined) return ctx.incomplete("instanceClass is not known");
    const engine = str(inputs.engine) ?? "postgres";
    if (!["postgres", "mysql", "mariadb"].includes(engine)) {
      ctx.unknown(`engine ${engine}: the table holds open-source engine prices only`);
    }
    const multiAz = inputs.multiAz === true;
    const copies = multiAz ? 2 : 1;
    const replicaOf = source(ctx, "replicateSourceDb", "aws:rds/instance:Instance");
    ctx.add(
      `${instanceClass}${multiAz ? " Multi-AZ (primary and standby)" : ""}`,
      `rds:${instanceClass}`,
      copies * HOURS_PER_MONTH,
    );
    const storage = num(inputs.allocatedStorage) ?? num(replicaOf?.inputs.allocatedStorage);
    if (storage === undefined) {
      ctx.incomplete("allocatedStorage is not known (nor that of the source instance)");
    } else {
      ctx.add(
        `${storage} GB storage${multiAz ? " x 2 (Multi-AZ)" : ""}`,
        "rds:gp3-gb",
        storage * copies,
      );
    }
    if (inputs.manageMasterUserPassword === true) {
      ctx.add("master user secret (Secrets Manager)", "secretsmanager:secret", 1);
    }
  },
  "aws:rds/proxyTarget:ProxyTarget": (ctx) => {
    const target = source(ctx, "dbInstanceIdentifier", "aws:rds/instance:Instance");
    const instanceClass = target ? str(target.inputs.instanceClass) : undefined;
    const vcpus = instanceClass ? SIZE_VCPUS[instanceClass.split(".").pop() ?? ""] : undefined;
    if (vcpus === undefined) {
      ctx.note("target instance not visible: priced at the 2-vCPU minimum");
    }
    const billed = Math.max(2, vcpus ?? 2);
    ctx.add(
      `RDS Proxy, ${billed} vCPU of ${instanceClass ?? "the target"}`,
      "rds:proxy-vcpu",
      billed * HOURS_PER_MONTH,
    );
  },
  "aws:elasticache/replicationGroup:ReplicationGroup": (ctx, inputs) => {
    const nodeType = str(inputs.nodeType);
    if (nodeType === undefined) return ctx.incomplete("nodeType is not known");
    const shards = num(inputs.numNodeGroups);
    const nodes =
      shards !== undefined
        ? shards * ((num(inputs.replicasPerNodeGroup) ?? 0) + 1)
        : (num(inputs.numCacheClusters) ?? 1);
    cacheNodes(ctx, inputs, nodeType, nodes);
  },
  "aws:elasticache/cluster:Cluster": (ctx, inputs) => {
    const nodeType = str(inputs.nodeType);
    if (nodeType === undefined) return ctx.incomplete("nodeType is not known");
    cacheNodes(ctx, inputs, nodeType, num(inputs.numCacheNodes) ?? 1);
  },
  "aws:rds/cluster:Cluster": (ctx, inputs) => {
    const engine = str(inputs.engine) ?? "";
    if (!engine.startsWith("aurora")) {
      ctx.unknown(`engine ${engine}: Multi-AZ DB clusters are not in the price table`);
      return;
    }
    const gb = num(inputs.allocatedStorage) ?? 100;
    if (num(inputs.allocatedStorage) === undefined) {
      ctx.note(
        "Aurora storage grows with the data: 100 GB assumed; I/O requests are not estimated",
      );
    }
    ctx.add(`${gb} GB Aurora storage`, "rds-aurora:storage-gb", gb);
  },
  "aws:rds/clusterInstance:ClusterInstance": (ctx, inputs) => {
    const instanceClass = str(inputs.instanceClass);
    if (instanceClass === undefined) return ctx.incomplete("instanceClass is not known");
    ctx.add(`Aurora ${instanceClass}`, `rds-aurora:${instanceClass}`, HOURS_PER_MONTH);
  },
  "aws:wafv2/webAcl:WebAcl": (ctx, inputs) => {
    ctx.add("web ACL", "waf:web-acl", 1);
    const rules = list(inputs.rules).length;
    if (rules > 0) ctx.add(`${rules} rules`, "waf:rule", rules);
    const millions = ctx.assumptions.wafRequestsMillions;
    ctx.add(`${millions} million requests (wafRequestsMillions)`, "waf:requests-million", millions);
    ctx.note(
      "managed rule groups with their own subscription fee (Bot Control, Fraud Control) are not included",
    );
  },
  // CloudFront bills by the viewers' geography; the stack's region stands for it (prices.json).
  "aws:cloudfront/distribution:Distribution": (ctx) => {
    const millions = ctx.assumptions.cloudFrontRequestsMillions;
    ctx.add(
      `${millions} million HTTPS requests (cloudFrontRequestsMillions)`,
      "cloudfront:https-requests-million",
      millions,
    );
    const gb = ctx.assumptions.cloudFrontTransferGb;
    ctx.add(`${gb} GB to viewers (cloudFrontTransferGb)`, "cloudfront:transfer-out-gb", gb);
    ctx.note("origin fetches from AWS origins are free; the always-free tier is not deducted");
  },
  // Runs on every request of the behaviors it is attached to: at most all of them.
  "aws:cloudfront/function:Function": (ctx) => {
    const millions = ctx.assumptions.cloudFrontRequestsMillions;
    ctx.add(
      `up to ${millions} million invocations (cloudFrontRequestsMillions)`,
      "cloudfront:function-invocations-million",
      millions,
    );
    ctx.note("only the uncached paths invoke it; the always-free tier is not deducted");
  },
  "aws:shield/protection:Protection": (ctx) => {
    ctx.add("Shield Advanced subscription", "shield:advanced-month", 1);
    ctx.note("the subscription is per organization: several protections share one");
  },
  "aws:s3/bucket:Bucket": (ctx) => bucketStorage(ctx),
  "aws:s3/bucketV2:BucketV2": (ctx) => bucketStorage(ctx),
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig": (ctx, inputs) => {
    const gb = ctx.assumptions.s3ReplicatedGb;
    const rules = list(inputs.rules).map(obj);
    ctx.add(
      `${gb} GB replicated to another region (s3ReplicatedGb)`,
      "transfer:inter-region-gb",
      gb,
    );
    const rtc = rules.some(
      (rule) => obj(obj(obj(rule.destination).replicationTime)).status === "Enabled",
    );
    if (rtc)
      ctx.add(`${gb} GB with Replication Time Control`, "s3:replication-time-control-gb", gb);
  },
  "aws:route53/zone:Zone": (ctx) => ctx.add("hosted zone", "route53:zone", 1),
  "aws:ecr/repository:Repository": (ctx) => {
    const gb = ctx.assumptions.ecrStoredGbPerRepository;
    ctx.add(`${gb} GB of images (ecrStoredGbPerRepository)`, "ecr:storage-gb", gb);
  },
  "aws:ecr/replicationConfiguration:ReplicationConfiguration": (ctx) => {
    const gb = ctx.assumptions.ecrReplicatedGb;
    ctx.add(
      `${gb} GB replicated to another region (ecrReplicatedGb)`,
      "transfer:inter-region-gb",
      gb,
    );
    ctx.note("the replicas' storage in the peer region is billed there at the ECR storage price");
  },
  "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration": (ctx, inputs) => {
    if (str(inputs.scanType) !== "ENHANCED") return;
    const scans = ctx.assumptions.ecrImagesScannedPerMonth;
    ctx.add(
      `${scans} images scanned by Inspector (ecrImagesScannedPerMonth)`,
      "inspector:ecr-initial-scan",
      scans,
    );
    const continuous = list(inputs.rules).some(
      (rule) => str(obj(rule).scanFrequency) === "CONTINUOUS_SCAN",
    );
    if (continuous) {
      const rescans = ctx.assumptions.ecrImageRescansPerMonth;
      ctx.add(
        `${rescans} Inspector rescans (ecrImageRescansPerMonth)`,
        "inspector:ecr-rescan",
        rescans,
      );
    }
  },
  "aws:route53/healthCheck:HealthCheck": (ctx, inputs) => {
    ctx.add("health check", "route53:health-check", 1);
    const type = str(inputs.type) ?? "";
    const features = [
      type.startsWith("HTTPS") ? "HTTPS" : undefined,
      type.endsWith("STR_MATCH") ? "string matching" : undefined,
      num(inputs.requestInterval) === 10 ? "fast interval" : undefined,
      inputs.measureLatency === true ? "latency measurement" : undefined,
    ].filter((f): f is string => f !== undefined);
    if (features.length > 0) {
      ctx.add(
        `optional features: ${features.join(", ")}`,
        "route53:health-check-feature",
        features.length,
      );
    }
    ctx.note("priced as an AWS endpoint; a non-AWS endpoint costs more");
  },
  "aws:lb/loadBalancer:LoadBalancer": (ctx) => loadBalancer(ctx),
  "aws:alb/loadBalancer:LoadBalancer": (ctx) => loadBalancer(ctx),
  "aws:backup/vault:Vault": (ctx) => {
    const gb = ctx.assumptions.backupStoredGbPerVault;
    ctx.add(`${gb} GB warm storage (backupStoredGbPerVault)`, "backup:warm-gb", gb);
  },
  "aws:backup/plan:Plan": (ctx, inputs) => {
    const copies = list(inputs.rules).some((rule) => list(obj(rule).copyActions).length > 0);
    if (!copies) {
      ctx.note("the plan itself is free; storage is priced on its vault");
      return;
    }
    const gb = ctx.assumptions.backupCopyGb;
    ctx.add(`${gb} GB copied to another region (backupCopyGb)`, "transfer:inter-region-gb", gb);
  },
  "aws:backup/restoreTestingPlan:RestoreTestingPlan": (ctx) => {
    ctx.note("the plan itself is free; its restore jobs are priced on its selections");
  },
  // AWS Backup bills a restore test as the restore it runs: the restored RDS instance runs from the
  // restore until the validation window closes (https://aws.amazon.com/backup/pricing/).
  "aws:backup/restoreTestingSelection:RestoreTestingSelection": (ctx, inputs) => {
    if (str(inputs.protectedResourceType) !== "RDS") {
      return ctx.unknown(
        `restore tests of ${String(inputs.protectedResourceType)} are not modelled`,
      );
    }
    const backedUp = ctx.stack
      .ofType("aws:rds/instance:Instance")
      .filter((db) => obj(db.inputs.tags)[BACKUP_TAG.key] === BACKUP_TAG.value);
    if (backedUp.length === 0) return ctx.note("no RDS instance is enrolled in AWS Backup");
    const hoursPerTest = RESTORE_TEST_RESTORE_HOURS + (num(inputs.validationWindowHours) ?? 0);
    for (const db of backedUp) {
      const instanceClass = str(db.inputs.instanceClass);
      if (instanceClass === undefined) {
        ctx.incomplete(`instance class of ${db.name} is not known`);
        continue;
      }
      ctx.add(
        `weekly restore test of ${db.name}: ${instanceClass} for ${hoursPerTest} h x ${RESTORE_TESTS_PER_MONTH} tests`,
        `rds:${instanceClass}`,
        hoursPerTest * RESTORE_TESTS_PER_MONTH,
      );
    }
    ctx.note("restored single-AZ; assumes a weekly plan and about an hour per snapshot restore");
  },
  "aws:cloudwatch/metricAlarm:MetricAlarm": (ctx, inputs) => {
    const period = num(inputs.period) ?? 60;
    // A Metrics Insights query is billed per metric it analyses: at least one each.
    const metrics = list(inputs.metricQueries).filter(
      (q) => obj(q).metric !== undefined || /^\s*SELECT\b/i.test(str(obj(q).expression) ?? ""),
    ).length;
    const key = period < 60 ? "cloudwatch:alarm-high-resolution" : "cloudwatch:alarm";
    ctx.add(`alarm on ${Math.max(1, metrics)} metric(s)`, key, Math.max(1, metrics));
  },
  // FIS bills the action-minutes of the experiments run, so an experiment is priced on the
  // schedule that starts it (https://aws.amazon.com/fis/pricing/); a template alone costs nothing.
  "aws:scheduler/schedule:Schedule": (ctx, inputs) => {
    const template = source(ctx, "target", "aws:fis/experimentTemplate:ExperimentTemplate");
    if (template === undefined) return ctx.note("invocations within the free tier");
    if (str(inputs.state) === "DISABLED") return ctx.note("disabled: no experiment runs");
    const expression = str(inputs.scheduleExpression);
    if (expression === undefined) return ctx.incomplete("schedule expression not known");
    if (!MONTHLY_CRON.test(expression)) {
      return ctx.unknown(`only monthly schedules are modelled (got ${expression})`);
    }
    const minutes = experimentActionMinutes(template.inputs);
    ctx.add(
      `${template.name}: ${minutes} action-minute(s) per run, 1 run a month`,
      "fis:action-minute",
      minutes,
    );
  },
  "aws:cloudwatch/compositeAlarm:CompositeAlarm": (ctx) =>
    ctx.add("composite alarm", "cloudwatch:composite-alarm", 1),
  "aws:cloudwatch/dashboard:Dashboard": (ctx) => {
    ctx.add("dashboard", "cloudwatch:dashboard", 1);
    ctx.note("the first three dashboards of an account are free");
  },
  "aws:budgets/budget:Budget": (ctx) => {
    ctx.add("budget", "budgets:budget", HOURS_PER_MONTH / 24);
    ctx.note("the first two budgets of an account are free");
  },
  "aws:ssm/parameter:Parameter": (ctx, inputs) => {
    if (str(inputs.tier) === "Advanced") ctx.add("advanced parameter", "ssm:advanced-parameter", 1);
    else ctx.note("standard parameters are free");
  },
  "kubernetes:core/v1:PersistentVolumeClaim": (ctx, inputs) => {
    const request = str(obj(obj(obj(inputs.spec).resources).requests).storage);
    const gib = request ? parseQuantityGiB(request) : undefined;
    if (gib === undefined)
      return ctx.incomplete(`storage request ${request ?? "(none)"} not understood`);
    ctx.add(`${round(gib)} GiB EBS volume (gp3 assumed)`, "ebs:gp3-gb", gib);
  },
  "kubernetes:karpenter.sh/v1:NodePool": (ctx, inputs) => {
    const spec = obj(inputs.spec);
    const nodes = num(obj(spec.limits).nodes);
    const families = list(
      list(obj(obj(spec.template).spec).requirements)
        .map(obj)
        .find((r) => r.key === INSTANCE_FAMILY && r.operator === "In")?.values,
    ).filter((f): f is string => typeof f === "string");
    if (nodes === undefined || families.length === 0) {
      // CPU and memory limits bound these pools, and the table has no CPU count to turn into nodes.
      ctx.note("nodes launched for pending pods, bounded by CPU and memory limits: not estimated");
      return;
    }
    const dearest = dearestType(ctx, families);
    if (dearest === undefined) {
      return ctx.unknown(`no price for any size of ${families.join(", ")} in ${ctx.region}`);
    }
    ctx.note(`0 nodes until a pod asks (at most ${nodes}, of ${families.join(", ")})`);
    ctx.ceiling(
      `${nodes} x ${dearest} on-demand (the dearest size of ${families.join(", ")})`,
      `ec2:${dearest}`,
      nodes * HOURS_PER_MONTH,
    );
  },
  "kubernetes:core/v1:Service": (ctx, inputs) => {
    if (str(obj(inputs.spec).type) === "LoadBalancer") loadBalancer(ctx);
    else ctx.note("only LoadBalancer services cost money");
  },
};

const INSTANCE_FAMILY = "karpenter.k8s.aws/instance-family";

/** The instance type of `families` with the highest price in the table in the line's region. */
function dearestType(ctx: PricingContext, families: readonly string[]): string | undefined {
  const prices = ctx.options.prices ?? PRICE_TABLE;
  let dearest: { type: string; usd: number } | undefined;
  for (const key of Object.keys(prices.prices)) {
    const type = key.slice("ec2:".length);
    if (!key.startsWith("ec2:") || !families.includes(type.split(".")[0])) continue;
    const price = ctx.region !== undefined ? lookupPrice(key, ctx.region, prices) : undefined;
    if (price !== undefined && (dearest === undefined || price.usd > dearest.usd)) {
      dearest = { type, usd: price.usd };
    }
  }
  return dearest?.type;
}

/** Valkey nodes cost a fixed share less than the Redis OSS prices of the table. */
function cacheNodes(ctx: PricingContext, inputs: Inputs, nodeType: string, nodes: number): void {
  ctx.add(`${nodes} x ${nodeType}`, `elasticache:${nodeType}`, nodes * HOURS_PER_MONTH);
  if (str(inputs.engine) === "valkey") ctx.add("Valkey discount", "elasticache:valkey-discount", 1);
}

/** Turns the fraction-of-price components (spot, Valkey) into negative amounts of what they discount. */
function applyDiscounts(components: CostComponent[]): CostComponent[] {
  return components.map((c) => {
    const discounted = DISCOUNTS[c.priceKey];
    if (discounted === undefined) return c;
    const base = components
      .filter((o) => o.priceKey.startsWith(discounted) && DISCOUNTS[o.priceKey] === undefined)
      .reduce((sum, other) => sum + other.monthly, 0);
    return { ...c, monthly: -base * c.unitUsd };
  });
}

/** Discount price keys and the prefix of the price keys they apply to. */
const DISCOUNTS: Readonly<Record<string, string>> = {
  "ec2:spot-discount": "ec2:",
  "elasticache:valkey-discount": "elasticache:cache.",
};

function loadBalancer(ctx: PricingContext): void {
  ctx.add("load balancer hours", "elb:load-balancer", HOURS_PER_MONTH);
  const units = ctx.assumptions.loadBalancerCapacityUnits;
  ctx.add(
    `${units} capacity units (loadBalancerCapacityUnits)`,
    "elb:capacity-unit",
    units * HOURS_PER_MONTH,
  );
}

/** Storage class price keys by lifecycle transition storage class. */
const S3_CLASS_KEYS: Readonly<Record<string, string>> = {
  STANDARD: "s3:standard-gb",
  STANDARD_IA: "s3:standard-ia-gb",
  ONEZONE_IA: "s3:standard-ia-gb",
  GLACIER_IR: "s3:glacier-ir-gb",
  GLACIER: "s3:glacier-gb",
  DEEP_ARCHIVE: "s3:deep-archive-gb",
};

/**
 * Objects arrive at a steady rate and follow the first enabled lifecycle rule with transitions, so
 * the share of data in each class is the share of an object's life spent there. Life ends at the
 * rule's expiration, or a year after the last transition.
 */
export function storageClassShares(
  rules: readonly unknown[],
): { storageClass: string; share: number }[] {
  const rule = rules
    .map(obj)
    .find((r) => str(r.status) === "Enabled" && list(r.transitions).length > 0);
  if (!rule) return [{ storageClass: "STANDARD", share: 1 }];
  const transitions = list(rule.transitions)
    .map(obj)
    .map((t) => ({ days: num(t.days) ?? 0, storageClass: str(t.storageClass) ?? "STANDARD" }))
    .sort((a, b) => a.days - b.days);
  const last = transitions[transitions.length - 1].days;
  const expiration = num(obj(rule.expiration).days);
  const life = Math.max(expiration ?? last + 365, last + 1);
  const phases = [{ days: 0, storageClass: "STANDARD" }, ...transitions];
  return phases
    .map((phase, i) => ({
      storageClass: phase.storageClass,
      share: ((phases[i + 1]?.days ?? life) - phase.days) / life,
    }))
    .filter((p) => p.share > 0);
}

function bucketStorage(ctx: PricingContext): void {
  const lifecycle = [
    ...dependents(
      ctx,
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "bucket",
    ),
    ...dependents(
      ctx,
      "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
      "bucket",
    ),
  ];
  const rules = lifecycle.flatMap((r) => list(r.inputs.rules));
  const gb = ctx.assumptions.s3StoredGbPerBucket;
  for (const { storageClass, share } of storageClassShares(rules)) {
    const key = S3_CLASS_KEYS[storageClass];
    if (key === undefined) {
      ctx.unknown(`storage class ${storageClass} is not in the price table`);
      continue;
    }
    ctx.add(`${round(gb * share)} GB ${storageClass} (s3StoredGbPerBucket)`, key, gb * share);
  }
}

/** Kubernetes quantities in bytes-based units, as GiB. */
export function parseQuantityGiB(quantity: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$/.exec(quantity.trim());
  if (!match) return undefined;
  const factors: Record<string, number> = {
    "": 1 / 2 ** 30,
    Ki: 1 / 2 ** 20,
    Mi: 1 / 2 ** 10,
    Gi: 1,
    Ti: 2 ** 10,
    Pi: 2 ** 20,
    k: 1e3 / 2 ** 30,
    M: 1e6 / 2 ** 30,
    G: 1e9 / 2 ** 30,
    T: 1e12 / 2 ** 30,
    P: 1e15 / 2 ** 30,
  };
  return Number(match[1]) * factors[match[2] ?? ""];
}

/** Types that cost nothing by themselves, with the reason shown in the estimate. */
const FREE_TYPES: Readonly<Record<string, string>> = {
  "aws:ecr/pullThroughCacheRule:PullThroughCacheRule":
    "no charge for the rule; cached images are billed as ECR storage (not modelled) and scanned by the registry's scanning",
  "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate": "no charge",
  "aws:ecr/registryPolicy:RegistryPolicy": "no charge",
  "aws:ecr/repositoryPolicy:RepositoryPolicy": "no charge",
  "aws:ecr/lifecyclePolicy:LifecyclePolicy": "no charge",
  "aws:ec2/vpc:Vpc": "no charge",
  "aws:ec2/subnet:Subnet": "no charge",
  "aws:ec2/routeTable:RouteTable": "no charge",
  "aws:ec2/route:Route": "no charge",
  "aws:ec2/routeTableAssociation:RouteTableAssociation": "no charge",
  "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation": "no charge",
  "aws:ec2/internetGateway:InternetGateway": "no charge (data transfer is usage)",
  "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway": "no charge",
  "aws:ec2/securityGroup:SecurityGroup": "no charge",
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "no charge",
  "aws:ec2/securityGroupRule:SecurityGroupRule": "no charge",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "no charge",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "no charge",
  "aws:ec2/networkAcl:NetworkAcl": "no charge",
  "aws:ec2/networkAclRule:NetworkAclRule": "no charge",
  "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl": "no charge",
  "aws:ec2/launchTemplate:LaunchTemplate": "instances and volumes are priced on their node group",
  "aws:ec2/flowLog:FlowLog": "ingestion is priced on the destination log group",
  "aws:iam/role:Role": "IAM is free",
  "aws:iam/policy:Policy": "IAM is free",
  "aws:iam/rolePolicy:RolePolicy": "IAM is free",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "IAM is free",
  "aws:iam/instanceProfile:InstanceProfile": "IAM is free",
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": "IAM is free",
  "aws:iam/serviceLinkedRole:ServiceLinkedRole": "IAM is free",
  "aws:eks/addon:Addon": "EKS add-ons from AWS are free; their pods run on priced nodes",
  "aws:eks/accessEntry:AccessEntry": "no charge",
  "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": "no charge",
  "aws:eks/podIdentityAssociation:PodIdentityAssociation": "no charge",
  "aws:kms/alias:Alias": "no charge (the key is priced)",
  "aws:kms/grant:Grant": "no charge",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "bucket configuration",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration":
    "bucket configuration",
  "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2":
    "bucket configuration",
  "aws:s3/bucketVersioning:BucketVersioning": "bucket configuration (versions count in storage)",
  "aws:s3/bucketVersioningV2:BucketVersioningV2": "bucket configuration",
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "bucket configuration",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration":
    "shapes the bucket's storage classes, priced on the bucket",
  "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2":
    "shapes the bucket's storage classes, priced on the bucket",
  "aws:s3/bucketLogging:BucketLogging": "log objects are priced as storage of the log bucket",
  "aws:s3/bucketLoggingV2:BucketLoggingV2": "log objects are priced as storage of the log bucket",
  "aws:s3/bucketPolicy:BucketPolicy": "bucket configuration",
  "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": "bucket configuration",
  "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2": "bucket configuration",
  "aws:s3/bucketNotification:BucketNotification": "bucket configuration",
  "aws:rds/parameterGroup:ParameterGroup": "no charge",
  "aws:rds/clusterParameterGroup:ClusterParameterGroup": "no charge",
  "aws:rds/subnetGroup:SubnetGroup": "no charge",
  "aws:rds/optionGroup:OptionGroup": "no charge",
  "aws:rds/proxy:Proxy": "priced per vCPU of its targets (aws:rds/proxyTarget)",
  "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup": "no charge",
  "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication":
    "usage: replicated backup storage and transfer are not estimated",
  "aws:elasticache/subnetGroup:SubnetGroup": "no charge",
  "aws:elasticache/parameterGroup:ParameterGroup": "no charge",
  "aws:elasticache/user:User": "no charge",
  "aws:elasticache/userGroup:UserGroup": "no charge",
  "aws:s3/bucketAcl:BucketAcl": "bucket configuration",
  "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration":
    "logs are priced on the destination log group",
  "aws:wafv2/webAclAssociation:WebAclAssociation": "no charge",
  "aws:cloudfront/cachePolicy:CachePolicy": "no charge",
  "aws:cloudfront/originRequestPolicy:OriginRequestPolicy": "no charge",
  "aws:cloudwatch/logDeliverySource:LogDeliverySource":
    "logs are priced on the destination log group",
  "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination":
    "logs are priced on the destination log group",
  "aws:cloudwatch/logDelivery:LogDelivery": "logs are priced on the destination log group",
  "aws:backup/selection:Selection": "no charge (storage is priced on the vault)",
  "aws:efs/fileSystem:FileSystem":
    "usage-priced: stored GB-months and elastic-throughput GB transferred; an empty file system costs nothing (aws.amazon.com/efs/pricing, not re-checked offline, 2026-12)",
  "aws:efs/replicationConfiguration:ReplicationConfiguration":
    "usage-priced: the replica's storage and the transfer are billed per GB (aws.amazon.com/efs/pricing, 2026-12)",
  "aws:efs/fileSystemPolicy:FileSystemPolicy": "no charge",
  "aws:efs/mountTarget:MountTarget":
    "no charge (EFS bills storage and transfer, not mount targets)",
  "aws:backup/vaultLockConfiguration:VaultLockConfiguration": "no charge",
  "aws:backup/vaultPolicy:VaultPolicy": "no charge",
  "aws:backup/vaultNotifications:VaultNotifications": "no charge",
  "aws:route53/record:Record": "queries are usage; records are free",
  "aws:acm/certificate:Certificate": "public certificates are free",
  "aws:acm/certificateValidation:CertificateValidation": "no charge",
  "aws:secretsmanager/secretVersion:SecretVersion": "the secret is priced",
  [AMP_WORKSPACE_CONFIGURATION]: "its retention is priced with the workspace's storage",
  "aws:secretsmanager/secretPolicy:SecretPolicy": "no charge",
  "aws:secretsmanager/secretRotation:SecretRotation": "no charge",
  "aws:lambda/function:Function":
    "request- and duration-priced; a monthly secret rotation's few invocations stay within Lambda's free tier of 1M requests and 400,000 GB-s a month (aws.amazon.com/lambda/pricing, read 2026-12), and their traces within X-Ray's of 100,000 recorded a month (aws.amazon.com/xray/pricing, read 2026-12)",
  "aws:lambda/permission:Permission": "no charge",
  "aws:sns/topic:Topic": "request-priced; notification volumes are negligible",
  "aws:sns/topicPolicy:TopicPolicy": "no charge",
  "aws:sns/topicSubscription:TopicSubscription": "request-priced; negligible",
  "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration":
    "AWS Chatbot states no additional charge of its own (its product page; not re-checked offline, 2026-12); its SNS deliveries are request-priced",
  "aws:sqs/queue:Queue": "request-priced; interruption-event volumes are within the free tier",
  "aws:sqs/queuePolicy:QueuePolicy": "no charge",
  "aws:cloudwatch/eventRule:EventRule": "AWS service events are free",
  "aws:cloudwatch/eventTarget:EventTarget": "no charge",
  "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": "no charge",
  "aws:cloudwatch/logMetricFilter:LogMetricFilter": "no charge (its metric is usage)",
  "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter": "no charge",
  "aws:costexplorer/anomalyMonitor:AnomalyMonitor": "Cost Anomaly Detection is free",
  "aws:costexplorer/anomalySubscription:AnomalySubscription": "Cost Anomaly Detection is free",
  "aws:costexplorer/costAllocationTag:CostAllocationTag": "no charge",
  "aws:autoscaling/schedule:Schedule": "no charge",
  "aws:fis/experimentTemplate:ExperimentTemplate":
    "FIS bills action-minutes of experiments run: priced on the schedule that starts it",
  "aws:observabilityadmin/telemetryEnrichment:TelemetryEnrichment":
    "an account setting (resource tags on telemetry); queries and alarms using it are priced",
  "pulumi:pulumi:Stack": "the stack itself",
};

/** Prefixes of type tokens that cost nothing by themselves. */
const FREE_PREFIXES: readonly [string, string][] = [
  ["pulumi:providers:", "a provider"],
  ["platform:", "a component of this platform: its children are priced"],
  ["random:", "generated values"],
  ["tls:", "generated values"],
  ["kubernetes:", "Kubernetes objects run on the priced nodes"],
];

function freeReason(type: string): string | undefined {
  if (FREE_TYPES[type] !== undefined) return FREE_TYPES[type];
  if (PRICERS[type] !== undefined) return undefined;
  return FREE_PREFIXES.find(([prefix]) => type.startsWith(prefix))?.[1];
}

/** Whether the estimator knows the type: priced, or listed as free. */
export function typeStatus(type: string): "priced" | "free" | "unknown" {
  if (PRICERS[type] !== undefined) return "priced";
  return freeReason(type) !== undefined ? "free" : "unknown";
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** The estimate's resources with the lookups pricers need, each index built once. */
class StackView {
  readonly byUrn: ReadonlyMap<string, CostResource>;
  private readonly byType = new Map<string, CostResource[]>();
  private readonly dependentsIndex = new Map<string, Map<string, CostResource[]>>();

  constructor(resources: readonly CostResource[]) {
    this.byUrn = new Map(resources.map((r) => [r.urn, r]));
    for (const r of resources) {
      const same = this.byType.get(r.type);
      if (same) same.push(r);
      else this.byType.set(r.type, [r]);
    }
  }

  ofType(type: string): readonly CostResource[] {
    return this.byType.get(type) ?? [];
  }

  /** Resources of `type` whose input `property` was built from `urn`. */
  dependents(type: string, property: string, urn: string): CostResource[] {
    const key = `${type} ${property}`;
    let index = this.dependentsIndex.get(key);
    if (!index) {
      index = new Map();
      for (const r of this.ofType(type)) {
        for (const from of r.propertyDependencies?.[property] ?? []) {
          index.set(from, [...(index.get(from) ?? []), r]);
        }
      }
      this.dependentsIndex.set(key, index);
    }
    return index.get(urn) ?? [];
  }
}

function priceLine(
  resource: CostResource,
  stack: StackView,
  assumptions: CostAssumptions,
  options: EstimateOptions,
): CostLine {
  const region = resource.region ?? options.defaultRegion;
  const base = { urn: resource.urn, type: resource.type, name: resource.name, region };
  const pricer = PRICERS[resource.type];
  if (pricer === undefined) {
    const reason = freeReason(resource.type);
    return reason !== undefined
      ? { ...base, status: "free", monthly: 0, components: [], notes: [reason], complete: true }
      : {
          ...base,
          status: "unknown",
          monthly: 0,
          components: [],
          notes: [`no price for type ${resource.type}: add a pricer or list it as free`],
          complete: true,
        };
  }
  const components: CostComponent[] = [];
  const notes: string[] = [];
  let ceiling: CostComponent | undefined;
  let unknown = false;
  let complete = true;
  const prices = options.prices ?? PRICE_TABLE;
  const priced = (
    description: string,
    priceKey: string,
    quantity: number,
  ): CostComponent | undefined => {
    const price: RegionalPrice | undefined =
      region !== undefined ? lookupPrice(priceKey, region, prices) : undefined;
    if (price === undefined) {
      unknown = true;
      notes.push(`no price for ${priceKey} in ${region ?? "an unknown region"}`);
      return undefined;
    }
    return {
      description,
      quantity,
      unit: prices.prices[priceKey].unit,
      unitUsd: price.usd,
      monthly: quantity * price.usd,
      priceKey,
      ...(price.estimated ? { estimated: price.estimated } : {}),
    };
  };
  const ctx: PricingContext = {
    resource,
    region,
    assumptions,
    options,
    stack,
    add(description, priceKey, quantity) {
      const component = priced(description, priceKey, quantity);
      if (component) components.push(component);
    },
    ceiling(description, priceKey, quantity) {
      ceiling = priced(description, priceKey, quantity);
    },
    note: (text) => notes.push(text),
    unknown(reason) {
      unknown = true;
      notes.push(reason);
    },
    incomplete(reason) {
      complete = false;
      notes.push(`not priced: ${reason}`);
    },
  };
  pricer(ctx, resource.inputs);
  const adjusted = applyDiscounts(components);
  const monthly = adjusted.reduce((sum, c) => sum + c.monthly, 0);
  const status: CostStatus = unknown
    ? "unknown"
    : adjusted.length > 0 || !complete || ceiling !== undefined
      ? "priced"
      : "free";
  return {
    ...base,
    status,
    monthly,
    components: adjusted,
    notes,
    complete,
    ...(ceiling ? { ceiling } : {}),
  };
}

/** The monthly estimate of a stack's resources. */
export function estimateCost(
  resources: readonly CostResource[],
  options: EstimateOptions = {},
): CostEstimate {
  const assumptions = options.assumptions ?? DEFAULT_COST_ASSUMPTIONS;
  const stack = new StackView(resources);
  const lines = resources.map((r) => priceLine(r, stack, assumptions, options));
  const costly = lines
    .filter((l) => l.status !== "free")
    .sort((a, b) => b.monthly - a.monthly || a.urn.localeCompare(b.urn));
  return {
    currency: "USD",
    monthly: lines.reduce((sum, l) => sum + l.monthly, 0),
    byResource: costly,
    unknown: costly.filter((l) => l.status === "unknown"),
    freeCount: lines.filter((l) => l.status === "free").length,
    assumptions,
    ceilingMonthly: lines.reduce((sum, l) => sum + l.monthly + (l.ceiling?.monthly ?? 0), 0),
  };
}

/** One resource on its own, for the resource-level `cost-known-price` policy. */
export function priceResource(resource: CostResource, options: EstimateOptions = {}): CostLine {
  return priceLine(
    resource,
    new StackView([resource]),
    options.assumptions ?? DEFAULT_COST_ASSUMPTIONS,
    options,
  );
}
