/** Worker nodes: IMDSv2, encrypted volumes, no public IPs, private subnets, no credentials or open SSH. */
import type { DomainPolicy } from "../lib/policy";
import { nodePolicies } from "./nodes";
import { accessPolicies } from "./user-data";

export const policies: readonly DomainPolicy[] = [...nodePolicies, ...accessPolicies];
