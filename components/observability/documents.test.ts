import * as assert from "assert";
import {
  alertmanagerPublishPolicy,
  bucketAccessPolicy,
  chatbotTrustPolicy,
  grafanaCloudWatchReadPolicy,
  heartbeatTopicPolicy,
} from "./documents";

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

  it("lets Alertmanager publish to its two topics and use their key, and nothing else", () => {
    const alarms = "arn:aws:sns:us-west-2:123456789012:platform-prod-us-west-2-alarms";
    const heartbeat =
      "arn:aws:sns:us-west-2:123456789012:platform-prod-us-west-2-alertmanager-heartbeat";
    const key = "arn:aws:kms:us-west-2:123456789012:key/alarms";
    const doc = alertmanagerPublishPolicy([alarms, heartbeat], key);
    assert.deepStrictEqual(
      doc.Statement.map((s) => [s.Effect, s.Action, s.Resource, s.Condition]),
      [
        ["Allow", "sns:Publish", [alarms, heartbeat], undefined],
        ["Allow", ["kms:GenerateDataKey*", "kms:Decrypt"], key, undefined],
      ],
    );
    // No wildcard resource and no action beyond publishing (kms: only on the topics' key).
    const text = JSON.stringify(doc);
    assert.doesNotMatch(text, /"\*"|sns:\*|Subscribe|SetTopicAttributes|DeleteTopic/);
  });

  it("refuses plaintext publishes to the heartbeat topic", () => {
    const arn = "arn:aws:sns:us-west-2:123456789012:hb";
    assert.deepStrictEqual(heartbeatTopicPolicy(arn).Statement, [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "sns:Publish",
        Resource: arn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
  });

  it("lets only AWS Chatbot assume the Slack channel's role", () => {
    assert.deepStrictEqual(chatbotTrustPolicy().Statement, [
      {
        Sid: "ChatbotAssumesRole",
        Effect: "Allow",
        Principal: { Service: "chatbot.amazonaws.com" },
        Action: "sts:AssumeRole",
      },
    ]);
  });
});
