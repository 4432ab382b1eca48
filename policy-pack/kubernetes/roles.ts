/**
 * What Roles and ClusterRoles grant: no wildcards, no access to Secrets, no RBAC escalation or
 * impersonation, no exec into pods or the kubelet's proxy, no control of admission webhooks or of
 * certificate approval. Each rule is a pair of single-type policies (`k8s-role-*`,
 * `k8s-cluster-role-*`); a role that needs a grant (a controller that manages Secrets) is exempted
 * by name, with the reason, in the stack's policy config.
 */
import { configProperty, resourcePolicy, type Controls, type DomainPolicy } from "../lib/policy";
import { label, type Props } from "../lib/values";
import {
  CSR_APPROVAL,
  IMPERSONATION,
  POD_EXEC,
  RBAC_ESCALATION,
  rulesAllowing,
  rulesOf,
  SECRET_ACCESS,
  WEBHOOK_CONTROL,
  wildcardFields,
} from "./rbac-rules";

export const ROLE = "kubernetes:rbac.authorization.k8s.io/v1:Role";
export const CLUSTER_ROLE = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole";

const exemptionsConfig = {
  exemptions: configProperty.exemptions(
    "Roles (by resource name) this rule does not apply to, each with the reason, e.g. a controller that manages Secrets.",
  ),
};

interface RoleRule {
  /** The policy name's suffix: `k8s-role-<rule>` and `k8s-cluster-role-<rule>`. */
  readonly rule: string;
  /** Completes "Checks that <kind>s ...". */
  readonly checks: string;
  readonly severity: "critical" | "high" | "medium";
  /** Controls per kind; a kind without an entry gets no policy (the grant means nothing there). */
  readonly controls: { readonly Role?: Controls; readonly ClusterRole: Controls };
  /** What the rules grant that they must not, each described; empty when they are fine. */
  readonly findings: (rules: readonly Props[]) => string[];
  readonly fix: string;
}

const at = (indexes: readonly number[]) => indexes.map((i) => `rules[${i}]`).join(", ");

const ROLE_RULES: readonly RoleRule[] = [
  {
    rule: "no-wildcards",
    checks: 'grant no "*" in the API groups, resources or verbs of a rule',
    severity: "high",
    controls: {
      Role: {
        checkov: ["CKV_K8S_49"],
        trivy: ["KSV-0044", "KSV-0045", "KSV-0112"],
        cisEks: ["4.1.3"],
      },
      ClusterRole: {
        checkov: ["CKV_K8S_49"],
        trivy: ["KSV-0044", "KSV-0045", "KSV-0046"],
        cisEks: ["4.1.3"],
      },
    },
    findings: (rules) =>
      rules.flatMap((rule, i) => {
        const fields = wildcardFields(rule);
        return fields.length ? [`"*" in rules[${i}].${fields.join(", ")}`] : [];
      }),
    fix: "list the API groups, resources and verbs the subject needs",
  },
  {
    rule: "no-secret-access",
    checks:
      "grant no access to Secrets (get, list, watch or any write) other than to Secrets named in resourceNames",
    severity: "high",
    controls: {
      Role: { trivy: ["KSV-0113"], cisEks: ["4.1.2"] },
      ClusterRole: { trivy: ["KSV-0041"], cisEks: ["4.1.2"] },
    },
    findings: (rules) => {
      const found = rulesAllowing(rules, SECRET_ACCESS, true);
      return found.length ? [`access to secrets (${at(found)})`] : [];
    },
    fix: "name the Secrets it reads in resourceNames, or mount them into the pod instead; a controller that manages Secrets gets a named exemption",
  },
  {
    rule: "no-rbac-escalation",
    checks: "grant neither escalate or bind on roles and bindings nor impersonate",
    severity: "critical",
    controls: {
      Role: {
        checkov: ["CKV_K8S_157", "CKV_K8S_158"],
        trivy: ["KSV-0043", "KSV-0050", "KSV-0051", "KSV-0052"],
        cisEks: ["4.1.8"],
      },
      ClusterRole: {
        checkov: ["CKV_K8S_157", "CKV_K8S_158"],
        trivy: ["KSV-0043", "KSV-0050", "KSV-0051", "KSV-0052"],
        cisEks: ["4.1.8"],
      },
    },
    findings: (rules) => {
      const escalate = RBAC_ESCALATION.flatMap((op) => rulesAllowing(rules, op));
      const impersonate = rulesAllowing(rules, IMPERSONATION);
      return [
        ...(escalate.length ? [`escalate or bind (${at([...new Set(escalate)])})`] : []),
        ...(impersonate.length ? [`impersonate (${at(impersonate)})`] : []),
      ];
    },
    fix: "grant the permissions themselves instead of the right to grant them, and drop impersonate",
  },
  {
    rule: "no-pod-exec-or-node-proxy",
    checks: "grant neither exec or attach into pods nor the kubelet's API through nodes/proxy",
    severity: "high",
    controls: {
      Role: { trivy: ["KSV-0047", "KSV-0053", "KSV-0054"] },
      ClusterRole: { trivy: ["KSV-0047", "KSV-0053", "KSV-0054"] },
    },
    findings: (rules) =>
      POD_EXEC.flatMap((op) => {
        const found = rulesAllowing(rules, op);
        return found.length
          ? [`${op.verbs.join("/")} on ${op.resources.join(", ")} (${at(found)})`]
          : [];
      }),
    fix: "run diagnostics through logs, metrics and ephemeral debug sessions granted to people, not to service accounts",
  },
  {
    rule: "no-webhook-control",
    checks: "grant no write access to mutating or validating admission webhook configurations",
    severity: "critical",
    controls: {
      Role: { trivy: ["KSV-0114"] },
      ClusterRole: { checkov: ["CKV_K8S_155"], trivy: ["KSV-0114"] },
    },
    findings: (rules) => {
      const found = rulesAllowing(rules, WEBHOOK_CONTROL);
      return found.length ? [`writes to admission webhook configurations (${at(found)})`] : [];
    },
    fix: "let the chart that owns the webhook manage it; grant get, list and watch only",
  },
  {
    rule: "no-csr-approval",
    checks:
      "grant no approval of CertificateSigningRequests (update on certificatesigningrequests/approval with approve on signers)",
    severity: "critical",
    controls: { ClusterRole: { checkov: ["CKV_K8S_156"] } },
    findings: (rules) => {
      const found = CSR_APPROVAL.map((op) => rulesAllowing(rules, op));
      return found.every((f) => f.length > 0)
        ? [`approval of certificate signing requests (${at([...new Set(found.flat())])})`]
        : [];
    },
    fix: "leave approval to the cluster's own approvers",
  },
];

function rolePolicy(
  rule: RoleRule,
  kind: "Role" | "ClusterRole",
  controls: Controls,
): DomainPolicy {
  const prefix = kind === "Role" ? "k8s-role" : "k8s-cluster-role";
  return resourcePolicy({
    name: `${prefix}-${rule.rule}`,
    description: `Checks that ${kind}s ${rule.checks}.`,
    enforcementLevel: "mandatory",
    severity: rule.severity,
    resourceTypes: [kind === "Role" ? ROLE : CLUSTER_ROLE],
    controls,
    config: exemptionsConfig,
    validate: (r) => {
      if (r.config.exemptions[r.name]) return;
      const found = rule.findings(rulesOf(r.props));
      if (found.length) {
        r.report(`${label(kind, r.name)} must not grant ${found.join("; ")}: ${rule.fix}.`);
      }
    },
  });
}

export const rolePolicies: DomainPolicy[] = ROLE_RULES.flatMap((rule) =>
  (["Role", "ClusterRole"] as const).flatMap((kind) => {
    const controls = rule.controls[kind];
    return controls ? [rolePolicy(rule, kind, controls)] : [];
  }),
);
