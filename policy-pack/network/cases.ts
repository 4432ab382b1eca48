/** Violating and passing cases of the network exposure policies. */
import { type Case, passes, stackCase, violates, WORLD } from "../test/case";
import { change, withDeps } from "../test/builders";
import { happy } from "../test/fixtures";

export const cases: Case[] = [
  passes("security-group-no-world-ingress", "VPC-only ingress", happy.securityGroup()),
  passes(
    "security-group-no-world-ingress",
    "443 from the internet (load balancer port)",
    change(happy.securityGroup(), "ingress.0.cidrBlocks", WORLD),
  ),
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
  violates(
    "security-group-no-world-ingress",
    "all traffic from ::/0",
    change(change(happy.securityGroup(), "ingress.0.protocol", "-1"), "ingress.0.ipv6CidrBlocks", [
      "::/0",
    ]),
  ),
  passes("security-group-rule-no-world-ingress", "VPC-only rule", happy.securityGroupRule()),
  passes(
    "security-group-rule-no-world-ingress",
    "egress to the internet",
    change(change(happy.securityGroupRule(), "type", "egress"), "cidrBlocks", WORLD),
  ),
  violates(
    "security-group-rule-no-world-ingress",
    "port range from the internet",
    change(change(happy.securityGroupRule(), "cidrBlocks", WORLD), "fromPort", 0),
  ),
  passes("vpc-ingress-rule-no-world-ingress", "VPC-only rule", happy.vpcIngressRule()),
  violates(
    "vpc-ingress-rule-no-world-ingress",
    "Postgres from the internet",
    change(happy.vpcIngressRule(), "cidrIpv4", "0.0.0.0/0"),
  ),
  passes("security-group-descriptions", "described group and rules", happy.securityGroup()),
  violates(
    "security-group-descriptions",
    "provider default description",
    change(happy.securityGroup(), "description", "Managed by Pulumi"),
  ),
  violates(
    "security-group-descriptions",
    "undescribed rule",
    change(happy.securityGroup(), "ingress.0.description", undefined),
  ),
  passes("subnet-no-auto-public-ip", "private subnet", happy.subnet()),
  violates(
    "subnet-no-auto-public-ip",
    "maps public IPs",
    change(happy.subnet(), "mapPublicIpOnLaunch", true),
  ),
  stackCase("vpc-flow-logs", "VPC with flow log", "passes"),
  stackCase("vpc-flow-logs", "VPC without flow log", "violates", (s) => {
    s.flowLog = s.flowLogGroup;
  }),
  stackCase("world-ingress-only-on-load-balancers", "443 open on the ALB's group", "passes"),
  stackCase(
    "world-ingress-only-on-load-balancers",
    "443 open on a group no load balancer uses",
    "violates",
    (s) => {
      s.alb = withDeps(s.alb, { subnets: [s.publicSubnet] });
    },
  ),
];
