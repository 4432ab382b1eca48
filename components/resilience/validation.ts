/**
 * Checks of the game day's settings, shared by the component (paths like `args.schedule.startHour`)
 * and the stack config loader (paths like `platform:gameDayStartHour`): one rule, one message.
 */
import { Problems } from "@platform/core";
import {
  EXPERIMENT_IDS,
  ExperimentId,
  GameDayScheduleArgs,
  ResilienceArgs,
  SCHEDULE_DEFAULTS,
} from "./args";

/** Each experiment lasts at most this long (the zone interruption's 15 minutes plus recovery). */
export const EXPERIMENT_SLOT_MINUTES = 30;

const DAY_OF_WEEK = /^(MON|TUE|WED|THU|FRI|SAT|SUN)#[1-4]$/;
const TIME_ZONE = /^(UTC|[A-Z][A-Za-z_]+(\/[A-Z][A-Za-z_+-]+){1,2})$/;
/** `key=value` terms joined by commas (equality-based label selector). */
const LABEL_SELECTOR = /^[a-z0-9A-Z._/-]+=[a-z0-9A-Z._-]+(,[a-z0-9A-Z._/-]+=[a-z0-9A-Z._-]+)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function checkExperiments(
  problems: Problems,
  experiments: readonly string[],
  path: string,
): experiments is ExperimentId[] {
  const known = experiments.every((e) => (EXPERIMENT_IDS as readonly string[]).includes(e));
  problems.check(
    known && new Set(experiments).size === experiments.length && experiments.length > 0,
    path,
    experiments,
    `list at least one of ${EXPERIMENT_IDS.join(", ")}, each once, in the order the game day runs them`,
  );
  return known;
}

export function checkSchedule(
  problems: Problems,
  schedule: Required<GameDayScheduleArgs>,
  experimentCount: number,
  path: (field: keyof GameDayScheduleArgs) => string,
): void {
  problems.check(
    DAY_OF_WEEK.test(schedule.dayOfWeek),
    path("dayOfWeek"),
    schedule.dayOfWeek,
    'be the Nth weekday of the month as a cron day-of-week, such as "TUE#2"',
  );
  problems.check(
    TIME_ZONE.test(schedule.timeZone),
    path("timeZone"),
    schedule.timeZone,
    "be an IANA time zone such as Europe/Dublin, or UTC",
  );
  const hourOk = problems.integerInRange(path("startHour"), schedule.startHour, 0, 23);
  const intervalOk = problems.integerInRange(
    path("intervalMinutes"),
    schedule.intervalMinutes,
    EXPERIMENT_SLOT_MINUTES,
    240,
  );
  if (hourOk && intervalOk) {
    const end =
      schedule.startHour * 60 +
      (experimentCount - 1) * schedule.intervalMinutes +
      EXPERIMENT_SLOT_MINUTES;
    problems.check(
      end <= 24 * 60,
      path("intervalMinutes"),
      schedule.intervalMinutes,
      `let the ${experimentCount} experiments finish the same day (the last would end ${Math.floor(end / 60)}:${String(end % 60).padStart(2, "0")})`,
    );
  }
}

export function checkWorkload(
  problems: Problems,
  workload: { namespace: string; labelSelector: string },
  paths: { namespace: string; labelSelector: string },
): void {
  problems.check(
    DNS_LABEL.test(workload.namespace) && !workload.namespace.startsWith("kube-"),
    paths.namespace,
    workload.namespace,
    "name an application namespace (a DNS-1123 label, not kube-*)",
  );
  problems.check(
    LABEL_SELECTOR.test(workload.labelSelector),
    paths.labelSelector,
    workload.labelSelector,
    'be a label selector of key=value terms such as "app.kubernetes.io/name=web"',
  );
}

export function checkAvailabilityZone(
  problems: Problems,
  zone: string,
  region: string,
  path: string,
): void {
  problems.check(
    new RegExp(`^${region}[a-z]$`).test(zone),
    path,
    zone,
    `be an availability zone of ${region}, such as ${region}a`,
  );
}

export function validateResilienceArgs(args: ResilienceArgs): void {
  const problems = new Problems();
  const experiments = args.experiments ?? EXPERIMENT_IDS;
  checkExperiments(problems, experiments, "args.experiments");
  checkAvailabilityZone(problems, args.availabilityZone, args.region, "args.availabilityZone");
  checkWorkload(problems, args.workload, {
    namespace: "args.workload.namespace",
    labelSelector: "args.workload.labelSelector",
  });
  if (args.schedule) {
    checkSchedule(
      problems,
      { ...SCHEDULE_DEFAULTS, ...args.schedule },
      experiments.length,
      (f) => `args.schedule.${f}`,
    );
  }
  const errorRate = args.slo?.errorRate ?? 0.001;
  problems.check(
    errorRate > 0 && errorRate < 1,
    "args.slo.errorRate",
    errorRate,
    "be a share between 0 and 1, such as 0.001",
  );
  problems.integerInRange("args.slo.latencyMs", args.slo?.latencyMs ?? 100, 1, 60000);
  problems.integerInRange("args.logRetentionDays", args.logRetentionDays ?? 365, 1, 3653);
  problems.throwIfAny("Resilience arguments");
}
