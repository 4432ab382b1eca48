/** Kubernetes: workload security and reliability, RBAC bindings and role contents, objects' namespaces, Helm releases, default-deny namespaces. */
import type { DomainPolicy } from "../lib/policy";
import { workloadPolicies } from "./workloads";
import { rbacPolicies } from "./rbac";
import { rolePolicies } from "./roles";
import { namespacedObjectPolicies } from "./namespaced-objects";
import { helmPolicies } from "./helm";
import { networkPolicyPolicies } from "./network-policies";

export const policies: readonly DomainPolicy[] = [
  ...workloadPolicies,
  ...rbacPolicies,
  ...rolePolicies,
  ...namespacedObjectPolicies,
  ...helmPolicies,
  ...networkPolicyPolicies,
];
