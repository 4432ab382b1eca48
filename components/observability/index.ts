/** Metrics, logs, traces, alerts and dashboards of one region, and its AWS-side alarms. */
export { Observability } from "./observability";
export type { ObservabilityArgs, OnCallArgs, ReceiverCredentials } from "./args";
export type { CacheAlarmTarget, DatabaseAlarmTarget } from "./alarms";
export type { EmailReceiver, ReceiverChannels } from "./alerting";
export type { ObservabilityReleases } from "./releases";
export type { SloObjectives } from "./slo";
export type { ProbeTarget } from "./values";
// Where a severity's alerts go with the configured channels (the stack warns when nowhere).
export { receiverFor } from "./alerting";
// PromQL checks, for other components' rules and queries.
export { promqlSyntaxErrors, validatePrometheusRule } from "./rules";
