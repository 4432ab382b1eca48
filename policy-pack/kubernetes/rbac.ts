/**
 * RBAC bindings and service accounts: no cluster-admin (or namespace admin) for broad groups such
 * as system:authenticated, nothing bound to a namespace's default service account, default service
 * accounts without an API token, and (a stack rule, reading each binding with the role it binds)
 * no service account bound to a role that reads Secrets, escalates, impersonates, execs into pods
 * or rewrites a Service's status.
 */
import { configProperty, resourcePolicy, stackPolicy } from "../lib/policy";
import {
  dependencies,
  knownString,
  namespaceKey,
  StackIndex,
  type StackResource,
} from "../lib/stack-index";
import { asArray, isObject, label, type Props } from "../lib/values";
import {
  BUILT_IN_CLUSTER_ROLES,
  IMPERSONATION,
  type Operation,
  POD_EXEC,
  RBAC_ESCALATION,
  rulesAllowing,
  rulesOf,
  SECRET_READ,
  SERVICE_STATUS,
} from "./rbac-rules";
import { CLUSTER_ROLE, ROLE } from "./roles";

const CLUSTER_ROLE_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding";
const ROLE_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding";

const BROAD_GROUPS = [
  "system:authenticated",
  "system:unauthenticated",
  "system:serviceaccounts",
  "system:masters",
];

/** cluster-admin for broad groups, as one single-type policy per binding kind. */
function noBroadClusterAdmin(type: string, kind: string, name: string) {
  return resourcePolicy({
    name,
    description: `Checks that ${kind}s do not grant cluster-admin to broad groups such as system:authenticated.`,
    enforcementLevel: "mandatory",
    severity: "critical",
    resourceTypes: [type],
    controls: { trivy: ["KSV-0111"], cisEks: ["4.1.1"] },
    validate: (r) => {
      if (r.props.roleRef?.name !== "cluster-admin") return;
      const broad = asArray<Props>(r.props.subjects).filter(
        (s) =>
          s.kind === "Group" &&
          (BROAD_GROUPS.includes(s.name) || String(s.name).startsWith("system:serviceaccounts:")),
      );
      if (broad.length) {
        r.report(
          `${label(kind, r.name)} must not grant cluster-admin to ${broad.map((s) => s.name).join(", ")}: bind a narrower role to named users or service accounts.`,
        );
      }
    },
  });
}

export const k8sNoBroadClusterAdmin = noBroadClusterAdmin(
  CLUSTER_ROLE_BINDING,
  "ClusterRoleBinding",
  "k8s-no-cluster-admin-for-broad-groups",
);
export const k8sNoBroadNamespaceAdmin = noBroadClusterAdmin(
  ROLE_BINDING,
  "RoleBinding",
  "k8s-no-namespace-admin-for-broad-groups",
);

/** Bindings to a namespace's `default` service account, as one single-type policy per binding kind. */
function noDefaultServiceAccountBinding(type: string, kind: string, name: string) {
  return resourcePolicy({
    name,
    description: `Checks that ${kind}s bind nothing to a namespace's default service account.`,
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: [type],
    controls: { checkov: ["CKV_K8S_42"], cisEks: ["4.1.5"] },
    validate: (r) => {
      const bound = asArray<unknown>(r.props.subjects)
        .filter(isObject)
        .filter((s) => s.kind === "ServiceAccount" && s.name === "default");
      if (bound.length) {
        const where = bound.map(
          (s) => s.namespace ?? r.props.metadata?.namespace ?? "its namespace",
        );
        r.report(
          `${label(kind, r.name)} must not bind the default service account (of ${where.join(", ")}): create a service account for the workload and bind that.`,
        );
      }
    },
  });
}

export const k8sRoleBindingNoDefaultServiceAccount = noDefaultServiceAccountBinding(
  ROLE_BINDING,
  "RoleBinding",
  "k8s-role-binding-no-default-service-account",
);
export const k8sClusterRoleBindingNoDefaultServiceAccount = noDefaultServiceAccountBinding(
  CLUSTER_ROLE_BINDING,
  "ClusterRoleBinding",
  "k8s-cluster-role-binding-no-default-service-account",
);

const SERVICE_ACCOUNT = "kubernetes:core/v1:ServiceAccount";

/**
 * Checkov's CKV_K8S_41 reads only a ServiceAccount object named `default` that the code declares (to
 * override the one Kubernetes creates in every namespace): it must set automountServiceAccountToken
 * to false. Pods that use the default account are k8s-no-default-service-account-token's concern.
 */
export const k8sDefaultServiceAccountNoToken = resourcePolicy({
  name: "k8s-default-service-account-no-token",
  description:
    "Checks that a declared default ServiceAccount sets automountServiceAccountToken to false.",
  enforcementLevel: "mandatory",
  severity: "medium",
  resourceTypes: [SERVICE_ACCOUNT],
  controls: { checkov: ["CKV_K8S_41"], cisEks: ["4.1.5"] },
  validate: (r) => {
    if (r.props.metadata?.name !== "default") return;
    if (r.props.automountServiceAccountToken !== false) {
      r.report(
        `${label("ServiceAccount", r.name)} must set automountServiceAccountToken: false: the default account is used by every pod that names none.`,
      );
    }
  },
});

/** What a service account must not get through a binding, with the Checkov check that reads it. */
const BOUND_GRANTS: readonly { what: string; ops: readonly Operation[]; byName?: boolean }[] = [
  { what: "escalate or bind on roles and bindings", ops: RBAC_ESCALATION },
  { what: "exec or attach into pods, or nodes/proxy", ops: POD_EXEC },
  { what: "impersonate", ops: [IMPERSONATION] },
  { what: "update or patch on services/status", ops: [SERVICE_STATUS] },
  { what: "reading Secrets not named in resourceNames", ops: [SECRET_READ], byName: true },
];

/** The rules of the role a binding refers to: declared in the stack, or a built-in ClusterRole. */
function boundRules(index: StackIndex, binding: StackResource): Props[] | undefined {
  const ref = binding.props.roleRef;
  if (!isObject(ref)) return undefined;
  const type = ref.kind === "Role" ? ROLE : ref.kind === "ClusterRole" ? CLUSTER_ROLE : undefined;
  if (!type) return undefined;
  const name = knownString(ref.name);
  const [linked] = dependencies(index, binding, "roleRef", [type]);
  const role =
    linked ??
    index
      .of(type)
      .find(
        (r) =>
          name !== undefined &&
          knownString(r.props.metadata?.name) === name &&
          (type === CLUSTER_ROLE || namespaceKey(index, r) === namespaceKey(index, binding)),
      );
  if (role) return rulesOf(role.props);
  const builtIn =
    type === CLUSTER_ROLE && name !== undefined ? BUILT_IN_CLUSTER_ROLES[name] : undefined;
  return builtIn ? [...builtIn] : undefined;
}

export const k8sServiceAccountBindingsLeastPrivilege = stackPolicy({
  name: "k8s-service-account-bindings-least-privilege",
  description:
    "Checks that no RoleBinding or ClusterRoleBinding gives a service account a role that reads Secrets, escalates or binds, impersonates, execs into pods or reaches nodes/proxy, or changes services/status.",
  enforcementLevel: "mandatory",
  severity: "critical",
  resourceTypes: [ROLE_BINDING, CLUSTER_ROLE_BINDING, ROLE, CLUSTER_ROLE],
  controls: { checkov: ["CKV2_K8S_1", "CKV2_K8S_2", "CKV2_K8S_3", "CKV2_K8S_4", "CKV2_K8S_5"] },
  config: {
    exemptions: configProperty.exemptions(
      "Bindings (by resource name) this rule does not apply to, each with the reason, e.g. a controller that manages Secrets.",
    ),
  },
  validate: ({ args, config, report }) => {
    const index = new StackIndex(args.resources);
    for (const binding of index.of(ROLE_BINDING, CLUSTER_ROLE_BINDING)) {
      if (config.exemptions[binding.name]) continue;
      const accounts = asArray<unknown>(binding.props.subjects)
        .filter(isObject)
        .filter((s) => s.kind === "ServiceAccount");
      if (accounts.length === 0) continue;
      const rules = boundRules(index, binding);
      if (!rules) continue;
      const found = BOUND_GRANTS.filter((g) =>
        g.ops.some((op) => rulesAllowing(rules, op, g.byName).length > 0),
      ).map((g) => g.what);
      if (found.length === 0) continue;
      const kind = binding.type === ROLE_BINDING ? "RoleBinding" : "ClusterRoleBinding";
      report(
        `${label(kind, binding.name)} must not give service account ${accounts.map((s) => s.name).join(", ")} ${found.join(", ")} (through ${String(binding.props.roleRef?.kind)} ${String(binding.props.roleRef?.name)}): bind a role with only what the workload calls, or exempt the binding by name with the reason.`,
        binding.urn,
      );
    }
  },
});

export const rbacPolicies = [
  k8sNoBroadClusterAdmin,
  k8sNoBroadNamespaceAdmin,
  k8sRoleBindingNoDefaultServiceAccount,
  k8sClusterRoleBindingNoDefaultServiceAccount,
  k8sDefaultServiceAccountNoToken,
  k8sServiceAccountBindingsLeastPrivilege,
];
