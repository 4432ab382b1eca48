/**
 * Resilience of a primary region: the FIS experiments of the game day, held to the SLO, and the
 * opt-in monthly schedule. A standby gets none: while passive it serves no traffic and has no data
 * tier of its own, so an experiment there proves nothing; once promoted it is the only region left
 * serving, and injecting faults into it then is what no game day should do. A standby is rehearsed
 * by its failover drill (`npm run dr:plan -- --scenario failover`) instead.
 */
import { DataTier } from "@platform/data-tier";
import { Resilience } from "@platform/resilience";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformContext } from "./program";

interface ResilienceDeps {
  readonly dataTier?: DataTier;
  /** The SNS topic every CloudWatch alarm of the stack posts to. */
  readonly alarmTopicArn: pulumi.Input<string>;
}

export function deployResilience(
  context: PlatformContext,
  deps: ResilienceDeps,
): { readonly resilience: Resilience; readonly outputs: Record<string, unknown> } {
  const { foundation, resilience: settings } = context.config;
  const { cluster, network } = context;
  const resilience = new Resilience(
    "resilience",
    {
      accountId: foundation.accountId,
      region: foundation.region,
      stack: foundation.stack,
      clusterName: cluster.clusterName,
      clusterArn: `arn:aws:eks:${foundation.region}:${foundation.accountId}:cluster/${cluster.clusterName}`,
      vpcId: network.vpcId,
      volumeKeyArn: cluster.volumeKeyArn,
      logsKeyArn: network.logsKeyArn,
      logRetentionDays: foundation.network.flowLogRetentionDays,
      nodeGroupName: cluster.nodeGroups.workloads.nodeGroupName,
      availabilityZone: settings.availabilityZone,
      postgresPrimaryArn: deps.dataTier?.postgresPrimaryArn,
      cacheReplicationGroupArn: deps.dataTier?.cacheReplicationGroupArn,
      workload: settings.workload,
      alarmTopicArn: deps.alarmTopicArn,
      experiments: settings.experiments,
      schedule: settings.schedule,
    },
    {
      providers: { aws: context.aws, kubernetes: cluster.kubernetesProvider },
      dependsOn: [context.baseline],
    },
  );
  return { resilience, outputs: { gameDay: resilience.plan } };
}
