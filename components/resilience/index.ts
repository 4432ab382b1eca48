/** Fault-injection experiments held to the SLO, their role, results and (opt-in) monthly game day. */
export { Resilience } from "./resilience";
export type { GameDayExperiment, GameDayPlan } from "./resilience";
export type {
  ChaosWorkloadArgs,
  ExperimentId,
  GameDayScheduleArgs,
  ResilienceArgs,
  SloStopArgs,
} from "./args";
export { EXPERIMENT_IDS, SCHEDULE_DEFAULTS } from "./args";
// The checks the stack config applies to its keys: one rule, one message.
export {
  checkAvailabilityZone,
  checkExperiments,
  checkSchedule,
  checkWorkload,
  EXPERIMENT_SLOT_MINUTES,
} from "./validation";
// The documents and specs, for the policy pack's and the tests' reading.
export { FIS_ACTION_PERMISSIONS, fisRolePolicy, fisTrustPolicy } from "./documents";
export { actionIds, experimentSpecs } from "./experiments";
export type { ExperimentSpec } from "./experiments";
export { GAME_DAY_DOC, LOAD_BALANCER_CLUSTER_TAG, sloAlarms } from "./slo-alarms";
