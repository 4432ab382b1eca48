/**
 * The game day's clock and its outcome: one EventBridge Scheduler cron per experiment, staggered so
 * that each finishes (30 minutes at most) before the next starts, and the FIS events that mean an
 * experiment did not complete.
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#cron-based
 * @see https://docs.aws.amazon.com/fis/latest/userguide/monitoring-eventbridge.html
 */

/** What the stopped-experiment alarm counts: experiments that ended stopped or failed. */
export const EXPERIMENT_OUTCOME_PATTERN = {
  source: ["aws.fis"],
  "detail-type": ["FIS Experiment State Change"],
  detail: { "new-state": { status: ["stopped", "failed"] } },
};

/** `cron(30 10 ? * TUE#2 *)`: the i-th experiment's start, `intervalMinutes` after the previous one. */
export function staggeredCron(
  index: number,
  schedule: { dayOfWeek: string; startHour: number; intervalMinutes: number },
): string {
  const minutes = schedule.startHour * 60 + index * schedule.intervalMinutes;
  return `cron(${minutes % 60} ${Math.floor(minutes / 60)} ? * ${schedule.dayOfWeek} *)`;
}
