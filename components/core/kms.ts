import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyStatement, policyDocument } from "./policy-document";

/**
 * What a principal that encrypts and decrypts with a key (and nothing more) needs: the "key users"
 * set of the KMS console's default key policy. Grants, where a service needs them, are separate.
 */
export const KEY_USER_ACTIONS = [
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:ReEncrypt*",
  "kms:GenerateDataKey*",
  "kms:DescribeKey",
];

export interface EncryptionKeyArgs {
  readonly description: string;
  readonly accountId: string;
  readonly region: string;
  /**
   * Service principals allowed to use the key on the account's behalf, e.g. `logs` for CloudWatch
   * Logs (which, unlike most services, needs the key policy to name it).
   * @default [] - only IAM principals of the account, through their own policies
   */
  readonly logsService?: boolean;
  /** Extra key-policy statements, e.g. for the Auto Scaling service-linked role. */
  readonly extraStatements?: readonly PolicyStatement[];
  /** @default "" - alias suffix; the alias is `alias/<name>` */
  readonly alias?: string;
}

/** The key policy: the account administers the key through IAM; named services may use it. */
function encryptionKeyPolicy(args: EncryptionKeyArgs): string {
  const statements: PolicyStatement[] = [
    {
      Sid: "AccountAdministersThroughIam",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${args.accountId}:root` },
      Action: "kms:*",
      Resource: "*",
    },
  ];
  if (args.logsService) {
    statements.push({
      Sid: "CloudWatchLogsEncryptsThisAccountsLogGroups",
      Effect: "Allow",
      Principal: { Service: `logs.${args.region}.amazonaws.com` },
      Action: [
        "kms:Encrypt*",
        "kms:Decrypt*",
        "kms:ReEncrypt*",
        "kms:GenerateDataKey*",
        "kms:Describe*",
      ],
      Resource: "*",
      Condition: {
        ArnLike: {
          "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${args.region}:${args.accountId}:log-group:*`,
        },
      },
    });
  }
  statements.push(...(args.extraStatements ?? []));
  return JSON.stringify(policyDocument(statements));
}

/**
 * A customer-managed symmetric key with yearly rotation, a 30-day deletion window and an alias.
 * Callers pass `protect: true`: losing a key loses every byte encrypted with it.
 */
export function encryptionKey(
  name: string,
  args: EncryptionKeyArgs,
  opts: pulumi.CustomResourceOptions,
): aws.kms.Key {
  const key = new aws.kms.Key(
    name,
    {
      description: args.description,
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: 30,
      policy: encryptionKeyPolicy(args),
    },
    opts,
  );
  new aws.kms.Alias(
    `${name}-alias`,
    { name: `alias/${args.alias ?? name}`, targetKeyId: key.keyId },
    { ...opts, protect: false },
  );
  return key;
}
