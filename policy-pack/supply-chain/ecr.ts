/**
 * ECR repositories and the creation templates that shape the repositories ECR creates itself
 * (pull-through cache, replication): immutable tags, scan on push, a customer-managed KMS key; and
 * repository and registry policies that grant no one at large.
 */
import { isUnknown } from "@platform/model";
import { statements } from "../lib/iam-documents";
import { resourcePolicy } from "../lib/policy";
import { label, undecidable } from "../lib/values";

const REPOSITORY = "aws:ecr/repository:Repository";
const CREATION_TEMPLATE = "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate";
const REPOSITORY_POLICY = "aws:ecr/repositoryPolicy:RepositoryPolicy";
const REGISTRY_POLICY = "aws:ecr/registryPolicy:RegistryPolicy";
const KINDS: Record<string, string> = {
  [REPOSITORY]: "ECR repository",
  [CREATION_TEMPLATE]: "ECR repository creation template",
};

export const ecrImmutableTags = resourcePolicy({
  name: "ecr-immutable-tags",
  description:
    "Checks that ECR repositories and repository creation templates make image tags immutable, so a tag always names the image that was scanned and verified.",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [REPOSITORY, CREATION_TEMPLATE],
  controls: { checkov: ["CKV_AWS_51"], trivy: ["AVD-AWS-0031"] },
  validate: (r) => {
    const mutability = r.props.imageTagMutability;
    if (isUnknown(mutability)) return;
    if (mutability !== "IMMUTABLE" && mutability !== "IMMUTABLE_WITH_EXCLUSION")
      r.report(
        `${label(KINDS[r.type], r.name)} must make image tags immutable: set imageTagMutability to "IMMUTABLE" (got ${JSON.stringify(mutability ?? "MUTABLE")}).`,
      );
  },
});

export const ecrScanOnPush = resourcePolicy({
  name: "ecr-scan-on-push",
  description:
    "Checks that ECR repositories scan images on push (the registry's Inspector enhanced scanning takes over where configured).",
  enforcementLevel: "mandatory",
  severity: "medium",
  resourceTypes: [REPOSITORY],
  controls: { checkov: ["CKV_AWS_163"], trivy: ["AVD-AWS-0030"] },
  validate: (r) => {
    const scanOnPush = r.props.imageScanningConfiguration?.scanOnPush;
    if (isUnknown(scanOnPush)) return;
    if (scanOnPush !== true && scanOnPush !== "true")
      r.report(
        `${label(KINDS[r.type], r.name)} must scan images on push: set imageScanningConfiguration.scanOnPush to true.`,
      );
  },
});

export const ecrKmsEncryption = resourcePolicy({
  name: "ecr-kms-encryption",
  description:
    "Checks that ECR repositories and repository creation templates encrypt images with a customer-managed KMS key.",
  enforcementLevel: "mandatory",
  severity: "medium",
  resourceTypes: [REPOSITORY, CREATION_TEMPLATE],
  controls: { checkov: ["CKV_AWS_136"], trivy: ["AVD-AWS-0033"] },
  validate: (r) => {
    const configs: unknown = r.props.encryptionConfigurations;
    if (isUnknown(configs)) return;
    const first = Array.isArray(configs) ? (configs[0] as Record<string, unknown>) : undefined;
    const encrypted =
      first !== undefined &&
      first.encryptionType === "KMS" &&
      (isUnknown(first.kmsKey) || (typeof first.kmsKey === "string" && first.kmsKey !== ""));
    if (!encrypted)
      r.report(
        `${label(KINDS[r.type], r.name)} must encrypt images with a customer-managed key: set encryptionConfigurations to [{ encryptionType: "KMS", kmsKey: <key ARN> }].`,
      );
  },
});

export const ecrPolicyNotPublic = resourcePolicy({
  name: "ecr-policy-not-public",
  description:
    'Checks that ECR repository and registry policies do not allow Principal "*" without a condition: images would be readable, or writable, by anyone.',
  enforcementLevel: "mandatory",
  severity: "critical",
  resourceTypes: [REPOSITORY_POLICY, REGISTRY_POLICY],
  controls: { checkov: ["CKV_AWS_32"], trivy: ["AVD-AWS-0032"] },
  validate: (r) => {
    const list = statements(r.props.policy);
    if (!list) undecidable(r.args, ["policy"]);
    const kind = r.type === REGISTRY_POLICY ? "ECR registry policy" : "ECR repository policy";
    if (list.some((s) => s.effect === "Allow" && s.principals.includes("*") && !s.hasCondition)) {
      r.report(
        `${label(kind, r.name)} must not allow Principal "*" without a condition: name the accounts or roles that pull, or add aws:PrincipalOrgID.`,
      );
    }
  },
});

export const ecrPolicies = [ecrImmutableTags, ecrScanOnPush, ecrKmsEncryption, ecrPolicyNotPublic];
