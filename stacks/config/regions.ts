/**
 * The commercial regions a stack can target: those with EKS, RDS and ElastiCache, generated from
 * botocore's endpoint list (components/model/aws/aws-regions.json names the commit). GovCloud, China
 * and the European Sovereign Cloud are separate partitions this platform does not target.
 */
export { AWS_REGIONS } from "@platform/model/aws/offerings";

/**
 * Regions inside the European Union, where EU stacks keep their data and its DR copies. London
 * (eu-west-2) and Zurich (eu-central-2) carry an `eu-` name but are outside the EU.
 */
export const EU_REGIONS: readonly string[] = [
  "eu-central-1", // Frankfurt
  "eu-west-1", // Ireland
  "eu-west-3", // Paris
  "eu-south-1", // Milan
  "eu-south-2", // Spain
  "eu-north-1", // Stockholm
];

export function isEuRegion(region: string): boolean {
  return EU_REGIONS.includes(region);
}
