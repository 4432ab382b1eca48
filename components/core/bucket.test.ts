import * as assert from "assert";
import { accessLogDeliveryStatement, bucketPolicyDocument } from "./bucket";
import { PolicyStatement } from "./policy-document";

const BUCKET = "arn:aws:s3:::velero-bucket";

describe("bucket policy", () => {
  it("denies every non-TLS request first, then adds the caller's statements", () => {
    const grant: PolicyStatement = {
      Sid: "Grant",
      Effect: "Allow",
      Principal: { Service: "x" },
      Action: "s3:PutObject",
    };
    const doc = JSON.parse(bucketPolicyDocument(BUCKET, [grant]));
    assert.strictEqual(doc.Version, "2012-10-17");
    assert.deepStrictEqual(doc.Statement, [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [BUCKET, `${BUCKET}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
      grant,
    ]);
  });
});

describe("access-log delivery grant", () => {
  it("admits S3 log delivery of this account's buckets only, into the log bucket's objects", () => {
    const log = "arn:aws:s3:::logs";
    assert.deepStrictEqual(accessLogDeliveryStatement(log, "123456789012"), {
      Sid: "S3ServerAccessLogDelivery",
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${log}/*`,
      Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
    });
  });
});
