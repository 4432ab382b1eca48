/** Data services: RDS and Aurora, ElastiCache, S3, KMS keys, customer-managed keys of secrets, parameters and backup vaults. */
import type { DomainPolicy } from "../lib/policy";
import { rdsPolicies } from "./rds";
import { elasticachePolicies } from "./elasticache";
import { s3Policies } from "./s3";
import { kmsPolicies } from "./kms";
import { rdsOperationsPolicies } from "./rds-operations";
import { cmkPolicies } from "./cmk";
import { s3OwnershipPolicies } from "./s3-ownership";

export const policies: readonly DomainPolicy[] = [
  ...rdsPolicies,
  ...rdsOperationsPolicies,
  ...elasticachePolicies,
  ...s3Policies,
  ...kmsPolicies,
  ...cmkPolicies,
  ...s3OwnershipPolicies,
];
