/**
 * SNS topics and SQS queues: encrypted with a customer-managed key, and resource policies that
 * open them neither to anyone nor to every action.
 */
import { resourcePolicy, type Controls, type DomainPolicy } from "../lib/policy";
import { isAllActions, statements } from "../lib/iam-documents";
import { label, undecidable } from "../lib/values";
import { isCustomerManagedKey } from "../data/cmk";

const TOPIC = "aws:sns/topic:Topic";
const TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy";
const QUEUE = "aws:sqs/queue:Queue";
const QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy";

function encryptionPolicy(
  name: string,
  type: string,
  kind: string,
  keyArgument: string,
  controls: Controls,
): DomainPolicy {
  return resourcePolicy({
    name,
    description: `Checks that ${kind}s are encrypted with a customer-managed KMS key.`,
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: [type],
    controls,
    validate: (r) => {
      if (!isCustomerManagedKey(r.props[keyArgument])) {
        r.report(
          `${label(kind, r.name)} must be encrypted with a customer-managed KMS key: set ${keyArgument} to the ARN of a key the platform creates (not alias/aws/${kind.startsWith("SNS") ? "sns" : "sqs"}, not SQS-managed SSE).`,
        );
      }
    },
  });
}

function resourcePolicyRules(
  type: string,
  kind: string,
  controls: { public: Controls; allActions: Controls },
) {
  const prefix = kind.startsWith("SNS") ? "sns-topic-policy" : "sqs-queue-policy";
  const allow = (r: {
    args: Parameters<typeof undecidable>[0];
    props: Record<string, unknown>;
  }) => {
    const list = statements(r.props.policy);
    if (!list) undecidable(r.args, ["policy"]);
    return list.filter((s) => s.effect === "Allow");
  };
  return [
    resourcePolicy({
      name: `${prefix}-not-public`,
      description: `Checks that ${kind}s do not allow Principal "*" without a condition.`,
      enforcementLevel: "mandatory",
      severity: "critical",
      resourceTypes: [type],
      controls: controls.public,
      validate: (r) => {
        if (allow(r).some((s) => s.principals.includes("*") && !s.hasCondition)) {
          r.report(
            `${label(kind, r.name)} must not allow Principal "*" without a condition: name the service or account principals, or add aws:SourceArn / aws:SourceAccount.`,
          );
        }
      },
    }),
    resourcePolicy({
      name: `${prefix}-no-star-action`,
      description: `Checks that ${kind}s do not allow every action ("*" or "${prefix.startsWith("sns") ? "sns" : "sqs"}:*").`,
      enforcementLevel: "mandatory",
      severity: "high",
      resourceTypes: [type],
      controls: controls.allActions,
      validate: (r) => {
        const service = prefix.startsWith("sns") ? "sns" : "sqs";
        if (allow(r).some((s) => s.actions.some((a) => isAllActions(a) || a === `${service}:*`))) {
          r.report(
            `${label(kind, r.name)} must not allow every action: list the actions each principal needs (e.g. ${service === "sns" ? "sns:Publish" : "sqs:SendMessage"}).`,
          );
        }
      },
    }),
  ];
}

export const topicQueuePolicies: DomainPolicy[] = [
  encryptionPolicy("sns-topic-cmk", TOPIC, "SNS topic", "kmsMasterKeyId", {
    checkov: ["CKV_AWS_26"],
    trivy: ["AVD-AWS-0095", "AVD-AWS-0136"],
  }),
  encryptionPolicy("sqs-queue-cmk", QUEUE, "SQS queue", "kmsMasterKeyId", {
    checkov: ["CKV_AWS_27", "CKV2_AWS_73"],
    trivy: ["AVD-AWS-0096", "AVD-AWS-0135"],
  }),
  ...resourcePolicyRules(TOPIC_POLICY, "SNS topic policy", {
    public: { checkov: ["CKV_AWS_169"] },
    allActions: {},
  }),
  ...resourcePolicyRules(QUEUE_POLICY, "SQS queue policy", {
    public: { checkov: ["CKV_AWS_168", "CKV_AWS_387"] },
    allActions: { checkov: ["CKV_AWS_72"], trivy: ["AVD-AWS-0097"] },
  }),
];
