/** Happy-path network resources: each a correct production resource that passes every policy. */
import { aws } from "../test/builders";

export const happyNetwork = {
  securityGroup: () =>
    aws("aws:ec2/securityGroup:SecurityGroup", "nodes-sg", {
      description: "EKS worker nodes",
      vpcId: "vpc-0123",
      ingress: [
        {
          description: "HTTPS from the VPC",
          protocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrBlocks: ["10.0.0.0/16"],
        },
      ],
      egress: [
        {
          description: "All egress",
          protocol: "-1",
          fromPort: 0,
          toPort: 0,
          cidrBlocks: ["0.0.0.0/0"],
        },
      ],
    }),
  securityGroupRule: () =>
    aws("aws:ec2/securityGroupRule:SecurityGroupRule", "nodes-https", {
      type: "ingress",
      protocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrBlocks: ["10.0.0.0/16"],
      securityGroupId: "sg-0123",
      description: "HTTPS from the VPC",
    }),
  vpcIngressRule: () =>
    aws("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "db-postgres", {
      securityGroupId: "sg-0456",
      ipProtocol: "tcp",
      fromPort: 5432,
      toPort: 5432,
      cidrIpv4: "10.0.0.0/16",
      description: "Postgres from the VPC",
    }),
  subnet: () =>
    aws("aws:ec2/subnet:Subnet", "private-a", {
      vpcId: "vpc-0123",
      cidrBlock: "10.0.0.0/19",
      availabilityZone: "us-west-2a",
      mapPublicIpOnLaunch: false,
    }),
  webAcl: () =>
    aws("aws:wafv2/webAcl:WebAcl", "ingress-web-acl", {
      name: "platform-ingress",
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      rules: [
        {
          name: "AWSManagedRulesKnownBadInputsRuleSet",
          priority: 1,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: {
              vendorName: "AWS",
              name: "AWSManagedRulesKnownBadInputsRuleSet",
            },
          },
          visibilityConfig: {
            cloudwatchMetricsEnabled: true,
            metricName: "known-bad-inputs",
            sampledRequestsEnabled: true,
          },
        },
      ],
      visibilityConfig: {
        cloudwatchMetricsEnabled: true,
        metricName: "platform-ingress",
        sampledRequestsEnabled: true,
      },
    }),
};
