/**
 * What RBAC rules grant: matching a Role's or ClusterRole's `rules` against an operation (API
 * groups, resources, verbs) the way the API server's authorizer does, wildcards included.
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources
 */
import { asArray, isObject, type Props } from "../lib/values";

/** An operation on the API: any of the groups, any of the resources, any of the verbs. */
export interface Operation {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

const RBAC_GROUP = "rbac.authorization.k8s.io";

/** The rules of a Role or ClusterRole, skipping entries that are not objects. */
export function rulesOf(props: Props): Props[] {
  return asArray<unknown>(props.rules).filter(isObject);
}

function strings(value: unknown): string[] {
  return asArray<unknown>(value).filter((v): v is string => typeof v === "string");
}

/** `*` matches every resource; `*\/exec` every resource's exec subresource. */
function resourceMatches(granted: string, wanted: string): boolean {
  if (granted === "*" || granted === wanted) return true;
  const slash = wanted.indexOf("/");
  return slash > 0 && granted === `*${wanted.slice(slash)}`;
}

/** True when the rule allows some verb of the operation on some of its resources and groups. */
export function allows(rule: Props, op: Operation): boolean {
  const groups = strings(rule.apiGroups);
  const verbs = strings(rule.verbs);
  const resources = strings(rule.resources);
  return (
    groups.some((g) => g === "*" || op.apiGroups.includes(g)) &&
    verbs.some((v) => v === "*" || op.verbs.includes(v)) &&
    resources.some((r) => op.resources.some((w) => resourceMatches(r, w)))
  );
}

/** True when the rule names specific objects (resourceNames), which narrows every verb but create and deletecollection. */
export function scopedByName(rule: Props, op: Operation): boolean {
  if (strings(rule.resourceNames).length === 0) return false;
  const verbs = strings(rule.verbs).filter((v) => v === "*" || op.verbs.includes(v));
  return !verbs.some((v) => v === "*" || v === "create" || v === "deletecollection");
}

/** Where a rule uses the `*` wildcard: the fields, e.g. ["apiGroups", "verbs"]. */
export function wildcardFields(rule: Props): string[] {
  return ["apiGroups", "resources", "verbs"].filter((f) => strings(rule[f]).includes("*"));
}

/** Reading or writing Secrets (every verb but impersonate). */
export const SECRET_ACCESS: Operation = {
  apiGroups: [""],
  resources: ["secrets"],
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"],
};

/** Reading Secrets (CKV2_K8S_5). */
export const SECRET_READ: Operation = {
  apiGroups: [""],
  resources: ["secrets"],
  verbs: ["get", "list", "watch"],
};

/** Granting permissions one does not hold: escalate and bind on roles (and, as Checkov reads it, bindings). */
export const RBAC_ESCALATION: readonly Operation[] = [
  {
    apiGroups: [RBAC_GROUP],
    resources: ["roles", "clusterroles", "rolebindings", "clusterrolebindings"],
    verbs: ["escalate", "bind"],
  },
];

/** Acting as another user, group or service account. */
export const IMPERSONATION: Operation = {
  apiGroups: ["", "authentication.k8s.io"],
  resources: ["users", "groups", "serviceaccounts", "uids", "userextras"],
  verbs: ["impersonate"],
};

/** Running commands in containers and reaching the kubelet API. */
export const POD_EXEC: readonly Operation[] = [
  { apiGroups: [""], resources: ["pods/exec", "pods/attach"], verbs: ["create"] },
  // GET on nodes/proxy is enough to open the kubelet's exec endpoint over a WebSocket.
  { apiGroups: [""], resources: ["nodes/proxy"], verbs: ["get", "create"] },
];

/** Changing admission webhooks, which see (and may rewrite) every object admitted. */
export const WEBHOOK_CONTROL: Operation = {
  apiGroups: ["admissionregistration.k8s.io"],
  resources: ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"],
  verbs: ["create", "update", "patch", "delete", "deletecollection"],
};

/** Approving certificate signing requests takes both permissions. */
export const CSR_APPROVAL: readonly Operation[] = [
  {
    apiGroups: ["certificates.k8s.io"],
    resources: ["certificatesigningrequests/approval"],
    verbs: ["update", "patch"],
  },
  { apiGroups: ["certificates.k8s.io"], resources: ["signers"], verbs: ["approve"] },
];

/** Changing a Service's status (CVE-2020-8554: a forged load balancer IP intercepts traffic). */
export const SERVICE_STATUS: Operation = {
  apiGroups: [""],
  resources: ["services/status"],
  verbs: ["update", "patch"],
};

/** Indexes (rules[i]) of the rules that allow the operation, skipping rules scoped by name when asked. */
export function rulesAllowing(rules: readonly Props[], op: Operation, byName = false): number[] {
  return rules.flatMap((rule, i) =>
    allows(rule, op) && !(byName && scopedByName(rule, op)) ? [i] : [],
  );
}

/** The built-in ClusterRole every cluster has, whose rules a stack does not declare. */
export const BUILT_IN_CLUSTER_ROLES: Readonly<Record<string, readonly Props[]>> = {
  // https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles
  "cluster-admin": [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }],
};
