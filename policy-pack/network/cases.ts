/** Violating and passing cases of the network exposure policies. */
import { type Case, exercising, passes, stackCase, violates, WORLD } from "../test/case";
import { change, withDeps } from "../test/builders";
import { happy } from "../test/fixtures";

export const cases: Case[] = [
  passes("security-group-no-world-ingress", "VPC-only ingress", happy.securityGroup()),
  passes(
    "security-group-no-world-ingress",
    "443 from the internet (load balancer port)",
    change(happy.securityGroup(), "ingress.0.cidrBlocks", WORLD),
  ),
  exercising(
    ["CKV_AWS_24", "AVD-AWS-0107"],
    violates(
      "security-group-no-world-ingress",
      "SSH from the internet",
      change(
        change(
          change(happy.securityGroup(), "ingress.0.cidrBlocks", WORLD),
          "ingress.0.fromPort",
          22,
        ),
        "ingress.0.toPort",
        22,
      ),
    ),
  ),
  exercising(
    ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277", "AVD-AWS-0107"],
    violates(
      "security-group-no-world-ingress",
      "all traffic from ::/0",
      change(
        change(happy.securityGroup(), "ingress.0.protocol", "-1"),
        "ingress.0.ipv6CidrBlocks",
        ["::/0"],
      ),
    ),
  ),
  passes("security-group-rule-no-world-ingress", "VPC-only rule", happy.securityGroupRule()),
  passes(
    "security-group-rule-no-world-ingress",
    "egress to the internet",
    change(change(happy.securityGroupRule(), "type", "egress"), "cidrBlocks", WORLD),
  ),
  exercising(
    ["CKV_AWS_24", "AVD-AWS-0107"],
    violates(
      "security-group-rule-no-world-ingress",
      "port range from the internet",
      change(change(happy.securityGroupRule(), "cidrBlocks", WORLD), "fromPort", 0),
    ),
  ),
  passes("vpc-ingress-rule-no-world-ingress", "VPC-only rule", happy.vpcIngressRule()),
  exercising(
    ["AVD-AWS-0107"],
    violates(
      "vpc-ingress-rule-no-world-ingress",
      "Postgres from the internet",
      change(happy.vpcIngressRule(), "cidrIpv4", "0.0.0.0/0"),
    ),
  ),
  passes("security-group-descriptions", "described group and rules", happy.securityGroup()),
  violates(
    "security-group-descriptions",
    "provider default description",
    change(happy.securityGroup(), "description", "Managed by Pulumi"),
  ),
  exercising(
    ["CKV_AWS_23", "AVD-AWS-0124"],
    violates(
      "security-group-descriptions",
      "undescribed rule",
      change(happy.securityGroup(), "ingress.0.description", undefined),
    ),
  ),
  passes("subnet-no-auto-public-ip", "private subnet", happy.subnet()),
  exercising(
    ["CKV_AWS_130", "AVD-AWS-0164"],
    violates(
      "subnet-no-auto-public-ip",
      "maps public IPs",
      change(happy.subnet(), "mapPublicIpOnLaunch", true),
    ),
  ),
  stackCase("vpc-flow-logs", "VPC with flow log", "passes"),
  exercising(
    ["CKV2_AWS_11", "AVD-AWS-0178"],
    stackCase("vpc-flow-logs", "VPC without flow log", "violates", (s) => {
      s.flowLog = s.flowLogGroup;
    }),
  ),
  stackCase("world-ingress-only-on-load-balancers", "443 open on the ALB's group", "passes"),
  exercising(
    ["AVD-AWS-0107"],
    stackCase(
      "world-ingress-only-on-load-balancers",
      "443 open on a group no load balancer uses",
      "violates",
      (s) => {
        s.alb = withDeps(s.alb, { subnets: [s.publicSubnet] });
      },
    ),
  ),
  exercising(
    ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277", "AVD-AWS-0107"],
    violates(
      "security-group-rule-no-world-ingress",
      "all traffic from the internet",
      change(
        change(
          change(change(happy.securityGroupRule(), "cidrBlocks", WORLD), "protocol", "-1"),
          "fromPort",
          0,
        ),
        "toPort",
        0,
      ),
    ),
  ),
  exercising(
    ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277", "AVD-AWS-0107"],
    violates(
      "vpc-ingress-rule-no-world-ingress",
      "all traffic from the internet",
      change(
        change(
          change(change(happy.vpcIngressRule(), "cidrIpv4", "0.0.0.0/0"), "ipProtocol", "-1"),
          "fromPort",
          undefined,
        ),
        "toPort",
        undefined,
      ),
    ),
  ),
  exercising(
    ["CKV_AWS_23", "AVD-AWS-0099"],
    violates(
      "security-group-descriptions",
      "no description",
      change(happy.securityGroup(), "description", undefined),
    ),
  ),
  passes("waf-web-acl-has-rules", "managed groups", happy.webAcl()),
  exercising(
    ["CKV_AWS_175"],
    violates("waf-web-acl-has-rules", "no rules", change(happy.webAcl(), "rules", [])),
  ),
  passes("waf-web-acl-known-bad-inputs", "known bad inputs blocking", happy.webAcl()),
  exercising(
    ["CKV_AWS_192"],
    violates(
      "waf-web-acl-known-bad-inputs",
      "known bad inputs only counted",
      change(happy.webAcl(), "rules.0.overrideAction", { count: {} }),
    ),
  ),
  violates(
    "waf-web-acl-known-bad-inputs",
    "no known-bad-inputs group",
    change(
      happy.webAcl(),
      "rules.0.statement.managedRuleGroupStatement.name",
      "AWSManagedRulesCommonRuleSet",
    ),
  ),
];
