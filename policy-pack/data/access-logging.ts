/**
 * S3 server access logging: every bucket that holds data records who read and wrote it. A bucket
 * that receives logs is exempt (S3 delivers server access logs within a region, and a log bucket
 * logging itself only multiplies log objects).
 */
import { BUCKET_TYPES, LOAD_BALANCERS } from "@platform/model";
import { stackPolicy } from "../lib/policy";
import { knownString, linkedTargets, StackIndex } from "../lib/stack-index";
import { label } from "../lib/values";
import { BUCKET_LOGGING_TYPES, logTargetTest } from "./s3";

export const accessLoggingPolicies = [
  stackPolicy({
    name: "s3-bucket-access-logging",
    description:
      "Checks that every S3 bucket that holds data has server access logging (a BucketLogging to a log bucket of its region); buckets that receive logs are exempt.",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: [...BUCKET_TYPES, ...BUCKET_LOGGING_TYPES, ...LOAD_BALANCERS],
    controls: { checkov: ["CKV_AWS_18"], trivy: ["AVD-AWS-0089"] },
    validate: ({ args, report }) => {
      const index = new StackIndex(args.resources);
      const isLogTarget = logTargetTest(index);
      const logged = linkedTargets(index, BUCKET_LOGGING_TYPES, "bucket", (c) =>
        knownString(c.props.bucket),
      );
      for (const b of index.of(...BUCKET_TYPES)) {
        if (isLogTarget(b)) continue;
        const name = knownString(b.props.bucket);
        if (logged.urns.has(b.urn) || (name !== undefined && logged.names.has(name))) continue;
        report(
          `${label("S3 bucket", b.name)} must log its requests: add an aws.s3.BucketLogging with bucket set to this bucket's id and targetBucket an access-log bucket (SSE-S3) in the same region.`,
          b.urn,
        );
      }
    },
  }),
];
