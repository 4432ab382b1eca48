/** Data services: RDS and Aurora, ElastiCache, S3 (access logging too), AMP workspaces, KMS keys, customer-managed keys and rotation of secrets, parameters and backup vaults. */
import type { DomainPolicy } from "../lib/policy";
import { rdsPolicies } from "./rds";
import { elasticachePolicies } from "./elasticache";
import { s3Policies } from "./s3";
import { kmsPolicies } from "./kms";
import { rdsOperationsPolicies } from "./rds-operations";
import { cmkPolicies } from "./cmk";
import { s3OwnershipPolicies } from "./s3-ownership";
import { accessLoggingPolicies } from "./access-logging";
import { rdsMonitoringPolicies } from "./rds-monitoring";
import { secretRotationPolicies } from "./secret-rotation";
import { ampPolicies } from "./amp";

export const policies: readonly DomainPolicy[] = [
  ...rdsPolicies,
  ...rdsOperationsPolicies,
  ...elasticachePolicies,
  ...s3Policies,
  ...kmsPolicies,
  ...cmkPolicies,
  ...s3OwnershipPolicies,
  ...accessLoggingPolicies,
  ...rdsMonitoringPolicies,
  ...secretRotationPolicies,
  ...ampPolicies,
];
