import * as assert from "assert";
import { PolicyDocument } from "@platform/core";
import {
  INTERRUPTION_EVENTS,
  interruptionKeyStatement,
  interruptionQueuePolicy,
  karpenterControllerPolicy,
} from "./karpenter-iam";

const SCOPE = {
  partition: "aws",
  region: "us-west-2",
  accountId: "123456789012",
  clusterName: "platform-prod-us-west-2",
  nodeRoleArn: "arn:aws:iam::123456789012:role/karpenter-node",
  interruptionQueueArn: "arn:aws:sqs:us-west-2:123456789012:platform-prod-us-west-2-karpenter",
  interruptionQueueKeyArn: "arn:aws:kms:us-west-2:123456789012:key/queue",
  volumeKeyArn: "arn:aws:kms:us-west-2:123456789012:key/volumes",
};

const bySid = (doc: PolicyDocument, sid: string) => {
  const found = doc.Statement.filter((s) => s.Sid === sid);
  assert.strictEqual(found.length, 1, sid);
  return found[0];
};

describe("Karpenter IAM documents", () => {
  describe("controller", () => {
    const doc = karpenterControllerPolicy(SCOPE);

    it("has exactly the statements of Karpenter's v1.14 template plus the volume-key grants", () => {
      assert.deepStrictEqual(
        doc.Statement.map((s) => s.Sid),
        [
          "AllowScopedEC2InstanceAccessActions",
          "AllowScopedEC2LaunchTemplateAccessActions",
          "AllowScopedEC2InstanceActionsWithTags",
          "AllowScopedResourceCreationTagging",
          "AllowScopedResourceTagging",
          "AllowScopedDeletion",
          "AllowPassingInstanceRole",
          "AllowScopedInstanceProfileCreationActions",
          "AllowScopedInstanceProfileTagActions",
          "AllowScopedInstanceProfileActions",
          "AllowAPIServerEndpointDiscovery",
          "AllowInterruptionQueueActions",
          "AllowInterruptionQueueDecryption",
          "AllowRegionalReadActions",
          "AllowSSMReadActions",
          "AllowPricingReadActions",
          "AllowUnscopedInstanceProfileListAction",
          "AllowInstanceProfileReadActions",
          "AllowZonalShiftStatusReadOnly",
          "AllowNodeVolumeEncryption",
          "AllowNodeVolumeGrants",
        ],
      );
      assert.ok(doc.Statement.every((s) => s.Effect === "Allow"));
    });

    it("terminates and launches only what carries this cluster's ownership tag", () => {
      assert.deepStrictEqual(bySid(doc, "AllowScopedDeletion"), {
        Sid: "AllowScopedDeletion",
        Effect: "Allow",
        Resource: [
          "arn:aws:ec2:us-west-2:*:instance/*",
          "arn:aws:ec2:us-west-2:*:launch-template/*",
        ],
        Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
        Condition: {
          StringEquals: {
            "aws:ResourceTag/kubernetes.io/cluster/platform-prod-us-west-2": "owned",
          },
          StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
        },
      });
      assert.deepStrictEqual(bySid(doc, "AllowScopedEC2InstanceActionsWithTags").Condition, {
        StringEquals: {
          "aws:RequestTag/kubernetes.io/cluster/platform-prod-us-west-2": "owned",
          "aws:RequestTag/eks:eks-cluster-name": "platform-prod-us-west-2",
        },
        StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
      });
    });

    it("passes only the node role, only to EC2", () => {
      assert.deepStrictEqual(bySid(doc, "AllowPassingInstanceRole"), {
        Sid: "AllowPassingInstanceRole",
        Effect: "Allow",
        Resource: SCOPE.nodeRoleArn,
        Action: "iam:PassRole",
        Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
      });
    });

    it("reads only its own queue and cluster, and uses only its own keys", () => {
      assert.deepStrictEqual(bySid(doc, "AllowInterruptionQueueActions"), {
        Sid: "AllowInterruptionQueueActions",
        Effect: "Allow",
        Resource: SCOPE.interruptionQueueArn,
        Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
      });
      assert.strictEqual(
        bySid(doc, "AllowAPIServerEndpointDiscovery").Resource,
        "arn:aws:eks:us-west-2:123456789012:cluster/platform-prod-us-west-2",
      );
      assert.strictEqual(
        bySid(doc, "AllowInterruptionQueueDecryption").Resource,
        SCOPE.interruptionQueueKeyArn,
      );
      assert.deepStrictEqual(bySid(doc, "AllowNodeVolumeEncryption"), {
        Sid: "AllowNodeVolumeEncryption",
        Effect: "Allow",
        Resource: SCOPE.volumeKeyArn,
        Action: [
          "kms:GenerateDataKeyWithoutPlaintext",
          "kms:Decrypt",
          "kms:ReEncryptFrom",
          "kms:ReEncryptTo",
          "kms:DescribeKey",
        ],
      });
      assert.deepStrictEqual(bySid(doc, "AllowNodeVolumeGrants"), {
        Sid: "AllowNodeVolumeGrants",
        Effect: "Allow",
        Resource: SCOPE.volumeKeyArn,
        Action: "kms:CreateGrant",
        Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
      });
      assert.deepStrictEqual(bySid(doc, "AllowRegionalReadActions").Condition, {
        StringEquals: { "aws:RequestedRegion": "us-west-2" },
      });
    });

    it("grants no wildcard action and no write action on an unscoped resource", () => {
      for (const statement of doc.Statement) {
        const list = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
        assert.ok(
          list.every((a) => /^[a-z0-9-]+:[A-Za-z]+$/.test(a)),
          String(list),
        );
        if (statement.Resource === "*") {
          const readOnly = list.every((a) => /:(Describe|Get|List)/.test(a));
          assert.ok(readOnly || statement.Condition !== undefined, statement.Sid);
        }
      }
    });
  });

  it("lets EventBridge (and SQS) send to the interruption queue and denies plain HTTP", () => {
    const arn = SCOPE.interruptionQueueArn;
    assert.deepStrictEqual(interruptionQueuePolicy(arn).Statement, [
      {
        Sid: "EventBridgeDeliversInterruptionEvents",
        Effect: "Allow",
        Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] },
        Action: "sqs:SendMessage",
        Resource: arn,
      },
      {
        Sid: "DenyHTTP",
        Effect: "Deny",
        Principal: "*",
        Action: "sqs:*",
        Resource: arn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
    assert.deepStrictEqual(interruptionKeyStatement("123456789012"), {
      Sid: "EventBridgeEncryptsInterruptionEvents",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
    });
  });

  it("routes spot interruption, rebalance, state change and scheduled change events", () => {
    assert.deepStrictEqual(
      Object.values(INTERRUPTION_EVENTS).map((e) => `${e.source}/${e.detailType}`),
      [
        "aws.health/AWS Health Event",
        "aws.ec2/EC2 Spot Instance Interruption Warning",
        "aws.ec2/EC2 Instance Rebalance Recommendation",
        "aws.ec2/EC2 Instance State-change Notification",
        "aws.ec2/EC2 Capacity Reservation Instance Interruption Warning",
      ],
    );
  });
});
