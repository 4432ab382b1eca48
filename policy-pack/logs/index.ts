/** CloudWatch Logs: retention and customer-key encryption of log groups. */
import type { DomainPolicy } from "../lib/policy";
import { logGroupPolicies } from "./log-groups";

export const policies: readonly DomainPolicy[] = logGroupPolicies;
