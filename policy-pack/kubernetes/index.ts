/** Kubernetes: workload security and reliability, RBAC, Helm releases, default-deny namespaces. */
import type { DomainPolicy } from "../lib/policy";
import { workloadPolicies } from "./workloads";
import { rbacPolicies } from "./rbac";
import { helmPolicies } from "./helm";
import { networkPolicyPolicies } from "./network-policies";

export const policies: readonly DomainPolicy[] = [
  ...workloadPolicies,
  ...rbacPolicies,
  ...helmPolicies,
  ...networkPolicyPolicies,
];
