/**
 * IAM: no statement granting every action on every resource, no service-wide wildcards on services
 * that hold keys, identities or data, no AdministratorAccess-style managed policies, and no role
 * that anyone (or any service account of the cluster) can assume.
 */
import { configProperty, resourcePolicy, type ResourceContext } from "./lib/policy";
import { isAllActions, serviceWildcard, statements, type Statement } from "./lib/iam-documents";
import { asArray, isUnknown, label, undecidable, type Props } from "./lib/values";

export const IAM_POLICY = "aws:iam/policy:Policy";
export const IAM_ROLE = "aws:iam/role:Role";
export const IAM_ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
export const IAM_USER_POLICY = "aws:iam/userPolicy:UserPolicy";
export const IAM_GROUP_POLICY = "aws:iam/groupPolicy:GroupPolicy";
export const POLICY_ATTACHMENT_TYPES = [
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  "aws:iam/userPolicyAttachment:UserPolicyAttachment",
  "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
  "aws:iam/policyAttachment:PolicyAttachment",
];
const DOCUMENT_TYPES = [IAM_POLICY, IAM_ROLE_POLICY, IAM_USER_POLICY, IAM_GROUP_POLICY, IAM_ROLE];

const KIND: Record<string, string> = {
  [IAM_POLICY]: "IAM policy",
  [IAM_ROLE_POLICY]: "IAM role policy",
  [IAM_USER_POLICY]: "IAM user policy",
  [IAM_GROUP_POLICY]: "IAM group policy",
  [IAM_ROLE]: "IAM role",
};

/** Allow statements of every permission document the resource carries (inline role policies too). */
function allowStatements(r: ResourceContext<unknown>): Statement[] {
  const out: Statement[] = [];
  if (r.type === IAM_ROLE) {
    const inline = r.props.inlinePolicies;
    if (isUnknown(inline)) undecidable(r.args, ["inlinePolicies"]);
    asArray<Props>(inline).forEach((p, i) => {
      const list = statements(p.policy);
      if (!list) undecidable(r.args, ["inlinePolicies", String(i), "policy"]);
      out.push(...list);
    });
  } else {
    const list = statements(r.props.policy);
    if (!list) undecidable(r.args, ["policy"]);
    out.push(...list);
  }
  return out.filter((s) => s.effect === "Allow");
}

export const iamNoFullAdmin = resourcePolicy({
  name: "iam-no-full-admin-statements",
  description: 'Checks that no IAM policy statement allows every action ("*") on every resource.',
  domain: "iam",
  enforcementLevel: "mandatory",
  severity: "critical",
  resourceTypes: DOCUMENT_TYPES,
  controls: {
    checkov: ["CKV_AWS_62", "CKV_AWS_63", "CKV_AWS_1"],
    trivy: ["AVD-AWS-0057"],
    cisEks: ["5.1.3"],
  },
  validate: (r) => {
    const admin = allowStatements(r).some(
      (s) => (s.actions.some(isAllActions) || s.notActions.length > 0) && s.resources.includes("*"),
    );
    if (admin) {
      r.report(
        `${label(KIND[r.type], r.name)} must not allow all actions on all resources: list the actions and resources the principal needs (NotAction with Resource "*" counts as all actions).`,
      );
    }
  },
});

export const iamNoSensitiveWildcards = resourcePolicy({
  name: "iam-no-sensitive-service-wildcards",
  description:
    "Checks that IAM policies do not grant service-wide wildcards (e.g. iam:*, kms:*) on sensitive services.",
  domain: "iam",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: DOCUMENT_TYPES,
  controls: { checkov: ["CKV_AWS_63", "CKV_AWS_286", "CKV_AWS_289"], trivy: ["AVD-AWS-0057"] },
  config: {
    services: configProperty.strings(
      [
        "iam",
        "kms",
        "sts",
        "secretsmanager",
        "organizations",
        "s3",
        "ec2",
        "eks",
        "rds",
        "dynamodb",
        "lambda",
        "ssm",
      ],
      "Services on which a service-wide wildcard (service:*) is refused.",
    ),
  },
  validate: (r) => {
    const sensitive = new Set(r.config.services);
    const found = new Set<string>();
    for (const s of allowStatements(r)) {
      for (const a of s.actions) {
        const service = serviceWildcard(a);
        if (service && sensitive.has(service)) found.add(a);
      }
    }
    if (found.size > 0) {
      r.report(
        `${label(KIND[r.type], r.name)} must not grant ${[...found].join(", ")}: list the specific actions the principal needs.`,
      );
    }
  },
});

export const iamNoAdminManagedPolicy = resourcePolicy({
  name: "iam-no-admin-managed-policies",
  description: "Checks that AdministratorAccess and similar AWS managed policies are not attached.",
  domain: "iam",
  enforcementLevel: "mandatory",
  severity: "critical",
  resourceTypes: [...POLICY_ATTACHMENT_TYPES, IAM_ROLE],
  controls: { checkov: ["CKV_AWS_274"] },
  config: {
    forbidden: configProperty.strings(
      ["AdministratorAccess", "IAMFullAccess", "PowerUserAccess"],
      "AWS managed policy names that must not be attached.",
    ),
  },
  validate: (r) => {
    const arns =
      r.type === IAM_ROLE ? asArray<string>(r.props.managedPolicyArns) : [r.props.policyArn];
    const forbidden = r.config.forbidden;
    const bad = arns.filter(
      (arn) =>
        typeof arn === "string" && forbidden.some((name) => arn.endsWith(`:aws:policy/${name}`)),
    );
    if (bad.length > 0) {
      r.report(
        `${label(r.type === IAM_ROLE ? "IAM role" : "IAM policy attachment", r.name)} must not attach ${bad.join(", ")}: write a policy with the actions the principal needs.`,
      );
    }
  },
});

export const iamRoleTrustNotPublic = resourcePolicy({
  name: "iam-role-trust-not-public",
  description: "Checks that no IAM role can be assumed by any principal.",
  domain: "iam",
  enforcementLevel: "mandatory",
  severity: "critical",
  resourceTypes: [IAM_ROLE],
  controls: { checkov: ["CKV_AWS_60"] },
  validate: (r) => {
    const list = statements(r.props.assumeRolePolicy);
    if (!list) undecidable(r.args, ["assumeRolePolicy"]);
    if (list.some((s) => s.effect === "Allow" && s.principals.includes("*") && !s.hasCondition)) {
      r.report(
        `${label("IAM role", r.name)} must not be assumable by anyone: name the trusted account, service or OIDC provider in assumeRolePolicy.`,
      );
    }
  },
});

export const iamIrsaTrustScoped = resourcePolicy({
  name: "iam-irsa-trust-scoped",
  description:
    "Checks that roles trusted by an OIDC provider (IRSA) name the exact service account allowed to assume them.",
  domain: "iam",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [IAM_ROLE],
  controls: { cisEks: ["5.1.3"] },
  validate: (r) => {
    const list = statements(r.props.assumeRolePolicy);
    if (!list) undecidable(r.args, ["assumeRolePolicy"]);
    for (const s of list) {
      const federated = s.principals.some(
        (p) => p.startsWith("Federated:") && p.includes("oidc-provider"),
      );
      if (s.effect !== "Allow" || !federated) continue;
      const equals = (s.condition.StringEquals ?? {}) as Props;
      const sub = Object.entries(equals).find(([k]) => k.endsWith(":sub"));
      const value = sub?.[1];
      const scoped =
        typeof value === "string"
          ? !value.includes("*")
          : Array.isArray(value) && value.every((v) => typeof v === "string" && !v.includes("*"));
      if (!sub || !scoped) {
        r.report(
          `${label("IAM role", r.name)} must restrict its OIDC trust to one service account: add Condition StringEquals { "<issuer>:sub": "system:serviceaccount:<namespace>:<name>", "<issuer>:aud": "sts.amazonaws.com" }.`,
        );
      }
    }
  },
});

export const iamPolicies = [
  iamNoFullAdmin,
  iamNoSensitiveWildcards,
  iamNoAdminManagedPolicy,
  iamRoleTrustNotPublic,
  iamIrsaTrustScoped,
];
