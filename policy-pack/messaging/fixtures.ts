/** Happy-path SNS and SQS resources: each a correct production resource that passes every policy. */
import { ACCOUNT, aws, KEY_ARN, policyDocument } from "../test/builders";

const TOPIC_ARN = `arn:aws:sns:us-west-2:${ACCOUNT}:platform-alarms`;
const QUEUE_ARN = `arn:aws:sqs:us-west-2:${ACCOUNT}:platform-karpenter`;

export const happyMessaging = {
  snsTopic: () =>
    aws("aws:sns/topic:Topic", "platform-alarms", {
      name: "platform-alarms",
      kmsMasterKeyId: KEY_ARN,
    }),
  snsTopicPolicy: () =>
    aws("aws:sns/topicPolicy:TopicPolicy", "platform-alarms-policy", {
      arn: TOPIC_ARN,
      policy: policyDocument([
        {
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: "sns:Publish",
          Resource: TOPIC_ARN,
          Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
        },
      ]),
    }),
  sqsQueue: () =>
    aws("aws:sqs/queue:Queue", "platform-karpenter", {
      name: "platform-karpenter",
      kmsMasterKeyId: KEY_ARN,
      messageRetentionSeconds: 300,
    }),
  sqsQueuePolicy: () =>
    aws("aws:sqs/queuePolicy:QueuePolicy", "platform-karpenter-policy", {
      queueUrl: `https://sqs.us-west-2.amazonaws.com/${ACCOUNT}/platform-karpenter`,
      policy: policyDocument([
        {
          Effect: "Allow",
          Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] },
          Action: "sqs:SendMessage",
          Resource: QUEUE_ARN,
        },
      ]),
    }),
};
