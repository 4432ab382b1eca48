import { encryptionKey } from "@platform/core";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NetworkArgs } from "./args";
import { parseCidr, planSubnets } from "./cidr";
import { createFlowLog } from "./flow-logs";
import { validateNetworkArgs } from "./validation";
import { createEndpoints, createRouting, createSubnets, createVpc } from "./vpc";

/**
 * A VPC across three AZs with public, private and isolated subnets, NAT gateways, flow logs to an
 * encrypted log group, and the VPC endpoints a private EKS cluster needs.
 */
export class Network extends pulumi.ComponentResource {
  public readonly vpc: aws.ec2.Vpc;
  public readonly vpcId: pulumi.Output<string>;
  /** The VPC's CIDR (`args.cidr`). */
  public readonly cidr: string;
  public readonly publicSubnetIds: pulumi.Output<string>[];
  public readonly privateSubnetIds: pulumi.Output<string>[];
  public readonly isolatedSubnetIds: pulumi.Output<string>[];
  /** CIDRs of the public subnets, one per AZ: where the load balancers connect to pods from. */
  public readonly publicSubnetCidrs: readonly string[];
  public readonly privateSubnetCidrs: readonly string[];
  /** CIDRs of the isolated subnets, one per AZ: where the data stores live. */
  public readonly isolatedSubnetCidrs: readonly string[];
  public readonly natGatewayIds: pulumi.Output<string>[];
  /** The NAT gateways' public IPs: the source of the nodes' calls to public endpoints. */
  public readonly natPublicIps: pulumi.Output<string>[];
  public readonly flowLogGroupName: pulumi.Output<string>;
  public readonly logsKeyArn: pulumi.Output<string>;

  constructor(name: string, args: NetworkArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("platform:cluster:Network", name, {}, opts);
    validateNetworkArgs(args);
    const childOpts = { parent: this };
    const plan = planSubnets(parseCidr(args.cidr)!);

    this.vpc = createVpc(name, args, childOpts);
    const subnets = createSubnets(name, args, this.vpc, plan, childOpts);
    const routing = createRouting(name, args, this.vpc, subnets, childOpts);
    createEndpoints(name, args, this.vpc, subnets, routing, childOpts);

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
    const flowLogGroup = createFlowLog(
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
    this.cidr = args.cidr;
    this.publicSubnetIds = subnets.public.map((s) => s.id);
    this.privateSubnetIds = subnets.private.map((s) => s.id);
    this.isolatedSubnetIds = subnets.isolated.map((s) => s.id);
    this.publicSubnetCidrs = plan.public;
    this.privateSubnetCidrs = plan.private;
    this.isolatedSubnetCidrs = plan.isolated;
    this.natGatewayIds = routing.natGateways.map((n) => n.id);
    this.natPublicIps = routing.natGateways.map((n) => n.publicIp);
    this.flowLogGroupName = flowLogGroup.name;
    this.logsKeyArn = logsKey.arn;
    this.registerOutputs({
      vpc: this.vpc,
      vpcId: this.vpcId,
      cidr: this.cidr,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      isolatedSubnetIds: this.isolatedSubnetIds,
      publicSubnetCidrs: this.publicSubnetCidrs,
      privateSubnetCidrs: this.privateSubnetCidrs,
      isolatedSubnetCidrs: this.isolatedSubnetCidrs,
      natGatewayIds: this.natGatewayIds,
      natPublicIps: this.natPublicIps,
      flowLogGroupName: this.flowLogGroupName,
      logsKeyArn: this.logsKeyArn,
    });
  }
}
