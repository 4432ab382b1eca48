/**
 * The network's parts: the VPC, its subnets in three AZs, the routes out (internet gateway, NAT
 * gateways) and the VPC endpoints a private EKS cluster needs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NetworkArgs } from "./args";
import { AVAILABILITY_ZONE_COUNT, SubnetPlan } from "./cidr";

/** Interface endpoints a private cluster needs, by service name after `com.amazonaws.<region>.`. */
const DEFAULT_INTERFACE_ENDPOINTS = ["ecr.api", "ecr.dkr", "sts", "logs", "ec2"] as const;

type SubnetTier = keyof SubnetPlan;
const AZ_INDEXES = Array.from({ length: AVAILABILITY_ZONE_COUNT }, (_, i) => i);

/** The VPC, with its default security group stripped of every rule (CKV2_AWS_12). */
export function createVpc(
  name: string,
  args: NetworkArgs,
  opts: pulumi.CustomResourceOptions,
): aws.ec2.Vpc {
  const vpc = new aws.ec2.Vpc(
    `${name}-vpc`,
    {
      cidrBlock: args.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: `${name}-vpc` },
    },
    opts,
  );
  // The default security group admits all traffic between its members.
  new aws.ec2.DefaultSecurityGroup(
    `${name}-default-sg`,
    { vpcId: vpc.id, ingress: [], egress: [] },
    opts,
  );
  return vpc;
}

type Subnets = Readonly<Record<SubnetTier, readonly aws.ec2.Subnet[]>>;

/** One subnet per tier and AZ, tagged for the load balancer controller's and Karpenter's discovery. */
export function createSubnets(
  name: string,
  args: NetworkArgs,
  vpc: aws.ec2.Vpc,
  plan: SubnetPlan,
  opts: pulumi.CustomResourceOptions,
): Subnets {
  const zones = aws.getAvailabilityZonesOutput({ state: "available" }, { parent: opts.parent });
  const subnet = (tier: SubnetTier, i: number, tags: Record<string, string>) =>
    new aws.ec2.Subnet(
      `${name}-${tier}-${i}`,
      {
        vpcId: vpc.id,
        cidrBlock: plan[tier][i],
        availabilityZone: zones.names.apply((names) => names[i]),
        mapPublicIpOnLaunch: false,
        tags: { Name: `${name}-${tier}-${i}`, "platform:tier": tier, ...tags },
      },
      opts,
    );
  const clusterTag = { [`kubernetes.io/cluster/${args.clusterName}`]: "shared" };
  return {
    public: AZ_INDEXES.map((i) =>
      subnet("public", i, { "kubernetes.io/role/elb": "1", ...clusterTag }),
    ),
    private: AZ_INDEXES.map((i) =>
      subnet("private", i, {
        "kubernetes.io/role/internal-elb": "1",
        "karpenter.sh/discovery": args.clusterName,
        ...clusterTag,
      }),
    ),
    isolated: AZ_INDEXES.map((i) => subnet("isolated", i, {})),
  };
}

interface Routing {
  readonly natGateways: readonly aws.ec2.NatGateway[];
  readonly privateRouteTables: readonly aws.ec2.RouteTable[];
  readonly isolatedRouteTable: aws.ec2.RouteTable;
}

/**
 * Public subnets route to the internet gateway, private subnets to a NAT gateway (their AZ's, or
 * the single one), isolated subnets nowhere: data stores reach AWS APIs through the S3 gateway
 * endpoint only.
 */
export function createRouting(
  name: string,
  args: NetworkArgs,
  vpc: aws.ec2.Vpc,
  subnets: Subnets,
  opts: pulumi.CustomResourceOptions,
): Routing {
  const internetGateway = new aws.ec2.InternetGateway(
    `${name}-igw`,
    { vpcId: vpc.id, tags: { Name: `${name}-igw` } },
    opts,
  );
  const publicRoutes = new aws.ec2.RouteTable(
    `${name}-public-rt`,
    { vpcId: vpc.id, tags: { Name: `${name}-public` } },
    opts,
  );
  new aws.ec2.Route(
    `${name}-public-default`,
    {
      routeTableId: publicRoutes.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: internetGateway.id,
    },
    opts,
  );
  subnets.public.forEach(
    (s, i) =>
      new aws.ec2.RouteTableAssociation(
        `${name}-public-rta-${i}`,
        { routeTableId: publicRoutes.id, subnetId: s.id },
        opts,
      ),
  );

  const natCount = (args.natGateways ?? "per-az") === "per-az" ? AVAILABILITY_ZONE_COUNT : 1;
  const natGateways = Array.from({ length: natCount }, (_, i) => {
    const eip = new aws.ec2.Eip(
      `${name}-nat-${i}`,
      { domain: "vpc", tags: { Name: `${name}-nat-${i}` } },
      opts,
    );
    return new aws.ec2.NatGateway(
      `${name}-nat-${i}`,
      {
        allocationId: eip.id,
        subnetId: subnets.public[i].id,
        connectivityType: "public",
        tags: { Name: `${name}-nat-${i}` },
      },
      { ...opts, dependsOn: [internetGateway] },
    );
  });
  const privateRouteTables = AZ_INDEXES.map((i) => {
    const table = new aws.ec2.RouteTable(
      `${name}-private-rt-${i}`,
      { vpcId: vpc.id, tags: { Name: `${name}-private-${i}` } },
      opts,
    );
    new aws.ec2.Route(
      `${name}-private-default-${i}`,
      {
        routeTableId: table.id,
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: natGateways[i % natCount].id,
      },
      opts,
    );
    new aws.ec2.RouteTableAssociation(
      `${name}-private-rta-${i}`,
      { routeTableId: table.id, subnetId: subnets.private[i].id },
      opts,
    );
    return table;
  });
  const isolatedRouteTable = new aws.ec2.RouteTable(
    `${name}-isolated-rt`,
    { vpcId: vpc.id, tags: { Name: `${name}-isolated` } },
    opts,
  );
  subnets.isolated.forEach(
    (s, i) =>
      new aws.ec2.RouteTableAssociation(
        `${name}-isolated-rta-${i}`,
        { routeTableId: isolatedRouteTable.id, subnetId: s.id },
        opts,
      ),
  );
  return { natGateways, privateRouteTables, isolatedRouteTable };
}

/**
 * The S3 gateway endpoint on the private and isolated route tables, and the interface endpoints in
 * the private subnets behind a security group admitting HTTPS from the VPC.
 */
export function createEndpoints(
  name: string,
  args: NetworkArgs,
  vpc: aws.ec2.Vpc,
  subnets: Subnets,
  routing: Routing,
  opts: pulumi.CustomResourceOptions,
): void {
  new aws.ec2.VpcEndpoint(
    `${name}-s3`,
    {
      vpcId: vpc.id,
      serviceName: `com.amazonaws.${args.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: [
        ...routing.privateRouteTables.map((t) => t.id),
        routing.isolatedRouteTable.id,
      ],
      tags: { Name: `${name}-s3` },
    },
    opts,
  );
  const endpointSecurityGroup = new aws.ec2.SecurityGroup(
    `${name}-endpoints`,
    {
      vpcId: vpc.id,
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
    opts,
  );
  for (const service of args.interfaceEndpoints ?? DEFAULT_INTERFACE_ENDPOINTS) {
    new aws.ec2.VpcEndpoint(
      `${name}-${service.replace(/\./g, "-")}`,
      {
        vpcId: vpc.id,
        serviceName: `com.amazonaws.${args.region}.${service}`,
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds: subnets.private.map((s) => s.id),
        securityGroupIds: [endpointSecurityGroup.id],
        tags: { Name: `${name}-${service}` },
      },
      opts,
    );
  }
}
