/**
 * Customer-managed keys for what the platform stores outside its databases: Secrets Manager
 * secrets, SSM SecureString parameters, AWS Backup vaults and EFS file systems. Without a key argument each uses its
 * AWS-managed key, whose policy the account cannot restrict or audit per key.
 */
import { isUnknown } from "@platform/model";
import { resourcePolicy, type Controls, type DomainPolicy } from "../lib/policy";
import { label } from "../lib/values";

/** A key argument names a customer-managed key: set, and not an `alias/aws/<service>` key. */
export function isCustomerManagedKey(key: unknown): boolean {
  if (isUnknown(key)) return true; // a key the program creates: its ARN is known only after apply
  return typeof key === "string" && key !== "" && !/alias\/aws\//.test(key);
}

interface CmkRule {
  readonly name: string;
  readonly type: string;
  readonly kind: string;
  readonly keyArgument: string;
  readonly controls: Controls;
  /** Whether the resource stores anything the key would protect (e.g. only SecureString parameters). */
  readonly applies?: (props: Record<string, unknown>) => boolean;
  /** A boolean argument that must also be true for the key to be used (EFS: `encrypted`). */
  readonly switchArgument?: string;
}

function cmkPolicy(rule: CmkRule): DomainPolicy {
  return resourcePolicy({
    name: rule.name,
    description: `Checks that ${rule.kind}s are encrypted with a customer-managed KMS key.`,
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: [rule.type],
    controls: rule.controls,
    validate: (r) => {
      if (rule.applies && !rule.applies(r.props)) return;
      const switchedOff =
        rule.switchArgument !== undefined &&
        r.props[rule.switchArgument] !== true &&
        !isUnknown(r.props[rule.switchArgument]);
      if (switchedOff) {
        r.report(
          `${label(rule.kind, r.name)} must be encrypted at rest: set ${rule.switchArgument}: true and ${rule.keyArgument} to a key the platform creates.`,
        );
      } else if (!isCustomerManagedKey(r.props[rule.keyArgument])) {
        r.report(
          `${label(rule.kind, r.name)} must be encrypted with a customer-managed KMS key: set ${rule.keyArgument} to the ARN of a key the platform creates (not an alias/aws/ key).`,
        );
      }
    },
  });
}

export const cmkPolicies: DomainPolicy[] = [
  cmkPolicy({
    name: "secretsmanager-secret-cmk",
    type: "aws:secretsmanager/secret:Secret",
    kind: "Secrets Manager secret",
    keyArgument: "kmsKeyId",
    controls: { checkov: ["CKV_AWS_149"], trivy: ["AVD-AWS-0098"] },
  }),
  cmkPolicy({
    name: "ssm-secure-string-cmk",
    type: "aws:ssm/parameter:Parameter",
    kind: "SSM SecureString parameter",
    keyArgument: "keyId",
    controls: { checkov: ["CKV_AWS_337"] },
    applies: (props) => props.type === "SecureString",
  }),
  cmkPolicy({
    name: "backup-vault-cmk",
    type: "aws:backup/vault:Vault",
    kind: "AWS Backup vault",
    keyArgument: "kmsKeyArn",
    controls: { checkov: ["CKV_AWS_166"] },
  }),
  cmkPolicy({
    name: "efs-file-system-cmk",
    type: "aws:efs/fileSystem:FileSystem",
    kind: "EFS file system",
    keyArgument: "kmsKeyId",
    switchArgument: "encrypted",
    controls: { checkov: ["CKV_AWS_42", "CKV_AWS_184"], trivy: ["AVD-AWS-0037"] },
  }),
];
