import { encryptionKey, Problems } from "@platform/core";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AVAILABILITY_ZONE_COUNT, parseCidr, planSubnets, VPC_PREFIX_RANGE } from "./cidr";

export interface NetworkArgs {
  /** Private IPv4 CIDR of the VPC, /16 to /20. */
  readonly cidr: string;
  readonly accountId: string;
  readonly region: string;
  /** Name of the EKS cluster that will use the VPC, for subnet discovery tags. */
  readonly clusterName: string;
  /**
   * `per-az`: one NAT gateway in each AZ, so losing an AZ keeps the others' egress.
   * `single`: one NAT gateway for all AZs; cheaper, and a single point of failure (opt-in).
   * @default "per-az"
   */
  readonly natGateways?: "per-az" | "single";
  /**
   * Retention of the flow-log group, in days.
   * @default 365
   */
  readonly flowLogRetentionDays?: number;
  /**
   * Interface endpoints (service names after `com.amazonaws.<region>.`) a private EKS cluster needs.
   * @default ["ecr.api", "ecr.dkr", "sts", "logs", "ec2"]
   * @see https://docs.aws.amazon.com/eks/latest/userguide/private-clusters.html
   */
  readonly interfaceEndpoints?: readonly string[];
}

export const DEFAULT_INTERFACE_ENDPOINTS = ["ecr.api", "ecr.dkr", "sts", "logs", "ec2"] as const;

export function validateNetworkArgs(args: NetworkArgs): void {
  const problems = new Problems();
  const vpc = parseCidr(args.cidr);
  if (
    problems.check(
      vpc !== undefined,
      "args.cidr",
      args.cidr,
      "be an IPv4 CIDR with no host bits set",
    )
  ) {
    problems.check(
      vpc!.prefix >= VPC_PREFIX_RANGE.min && vpc!.prefix <= VPC_PREFIX_RANGE.max,
      "args.cidr",
      args.cidr,
      `be between /${VPC_PREFIX_RANGE.min} and /${VPC_PREFIX_RANGE.max}`,
    );
  }
  problems.oneOf("args.natGateways", args.natGateways ?? "per-az", ["per-az", "single"]);
  problems.check(
    /^\d{12}$/.test(args.accountId),
    "args.accountId",
    args.accountId,
    "be a 12-digit AWS account ID",
  );
  problems.throwIfAny("Network arguments");
}

export interface VpcFlowLogArgs {
  readonly vpcId: pulumi.Input<string>;
  readonly accountId: string;
  readonly retentionInDays: number;
  /** KMS key of the log group; its policy must admit CloudWatch Logs (`encryptionKey({ logsService: true })`). */
  readonly logsKeyArn: pulumi.Input<string>;
  /** 60 or 600 seconds. */
  readonly maxAggregationInterval: 60 | 600;
}

/**
 * Flow logs of all traffic of a VPC into an encrypted log group with retention, delivered by a role
 * only the flow-logs service of this account can assume. Children: `${name}-flow-logs` (group),
 * `-flow-logs-role`, `-flow-logs-delivery` (its policy) and `-flow-log`.
 */
export function vpcFlowLog(
  name: string,
  args: VpcFlowLogArgs,
  opts: pulumi.CustomResourceOptions,
): aws.cloudwatch.LogGroup {
  const group = new aws.cloudwatch.LogGroup(
    `${name}-flow-logs`,
    {
      name: `/platform/${name}/vpc-flow-logs`,
      retentionInDays: args.retentionInDays,
      kmsKeyId: args.logsKeyArn,
    },
    opts,
  );
  const role = new aws.iam.Role(
    `${name}-flow-logs-role`,
    {
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "vpc-flow-logs.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": args.accountId } },
          },
        ],
      }),
      description: "VPC flow logs delivery to CloudWatch Logs",
      maxSessionDuration: 3600,
    },
    opts,
  );
  new aws.iam.RolePolicy(
    `${name}-flow-logs-delivery`,
    {
      role: role.name,
      policy: group.arn.apply((arn) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
              Resource: [arn, `${arn}:*`],
            },
          ],
        }),
      ),
    },
    opts,
  );
  new aws.ec2.FlowLog(
    `${name}-flow-log`,
    {
      vpcId: args.vpcId,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: group.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: args.maxAggregationInterval,
    },
    opts,
  );
  return group;
}

/**
 * A VPC across three AZs with public, private and isolated subnets, NAT gateways, flow logs to an
 * encrypted log group, and the VPC endpoints a private EKS cluster needs.
 */
export class Network extends pulumi.ComponentResource {
  public readonly vpc: aws.ec2.Vpc;
  public readonly vpcId: pulumi.Output<string>;
  public readonly publicSubnetIds: pulumi.Output<string>[];
  public readonly privateSubnetIds: pulumi.Output<string>[];
  public readonly isolatedSubnetIds: pulumi.Output<string>[];
  public readonly natGatewayIds: pulumi.Output<string>[];
  public readonly flowLogGroupName: pulumi.Output<string>;
  public readonly logsKeyArn: pulumi.Output<string>;

  constructor(name: string, args: NetworkArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("platform:cluster:Network", name, {}, opts);
    validateNetworkArgs(args);
    const childOpts = { parent: this };
    const plan = planSubnets(parseCidr(args.cidr)!);
    const zones = aws.getAvailabilityZonesOutput({ state: "available" }, { parent: this });
    const zoneName = (i: number) => zones.names.apply((names) => names[i]);

    this.vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.cidr,
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags: { Name: `${name}-vpc` },
      },
      childOpts,
    );
    // The default security group admits all traffic between its members: strip every rule (CKV2_AWS_12).
    new aws.ec2.DefaultSecurityGroup(
      `${name}-default-sg`,
      { vpcId: this.vpc.id, ingress: [], egress: [] },
      childOpts,
    );

    const subnet = (
      tier: "public" | "private" | "isolated",
      i: number,
      tags: Record<string, string>,
    ) =>
      new aws.ec2.Subnet(
        `${name}-${tier}-${i}`,
        {
          vpcId: this.vpc.id,
          cidrBlock: plan[tier][i],
          availabilityZone: zoneName(i),
          mapPublicIpOnLaunch: false,
          tags: { Name: `${name}-${tier}-${i}`, "platform:tier": tier, ...tags },
        },
        childOpts,
      );
    const azIndexes = Array.from({ length: AVAILABILITY_ZONE_COUNT }, (_, i) => i);
    const clusterTag = { [`kubernetes.io/cluster/${args.clusterName}`]: "shared" };
    const publicSubnets = azIndexes.map((i) =>
      subnet("public", i, { "kubernetes.io/role/elb": "1", ...clusterTag }),
    );
    const privateSubnets = azIndexes.map((i) =>
      subnet("private", i, {
        "kubernetes.io/role/internal-elb": "1",
        "karpenter.sh/discovery": args.clusterName,
        ...clusterTag,
      }),
    );
    const isolatedSubnets = azIndexes.map((i) => subnet("isolated", i, {}));

    const internetGateway = new aws.ec2.InternetGateway(
      `${name}-igw`,
      { vpcId: this.vpc.id, tags: { Name: `${name}-igw` } },
      childOpts,
    );
    const publicRoutes = new aws.ec2.RouteTable(
      `${name}-public-rt`,
      { vpcId: this.vpc.id, tags: { Name: `${name}-public` } },
      childOpts,
    );
    new aws.ec2.Route(
      `${name}-public-default`,
      {
        routeTableId: publicRoutes.id,
        destinationCidrBlock: "0.0.0.0/0",
        gatewayId: internetGateway.id,
      },
      childOpts,
    );
    publicSubnets.forEach(
      (s, i) =>
        new aws.ec2.RouteTableAssociation(
          `${name}-public-rta-${i}`,
          { routeTableId: publicRoutes.id, subnetId: s.id },
          childOpts,
        ),
    );

    const natCount = (args.natGateways ?? "per-az") === "per-az" ? AVAILABILITY_ZONE_COUNT : 1;
    const natGateways = Array.from({ length: natCount }, (_, i) => {
      const eip = new aws.ec2.Eip(
        `${name}-nat-${i}`,
        { domain: "vpc", tags: { Name: `${name}-nat-${i}` } },
        childOpts,
      );
      return new aws.ec2.NatGateway(
        `${name}-nat-${i}`,
        {
          allocationId: eip.id,
          subnetId: publicSubnets[i].id,
          connectivityType: "public",
          tags: { Name: `${name}-nat-${i}` },
        },
        { ...childOpts, dependsOn: [internetGateway] },
      );
    });
    const privateRouteTables = azIndexes.map((i) => {
      const table = new aws.ec2.RouteTable(
        `${name}-private-rt-${i}`,
        { vpcId: this.vpc.id, tags: { Name: `${name}-private-${i}` } },
        childOpts,
      );
      new aws.ec2.Route(
        `${name}-private-default-${i}`,
        {
          routeTableId: table.id,
          destinationCidrBlock: "0.0.0.0/0",
          natGatewayId: natGateways[i % natCount].id,
        },
        childOpts,
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-private-rta-${i}`,
        { routeTableId: table.id, subnetId: privateSubnets[i].id },
        childOpts,
      );
      return table;
    });
    // Isolated subnets have no route out: data stores reach AWS APIs through the gateway endpoint only.
    const isolatedRoutes = new aws.ec2.RouteTable(
      `${name}-isolated-rt`,
      { vpcId: this.vpc.id, tags: { Name: `${name}-isolated` } },
      childOpts,
    );
    isolatedSubnets.forEach(
      (s, i) =>
        new aws.ec2.RouteTableAssociation(
          `${name}-isolated-rta-${i}`,
          { routeTableId: isolatedRoutes.id, subnetId: s.id },
          childOpts,
        ),
    );

    new aws.ec2.VpcEndpoint(
      `${name}-s3`,
      {
        vpcId: this.vpc.id,
        serviceName: `com.amazonaws.${args.region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: [...privateRouteTables.map((t) => t.id), isolatedRoutes.id],
        tags: { Name: `${name}-s3` },
      },
      childOpts,
    );
    const endpointSecurityGroup = new aws.ec2.SecurityGroup(
      `${name}-endpoints`,
      {
        vpcId: this.vpc.id,
        description: "HTTPS from inside the VPC to the interface endpoints",
        ingress: [
          {
            protocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrBlocks: [args.cidr],
            description: "HTTPS from the VPC",
          },
        ],
        tags: { Name: `${name}-endpoints` },
      },
      childOpts,
    );
    for (const service of args.interfaceEndpoints ?? DEFAULT_INTERFACE_ENDPOINTS) {
      new aws.ec2.VpcEndpoint(
        `${name}-${service.replace(/\./g, "-")}`,
        {
          vpcId: this.vpc.id,
          serviceName: `com.amazonaws.${args.region}.${service}`,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: privateSubnets.map((s) => s.id),
          securityGroupIds: [endpointSecurityGroup.id],
          tags: { Name: `${name}-${service}` },
        },
        childOpts,
      );
    }

    const logsKey = encryptionKey(
      `${name}-logs-key`,
      {
        description: `CloudWatch Logs encryption for ${name}`,
        accountId: args.accountId,
        region: args.region,
        logsService: true,
      },
      { ...childOpts, protect: true },
    );
    const flowLogGroup = vpcFlowLog(
      name,
      {
        vpcId: this.vpc.id,
        accountId: args.accountId,
        retentionInDays: args.flowLogRetentionDays ?? 365,
        logsKeyArn: logsKey.arn,
        maxAggregationInterval: 60,
      },
      childOpts,
    );

    this.vpcId = this.vpc.id;
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.isolatedSubnetIds = isolatedSubnets.map((s) => s.id);
    this.natGatewayIds = natGateways.map((n) => n.id);
    this.flowLogGroupName = flowLogGroup.name;
    this.logsKeyArn = logsKey.arn;
    this.registerOutputs({
      vpc: this.vpc,
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      isolatedSubnetIds: this.isolatedSubnetIds,
      natGatewayIds: this.natGatewayIds,
      flowLogGroupName: this.flowLogGroupName,
      logsKeyArn: this.logsKeyArn,
    });
  }
}
