/** Rules every AWS resource follows: cost-allocation tags, allowed regions, instance families. */
import type { DomainPolicy } from "../lib/policy";
import { tagPolicies } from "./tags";
import { regionPolicies } from "./regions";
import { capacityPolicies } from "./capacity";

export const policies: readonly DomainPolicy[] = [
  ...tagPolicies,
  ...regionPolicies,
  ...capacityPolicies,
];
