/** Alerting: production alarms and alerts reach a person. */
import type { DomainPolicy } from "../lib/policy";
import { receiverPolicies } from "./receivers";

export const policies: readonly DomainPolicy[] = receiverPolicies;
