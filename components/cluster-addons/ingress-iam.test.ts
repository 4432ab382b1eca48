import * as assert from "assert";
import { PolicyDocument } from "@platform/core";
import {
  awsLoadBalancerControllerPolicy,
  certManagerDns01Policy,
  externalDnsPolicy,
} from "./ingress-iam";

const ZONE = "Z0123456789ABCDEFGHIJ";

const actions = (doc: PolicyDocument) =>
  doc.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])) as string[];

describe("ingress IAM documents", () => {
  it("lets external-dns create and update, never delete, A/AAAA/CNAME/TXT records in the stack's zone only", () => {
    assert.deepStrictEqual(externalDnsPolicy("aws", ZONE), {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "UpsertRecordsInTheStackZone",
          Effect: "Allow",
          Action: "route53:ChangeResourceRecordSets",
          Resource: `arn:aws:route53:::hostedzone/${ZONE}`,
          Condition: {
            "ForAllValues:StringEquals": {
              "route53:ChangeResourceRecordSetsActions": ["CREATE", "UPSERT"],
              "route53:ChangeResourceRecordSetsRecordTypes": ["A", "AAAA", "CNAME", "TXT"],
            },
          },
        },
        {
          Sid: "ReadTheStackZone",
          Effect: "Allow",
          Action: ["route53:ListResourceRecordSets", "route53:ListTagsForResources"],
          Resource: `arn:aws:route53:::hostedzone/${ZONE}`,
        },
        { Sid: "ListZones", Effect: "Allow", Action: "route53:ListHostedZones", Resource: "*" },
      ],
    });
  });

  it("lets cert-manager write only _acme-challenge TXT records in the stack's zone", () => {
    assert.deepStrictEqual(certManagerDns01Policy("aws", ZONE), {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "WatchChangePropagation",
          Effect: "Allow",
          Action: "route53:GetChange",
          Resource: "arn:aws:route53:::change/*",
        },
        {
          Sid: "WriteAcmeChallengeRecords",
          Effect: "Allow",
          Action: "route53:ChangeResourceRecordSets",
          Resource: `arn:aws:route53:::hostedzone/${ZONE}`,
          Condition: {
            "ForAllValues:StringEquals": {
              "route53:ChangeResourceRecordSetsRecordTypes": ["TXT"],
            },
            "ForAllValues:StringLike": {
              "route53:ChangeResourceRecordSetsNormalizedRecordNames": ["_acme-challenge.*"],
            },
          },
        },
        {
          Sid: "ReadTheStackZone",
          Effect: "Allow",
          Action: "route53:ListResourceRecordSets",
          Resource: `arn:aws:route53:::hostedzone/${ZONE}`,
        },
      ],
    });
  });

  describe("AWS Load Balancer Controller", () => {
    const doc = awsLoadBalancerControllerPolicy();

    it("is the published v3.5.0 policy: 16 statements, 86 actions", () => {
      assert.strictEqual(doc.Statement.length, 16);
      assert.strictEqual(actions(doc).length, 86);
      assert.ok(
        actions(doc).every((a) =>
          /^(ec2|elasticloadbalancing|iam|acm|cognito-idp|waf-regional|wafv2|shield):[A-Za-z]+$/.test(
            a,
          ),
        ),
      );
    });

    it("deletes and modifies only load balancers and groups tagged by the controller", () => {
      const conditioned = doc.Statement.filter((s) =>
        (s.Action as string[]).some((a) =>
          ["elasticloadbalancing:DeleteLoadBalancer", "ec2:DeleteSecurityGroup"].includes(a),
        ),
      );
      assert.strictEqual(conditioned.length, 2);
      for (const s of conditioned) {
        assert.deepStrictEqual(s.Condition, {
          Null: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "false" },
        });
      }
    });

    it("creates only the Elastic Load Balancing service-linked role", () => {
      assert.deepStrictEqual(doc.Statement[0], {
        Effect: "Allow",
        Action: ["iam:CreateServiceLinkedRole"],
        Resource: "*",
        Condition: {
          StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" },
        },
      });
    });
  });
});
