/**
 * The commercial regions a stack can target: those with EKS, RDS and ElastiCache, generated from
 * botocore's endpoint list (components/model/aws/aws-regions.json names the commit). GovCloud, China
 * and the European Sovereign Cloud are separate partitions this platform does not target.
 */
export { AWS_REGIONS } from "@platform/model/aws/offerings";

// The EU's regions are the model's: the policy pack checks standbys against the same list.
export { EU_REGIONS, isEuRegion } from "@platform/model";
