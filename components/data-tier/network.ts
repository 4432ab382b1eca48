import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** A security group with no rules at all: the provider removes AWS's default allow-all egress. */
export function emptySecurityGroup(
  name: string,
  displayName: string,
  vpcId: pulumi.Input<string>,
  description: string,
  opts: pulumi.CustomResourceOptions,
): aws.ec2.SecurityGroup {
  return new aws.ec2.SecurityGroup(name, { vpcId, description, tags: { Name: displayName } }, opts);
}

/** Admits TCP `port` into `securityGroupId` from members of `sourceSecurityGroupId` only. */
export function allowTcpFrom(
  name: string,
  securityGroupId: pulumi.Input<string>,
  sourceSecurityGroupId: pulumi.Input<string>,
  port: number,
  description: string,
  opts: pulumi.CustomResourceOptions,
): aws.vpc.SecurityGroupIngressRule {
  return new aws.vpc.SecurityGroupIngressRule(
    name,
    {
      securityGroupId,
      referencedSecurityGroupId: sourceSecurityGroupId,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      description,
    },
    opts,
  );
}

/** Lets `securityGroupId` open TCP `port` to members of `destinationSecurityGroupId` only. */
export function allowTcpTo(
  name: string,
  securityGroupId: pulumi.Input<string>,
  destinationSecurityGroupId: pulumi.Input<string>,
  port: number,
  description: string,
  opts: pulumi.CustomResourceOptions,
): aws.vpc.SecurityGroupEgressRule {
  return new aws.vpc.SecurityGroupEgressRule(
    name,
    {
      securityGroupId,
      referencedSecurityGroupId: destinationSecurityGroupId,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      description,
    },
    opts,
  );
}

/**
 * Lets `securityGroupId` open HTTPS to AWS's regional APIs (Secrets Manager, ElastiCache) through
 * the private subnets' NAT: those endpoints have no managed prefix list to narrow this to.
 */
export function allowHttpsToAwsApis(
  name: string,
  securityGroupId: pulumi.Input<string>,
  apis: string,
  opts: pulumi.CustomResourceOptions,
): aws.vpc.SecurityGroupEgressRule {
  return new aws.vpc.SecurityGroupEgressRule(
    name,
    {
      securityGroupId,
      cidrIpv4: "0.0.0.0/0",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      description: `${apis} APIs (HTTPS)`,
    },
    opts,
  );
}

/** A log group created before the service writes to it, so it has retention and encryption. */
export function encryptedLogGroup(
  name: string,
  logGroupName: pulumi.Input<string>,
  retentionInDays: number,
  kmsKeyId: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): aws.cloudwatch.LogGroup {
  return new aws.cloudwatch.LogGroup(name, { name: logGroupName, retentionInDays, kmsKeyId }, opts);
}
