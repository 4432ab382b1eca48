/** EKS control plane: endpoint exposure, secrets encryption, control plane logs, supported version. */
import type { DomainPolicy } from "../lib/policy";
import { clusterPolicies } from "./cluster";

export const policies: readonly DomainPolicy[] = clusterPolicies;
