import { RestrictedNamespace } from "@platform/cluster";
import { CHARTS, pinnedRelease, Problems, registryHost } from "@platform/core";
import {
  assumptionsParameterName,
  CostAssumptions,
  DEFAULT_COST_ASSUMPTIONS,
  REQUIRED_TAG_KEYS,
} from "@platform/model";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  anomalyMonitorSpecification,
  anomalyThreshold,
  budgetNotifications,
  stackCostFilter,
} from "./budget";
import {
  KUBE_PROMETHEUS_STACK,
  openCostNetworkPolicies,
  openCostValues,
  PrometheusEndpoint,
} from "./opencost";

export interface OffHoursPool {
  readonly nodeGroup: aws.eks.NodeGroup;
  /** Sizes restored when the working day starts (the pool's configured sizes). */
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredSize: number;
}

export interface OffHoursScheduleArgs {
  /** Pools scaled to zero out of hours; never the system pool (it runs CoreDNS and the add-ons). */
  readonly pools: readonly OffHoursPool[];
  /**
   * Cron (minute hour day month weekday) at which the pools scale to zero.
   * @default "0 20 * * MON-FRI"
   */
  readonly scaleDownRecurrence?: string;
  /** @default "0 7 * * MON-FRI" */
  readonly scaleUpRecurrence?: string;
  /**
   * IANA time zone of both recurrences.
   * @default "UTC"
   */
  readonly timeZone?: string;
}

export interface OpenCostArgs {
  /** The stack's account and region: OpenCost's image comes from their ECR pull-through cache. */
  readonly accountId: string;
  readonly region: string;
  /** Cluster name reported by OpenCost. */
  readonly clusterId: string;
  /** @default "opencost" */
  readonly namespace?: string;
  /** @default KUBE_PROMETHEUS_STACK - kube-prometheus-stack's Prometheus in `monitoring` */
  readonly prometheus?: PrometheusEndpoint;
  /**
   * Labels that make Prometheus select OpenCost's ServiceMonitor; needs the Prometheus Operator CRDs.
   * @default undefined - no ServiceMonitor
   */
  readonly serviceMonitorLabels?: Readonly<Record<string, string>>;
  /** Resources that must exist first (the Prometheus release, whose CRDs the ServiceMonitor uses). */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export interface CostControlsArgs {
  /** Stack name: the value of the `platform:stack` cost-allocation tag the budget filters on. */
  readonly stack: string;
  /** Monthly budget of the stack in USD; the stack-budget policy compares the estimate with it. */
  readonly monthlyBudgetUsd: number;
  /** Addresses that receive budget and anomaly alerts. */
  readonly alertEmails: readonly string[];
  /**
   * Percentages of the budget at which actual spend alerts.
   * @default [80, 100]
   */
  readonly actualAlertPercents?: readonly number[];
  /**
   * Percentage of the budget at which forecast spend alerts.
   * @default 100
   */
  readonly forecastAlertPercent?: number;
  /**
   * Total impact in USD from which a cost anomaly is reported.
   * @default 100
   * @see https://docs.aws.amazon.com/cost-management/latest/userguide/manage-ad.html
   */
  readonly anomalyThresholdUsd?: number;
  /**
   * Activate the platform's cost-allocation tags in the payer account. Account-wide: one stack per
   * account activates them; the tags stay active when that stack is destroyed.
   * @default true
   */
  readonly activateCostAllocationTags?: boolean;
  /** @default REQUIRED_TAG_KEYS from @platform/model */
  readonly costAllocationTagKeys?: readonly string[];
  /**
   * Usage figures of the cost estimate, published for the policy pack.
   * @default DEFAULT_COST_ASSUMPTIONS
   */
  readonly assumptions?: CostAssumptions;
  /** @default undefined - no OpenCost */
  readonly openCost?: OpenCostArgs;
  /** Opt-in, not for production: scale workload pools to zero out of hours. @default undefined */
  readonly offHours?: OffHoursScheduleArgs;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CRON_FIELD = /^[\w*/,?#LW-]+$/;

export function validateCostControlsArgs(args: CostControlsArgs): void {
  const problems = new Problems();
  problems.check(
    Number.isInteger(args.monthlyBudgetUsd) && args.monthlyBudgetUsd >= 1,
    "args.monthlyBudgetUsd",
    args.monthlyBudgetUsd,
    "be a whole number of dollars, at least 1",
  );
  problems.check(
    args.alertEmails.length > 0,
    "args.alertEmails",
    args.alertEmails,
    "list at least one address, or nobody hears about overspend",
  );
  for (const email of args.alertEmails) {
    problems.check(EMAIL.test(email), "args.alertEmails", email, "contain email addresses");
  }
  for (const percent of args.actualAlertPercents ?? []) {
    problems.integerInRange("args.actualAlertPercents", percent, 1, 1000);
  }
  problems.integerInRange("args.forecastAlertPercent", args.forecastAlertPercent ?? 100, 1, 1000);
  const threshold = args.anomalyThresholdUsd ?? 100;
  problems.check(
    Number.isInteger(threshold) && threshold >= 1,
    "args.anomalyThresholdUsd",
    threshold,
    "be a whole number of dollars, at least 1",
  );
  if (args.offHours) {
    const o = args.offHours;
    for (const [key, cron] of [
      ["scaleDownRecurrence", o.scaleDownRecurrence],
      ["scaleUpRecurrence", o.scaleUpRecurrence],
    ] as const) {
      if (cron === undefined) continue;
      const fields = cron.trim().split(/\s+/);
      problems.check(
        fields.length === 5 && fields.every((f) => CRON_FIELD.test(f)),
        `args.offHours.${key}`,
        cron,
        'be a five-field cron expression such as "0 20 * * MON-FRI"',
      );
    }
    problems.check(
      o.pools.length > 0,
      "args.offHours.pools",
      o.pools.length,
      "name at least one pool",
    );
  }
  problems.throwIfAny("CostControls arguments");
}

/**
 * Cost controls of one stack: an AWS Budget on the stack's tagged spend with actual and forecast
 * alerts, Cost Anomaly Detection on the same spend, activation of the cost-allocation tags, the
 * usage assumptions of the cost estimate (an SSM parameter), OpenCost in the cluster, and an
 * opt-in out-of-hours schedule for non-production workload pools.
 */
export class CostControls extends pulumi.ComponentResource {
  public readonly budget: aws.budgets.Budget;
  public readonly anomalyMonitor: aws.costexplorer.AnomalyMonitor;
  public readonly anomalySubscription: aws.costexplorer.AnomalySubscription;
  public readonly costAllocationTags: readonly aws.costexplorer.CostAllocationTag[];
  public readonly assumptionsParameter: aws.ssm.Parameter;
  public readonly openCostRelease?: k8s.helm.v3.Release;
  public readonly schedules: readonly aws.autoscaling.Schedule[];

  constructor(name: string, args: CostControlsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("platform:cost-controls:CostControls", name, {}, opts);
    validateCostControlsArgs(args);
    const childOpts = { parent: this };
    const emails = [...args.alertEmails];

    this.budget = new aws.budgets.Budget(
      `${name}-budget`,
      {
        name: `platform-${args.stack}`,
        budgetType: "COST",
        limitAmount: String(args.monthlyBudgetUsd),
        limitUnit: "USD",
        timeUnit: "MONTHLY",
        filterExpression: stackCostFilter(args.stack),
        notifications: budgetNotifications(
          args.actualAlertPercents ?? [80, 100],
          args.forecastAlertPercent ?? 100,
          emails,
        ),
      },
      childOpts,
    );

    this.anomalyMonitor = new aws.costexplorer.AnomalyMonitor(
      `${name}-anomaly-monitor`,
      {
        name: `platform-${args.stack}`,
        monitorType: "CUSTOM",
        monitorSpecification: anomalyMonitorSpecification(args.stack),
      },
      childOpts,
    );
    this.anomalySubscription = new aws.costexplorer.AnomalySubscription(
      `${name}-anomaly-subscription`,
      {
        name: `platform-${args.stack}`,
        // Email subscribers take daily or weekly digests; IMMEDIATE needs an SNS topic.
        frequency: "DAILY",
        monitorArnLists: [this.anomalyMonitor.arn],
        subscribers: emails.map((address) => ({ type: "EMAIL", address })),
        thresholdExpression: anomalyThreshold(args.anomalyThresholdUsd ?? 100),
      },
      childOpts,
    );

    const tagKeys = args.costAllocationTagKeys ?? REQUIRED_TAG_KEYS;
    this.costAllocationTags =
      (args.activateCostAllocationTags ?? true)
        ? tagKeys.map(
            (tagKey) =>
              new aws.costexplorer.CostAllocationTag(
                `${name}-tag-${tagKey.replace(/[^a-zA-Z0-9-]/g, "-")}`,
                { tagKey, status: "Active" },
                // Account-wide and shared by every stack: destroying one stack keeps them active.
                { ...childOpts, retainOnDelete: true },
              ),
          )
        : [];

    this.assumptionsParameter = new aws.ssm.Parameter(
      `${name}-assumptions`,
      {
        name: assumptionsParameterName(args.stack),
        description:
          "Usage assumptions of the stack's cost estimate (docs/pricing.md); not secret.",
        type: "String",
        tier: "Standard",
        insecureValue: JSON.stringify(args.assumptions ?? DEFAULT_COST_ASSUMPTIONS),
      },
      childOpts,
    );

    if (args.openCost) this.openCostRelease = this.deployOpenCost(name, args.openCost);

    this.schedules = args.offHours ? this.offHoursSchedules(name, args.offHours) : [];

    this.registerOutputs({
      budget: this.budget,
      anomalyMonitor: this.anomalyMonitor,
      anomalySubscription: this.anomalySubscription,
      costAllocationTags: this.costAllocationTags,
      assumptionsParameter: this.assumptionsParameter,
      openCostRelease: this.openCostRelease,
      schedules: this.schedules,
    });
  }

  private deployOpenCost(name: string, args: OpenCostArgs): k8s.helm.v3.Release {
    const prometheus = args.prometheus ?? KUBE_PROMETHEUS_STACK;
    const namespaceName = args.namespace ?? "opencost";
    const namespace = new RestrictedNamespace(namespaceName, {}, { parent: this });
    const nsOpts = { parent: this, dependsOn: [namespace] };
    const policies = Object.entries(openCostNetworkPolicies(prometheus)).map(
      ([policyName, spec]) =>
        new k8s.networking.v1.NetworkPolicy(
          `${name}-${policyName}`,
          { metadata: { name: policyName, namespace: namespace.name }, spec },
          nsOpts,
        ),
    );
    return pinnedRelease(
      `${name}-opencost`,
      {
        chart: CHARTS.opencost,
        namespace: namespace.name,
        values: openCostValues({
          registryHost: registryHost(args.accountId, args.region),
          clusterId: args.clusterId,
          prometheus,
          serviceMonitorLabels: args.serviceMonitorLabels,
        }),
      },
      { parent: this, dependsOn: [namespace, ...policies, ...(args.dependsOn ?? [])] },
    );
  }

  private offHoursSchedules(name: string, args: OffHoursScheduleArgs): aws.autoscaling.Schedule[] {
    const timeZone = args.timeZone ?? "UTC";
    return args.pools.flatMap((pool, i) => {
      // EKS names the managed node group's Auto Scaling group; read it from the group's resources.
      const autoscalingGroupName = pool.nodeGroup.resources.apply(
        (resources) => resources[0].autoscalingGroups[0].name,
      );
      return [
        new aws.autoscaling.Schedule(
          `${name}-pool-${i}-scale-down`,
          {
            autoscalingGroupName,
            scheduledActionName: "platform-off-hours-scale-down",
            recurrence: args.scaleDownRecurrence ?? "0 20 * * MON-FRI",
            timeZone,
            minSize: 0,
            maxSize: 0,
            desiredCapacity: 0,
          },
          { parent: this },
        ),
        new aws.autoscaling.Schedule(
          `${name}-pool-${i}-scale-up`,
          {
            autoscalingGroupName,
            scheduledActionName: "platform-off-hours-scale-up",
            recurrence: args.scaleUpRecurrence ?? "0 7 * * MON-FRI",
            timeZone,
            minSize: pool.minSize,
            maxSize: pool.maxSize,
            desiredCapacity: pool.desiredSize,
          },
          { parent: this },
        ),
      ];
    });
  }
}
