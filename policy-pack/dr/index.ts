/** Disaster recovery: every stateful resource backed up or replicated; failover to a standby. */
import type { DomainPolicy } from "../lib/policy";
import { coveragePolicies } from "./coverage";
import { standbyPolicies } from "./standby";

export const policies: readonly DomainPolicy[] = [...coveragePolicies, ...standbyPolicies];
