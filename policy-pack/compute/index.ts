/**
 * Worker nodes: IMDSv2, encrypted volumes, no public IPs, private subnets, no credentials or open
 * SSH; Lambda functions: supported runtimes, no credentials, in the VPC, invoke permissions scoped.
 */
import type { DomainPolicy } from "../lib/policy";
import { nodePolicies } from "./nodes";
import { accessPolicies } from "./user-data";
import { lambdaPolicies } from "./lambda";

export const policies: readonly DomainPolicy[] = [
  ...nodePolicies,
  ...accessPolicies,
  ...lambdaPolicies,
];
