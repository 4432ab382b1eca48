/**
 * Namespaced objects other than workloads (Ingresses, ConfigMaps, Secrets, ServiceAccounts, Roles
 * and RoleBindings) live in a namespace of their own, not `default`, which no quota, default-deny
 * policy or Pod Security label of the platform covers. Workloads have k8s-not-default-namespace.
 */
import { isUnknown } from "@platform/model";
import { resourcePolicy } from "../lib/policy";
import { label } from "../lib/values";
import { namespaceOf } from "./workloads";

const NAMESPACED_KINDS: Record<string, string> = {
  "kubernetes:networking.k8s.io/v1:Ingress": "Ingress",
  "kubernetes:core/v1:ConfigMap": "ConfigMap",
  "kubernetes:core/v1:Secret": "Secret",
  "kubernetes:core/v1:ServiceAccount": "ServiceAccount",
  "kubernetes:rbac.authorization.k8s.io/v1:Role": "Role",
  "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": "RoleBinding",
};

export const k8sObjectsNotDefaultNamespace = resourcePolicy({
  name: "k8s-objects-not-default-namespace",
  description:
    "Checks that Ingresses, ConfigMaps, Secrets, ServiceAccounts, Roles and RoleBindings are placed in a namespace of their own, not default.",
  enforcementLevel: "mandatory",
  severity: "medium",
  resourceTypes: Object.keys(NAMESPACED_KINDS),
  controls: { checkov: ["CKV_K8S_21"], cisEks: ["4.5.2"] },
  validate: (r) => {
    const kind = NAMESPACED_KINDS[r.type];
    if (!kind) return;
    const ns = namespaceOf(r);
    if (isUnknown(ns)) return; // a namespace created by the program, so not "default"
    if (ns === undefined || ns === "" || ns === "default") {
      r.report(
        `${label(kind, r.name)} must not be created in the default namespace: set metadata.namespace to the namespace of the workload it serves.`,
      );
    }
  },
});

export const namespacedObjectPolicies = [k8sObjectsNotDefaultNamespace];
