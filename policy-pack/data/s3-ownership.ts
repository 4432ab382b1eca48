/** S3 object ownership: BucketOwnerEnforced disables ACLs, so only policies grant access. */
import { isUnknown } from "@platform/model";
import { resourcePolicy, type DomainPolicy } from "../lib/policy";
import { label } from "../lib/values";

export const s3OwnershipPolicies: DomainPolicy[] = [
  resourcePolicy({
    name: "s3-ownership-acls-disabled",
    description:
      "Checks that S3 ownership controls keep ACLs disabled (BucketOwnerEnforced), so no ACL can grant access.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: ["aws:s3/bucketOwnershipControls:BucketOwnershipControls"],
    controls: { checkov: ["CKV2_AWS_65"] },
    validate: (r) => {
      const ownership = (r.props.rule as { objectOwnership?: unknown } | undefined)
        ?.objectOwnership;
      if (isUnknown(ownership) || ownership === "BucketOwnerEnforced") return;
      r.report(
        `${label("S3 bucket ownership controls", r.name)} must keep ACLs disabled: set rule.objectOwnership to "BucketOwnerEnforced" (got ${JSON.stringify(ownership ?? null)}).`,
      );
    },
  }),
];
