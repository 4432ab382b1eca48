import * as assert from "assert";
import { bucketAccessPolicy, grafanaCloudWatchReadPolicy } from "./documents";

describe("observability IAM documents", () => {
  it("lets a store list its own bucket, use its objects and its key, nothing else", () => {
    const bucket = "arn:aws:s3:::platform-prod-us-west-2-loki-123456789012";
    const key = "arn:aws:kms:us-west-2:123456789012:key/telemetry";
    assert.deepStrictEqual(
      bucketAccessPolicy(bucket, key).Statement.map((s) => [s.Action, s.Resource]),
      [
        ["s3:ListBucket", bucket],
        [["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], `${bucket}/*`],
        [["kms:Decrypt", "kms:GenerateDataKey"], key],
      ],
    );
  });

  it("gives Grafana read-only CloudWatch access, alarms of its own region only", () => {
    const doc = grafanaCloudWatchReadPolicy("123456789012", "us-west-2");
    const actions = doc.Statement.flatMap((s) => s.Action);
    assert.ok(
      actions.every((a) => /:(Get|List|Describe)/.test(a)),
      String(actions),
    );
    const alarms = doc.Statement.find((s) => s.Sid === "ReadAlarms");
    assert.strictEqual(alarms?.Resource, "arn:aws:cloudwatch:us-west-2:123456789012:alarm:*");
  });
});
