import * as assert from "assert";
import {
  autoScalingVolumeKeyStatements,
  ebsCsiKeyPolicy,
  flowLogsDeliveryPolicy,
  flowLogsTrustPolicy,
  nodeTrustPolicy,
} from "./documents";

const ACCOUNT = "123456789012";
const KEY = "arn:aws:kms:us-west-2:123456789012:key/volumes";

describe("cluster IAM documents", () => {
  it("lets only EC2 assume the node role", () => {
    assert.deepStrictEqual(nodeTrustPolicy(), {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
      ],
    });
  });

  it("lets the account's Auto Scaling service-linked role use the volume key, and grant only for AWS resources", () => {
    const [use, grant] = autoScalingVolumeKeyStatements(ACCOUNT);
    const role = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
    assert.deepStrictEqual(use.Principal, { AWS: role });
    assert.deepStrictEqual(use.Action, [
      "kms:Encrypt",
      "kms:Decrypt",
      "kms:ReEncrypt*",
      "kms:GenerateDataKey*",
      "kms:DescribeKey",
    ]);
    assert.strictEqual(use.Condition, undefined);
    assert.deepStrictEqual(grant, {
      Sid: "AutoScalingGrantsForAttachedVolumes",
      Effect: "Allow",
      Principal: { AWS: role },
      Action: "kms:CreateGrant",
      Resource: "*",
      Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
    });
  });

  it("scopes the EBS CSI driver's key rights to the volume key, grants to AWS resources", () => {
    const doc = ebsCsiKeyPolicy(KEY);
    assert.ok(doc.Statement.every((s) => s.Resource === KEY && s.Effect === "Allow"));
    assert.deepStrictEqual(doc.Statement[1], {
      Effect: "Allow",
      Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
      Resource: KEY,
      Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
    });
  });

  it("lets only this account's flow-logs service deliver, into its own log group", () => {
    assert.deepStrictEqual(flowLogsTrustPolicy(ACCOUNT).Statement, [
      {
        Effect: "Allow",
        Principal: { Service: "vpc-flow-logs.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
      },
    ]);
    const group = `arn:aws:logs:us-west-2:${ACCOUNT}:log-group:/platform/network/vpc-flow-logs`;
    assert.deepStrictEqual(flowLogsDeliveryPolicy(group).Statement, [
      {
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: [group, `${group}:*`],
      },
    ]);
  });
});
