/**
 * Resilience: which fault-injection experiments a primary declares, what they target (the zone the
 * AZ experiments take out, the workload the pod faults hit), and the opt-in monthly game day that
 * starts them one after another. A standby declares none (stacks/resilience.ts says why).
 */
import {
  checkAvailabilityZone,
  checkExperiments,
  checkSchedule,
  checkWorkload,
  EXPERIMENT_IDS,
  ExperimentId,
  GameDayScheduleArgs,
  SCHEDULE_DEFAULTS,
} from "@platform/resilience";
import { ConfigSection, configKey } from "./schema";

export interface ResilienceConfig {
  readonly experiments: readonly ExperimentId[];
  readonly availabilityZone: string;
  readonly workload: { readonly namespace: string; readonly labelSelector: string };
  /** Present only when the game day is scheduled. */
  readonly schedule?: Required<GameDayScheduleArgs>;
}

const SCHEDULE_KEYS: Readonly<Record<keyof GameDayScheduleArgs, string>> = {
  dayOfWeek: "gameDayDayOfWeek",
  startHour: "gameDayStartHour",
  intervalMinutes: "gameDayIntervalMinutes",
  timeZone: "gameDayTimeZone",
};

export const resilience: ConfigSection<ResilienceConfig> = {
  keys: {
    gameDayExperiments: {
      type: "array",
      items: "string",
      default: [...EXPERIMENT_IDS],
      description: `FIS experiments the stack declares, in the order the game day runs them (${EXPERIMENT_IDS.join(", ")}).`,
    },
    gameDayScheduled: {
      type: "boolean",
      default: false,
      description:
        "Opt-in: start the experiments on the monthly game day (EventBridge Scheduler). Off: templates only, started by hand (docs/game-day.md).",
    },
    gameDayDayOfWeek: {
      type: "string",
      default: SCHEDULE_DEFAULTS.dayOfWeek,
      description: 'The game day as the Nth weekday of the month, e.g. "TUE#2".',
    },
    gameDayStartHour: {
      type: "integer",
      default: SCHEDULE_DEFAULTS.startHour,
      description: "Hour (0-23, in gameDayTimeZone) the first experiment starts.",
    },
    gameDayIntervalMinutes: {
      type: "integer",
      default: SCHEDULE_DEFAULTS.intervalMinutes,
      description: "Minutes between two experiments' starts (each lasts at most 30).",
    },
    gameDayTimeZone: {
      type: "string",
      default: SCHEDULE_DEFAULTS.timeZone,
      description: "IANA time zone of the game day, e.g. Europe/Dublin.",
    },
    gameDayAvailabilityZone: {
      type: "string",
      default: "",
      description:
        "Availability zone the AZ experiments take out; empty: the region's first (<region>a).",
    },
    gameDayWorkloadNamespace: {
      type: "string",
      default: "",
      description:
        "Namespace of the workload the EKS pod faults target; empty: the first of applicationNamespaces.",
    },
    gameDayWorkloadSelector: {
      type: "string",
      default: "app.kubernetes.io/name=web",
      description: "Label selector of the pods the EKS pod faults target.",
    },
  },

  build(values, problems, context): ResilienceConfig {
    const experiments = values.gameDayExperiments as string[];
    checkExperiments(problems, experiments, configKey("gameDayExperiments"));
    const availabilityZone = (values.gameDayAvailabilityZone as string) || `${context.region}a`;
    checkAvailabilityZone(
      problems,
      availabilityZone,
      context.region,
      configKey("gameDayAvailabilityZone"),
    );
    const namespaces = values.applicationNamespaces as string[];
    const workload = {
      namespace: (values.gameDayWorkloadNamespace as string) || (namespaces[0] ?? ""),
      labelSelector: values.gameDayWorkloadSelector as string,
    };
    checkWorkload(problems, workload, {
      namespace: configKey("gameDayWorkloadNamespace"),
      labelSelector: configKey("gameDayWorkloadSelector"),
    });
    problems.check(
      namespaces.includes(workload.namespace),
      configKey("gameDayWorkloadNamespace"),
      workload.namespace,
      `be one of platform:applicationNamespaces (${namespaces.join(", ")}): the platform creates those, and FIS's Role goes there`,
    );
    const scheduled = values.gameDayScheduled as boolean;
    const schedule = {
      dayOfWeek: values.gameDayDayOfWeek as string,
      startHour: values.gameDayStartHour as number,
      intervalMinutes: values.gameDayIntervalMinutes as number,
      timeZone: values.gameDayTimeZone as string,
    };
    checkSchedule(problems, schedule, experiments.length, (f) => configKey(SCHEDULE_KEYS[f]));
    problems.check(
      !(scheduled && values.role === "standby"),
      configKey("gameDayScheduled"),
      scheduled,
      "be false on a standby (platform:role is standby): a standby's game day is its failover drill",
    );
    return {
      experiments: experiments as ExperimentId[],
      availabilityZone,
      workload,
      ...(scheduled ? { schedule } : {}),
    };
  },
};
