/**
 * S3: the public access block with all four flags, SSE-KMS, versioning, no public ACLs, no public
 * bucket policies, TLS-only bucket policies, and no force-destroy; and a stack rule, that each
 * bucket has those companion resources.
 */
import { BUCKET, BUCKET_TYPES, isUnknown, LOAD_BALANCERS } from "@platform/model";
import { resourcePolicy, stackPolicy } from "../lib/policy";
import { statements } from "../lib/iam-documents";
import {
  dependencyUrns,
  knownString,
  linkedTargets,
  StackIndex,
  type StackResource,
} from "../lib/stack-index";
import { asArray, label, undecidable, type Props } from "../lib/values";

/*
 * Resource policies read the current types; the deprecated V2 aliases of aws v7 are checked by the
 * stack policy s3-bucket-companions, which validates each companion's content.
 */
const PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const SSE_TYPES = [
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];
const VERSIONING_TYPES = [
  "aws:s3/bucketVersioning:BucketVersioning",
  "aws:s3/bucketVersioningV2:BucketVersioningV2",
];
const BUCKET_ACL = "aws:s3/bucketAcl:BucketAcl";
const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";

const PUBLIC_CANNED_ACLS = new Set(["public-read", "public-read-write", "authenticated-read"]);
const PUBLIC_GRANTEES = [
  "http://acs.amazonaws.com/groups/global/AllUsers",
  "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
];

const PAB_FLAGS = [
  "blockPublicAcls",
  "blockPublicPolicy",
  "ignorePublicAcls",
  "restrictPublicBuckets",
];

export const BUCKET_LOGGING_TYPES = [
  "aws:s3/bucketLogging:BucketLogging",
  "aws:s3/bucketLoggingV2:BucketLoggingV2",
];

/** Default encryption with SSE-S3, the only one log delivery targets accept. */
function isSseS3(props: Props): boolean {
  return asArray<Props>(props.rules).some(
    (rule) => rule.applyServerSideEncryptionByDefault?.sseAlgorithm === "AES256",
  );
}

/** Default encryption with SSE-KMS (or DSSE-KMS) and a customer key. */
function isSseKms(props: Props): boolean {
  return asArray<Props>(props.rules).some((rule) => {
    const d = rule.applyServerSideEncryptionByDefault ?? {};
    return (
      (d.sseAlgorithm === "aws:kms" || d.sseAlgorithm === "aws:kms:dsse") && !!d.kmsMasterKeyId
    );
  });
}

function isVersioningEnabled(props: Props): boolean {
  const status = props.versioningConfiguration?.status;
  return status === "Enabled" || isUnknown(status);
}

/** True when the statement denies requests that do not use TLS. */
function deniesInsecureTransport(s: { effect: string; condition: Props }): boolean {
  if (s.effect !== "Deny") return false;
  const bool = s.condition.Bool ?? s.condition.BoolIfExists;
  const v = bool?.["aws:SecureTransport"];
  return v === false || v === "false" || (Array.isArray(v) && v.map(String).includes("false"));
}

/**
 * Whether a bucket receives logs: the target of a BucketLogging (server access logs) or of a load
 * balancer's access logs, by dependency or by known name.
 */
export function logTargetTest(index: StackIndex): (bucket: StackResource) => boolean {
  const targets = linkedTargets(index, BUCKET_LOGGING_TYPES, "targetBucket", (c) =>
    knownString(c.props.targetBucket),
  );
  for (const lb of index.of(...LOAD_BALANCERS)) {
    dependencyUrns(lb, "accessLogs").forEach((u) => targets.urns.add(u));
    const name = knownString(lb.props.accessLogs?.bucket);
    if (name && lb.props.accessLogs?.enabled !== false) targets.names.add(name);
  }
  return (b) => targets.urns.has(b.urn) || targets.names.has(knownString(b.props.bucket) ?? "");
}

export const s3BucketCompanions = stackPolicy({
  name: "s3-bucket-companions",
  description:
    "Checks that every S3 bucket has a public access block, default encryption (SSE-KMS with a customer key; SSE-S3 for log delivery targets, which accept nothing else) and enabled versioning, as companion resources.",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [
    ...BUCKET_TYPES,
    PUBLIC_ACCESS_BLOCK,
    ...SSE_TYPES,
    ...VERSIONING_TYPES,
    ...BUCKET_LOGGING_TYPES,
    ...LOAD_BALANCERS,
  ],
  controls: { checkov: ["CKV_AWS_145", "CKV_AWS_21", "CKV2_AWS_6"], trivy: ["AVD-AWS-0094"] },
  validate: ({ args, report }) => {
    const index = new StackIndex(args.resources);
    const buckets = index.of(...BUCKET_TYPES);
    if (buckets.length === 0) return;
    const byBucket = (c: StackResource) => knownString(c.props.bucket);
    // Log delivery targets (server access logs, ALB access logs) must use SSE-S3: AWS rejects KMS there.
    const isLogTarget = logTargetTest(index);
    // Its flags are s3-public-access-block's to check: here only that the bucket has one.
    const pab = linkedTargets(index, [PUBLIC_ACCESS_BLOCK], "bucket", byBucket);
    const kms = linkedTargets(index, SSE_TYPES, "bucket", byBucket, (c) => isSseKms(c.props));
    const sseS3 = linkedTargets(index, SSE_TYPES, "bucket", byBucket, (c) => isSseS3(c.props));
    const versioning = linkedTargets(index, VERSIONING_TYPES, "bucket", byBucket, (c) =>
      isVersioningEnabled(c.props),
    );
    const has = (links: typeof pab, b: StackResource) => {
      const name = knownString(b.props.bucket);
      return links.urns.has(b.urn) || (name !== undefined && links.names.has(name));
    };
    for (const b of buckets) {
      const missing: string[] = [];
      if (!has(pab, b)) missing.push("a BucketPublicAccessBlock");
      if (isLogTarget(b)) {
        if (!has(sseS3, b)) {
          missing.push(
            "a BucketServerSideEncryptionConfiguration using SSE-S3 (AES256), since log delivery to it does not support SSE-KMS",
          );
        }
      } else if (!has(kms, b)) {
        missing.push("a BucketServerSideEncryptionConfiguration using SSE-KMS with a customer key");
      }
      if (!has(versioning, b)) missing.push("a BucketVersioning with status Enabled");
      if (missing.length) {
        report(
          `${label("S3 bucket", b.name)} must have ${missing.join(", ")}: create the resource with bucket set to this bucket's id.`,
          b.urn,
        );
      }
    }
  },
});

export const s3Policies = [
  resourcePolicy({
    name: "s3-public-access-block",
    description: "Checks that S3 public access blocks set all four flags.",
    enforcementLevel: "mandatory",
    severity: "critical",
    resourceTypes: [PUBLIC_ACCESS_BLOCK],
    controls: {
      checkov: ["CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"],
      trivy: ["AVD-AWS-0086", "AVD-AWS-0087", "AVD-AWS-0091", "AVD-AWS-0093"],
    },
    validate: (r) => {
      const off = PAB_FLAGS.filter((f) => r.props[f] !== true);
      if (off.length > 0) {
        r.report(
          `${label("S3 public access block", r.name)} must block all public access: set ${off.join(", ")} to true.`,
        );
      }
    },
  }),
  resourcePolicy({
    name: "s3-sse-kms",
    description:
      "Checks that S3 default encryption is configured and, when it uses KMS, names a customer key.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: [SSE_TYPES[0]],
    controls: { checkov: ["CKV_AWS_145", "CKV_AWS_19"], trivy: ["AVD-AWS-0088", "AVD-AWS-0132"] },
    validate: (r) => {
      // SSE-S3 (AES256) is right only for log delivery targets, which S3 server access logging and
      // ALB access logs require; s3-bucket-companions judges it with the bucket's role.
      const algorithms = asArray<Props>(r.props.rules).map(
        (rule) => rule.applyServerSideEncryptionByDefault?.sseAlgorithm,
      );
      if (isSseKms(r.props) || algorithms.includes("AES256") || algorithms.some(isUnknown)) return;
      r.report(
        `${label("S3 encryption configuration", r.name)} must use SSE-KMS with a customer key: set rules[].applyServerSideEncryptionByDefault { sseAlgorithm: "aws:kms", kmsMasterKeyId } and bucketKeyEnabled: true.`,
      );
    },
  }),
  resourcePolicy({
    name: "s3-versioning-enabled",
    description: "Checks that S3 bucket versioning is enabled.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: [VERSIONING_TYPES[0]],
    controls: { checkov: ["CKV_AWS_21"], trivy: ["AVD-AWS-0090"] },
    validate: (r) => {
      const status = r.props.versioningConfiguration?.status;
      if (isUnknown(status)) undecidable(r.args, ["versioningConfiguration", "status"]);
      if (status !== "Enabled") {
        r.report(
          `${label("S3 versioning configuration", r.name)} must enable versioning: set versioningConfiguration.status to "Enabled" (got ${JSON.stringify(status)}).`,
        );
      }
    },
  }),
  resourcePolicy({
    name: "s3-acl-not-public",
    description: "Checks that S3 bucket ACLs grant nothing to everyone or to all AWS users.",
    enforcementLevel: "mandatory",
    severity: "critical",
    resourceTypes: [BUCKET_ACL],
    controls: { checkov: ["CKV_AWS_20", "CKV_AWS_57"], trivy: ["AVD-AWS-0092"] },
    validate: (r) => {
      const grants = asArray<Props>(r.props.accessControlPolicy?.grants);
      const publicGrant = grants.some((g) => PUBLIC_GRANTEES.includes(g.grantee?.uri));
      if (PUBLIC_CANNED_ACLS.has(r.props.acl) || publicGrant) {
        r.report(
          `${label("S3 bucket ACL", r.name)} must not grant public access: use acl "private" (better: BucketOwnerEnforced ownership and no ACLs).`,
        );
      }
    },
  }),
  resourcePolicy({
    name: "s3-bucket-no-public-acl",
    description: "Checks that S3 buckets are not created with a public canned ACL.",
    enforcementLevel: "mandatory",
    severity: "critical",
    resourceTypes: [BUCKET],
    controls: { checkov: ["CKV_AWS_20", "CKV_AWS_57"], trivy: ["AVD-AWS-0092"] },
    validate: (r) => {
      if (PUBLIC_CANNED_ACLS.has(r.props.acl)) {
        r.report(
          `${label("S3 bucket", r.name)} must not use the public ACL "${r.props.acl}": remove acl and serve public content through CloudFront with origin access control.`,
        );
      }
    },
  }),
  resourcePolicy({
    name: "s3-bucket-policy-not-public",
    description:
      'Checks that S3 bucket policies do not allow anyone (Principal "*") without a condition.',
    enforcementLevel: "mandatory",
    severity: "critical",
    resourceTypes: [BUCKET_POLICY],
    controls: { checkov: ["CKV_AWS_70"] },
    validate: (r) => {
      const list = statements(r.props.policy);
      if (!list) undecidable(r.args, ["policy"]);
      if (list.some((s) => s.effect === "Allow" && s.principals.includes("*") && !s.hasCondition)) {
        r.report(
          `${label("S3 bucket policy", r.name)} must not allow Principal "*" without a condition: name the principals or add a condition such as aws:SourceVpce or aws:PrincipalOrgID.`,
        );
      }
    },
  }),
  resourcePolicy({
    name: "s3-bucket-policy-tls-only",
    description: "Checks that S3 bucket policies deny requests that do not use TLS.",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: [BUCKET_POLICY],
    validate: (r) => {
      const list = statements(r.props.policy);
      if (!list) undecidable(r.args, ["policy"]);
      if (!list.some(deniesInsecureTransport)) {
        r.report(
          `${label("S3 bucket policy", r.name)} must deny plain HTTP: add a Deny statement for "s3:*" on the bucket and its objects with Condition { Bool: { "aws:SecureTransport": "false" } }.`,
        );
      }
    },
  }),
  resourcePolicy({
    name: "s3-bucket-no-force-destroy",
    description: "Checks that S3 buckets cannot be deleted together with their objects.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: [BUCKET],
    validate: (r) => {
      if (r.props.forceDestroy === true) {
        r.report(
          `${label("S3 bucket", r.name)} must not set forceDestroy: remove it so that deleting the bucket fails while it still holds objects.`,
        );
      }
    },
  }),
  s3BucketCompanions,
];
