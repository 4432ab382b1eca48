/** Deletion safety: stateful resources protected, KMS key deletion windows. */
import type { DomainPolicy } from "../lib/policy";
import { protectionPolicies } from "./protection";

export const policies: readonly DomainPolicy[] = protectionPolicies;
