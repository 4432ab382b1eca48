/** Metrics, logs, traces, alerts and dashboards of one region, and its AWS-side alarms. */
export { Observability } from "./observability";
export type {
  ChatbotSlackChannel,
  GrafanaArgs,
  GrafanaDatabaseArgs,
  GrafanaOidcArgs,
  ManagedPrometheusArgs,
  ObservabilityArgs,
  TracingArgs,
  OnCallArgs,
  ReceiverCredentials,
} from "./args";
export type { CacheAlarmTarget, DatabaseAlarmTarget, RotationFunctionAlarmTarget } from "./alarms";
export type { EmailReceiver, ReceiverChannels } from "./alerting";
export type { ObservabilityReleases } from "./releases";
export type { SloObjectives } from "./slo";
export type { ProbeTarget } from "./values";
// Formats of the on-call settings, for stack config checks that name their own keys.
export {
  HIDDEN_SECRET,
  isEmailAddress,
  isHttpsUrl,
  isSlackChannelId,
  isSlackWorkspaceId,
} from "./validation";
// Where runbooks live, for other components' alerts and the link checks.
export { RUNBOOK_DOC, runbookUrl } from "./runbooks";
// PromQL checks, for other components' rules and queries.
export { promqlSyntaxErrors, validatePrometheusRule } from "./rules";
// AMP's retention bounds, for the stack config's check of its key.
export { AMP_RETENTION_RANGE } from "./managed-prometheus";
