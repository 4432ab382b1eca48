/**
 * Usage-driven quantities the estimate cannot read from resource inputs (GB stored, GB moved). The
 * stack config sets them (`platform:costAssumption*` keys); the cost-controls component publishes
 * them in an SSM parameter so that the policy pack, which sees only resources, prices with the same
 * figures as the offline preview. Defaults are documented in docs/pricing.md.
 */

export interface CostAssumptions {
  /** GB processed by all NAT gateways of the stack per month, split evenly between them. */
  readonly natGatewayDataGb: number;
  /** GB processed by all interface VPC endpoints of the stack per month, split evenly. */
  readonly interfaceEndpointDataGb: number;
  /** GB ingested per month by a log group no more specific assumption covers. */
  readonly logIngestGbPerGroup: number;
  /** GB ingested per month by a log group that receives VPC flow logs. */
  readonly flowLogIngestGb: number;
  /** GB ingested per month by an EKS control-plane log group (`/aws/eks/<cluster>/cluster`). */
  readonly controlPlaneLogIngestGb: number;
  /** GB stored per S3 bucket, spread over storage classes by the bucket's lifecycle rules. */
  readonly s3StoredGbPerBucket: number;
  /** GB replicated to another region per month by each bucket replication configuration. */
  readonly s3ReplicatedGb: number;
  /** GB held in warm storage per AWS Backup vault. */
  readonly backupStoredGbPerVault: number;
  /** GB copied to another region per month by each backup plan with copy actions. */
  readonly backupCopyGb: number;
  /** Average load balancer capacity units (LCU or NLCU) per load balancer. */
  readonly loadBalancerCapacityUnits: number;
  /** Millions of requests per month inspected by each WAF web ACL. */
  readonly wafRequestsMillions: number;
  /**
   * Active series Prometheus writes to each AMP workspace (one replica's: AMP deduplicates the HA
   * pair), each sampled every `PROMETHEUS_SCRAPE_INTERVAL_SECONDS`.
   */
  readonly metricsActiveSeries: number;
  /** Millions of HTTPS requests per month served by each CloudFront distribution. */
  readonly cloudFrontRequestsMillions: number;
  /** GB per month each CloudFront distribution sends to viewers. */
  readonly cloudFrontTransferGb: number;
  /** GB of images stored per ECR repository (own repositories; the cache is priced per rule). */
  readonly ecrStoredGbPerRepository: number;
  /** GB of images replicated to the DR peer per month by each ECR replication configuration. */
  readonly ecrReplicatedGb: number;
  /** Images pushed or cached per month per registry, each scanned once by Amazon Inspector. */
  readonly ecrImagesScannedPerMonth: number;
  /** Images rescanned per month per registry by Inspector's continuous scanning (new CVEs). */
  readonly ecrImageRescansPerMonth: number;
}

/** Seconds between Prometheus's scrapes, hence between the samples of a series it sends to AMP. */
export const PROMETHEUS_SCRAPE_INTERVAL_SECONDS = 30;

export const DEFAULT_COST_ASSUMPTIONS: CostAssumptions = {
  natGatewayDataGb: 1000,
  interfaceEndpointDataGb: 200,
  logIngestGbPerGroup: 5,
  flowLogIngestGb: 50,
  controlPlaneLogIngestGb: 30,
  s3StoredGbPerBucket: 100,
  s3ReplicatedGb: 50,
  backupStoredGbPerVault: 500,
  backupCopyGb: 100,
  loadBalancerCapacityUnits: 2,
  wafRequestsMillions: 100,
  metricsActiveSeries: 150_000,
  cloudFrontRequestsMillions: 100,
  cloudFrontTransferGb: 2000,
  ecrStoredGbPerRepository: 10,
  ecrReplicatedGb: 20,
  ecrImagesScannedPerMonth: 100,
  ecrImageRescansPerMonth: 500,
};

export const ASSUMPTION_NAMES = Object.keys(DEFAULT_COST_ASSUMPTIONS) as (keyof CostAssumptions)[];

/** Name of the SSM parameter that carries a stack's assumptions: `/platform/<stack>/cost-assumptions`. */
export function assumptionsParameterName(stack: string): string {
  return `/platform/${stack}/cost-assumptions`;
}

export const ASSUMPTIONS_PARAMETER_PATTERN = /^\/platform\/[^/]+\/cost-assumptions$/;

/**
 * Reads published assumptions; anything missing or malformed falls back to the default and is
 * named in `problems`, so an estimate never silently runs on a garbled figure.
 */
export function parseAssumptions(json: string): {
  assumptions: CostAssumptions;
  problems: string[];
} {
  const problems: string[] = [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return { assumptions: DEFAULT_COST_ASSUMPTIONS, problems: ["not valid JSON"] };
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    return { assumptions: DEFAULT_COST_ASSUMPTIONS, problems: ["not a JSON object"] };
  }
  const given = parsed as Record<string, unknown>;
  const assumptions: Record<string, number> = { ...DEFAULT_COST_ASSUMPTIONS };
  for (const name of ASSUMPTION_NAMES) {
    const value = given[name];
    if (value === undefined) continue;
    if (typeof value === "number" && Number.isFinite(value) && value >= 0)
      assumptions[name] = value;
    else problems.push(`${name} must be a non-negative number (got ${JSON.stringify(value)})`);
  }
  for (const key of Object.keys(given)) {
    if (!(ASSUMPTION_NAMES as string[]).includes(key)) problems.push(`${key} is not an assumption`);
  }
  return { assumptions: assumptions as unknown as CostAssumptions, problems };
}
