/** Network exposure: world-open ingress, rule descriptions, public subnets, VPC flow logs. */
import type { DomainPolicy } from "../lib/policy";
import { exposurePolicies } from "./exposure";

export const policies: readonly DomainPolicy[] = exposurePolicies;
