/** The edge: CloudFront distributions and the ALBs behind them. */
import type { DomainPolicy } from "../lib/policy";
import { distributionPolicies } from "./distribution";

export const policies: readonly DomainPolicy[] = [...distributionPolicies];
