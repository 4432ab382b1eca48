/**
 * What an IAM statement grants on every resource, classified as the scanners classify it. The
 * escalation methods and the secret-reading actions are cloudsplaining's lists (salesforce/cloudsplaining
 * 0.7.0, cloudsplaining/shared/constants.py, the range Checkov 3.3.13 pins for CKV_AWS_286 and
 * CKV_AWS_288). Checkov classifies write and permissions-management actions by the IAM access levels
 * of the Service Authorization Reference (through policy_sentry); the pack has no copy of that
 * database, so it classifies by the action's verb, which is how the reference names them: a
 * permissions-management action changes a policy, permission, grant or ACL; a write action creates,
 * changes or deletes anything else (tagging is its own access level and is not a write).
 */
import type { Statement } from "../lib/iam-documents";

/** Rhino Security Labs' escalation methods: each is a set of actions that together escalate. */
export const PRIVILEGE_ESCALATION_METHODS: Readonly<Record<string, readonly string[]>> = {
  CreateAccessKey: ["iam:CreateAccessKey"],
  CreateLoginProfile: ["iam:CreateLoginProfile"],
  UpdateLoginProfile: ["iam:UpdateLoginProfile"],
  AddUserToGroup: ["iam:AddUserToGroup"],
  CreateNewPolicyVersion: ["iam:CreatePolicyVersion"],
  SetExistingDefaultPolicyVersion: ["iam:SetDefaultPolicyVersion"],
  AttachUserPolicy: ["iam:AttachUserPolicy"],
  AttachGroupPolicy: ["iam:AttachGroupPolicy"],
  AttachRolePolicy: ["iam:AttachRolePolicy", "sts:AssumeRole"],
  PutUserPolicy: ["iam:PutUserPolicy"],
  PutGroupPolicy: ["iam:PutGroupPolicy"],
  PutRolePolicy: ["iam:PutRolePolicy", "sts:AssumeRole"],
  UpdateRolePolicyToAssumeIt: ["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"],
  CreateEC2WithExistingIP: ["iam:PassRole", "ec2:RunInstances"],
  PassExistingRoleToNewLambdaThenInvoke: [
    "iam:PassRole",
    "lambda:CreateFunction",
    "lambda:InvokeFunction",
  ],
  PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo: [
    "iam:PassRole",
    "lambda:CreateFunction",
    "lambda:CreateEventSourceMapping",
  ],
  PassExistingRoleToNewGlueDevEndpoint: ["iam:PassRole", "glue:CreateDevEndpoint"],
  PassExistingRoleToCloudFormation: ["iam:PassRole", "cloudformation:CreateStack"],
  PassExistingRoleToNewDataPipeline: ["iam:PassRole", "datapipeline:CreatePipeline"],
  UpdateExistingGlueDevEndpoint: ["glue:UpdateDevEndpoint"],
  EditExistingLambdaFunctionWithRole: ["lambda:UpdateFunctionCode"],
};

/** Read actions that return secrets or data (cloudsplaining's READ_ONLY_DATA_EXFILTRATION_ACTIONS). */
export const SECRET_READ_ACTIONS = [
  "s3:GetObject",
  "ssm:GetParameter",
  "ssm:GetParameters",
  "ssm:GetParametersByPath",
  "secretsmanager:GetSecretValue",
];

const WRITE_VERBS = [
  "Accept",
  "Add",
  "Allocate",
  "Apply",
  "Assign",
  "Associate",
  "Attach",
  "Authorize",
  "Cancel",
  "Change",
  "Copy",
  "Create",
  "Delete",
  "Deregister",
  "Detach",
  "Disable",
  "Disassociate",
  "Enable",
  "Execute",
  "Export",
  "Import",
  "Invoke",
  "Modify",
  "Pass",
  "Publish",
  "Put",
  "Reboot",
  "Register",
  "Reject",
  "Release",
  "Remove",
  "Replace",
  "Reset",
  "Restore",
  "Revoke",
  "Rotate",
  "Run",
  "Send",
  "Set",
  "Start",
  "Stop",
  "Terminate",
  "Unassign",
  "Update",
  "Upload",
  "Write",
];
const WRITE = new RegExp(`^[a-z0-9-]+:(${WRITE_VERBS.join("|")})`, "i");
/** A policy, permission, grant or ACL changed: who may do what to a resource. */
const PERMISSIONS_MANAGEMENT =
  /^[a-z0-9-]+:(((Put|Attach|Detach|Delete|Create|Set|Update)\w*Polic(y|ies)\w*)|((Add|Remove|Create|Delete|Put|Update|Modify)\w*Permission\w*)|((Create|Retire|Revoke)Grant)|(Put\w*Acl))$/i;

/** True when an IAM action pattern (`iam:Put*`, `*`) matches the action. */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(
    "^" +
      pattern
        .split("*")
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*") +
      "$",
    "i",
  );
  return re.test(action);
}

/** Allow statements on Resource "*" without a condition: what the scanners call "without constraints". */
export function unconstrained(list: readonly Statement[]): Statement[] {
  return list.filter((s) => s.effect === "Allow" && s.resources.includes("*") && !s.hasCondition);
}

/** Escalation methods whose every action the statements allow (wildcards expand). */
export function escalationMethods(list: readonly Statement[]): string[] {
  const patterns = unconstrained(list).flatMap((s) => s.actions);
  const allowed = (action: string) => patterns.some((p) => actionMatches(p, action));
  return Object.entries(PRIVILEGE_ESCALATION_METHODS)
    .filter(([, actions]) => actions.every(allowed))
    .map(([method]) => method);
}

/** Secret-reading actions the statements allow on every resource. */
export function secretReads(list: readonly Statement[]): string[] {
  const patterns = unconstrained(list).flatMap((s) => s.actions);
  return SECRET_READ_ACTIONS.filter((a) => patterns.some((p) => actionMatches(p, a)));
}

/** Actions that stand for each verb, so a wildcard (`iam:*`, `s3:Put*`) is classed by what it spans. */
const PROBE_NAMES = [
  ...WRITE_VERBS.map((v) => `${v}Resource`),
  "PutResourcePolicy",
  "AddPermission",
  "CreateGrant",
  "PutBucketAcl",
];

/** Actions (as written) of the given class that the statements allow on every resource. */
function unconstrainedOfClass(list: readonly Statement[], matches: (a: string) => boolean) {
  const found = new Set<string>();
  for (const s of unconstrained(list)) {
    for (const a of s.actions) {
      const service = a === "*" ? "any" : a.split(":")[0];
      const spans = a.includes("*")
        ? PROBE_NAMES.some((n) => actionMatches(a, `${service}:${n}`) && matches(`${service}:${n}`))
        : matches(a);
      if (spans) found.add(a);
    }
  }
  return [...found];
}

export const isPermissionsManagement = (action: string) => PERMISSIONS_MANAGEMENT.test(action);
export const isWrite = (action: string) => WRITE.test(action) && !isPermissionsManagement(action);

export const permissionsManagementOnAll = (list: readonly Statement[]) =>
  unconstrainedOfClass(list, isPermissionsManagement);
export const writesOnAll = (list: readonly Statement[]) => unconstrainedOfClass(list, isWrite);
