/**
 * IAM: no statement granting every action on every resource, no service-wide wildcards on services
 * that hold keys, identities or data, no AdministratorAccess-style managed policies, no IAM users,
 * and no role that anyone (or any service account of the cluster) can assume. One resource type
 * per policy, so the runtime skips other resources before deserializing them.
 */
import { isUnknown } from "@platform/model";
import type { ResourceValidationArgs } from "@pulumi/policy";
import {
  configProperty,
  resourcePolicy,
  type ConfigProperties,
  type Controls,
  type DomainPolicy,
} from "../lib/policy";
import { isAllActions, serviceWildcard, statements, type Statement } from "../lib/iam-documents";
import { escalationMethods, permissionsManagementOnAll, secretReads, writesOnAll } from "./actions";
import { asArray, label, undecidable, type Props } from "../lib/values";

const IAM_POLICY = "aws:iam/policy:Policy";
const IAM_ROLE = "aws:iam/role:Role";
const IAM_ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const IAM_ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const IAM_USER = "aws:iam/user:User";

const SENSITIVE_SERVICES = [
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
];
const FORBIDDEN_MANAGED = ["AdministratorAccess", "IAMFullAccess", "PowerUserAccess"];

/** Allow statements of a document; defers to the runtime when the document is unknown. */
function allowStatements(
  args: ResourceValidationArgs,
  document: unknown,
  path: string[],
): Statement[] {
  const list = statements(document);
  if (!list) undecidable(args, path);
  return list.filter((s) => s.effect === "Allow");
}

/** "*" (or NotAction) on every resource. */
function grantsFullAdmin(list: readonly Statement[]): boolean {
  return list.some(
    (s) => (s.actions.some(isAllActions) || s.notActions.length > 0) && s.resources.includes("*"),
  );
}

function sensitiveWildcards(list: readonly Statement[], services: readonly string[]): string[] {
  const found = new Set<string>();
  for (const s of list) {
    for (const a of s.actions) {
      const service = serviceWildcard(a);
      if (service && services.includes(service)) found.add(a);
    }
  }
  return [...found];
}

function forbiddenArns(arns: readonly unknown[], names: readonly string[]): string[] {
  return arns.filter(
    (arn): arn is string =>
      typeof arn === "string" && names.some((name) => arn.endsWith(`:aws:policy/${name}`)),
  );
}

const sensitiveConfig = {
  services: configProperty.strings(
    SENSITIVE_SERVICES,
    "Services on which a service-wide wildcard (service:*) is refused.",
  ),
};
const exemptionsConfig = {
  exemptions: configProperty.exemptions(
    "Resources (by name) this rule does not apply to, each with the reason, e.g. an AWS-published add-on policy.",
  ),
};

/** One rule on permission documents, declared once per document type. */
interface DocumentRule {
  readonly rule: string;
  readonly description: (kind: string) => string;
  readonly severity: "critical" | "high" | "medium";
  readonly controls: Controls;
  /** What the document grants that it must not, each described; empty when it is fine. */
  readonly findings: (list: readonly Statement[], config: { services: string[] }) => string[];
  readonly fix: string;
  readonly config?: ConfigProperties;
}

const DOCUMENT_RULES: readonly DocumentRule[] = [
  {
    rule: "no-full-admin",
    description: (kind) =>
      `Checks that no ${kind} statement allows every action ("*") on every resource.`,
    severity: "critical",
    controls: { checkov: ["CKV_AWS_62"] },
    findings: (list) => (grantsFullAdmin(list) ? ["all actions on all resources"] : []),
    fix: 'list the actions and resources the principal needs (NotAction with Resource "*" counts as all actions)',
  },
  {
    rule: "no-star-action",
    description: (kind) => `Checks that no ${kind} statement allows Action "*", on any resource.`,
    severity: "critical",
    controls: { checkov: ["CKV_AWS_63"] },
    findings: (list) => (list.some((s) => s.actions.some(isAllActions)) ? ['Action "*"'] : []),
    fix: "list the actions the principal needs on that resource",
  },
  {
    rule: "no-sensitive-wildcards",
    description: (kind) =>
      `Checks that ${kind}s grant no service-wide wildcard (e.g. iam:*, kms:*) on sensitive services.`,
    severity: "high",
    controls: {},
    findings: (list, config) => sensitiveWildcards(list, config.services),
    fix: "list the specific actions the principal needs",
    config: sensitiveConfig,
  },
  {
    rule: "no-privilege-escalation",
    description: (kind) =>
      `Checks that no ${kind} allows, on Resource "*" without a condition, every action of a known privilege-escalation method (e.g. iam:CreatePolicyVersion, iam:PassRole with ec2:RunInstances).`,
    severity: "critical",
    controls: { checkov: ["CKV_AWS_286"] },
    findings: (list) => escalationMethods(list).map((m) => `the escalation method ${m}`),
    fix: "scope the IAM actions to the ARNs they manage, or add a condition",
    config: exemptionsConfig,
  },
  {
    rule: "no-permissions-management-on-all",
    description: (kind) =>
      `Checks that no ${kind} allows permissions-management actions (policies, permissions, grants, ACLs) on Resource "*" without a condition.`,
    severity: "high",
    controls: { checkov: ["CKV_AWS_289"] },
    findings: (list) => permissionsManagementOnAll(list),
    fix: "scope them to the resources they manage, or add a condition such as aws:ResourceTag",
    config: exemptionsConfig,
  },
  {
    rule: "no-write-on-all",
    description: (kind) =>
      `Checks that no ${kind} allows write actions on Resource "*" without a condition.`,
    severity: "high",
    controls: { checkov: ["CKV_AWS_290"] },
    findings: (list) => writesOnAll(list),
    fix: "scope them to the resources they change, or add a condition such as aws:ResourceTag",
    config: exemptionsConfig,
  },
  {
    rule: "no-secret-reads-on-all",
    description: (kind) =>
      `Checks that no ${kind} allows reading objects, parameters or secrets (s3:GetObject, ssm:GetParameter*, secretsmanager:GetSecretValue) on Resource "*" without a condition.`,
    severity: "high",
    controls: { checkov: ["CKV_AWS_288"] },
    findings: (list) => secretReads(list),
    fix: "scope them to the buckets, parameters or secrets the principal reads",
    config: exemptionsConfig,
  },
];

/** Every document rule for a resource type whose `policy` input is a permission document. */
function documentPolicies(type: string, kind: string, prefix: string): DomainPolicy[] {
  return DOCUMENT_RULES.map((rule) =>
    resourcePolicy({
      name: `${prefix}-${rule.rule}`,
      description: rule.description(kind),
      enforcementLevel: "mandatory",
      severity: rule.severity,
      resourceTypes: [type],
      controls: rule.controls,
      config: rule.config,
      validate: (r) => {
        const config = r.config as { services?: string[]; exemptions?: Record<string, string> };
        if (config.exemptions?.[r.name]) return;
        const found = rule.findings(allowStatements(r.args, r.props.policy, ["policy"]), {
          services: config.services ?? [],
        });
        if (found.length > 0) {
          r.report(`${label(kind, r.name)} must not grant ${found.join(", ")}: ${rule.fix}.`);
        }
      },
    }),
  );
}

export const iamRoleAttachedPolicies = resourcePolicy({
  name: "iam-role-attached-policies-least-privilege",
  description:
    'Checks that a role\'s inline policies and managed policy ARNs grant neither full admin, Action "*", sensitive service wildcards, a privilege-escalation method on "*" nor AdministratorAccess-style managed policies.',
  enforcementLevel: "mandatory",
  severity: "critical",
  resourceTypes: [IAM_ROLE],
  // Checkov reads inline_policy of aws_iam_role for no document check, only for CKV_AWS_274.
  controls: { checkov: ["CKV_AWS_274"] },
  config: {
    ...sensitiveConfig,
    forbiddenManagedPolicies: configProperty.strings(
      FORBIDDEN_MANAGED,
      "AWS managed policy names that must not be attached.",
    ),
  },
  validate: (r) => {
    const inline = r.props.inlinePolicies;
    if (isUnknown(inline)) undecidable(r.args, ["inlinePolicies"]);
    const list = asArray<Props>(inline).flatMap((p, i) =>
      allowStatements(r.args, p.policy, ["inlinePolicies", String(i), "policy"]),
    );
    const problems: string[] = [];
    if (grantsFullAdmin(list))
      problems.push("an inline statement allowing all actions on all resources");
    else if (list.some((st) => st.actions.some(isAllActions)))
      problems.push('an inline statement allowing Action "*"');
    const escalations = escalationMethods(list);
    if (escalations.length) problems.push(`inline escalation methods ${escalations.join(", ")}`);
    const wildcards = sensitiveWildcards(list, r.config.services);
    if (wildcards.length) problems.push(`inline wildcards ${wildcards.join(", ")}`);
    const managed = forbiddenArns(
      asArray(r.props.managedPolicyArns),
      r.config.forbiddenManagedPolicies,
    );
    if (managed.length) problems.push(`managed policies ${managed.join(", ")}`);
    if (problems.length) {
      r.report(
        `${label("IAM role", r.name)} must not carry ${problems.join("; ")}: grant the specific actions the workload needs in a scoped policy.`,
      );
    }
  },
});

export const iamRolePolicyAttachmentNoAdmin = resourcePolicy({
  name: "iam-role-policy-attachment-no-admin",
  description:
    "Checks that AdministratorAccess and similar AWS managed policies are not attached to roles.",
  enforcementLevel: "mandatory",
  severity: "critical",
  resourceTypes: [IAM_ROLE_POLICY_ATTACHMENT],
  controls: { checkov: ["CKV_AWS_274"] },
  config: {
    forbidden: configProperty.strings(
      FORBIDDEN_MANAGED,
      "AWS managed policy names that must not be attached.",
    ),
  },
  validate: (r) => {
    const bad = forbiddenArns([r.props.policyArn], r.config.forbidden);
    if (bad.length > 0) {
      r.report(
        `${label("IAM role policy attachment", r.name)} must not attach ${bad.join(", ")}: write a policy with the actions the role needs.`,
      );
    }
  },
});

export const iamNoUsers = resourcePolicy({
  name: "iam-no-users",
  description:
    "Checks that the platform creates no IAM users (long-lived keys); people use SSO and workloads use roles.",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [IAM_USER],
  controls: { checkov: ["CKV_AWS_273"] },
  validate: (r) => {
    r.report(
      `${label("IAM user", r.name)} must not be created: give people IAM Identity Center access and workloads an IAM role (IRSA or Pod Identity, or OIDC for CI).`,
    );
  },
});

export const iamRoleTrustNotPublic = resourcePolicy({
  name: "iam-role-trust-not-public",
  description: "Checks that no IAM role can be assumed by any principal.",
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

/** An account id or an account's root, as Checkov's CKV_AWS_61 matches it. */
const ACCOUNT_PRINCIPAL = /^(\d{12}|arn:aws:iam::\d{12}:root)$/;

export const iamRoleTrustNoAccountRoot = resourcePolicy({
  name: "iam-role-trust-no-account-root",
  description:
    "Checks that no IAM role trusts a whole account (its id or its root), which lets every principal of that account with sts:AssumeRole assume it.",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [IAM_ROLE],
  controls: { checkov: ["CKV_AWS_61"] },
  validate: (r) => {
    const list = statements(r.props.assumeRolePolicy);
    if (!list) undecidable(r.args, ["assumeRolePolicy"]);
    const accounts = list
      .filter((s) => s.effect !== "Deny")
      .flatMap((s) => s.principals)
      .filter((p) => p.startsWith("AWS:") && ACCOUNT_PRINCIPAL.test(p.slice(4)));
    if (accounts.length > 0) {
      r.report(
        `${label("IAM role", r.name)} must not trust ${accounts.map((a) => a.slice(4)).join(", ")}: name the role or user ARNs that may assume it.`,
      );
    }
  },
});

export const iamIrsaTrustScoped = resourcePolicy({
  name: "iam-irsa-trust-scoped",
  description:
    "Checks that roles trusted by an OIDC provider (IRSA) name the exact service account allowed to assume them.",
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

export const permissionPolicies = [
  ...documentPolicies(IAM_POLICY, "IAM policy", "iam-policy"),
  ...documentPolicies(IAM_ROLE_POLICY, "IAM role policy", "iam-role-policy"),
  iamRoleAttachedPolicies,
  iamRolePolicyAttachmentNoAdmin,
  iamNoUsers,
  iamRoleTrustNotPublic,
  iamRoleTrustNoAccountRoot,
  iamIrsaTrustScoped,
];
