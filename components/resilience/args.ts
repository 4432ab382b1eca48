import * as pulumi from "@pulumi/pulumi";

/** The experiments this component can declare, in the game day's default order. */
export const EXPERIMENT_IDS = [
  "pod-faults",
  "spot-interruption",
  "node-termination",
  "postgres-failover",
  "cache-az-power",
  "az-power-interruption",
] as const;

export type ExperimentId = (typeof EXPERIMENT_IDS)[number];

/** The SLO the stop conditions hold every experiment to (the platform's, docs/game-day.md). */
export interface SloStopArgs {
  /**
   * Highest share of requests answered with a 5xx (by the targets or the load balancer) per minute.
   * @default 0.001
   */
  readonly errorRate?: number;
  /**
   * Latency bound in milliseconds; the stop condition compares the load balancer's mean target
   * response time with it (Metrics Insights has no percentiles, see slo-alarms.ts).
   * @default 100
   */
  readonly latencyMs?: number;
}

/** The workload the EKS pod experiments target (FIS selects its pods by a label selector). */
export interface ChaosWorkloadArgs {
  readonly namespace: string;
  /** A Kubernetes label selector such as `app.kubernetes.io/name=web`. */
  readonly labelSelector: string;
}

/** When the game day runs: one EventBridge Scheduler schedule per experiment, staggered. */
export interface GameDayScheduleArgs {
  /**
   * Day of the month as EventBridge Scheduler's cron day-of-week field: the Nth weekday.
   * @default "TUE#2" - the second Tuesday of every month
   * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#cron-based
   */
  readonly dayOfWeek?: string;
  /** @default 10 - hour (0-23) the first experiment starts, in `timeZone` */
  readonly startHour?: number;
  /** @default 45 - minutes between two experiments' starts (each lasts at most 30) */
  readonly intervalMinutes?: number;
  /** @default "UTC" */
  readonly timeZone?: string;
}

export interface ResilienceArgs {
  readonly accountId: string;
  readonly region: string;
  /** Value of the `platform:stack` tag: every target is scoped to it. */
  readonly stack: string;
  readonly clusterName: string;
  readonly clusterArn: pulumi.Input<string>;
  readonly vpcId: pulumi.Input<string>;
  /** Customer key of the nodes' EBS volumes: stopped nodes need a grant to start again. */
  readonly volumeKeyArn: pulumi.Input<string>;
  /** Customer key of the experiments' log group. */
  readonly logsKeyArn: pulumi.Input<string>;
  /** @default 365 */
  readonly logRetentionDays?: number;
  /** Name of the managed node group whose nodes `node-termination` terminates a share of. */
  readonly nodeGroupName: pulumi.Input<string>;
  /** The availability zone the AZ experiments take out, e.g. `us-west-2a`. */
  readonly availabilityZone: string;
  readonly postgresPrimaryArn?: pulumi.Input<string>;
  readonly cacheReplicationGroupArn?: pulumi.Input<string>;
  readonly workload: ChaosWorkloadArgs;
  /** The SNS topic every CloudWatch alarm of the stack posts to. */
  readonly alarmTopicArn: pulumi.Input<string>;
  /** @default {} - the platform's SLO */
  readonly slo?: SloStopArgs;
  /**
   * Experiments the game day runs, in order. Experiments whose targets are absent (no data tier)
   * are left out.
   * @default EXPERIMENT_IDS
   */
  readonly experiments?: readonly ExperimentId[];
  /**
   * Start the experiments on a schedule. Opt-in: a first game day is run by hand, with people
   * watching (docs/game-day.md).
   * @default undefined - templates only, started by hand
   */
  readonly schedule?: GameDayScheduleArgs;
}

export const SCHEDULE_DEFAULTS: Required<GameDayScheduleArgs> = {
  dayOfWeek: "TUE#2",
  startHour: 10,
  intervalMinutes: 45,
  timeZone: "UTC",
};

export const SLO_DEFAULTS: Required<SloStopArgs> = { errorRate: 0.001, latencyMs: 100 };
