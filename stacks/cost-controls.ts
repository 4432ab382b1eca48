/**
 * Cost controls of one region: the stack's budget and anomaly alerts on its tagged spend, the
 * cost-allocation tags, the cost estimate's assumptions, OpenCost reading Prometheus, and (outside
 * production, opt-in) the workload pool scaled to zero out of hours.
 */
import { CostControls, PrometheusEndpoint } from "@platform/cost-controls";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformContext } from "./program";

interface CostControlsDependencies {
  /** The cluster's Prometheus; OpenCost's ServiceMonitor needs its Operator CRDs first. */
  readonly monitoring?: {
    readonly release: pulumi.Resource;
    readonly serviceMonitorLabels: Readonly<Record<string, string>>;
    readonly prometheus?: PrometheusEndpoint;
  };
}

export function deployCostControls(
  context: PlatformContext,
  deps: CostControlsDependencies = {},
): { costControls: CostControls; outputs: Record<string, unknown> } {
  const { foundation, costControls: settings } = context.config;
  const workloads = context.cluster.nodePools.workloads;
  const costControls = new CostControls(
    "cost-controls",
    {
      stack: foundation.stack,
      monthlyBudgetUsd: settings.monthlyBudgetUsd,
      alertEmails: settings.alertEmails,
      actualAlertPercents: settings.actualAlertPercents,
      forecastAlertPercent: settings.forecastAlertPercent,
      anomalyThresholdUsd: settings.anomalyThresholdUsd,
      activateCostAllocationTags: settings.activateCostAllocationTags,
      assumptions: settings.assumptions,
      ...(settings.openCost
        ? {
            openCost: {
              accountId: foundation.accountId,
              region: foundation.region,
              clusterId: context.cluster.clusterName,
              ...(deps.monitoring
                ? {
                    prometheus: deps.monitoring.prometheus,
                    serviceMonitorLabels: deps.monitoring.serviceMonitorLabels,
                    dependsOn: [deps.monitoring.release],
                  }
                : {}),
            },
          }
        : {}),
      ...(settings.offHours
        ? {
            offHours: {
              pools: [
                {
                  nodeGroup: context.cluster.nodeGroups.workloads,
                  minSize: workloads.minSize,
                  maxSize: workloads.maxSize,
                  desiredSize: workloads.desiredSize,
                },
              ],
              ...settings.offHours,
            },
          }
        : {}),
    },
    { providers: { aws: context.aws, kubernetes: context.cluster.kubernetesProvider } },
  );
  return {
    costControls,
    outputs: {
      budgetName: costControls.budget.name,
      monthlyBudgetUsd: settings.monthlyBudgetUsd,
      costAnomalyMonitorArn: costControls.anomalyMonitor.arn,
    },
  };
}
