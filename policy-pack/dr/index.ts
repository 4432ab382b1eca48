/** Disaster recovery: every stateful resource backed up or replicated. */
import type { DomainPolicy } from "../lib/policy";
import { coveragePolicies } from "./coverage";

export const policies: readonly DomainPolicy[] = coveragePolicies;
