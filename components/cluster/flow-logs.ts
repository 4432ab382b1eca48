import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { flowLogsDeliveryPolicy, flowLogsTrustPolicy } from "./documents";

export interface FlowLogArgs {
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
export function createFlowLog(
  name: string,
  args: FlowLogArgs,
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
      assumeRolePolicy: JSON.stringify(flowLogsTrustPolicy(args.accountId)),
      description: "VPC flow logs delivery to CloudWatch Logs",
      maxSessionDuration: 3600,
    },
    opts,
  );
  new aws.iam.RolePolicy(
    `${name}-flow-logs-delivery`,
    {
      role: role.name,
      policy: group.arn.apply((arn) => JSON.stringify(flowLogsDeliveryPolicy(arn))),
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
