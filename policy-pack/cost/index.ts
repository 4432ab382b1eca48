/** Cost: every resource priced, the estimate within the stack's budget. */
import type { DomainPolicy } from "../lib/policy";
import { estimatePolicies } from "./estimate-checks";

export const policies: readonly DomainPolicy[] = estimatePolicies;
