/** Network exposure: world-open ingress, rule descriptions, public subnets, VPC flow logs, WAF. */
import type { DomainPolicy } from "../lib/policy";
import { exposurePolicies } from "./exposure";
import { wafPolicies } from "./waf";

export const policies: readonly DomainPolicy[] = [...exposurePolicies, ...wafPolicies];
