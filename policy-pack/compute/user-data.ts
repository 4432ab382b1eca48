/**
 * Worker access: no credentials in launch-template user data (readable by anything on the node
 * through the metadata service and by anyone with ec2:DescribeLaunchTemplateVersions), and no SSH
 * remote access to managed node groups that any address can reach.
 */
import { isUnknown } from "@platform/model";
import { resourcePolicy, type DomainPolicy } from "../lib/policy";
import { asArray, isObject, label } from "../lib/values";

const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";

/**
 * Credential shapes, as secret scanners match them: AWS access key ids, a secret access key
 * assigned in a script, and private keys. AWS documents the key id prefixes (AKIA long-term, ASIA
 * temporary): https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
 */
export const CREDENTIALS: readonly [string, RegExp][] = [
  ["an AWS access key id", /\b(AKIA|ASIA)[A-Z0-9]{16}\b/],
  ["an AWS secret access key", /aws_secret_access_key\s*[=:]\s*\S{40}/i],
  ["a private key", /-----BEGIN ([A-Z]+ )?PRIVATE KEY-----/],
];

/** User data as written and base64-decoded (launch templates carry it encoded). */
function readable(userData: string): string {
  return `${userData}\n${Buffer.from(userData, "base64").toString("utf8")}`;
}

export const accessPolicies: DomainPolicy[] = [
  resourcePolicy({
    name: "launch-template-no-credentials-in-user-data",
    description: "Checks that launch-template user data carries no credentials.",
    enforcementLevel: "mandatory",
    severity: "critical",
    resourceTypes: [LAUNCH_TEMPLATE],
    controls: { checkov: ["CKV_AWS_46"], trivy: ["AVD-AWS-0129"] },
    validate: (r) => {
      const userData = r.props.userData;
      if (typeof userData !== "string" || isUnknown(userData)) return;
      const text = readable(userData);
      const found = CREDENTIALS.filter(([, re]) => re.test(text)).map(([what]) => what);
      if (found.length > 0) {
        r.report(
          `${label("Launch template", r.name)} must not carry credentials in its user data (found ${found.join(", ")}): give the node role the permissions, or read the secret from Secrets Manager at boot.`,
        );
      }
    },
  }),
  resourcePolicy({
    name: "node-group-remote-access-restricted",
    description:
      "Checks that a managed node group with SSH remote access names the security groups allowed to connect (otherwise any address can).",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: [NODE_GROUP],
    controls: { checkov: ["CKV_AWS_100"] },
    validate: (r) => {
      const remote = r.props.remoteAccess;
      if (!isObject(remote) || !remote.ec2SshKey) return;
      const sources = remote.sourceSecurityGroupIds;
      if (isUnknown(sources) || asArray(sources).length > 0) return;
      r.report(
        `${label("EKS node group", r.name)} must restrict SSH remote access: set remoteAccess.sourceSecurityGroupIds, or drop remoteAccess and use SSM Session Manager.`,
      );
    },
  }),
];
