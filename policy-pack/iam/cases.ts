/** Violating and passing cases of the IAM policies. */
import { type Case, passes, violates } from "../test/case";
import { change, policyDocument, urn } from "../test/builders";
import { happy } from "../test/fixtures";

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
  violates(
    "iam-role-attached-policies-least-privilege",
    "AdministratorAccess in managedPolicyArns",
    change(happy.role(), "managedPolicyArns", ["arn:aws:iam::aws:policy/AdministratorAccess"]),
  ),
  passes("iam-role-policy-attachment-no-admin", "worker node policy", happy.rolePolicyAttachment()),
  violates(
    "iam-role-policy-attachment-no-admin",
    "AdministratorAccess",
    change(
      happy.rolePolicyAttachment(),
      "policyArn",
      "arn:aws:iam::aws:policy/AdministratorAccess",
    ),
  ),
  passes("iam-no-users", "a role is not a user", happy.role()),
  violates("iam-no-users", "an IAM user", {
    ...happy.role(),
    type: "aws:iam/user:User",
    urn: urn("aws:iam/user:User", "ci"),
    name: "ci",
    properties: { name: "ci" },
  }),
  passes("iam-role-trust-not-public", "OIDC trust", happy.role()),
  violates(
    "iam-role-trust-not-public",
    "anyone",
    change(
      happy.role(),
      "assumeRolePolicy",
      policyDocument([{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }]),
    ),
  ),
  passes("iam-irsa-trust-scoped", "one service account", happy.role()),
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
];
