/**
 * Every policy of the pack, by domain. Kept apart from index.ts (which starts the policy server)
 * so that the coverage table generator and tests can read the policies without serving them.
 * A new domain (cost/, dr/) exports its array and is added here.
 */
import { computePolicies } from "./compute";
import { costPolicies } from "./cost/policies";
import { elasticachePolicies } from "./data/elasticache";
import { kmsPolicies } from "./data/kms";
import { drPolicies } from "./dr/coverage";
import { rdsPolicies } from "./data/rds";
import { s3Policies } from "./data/s3";
import { eksPolicies } from "./eks";
import { iamPolicies } from "./iam";
import { kubernetesPolicies } from "./kubernetes";
import type { PlatformPolicy } from "./lib/policy";
import { logsPolicies } from "./logs";
import { networkPolicies } from "./network";
import { resourcesPolicies } from "./resources";
import { safetyPolicies } from "./safety";
import { stackPolicies } from "./stack";

export const PACK_NAME = "aws-platform";

export const policies: readonly PlatformPolicy[] = [
  ...eksPolicies,
  ...computePolicies,
  ...networkPolicies,
  ...rdsPolicies,
  ...elasticachePolicies,
  ...s3Policies,
  ...kmsPolicies,
  ...iamPolicies,
  ...logsPolicies,
  ...kubernetesPolicies,
  ...safetyPolicies,
  ...resourcesPolicies,
  ...stackPolicies,
  ...costPolicies,
  ...drPolicies,
];
