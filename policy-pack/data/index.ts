/** Data services: RDS and Aurora, ElastiCache, S3, KMS keys. */
import type { DomainPolicy } from "../lib/policy";
import { rdsPolicies } from "./rds";
import { elasticachePolicies } from "./elasticache";
import { s3Policies } from "./s3";
import { kmsPolicies } from "./kms";

export const policies: readonly DomainPolicy[] = [
  ...rdsPolicies,
  ...elasticachePolicies,
  ...s3Policies,
  ...kmsPolicies,
];
