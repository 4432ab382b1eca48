/** Worker nodes: IMDSv2, encrypted volumes, no public IPs, private subnets. */
import type { DomainPolicy } from "../lib/policy";
import { nodePolicies } from "./nodes";

export const policies: readonly DomainPolicy[] = nodePolicies;
