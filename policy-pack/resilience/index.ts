/** Fault injection: FIS experiments held to the SLO and confined to their stack. */
import type { DomainPolicy } from "../lib/policy";
import { experimentPolicies } from "./experiments";

export const policies: readonly DomainPolicy[] = experimentPolicies;
