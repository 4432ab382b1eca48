/**
 * Secrets Manager rotation: every secret the program creates rotates on a schedule (a
 * SecretRotation of it). Secrets RDS manages for a master user (`manageMasterUserPassword`) are no
 * Secret resources of the program and rotate by themselves (every 7 days by default).
 */
import { isUnknown } from "@platform/model";
import { configProperty, stackPolicy } from "../lib/policy";
import { dependencyUrns, knownString, StackIndex } from "../lib/stack-index";
import { label } from "../lib/values";

const SECRET = "aws:secretsmanager/secret:Secret";
const SECRET_ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";

export const secretRotationPolicies = [
  stackPolicy({
    name: "secretsmanager-secret-rotation",
    description:
      "Checks that every Secrets Manager secret the stack creates has a SecretRotation at most `maxDays` apart (RDS-managed master user secrets rotate by themselves).",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: [SECRET, SECRET_ROTATION],
    controls: { checkov: ["CKV2_AWS_57", "CKV_AWS_304"] },
    config: {
      maxDays: configProperty.integer(90, "Longest interval between rotations, in days", 1, 1000),
    },
    validate: ({ args, config, report }) => {
      const index = new StackIndex(args.resources);
      const rotated = new Map<string, string | undefined>();
      const tooSlow: string[] = [];
      for (const rotation of index.of(SECRET_ROTATION)) {
        const rules = rotation.props.rotationRules ?? {};
        const days = rules.automaticallyAfterDays;
        const scheduled =
          isUnknown(days) ||
          (typeof days === "number" && days >= 1 && days <= config.maxDays) ||
          knownString(rules.scheduleExpression) !== undefined;
        if (!scheduled) tooSlow.push(rotation.urn);
        const key = scheduled ? undefined : rotation.urn;
        dependencyUrns(rotation, "secretId").forEach((u) => rotated.set(u, key));
        const id = knownString(rotation.props.secretId);
        if (id) rotated.set(id, key);
      }
      for (const secret of index.of(SECRET)) {
        const name = knownString(secret.props.name);
        const hit = [secret.urn, ...(name ? [name] : [])].find((k) => rotated.has(k));
        if (hit === undefined) {
          report(
            `${label("Secrets Manager secret", secret.name)} must rotate on a schedule: add an aws.secretsmanager.SecretRotation with secretId set to this secret and a rotation function, rotationRules.automaticallyAfterDays at most ${config.maxDays}.`,
            secret.urn,
          );
        } else if (rotated.get(hit) !== undefined) {
          report(
            `${label("Secrets Manager secret", secret.name)} must rotate at least every ${config.maxDays} days: set rotationRules.automaticallyAfterDays of its SecretRotation between 1 and ${config.maxDays}.`,
            secret.urn,
          );
        }
      }
    },
  }),
];
