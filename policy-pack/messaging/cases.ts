/** Violating and passing cases of the SNS and SQS policies. */
import { type Case, exercising, passes, violates } from "../test/case";
import { change, policyDocument } from "../test/builders";
import { happy } from "../test/fixtures";

const anyone = (action: string, resource: string) =>
  policyDocument([{ Effect: "Allow", Principal: "*", Action: action, Resource: resource }]);

export const cases: Case[] = [
  passes("sns-topic-cmk", "customer key", happy.snsTopic()),
  exercising(
    ["CKV_AWS_26", "AVD-AWS-0095", "AVD-AWS-0136"],
    violates("sns-topic-cmk", "unencrypted", change(happy.snsTopic(), "kmsMasterKeyId", undefined)),
  ),
  violates(
    "sns-topic-cmk",
    "AWS-managed key",
    change(happy.snsTopic(), "kmsMasterKeyId", "alias/aws/sns"),
  ),
  passes("sqs-queue-cmk", "customer key", happy.sqsQueue()),
  exercising(
    ["CKV_AWS_27", "CKV2_AWS_73", "AVD-AWS-0096", "AVD-AWS-0135"],
    violates("sqs-queue-cmk", "unencrypted", change(happy.sqsQueue(), "kmsMasterKeyId", undefined)),
  ),
  violates(
    "sqs-queue-cmk",
    "SQS-managed SSE",
    change(change(happy.sqsQueue(), "kmsMasterKeyId", undefined), "sqsManagedSseEnabled", true),
  ),
  passes("sns-topic-policy-not-public", "a service principal", happy.snsTopicPolicy()),
  exercising(
    ["CKV_AWS_169"],
    violates(
      "sns-topic-policy-not-public",
      "anyone may publish",
      change(happy.snsTopicPolicy(), "policy", anyone("sns:Publish", "*")),
    ),
  ),
  passes("sns-topic-policy-no-star-action", "sns:Publish only", happy.snsTopicPolicy()),
  violates(
    "sns-topic-policy-no-star-action",
    "sns:*",
    change(
      happy.snsTopicPolicy(),
      "policy",
      policyDocument([
        {
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: "sns:*",
          Resource: "*",
        },
      ]),
    ),
  ),
  passes("sqs-queue-policy-not-public", "service principals", happy.sqsQueuePolicy()),
  exercising(
    ["CKV_AWS_168", "CKV_AWS_387"],
    violates(
      "sqs-queue-policy-not-public",
      "anyone may send",
      change(happy.sqsQueuePolicy(), "policy", anyone("sqs:SendMessage", "*")),
    ),
  ),
  passes("sqs-queue-policy-no-star-action", "sqs:SendMessage only", happy.sqsQueuePolicy()),
  exercising(
    ["CKV_AWS_72", "AVD-AWS-0097"],
    violates(
      "sqs-queue-policy-no-star-action",
      "every action",
      change(
        happy.sqsQueuePolicy(),
        "policy",
        policyDocument([
          {
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "*",
            Resource: "*",
          },
        ]),
      ),
    ),
  ),
];
