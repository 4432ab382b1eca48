/**
 * What AWS accepts, from the generated lists beside this file (tools/model-data writes them from
 * pinned public sources; each file names its source and commit): the regions a stack can target,
 * the EC2 instance types that exist, and what each region offers of EC2, RDS for PostgreSQL and
 * ElastiCache. The stack config checks against these, so a value AWS would reject fails at preview.
 *
 * Not re-exported from the package index: the policy pack bundles the index and needs none of it.
 */
import awsRegions from "./aws-regions.json";
import ec2InstanceTypes from "./ec2-instance-types.json";
import regionOfferings from "./region-offerings.json";

/** Commercial regions with EKS, RDS and ElastiCache (botocore's endpoints, pinned). */
export const AWS_REGIONS: readonly string[] = awsRegions.withEks;

export type OfferedService = "ec2" | "rdsPostgres" | "elasticache";

/** Where each list comes from, for messages that say which list a value was checked against. */
export const OFFERINGS_SOURCE = {
  ec2InstanceTypes: `the EC2 API model (${ec2InstanceTypes.source.package} ${ec2InstanceTypes.source.version})`,
  regionOfferings: `the AWS Price List as cfn-lint extracts it (${regionOfferings.source.commit.slice(0, 8)}, ${regionOfferings.source.commitDate.slice(0, 10)})`,
} as const;

const INSTANCE_TYPES: ReadonlySet<string> = new Set(ec2InstanceTypes.instanceTypes);

const REGIONS = regionOfferings.regions as Readonly<
  Record<string, Readonly<Record<OfferedService, readonly string[]>>>
>;
const offeredSets = new Map<string, ReadonlySet<string>>();

/** True when EC2 knows the instance type at all (in any region). */
export function isEc2InstanceType(type: string): boolean {
  return INSTANCE_TYPES.has(type);
}

/** True when AWS offers the type (EC2 type, RDS class or ElastiCache node type) in the region. */
export function isOffered(service: OfferedService, region: string, type: string): boolean {
  const cacheKey = `${service}/${region}`;
  let offered = offeredSets.get(cacheKey);
  if (offered === undefined) {
    offered = new Set(REGIONS[region]?.[service] ?? []);
    offeredSets.set(cacheKey, offered);
  }
  return offered.has(type);
}

/** True when any region offers the RDS class or ElastiCache node type. */
export function isOfferedAnywhere(service: OfferedService, type: string): boolean {
  return AWS_REGIONS.some((region) => isOffered(service, region, type));
}

/** The EC2 instance types of a family (`g6` -> g6.xlarge, g6.2xlarge, ...), from the EC2 API model. */
export function instanceTypesOfFamily(family: string): string[] {
  return ec2InstanceTypes.instanceTypes.filter((type) => type.startsWith(`${family}.`));
}
