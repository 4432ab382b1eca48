/** RBAC: no cluster-admin (or namespace admin) for broad groups such as system:authenticated. */
import { resourcePolicy } from "../lib/policy";
import { asArray, label, type Props } from "../lib/values";

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

export const rbacPolicies = [k8sNoBroadClusterAdmin, k8sNoBroadNamespaceAdmin];
