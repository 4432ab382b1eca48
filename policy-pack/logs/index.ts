/** CloudWatch: retention and customer-key encryption of log groups, alarms that act. */
import type { DomainPolicy } from "../lib/policy";
import { alarmPolicies } from "./alarms";
import { logGroupPolicies } from "./log-groups";

export const policies: readonly DomainPolicy[] = [...logGroupPolicies, ...alarmPolicies];
