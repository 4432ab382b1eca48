/** Violating and passing cases of the IAM policies. */
import type { AnalyzerResource } from "../../tools/analyzer";
import { type Case, exercising, passes, violates } from "../test/case";
import { ACCOUNT, change, policyDocument, urn } from "../test/builders";
import { happy } from "../test/fixtures";

/** A document resource with its policy replaced by these statements. */
const withStatements = (make: () => AnalyzerResource, list: Record<string, unknown>[]) =>
  change(make(), "policy", policyDocument(list));

/** The cases of the document rules every permission-document type has. */
function documentCases(prefix: string, make: () => AnalyzerResource): Case[] {
  const on = (Action: string | string[], Resource: string, extra: Record<string, unknown> = {}) =>
    withStatements(make, [{ Effect: "Allow", Action, Resource, ...extra }]);
  return [
    exercising(
      ["CKV_AWS_62"],
      violates(`${prefix}-no-full-admin`, 'Action "*" on *', on("*", "*")),
    ),
    passes(`${prefix}-no-star-action`, "named actions", make()),
    exercising(
      ["CKV_AWS_63"],
      violates(
        `${prefix}-no-star-action`,
        'Action "*" on one bucket',
        on("*", "arn:aws:s3:::platform-logs"),
      ),
    ),
    passes(
      `${prefix}-no-privilege-escalation`,
      "policy versions of one policy",
      on("iam:CreatePolicyVersion", `arn:aws:iam::${ACCOUNT}:policy/platform-app`),
    ),
    exercising(
      ["CKV_AWS_286"],
      violates(
        `${prefix}-no-privilege-escalation`,
        "iam:CreatePolicyVersion on *",
        on("iam:CreatePolicyVersion", "*"),
      ),
    ),
    violates(
      `${prefix}-no-privilege-escalation`,
      "iam:PassRole and ec2:RunInstances on *",
      on(["iam:PassRole", "ec2:RunInstances"], "*"),
    ),
    passes(
      `${prefix}-no-permissions-management-on-all`,
      "a bucket policy on one bucket",
      on("s3:PutBucketPolicy", "arn:aws:s3:::platform-logs"),
    ),
    exercising(
      ["CKV_AWS_289"],
      violates(
        `${prefix}-no-permissions-management-on-all`,
        "kms:CreateGrant on *",
        on("kms:CreateGrant", "*"),
      ),
    ),
    passes(
      `${prefix}-no-write-on-all`,
      "volumes created only with the cluster's tag",
      on("ec2:CreateVolume", "*", {
        Condition: { StringEquals: { "aws:RequestTag/platform:cluster": "platform" } },
      }),
    ),
    passes(`${prefix}-no-write-on-all`, "an exempted resource", on("ec2:CreateVolume", "*"), {
      [`${prefix}-no-write-on-all`]: {
        exemptions: { [make().name]: "AWS's published add-on policy" },
      },
    }),
    exercising(
      ["CKV_AWS_290"],
      violates(`${prefix}-no-write-on-all`, "ec2:CreateVolume on *", on("ec2:CreateVolume", "*")),
    ),
    passes(
      `${prefix}-no-secret-reads-on-all`,
      "one secret",
      on(
        "secretsmanager:GetSecretValue",
        `arn:aws:secretsmanager:us-west-2:${ACCOUNT}:secret:platform/db-AbCdEf`,
      ),
    ),
    exercising(
      ["CKV_AWS_288"],
      violates(
        `${prefix}-no-secret-reads-on-all`,
        "secretsmanager:GetSecretValue on *",
        on("secretsmanager:GetSecretValue", "*"),
      ),
    ),
  ];
}

export const cases: Case[] = [
  passes("iam-policy-no-full-admin", "scoped policy", happy.iamPolicy()),
  violates(
    "iam-policy-no-full-admin",
    "*:* on *",
    change(
      happy.iamPolicy(),
      "policy",
      policyDocument([{ Effect: "Allow", Action: "*:*", Resource: "*" }]),
    ),
  ),
  passes("iam-role-policy-no-full-admin", "scoped policy", happy.rolePolicy()),
  violates(
    "iam-role-policy-no-full-admin",
    "NotAction on *",
    change(
      happy.rolePolicy(),
      "policy",
      policyDocument([{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }]),
    ),
  ),
  passes("iam-policy-no-sensitive-wildcards", "specific actions", happy.iamPolicy()),
  violates(
    "iam-policy-no-sensitive-wildcards",
    "iam:*",
    change(
      happy.iamPolicy(),
      "policy",
      policyDocument([{ Effect: "Allow", Action: "iam:*", Resource: "*" }]),
    ),
  ),
  passes("iam-role-policy-no-sensitive-wildcards", "specific actions", happy.rolePolicy()),
  passes(
    "iam-role-policy-no-sensitive-wildcards",
    "wildcard on a service not listed",
    change(
      happy.rolePolicy(),
      "policy",
      policyDocument([{ Effect: "Allow", Action: "cloudwatch:*", Resource: "*" }]),
    ),
  ),
  violates(
    "iam-role-policy-no-sensitive-wildcards",
    "kms:*",
    change(
      happy.rolePolicy(),
      "policy",
      policyDocument([{ Effect: "Allow", Action: ["kms:*"], Resource: "*" }]),
    ),
  ),
  passes(
    "iam-role-attached-policies-least-privilege",
    "no inline or managed policies",
    happy.role(),
  ),
  violates(
    "iam-role-attached-policies-least-privilege",
    "inline policy with NotAction on *",
    change(happy.role(), "inlinePolicies", [
      {
        name: "admin",
        policy: policyDocument([{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }]),
      },
    ]),
  ),
  exercising(
    ["CKV_AWS_274"],
    violates(
      "iam-role-attached-policies-least-privilege",
      "AdministratorAccess in managedPolicyArns",
      change(happy.role(), "managedPolicyArns", ["arn:aws:iam::aws:policy/AdministratorAccess"]),
    ),
  ),
  passes("iam-role-policy-attachment-no-admin", "worker node policy", happy.rolePolicyAttachment()),
  exercising(
    ["CKV_AWS_274"],
    violates(
      "iam-role-policy-attachment-no-admin",
      "AdministratorAccess",
      change(
        happy.rolePolicyAttachment(),
        "policyArn",
        "arn:aws:iam::aws:policy/AdministratorAccess",
      ),
    ),
  ),
  passes("iam-no-users", "a role is not a user", happy.role()),
  exercising(
    ["CKV_AWS_273"],
    violates("iam-no-users", "an IAM user", {
      ...happy.role(),
      type: "aws:iam/user:User",
      urn: urn("aws:iam/user:User", "ci"),
      name: "ci",
      properties: { name: "ci" },
    }),
  ),
  passes("iam-role-trust-not-public", "OIDC trust", happy.role()),
  exercising(
    ["CKV_AWS_60"],
    violates(
      "iam-role-trust-not-public",
      "anyone",
      change(
        happy.role(),
        "assumeRolePolicy",
        policyDocument([{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }]),
      ),
    ),
  ),
  passes("iam-irsa-trust-scoped", "one service account", happy.role()),
  exercising(
    ["CIS EKS 5.1.3"],
    violates(
      "iam-irsa-trust-scoped",
      "any service account",
      change(
        happy.role(),
        "assumeRolePolicy",
        JSON.parse(
          JSON.stringify(happy.role().properties.assumeRolePolicy).replace(
            "system:serviceaccount:external-dns:external-dns",
            "system:serviceaccount:*",
          ),
        ),
      ),
    ),
  ),
  ...documentCases("iam-policy", happy.iamPolicy),
  ...documentCases("iam-role-policy", happy.rolePolicy),
  violates(
    "iam-role-attached-policies-least-privilege",
    "inline iam:CreatePolicyVersion on *",
    change(happy.role(), "inlinePolicies", [
      {
        name: "escalate",
        policy: policyDocument([
          { Effect: "Allow", Action: "iam:CreatePolicyVersion", Resource: "*" },
        ]),
      },
    ]),
  ),
  passes("iam-role-trust-no-account-root", "OIDC trust", happy.role()),
  passes(
    "iam-role-trust-no-account-root",
    "one role of another account",
    change(
      happy.role(),
      "assumeRolePolicy",
      policyDocument([
        {
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::444455556666:role/deployer" },
          Action: "sts:AssumeRole",
        },
      ]),
    ),
  ),
  exercising(
    ["CKV_AWS_61"],
    violates(
      "iam-role-trust-no-account-root",
      "an account's root",
      change(
        happy.role(),
        "assumeRolePolicy",
        policyDocument([
          {
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::444455556666:root" },
            Action: "sts:AssumeRole",
          },
        ]),
      ),
    ),
  ),
];
