/** KMS keys: rotation, and no key policy open to everyone (the deletion window: safety/). */
import { KMS_KEY } from "@platform/model";
import { resourcePolicy } from "../lib/policy";
import { statements } from "../lib/iam-documents";
import { label, undecidable } from "../lib/values";

export const kmsPolicies = [
  resourcePolicy({
    name: "kms-key-rotation",
    description: "Checks that symmetric KMS keys rotate their key material.",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: [KMS_KEY],
    controls: { checkov: ["CKV_AWS_7"], trivy: ["AVD-AWS-0065"] },
    validate: (r) => {
      const spec = r.props.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT";
      // Rotation is only available for symmetric encryption keys.
      if (
        spec !== "SYMMETRIC_DEFAULT" ||
        (r.props.keyUsage ?? "ENCRYPT_DECRYPT") !== "ENCRYPT_DECRYPT"
      )
        return;
      if (r.props.enableKeyRotation !== true) {
        r.report(
          `${label("KMS key", r.name)} must rotate its key material: set enableKeyRotation: true.`,
        );
      }
    },
  }),
  resourcePolicy({
    name: "kms-key-policy-no-wildcard-principal",
    description: 'Checks that KMS key policies do not allow Principal "*" without a condition.',
    enforcementLevel: "mandatory",
    severity: "critical",
    resourceTypes: [KMS_KEY],
    controls: { checkov: ["CKV_AWS_33"] },
    validate: (r) => {
      const list = statements(r.props.policy);
      if (!list) undecidable(r.args, ["policy"]);
      if (list.some((s) => s.effect === "Allow" && s.principals.includes("*") && !s.hasCondition)) {
        r.report(
          `${label("KMS key", r.name)} must not allow Principal "*" in its key policy without a condition: grant the account root or named roles instead.`,
        );
      }
    },
  }),
];
