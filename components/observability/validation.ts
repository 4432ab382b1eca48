/** Checks of the observability component's arguments, reporting every problem at once. */
import { Problems, ValidationError } from "@platform/core";
import { ObservabilityArgs } from "./args";
import { AMP_RETENTION_RANGE } from "./managed-prometheus";
import { DashboardFile, validateDashboards } from "./dashboards";
import { PrometheusRuleObject, validatePrometheusRule } from "./rules";
import { validateObjectives } from "./slo";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const HOST_PORT = /^[a-zA-Z0-9.-]+:\d{1,5}$/;
const HTTPS_URL = /^https:\/\/[^\s/:]+(:\d{1,5})?(\/\S*)?$/;

/** What a secret's value is reported as: never the value itself. */
export const HIDDEN_SECRET = "(secret value hidden)";

/** An email address as SNS and SMTP take it: local@domain.tld, no spaces. */
export function isEmailAddress(value: string): boolean {
  return EMAIL.test(value);
}

/** An https:// URL with a host (SNS `https` subscriptions deliver to nothing else). */
export function isHttpsUrl(value: string): boolean {
  return HTTPS_URL.test(value);
}

/**
 * A Slack workspace (team) ID: `T` and upper-case letters or digits, e.g. T07EA123LEP. AWS Chatbot
 * accepts `[0-9A-Z]{1,255}`; Slack's own IDs start with T.
 * @see https://docs.aws.amazon.com/chatbot/latest/APIReference/API_SlackChannelConfiguration.html
 */
export function isSlackWorkspaceId(value: string): boolean {
  return /^T[A-Z0-9]{8,}$/.test(value);
}

/**
 * A Slack channel ID: `C` (public) or `G` (private) and upper-case letters or digits, e.g.
 * C07EZ1ABC23 (a channel's copied link ends with it). AWS Chatbot accepts `[A-Za-z0-9]{1,255}`, so
 * a channel *name* such as `alerts` would pass AWS and notify nothing: it is refused here.
 */
export function isSlackChannelId(value: string): boolean {
  return /^[CG][A-Z0-9]{8,}$/.test(value);
}

export function validateObservabilityArgs(args: ObservabilityArgs): void {
  const p = new Problems();
  p.integerInRange("args.prometheusReplicas", args.prometheusReplicas ?? 2, 1, 5);
  p.integerInRange("args.alertmanagerReplicas", args.alertmanagerReplicas ?? 3, 1, 5);
  p.integerInRange("args.lokiReplicas", args.lokiReplicas ?? 3, 1, 9);
  p.integerInRange("args.metricsRetentionDays", args.metricsRetentionDays ?? 30, 1, 365);
  p.integerInRange("args.prometheusVolumeGiB", args.prometheusVolumeGiB ?? 50, 10, 16384);
  p.integerInRange("args.logRetentionDays", args.logRetentionDays ?? 30, 1, 3650);
  p.integerInRange("args.traceRetentionDays", args.traceRetentionDays ?? 30, 1, 3650);
  for (const key of ["namespace", "agentsNamespace"] as const) {
    const value = args[key];
    if (value !== undefined)
      p.check(DNS_LABEL.test(value), `args.${key}`, value, "be a DNS-1123 label");
  }
  (args.prometheusQueryNamespaces ?? []).forEach((ns, i) =>
    p.check(DNS_LABEL.test(ns), `args.prometheusQueryNamespaces[${i}]`, ns, "be a DNS-1123 label"),
  );
  validateObjectives(args.slo ?? {}, "args.slo", p);
  const probeNames = new Set<string>();
  (args.probeTargets ?? []).forEach((t, i) => {
    p.check(DNS_LABEL.test(t.name), `args.probeTargets[${i}].name`, t.name, "be a DNS-1123 label");
    p.check(!probeNames.has(t.name), `args.probeTargets[${i}].name`, t.name, "be unique");
    probeNames.add(t.name);
    p.check(
      /^https:\/\/[^\s/]+(\/\S*)?$/.test(t.url),
      `args.probeTargets[${i}].url`,
      t.url,
      "be an https:// URL (the probe fails on plain HTTP)",
    );
  });
  const email = args.receivers?.email;
  if (email) {
    p.check(EMAIL.test(email.to), "args.receivers.email.to", email.to, "be an email address");
    p.check(EMAIL.test(email.from), "args.receivers.email.from", email.from, "be an email address");
    p.check(
      HOST_PORT.test(email.smarthost),
      "args.receivers.email.smarthost",
      email.smarthost,
      'be host:port, e.g. "email-smtp.us-west-2.amazonaws.com:587"',
    );
  }
  const onCall = args.onCall ?? {};
  const emails = onCall.emails ?? [];
  emails.forEach((address, i) =>
    p.check(EMAIL.test(address), `args.onCall.emails[${i}]`, address, "be an email address"),
  );
  p.check(
    new Set(emails.map((e) => e.toLowerCase())).size === emails.length,
    "args.onCall.emails",
    emails,
    "name each address once",
  );
  if (typeof onCall.pagerDutyUrl === "string") {
    p.check(
      isHttpsUrl(onCall.pagerDutyUrl),
      "args.onCall.pagerDutyUrl",
      HIDDEN_SECRET,
      "be an https:// URL (PagerDuty's Amazon CloudWatch integration URL)",
    );
  }
  if (onCall.slack) {
    p.check(
      isSlackWorkspaceId(onCall.slack.workspaceId),
      "args.onCall.slack.workspaceId",
      onCall.slack.workspaceId,
      "be a Slack workspace ID such as T07EA123LEP (AWS Chatbot console, Slack workspace)",
    );
    p.check(
      isSlackChannelId(onCall.slack.channelId),
      "args.onCall.slack.channelId",
      onCall.slack.channelId,
      "be a Slack channel ID such as C07EZ1ABC23 (the end of the channel's copied link), not its name",
    );
  }
  const dbNames = new Set<string>();
  (args.databases ?? []).forEach((db, i) => {
    p.check(
      DNS_LABEL.test(db.name) && !dbNames.has(db.name),
      `args.databases[${i}].name`,
      db.name,
      "be a unique DNS-1123 label",
    );
    dbNames.add(db.name);
    p.integerInRange(`args.databases[${i}].allocatedStorageGiB`, db.allocatedStorageGiB, 20, 65536);
    p.integerInRange(`args.databases[${i}].maxConnections`, db.maxConnections, 1, 262143);
  });
  const cacheNames = new Set<string>();
  (args.caches ?? []).forEach((c, i) => {
    p.check(
      DNS_LABEL.test(c.name) && !cacheNames.has(c.name),
      `args.caches[${i}].name`,
      c.name,
      "be a unique DNS-1123 label",
    );
    cacheNames.add(c.name);
    p.check(
      c.cacheClusterIds.length > 0,
      `args.caches[${i}].cacheClusterIds`,
      c.cacheClusterIds.length,
      "name at least one node",
    );
    if (c.evictionsPer5Minutes !== undefined) {
      p.integerInRange(
        `args.caches[${i}].evictionsPer5Minutes`,
        c.evictionsPer5Minutes,
        1,
        1_000_000,
      );
    }
  });
  validateHaArgs(args, p);
  p.throwIfAny("Observability arguments");
}

/** A group name as the role mapping's JMESPath quotes it: no quotes or backslashes. */
const GROUP_NAME = /^[^'"\\]+$/;

/** AMP, Grafana HA and SSO, and trace sampling. */
function validateHaArgs(args: ObservabilityArgs, p: Problems): void {
  const amp = args.managedPrometheus ?? {};
  if (amp.retentionDays !== undefined)
    p.integerInRange(
      "args.managedPrometheus.retentionDays",
      amp.retentionDays,
      AMP_RETENTION_RANGE.min,
      AMP_RETENTION_RANGE.max,
    );
  if (amp.activeSeries !== undefined)
    p.integerInRange("args.managedPrometheus.activeSeries", amp.activeSeries, 0, 50_000_000);
  const grafana = args.grafana ?? {};
  if (grafana.replicas !== undefined) {
    p.integerInRange("args.grafana.replicas", grafana.replicas, 1, 10);
    p.check(
      grafana.replicas === 1 || grafana.database !== undefined,
      "args.grafana.replicas",
      grafana.replicas,
      "be 1 without args.grafana.database (replicas share state only through a database)",
    );
  }
  if (grafana.database) {
    p.integerInRange("args.grafana.database.port", grafana.database.port, 1, 65535);
    p.check(
      grafana.database.cidrs.length > 0,
      "args.grafana.database.cidrs",
      grafana.database.cidrs,
      "name the database's subnets",
    );
  }
  const oidc = grafana.oidc;
  if (oidc) {
    for (const key of ["issuer", "authUrl", "tokenUrl", "userInfoUrl"] as const) {
      const value = oidc[key];
      if (value !== undefined)
        p.check(isHttpsUrl(value), `args.grafana.oidc.${key}`, value, "be an https:// URL");
    }
    p.check(oidc.clientId.trim() !== "", "args.grafana.oidc.clientId", oidc.clientId, "be set");
    for (const key of ["adminGroups", "editorGroups"] as const)
      (oidc[key] ?? []).forEach((g, i) =>
        p.check(
          GROUP_NAME.test(g),
          `args.grafana.oidc.${key}[${i}]`,
          g,
          "be a group name without quotes or backslashes",
        ),
      );
  }
  const tracing = args.tracing ?? {};
  if (tracing.samplingPercentage !== undefined)
    p.check(
      Number.isFinite(tracing.samplingPercentage) &&
        tracing.samplingPercentage >= 0 &&
        tracing.samplingPercentage <= 100,
      "args.tracing.samplingPercentage",
      tracing.samplingPercentage,
      "be a percentage between 0 and 100",
    );
  if (tracing.tempoReplicas !== undefined)
    p.integerInRange("args.tracing.tempoReplicas", tracing.tempoReplicas, 2, 9);
  if (tracing.collectorReplicas !== undefined)
    p.integerInRange("args.tracing.collectorReplicas", tracing.collectorReplicas, 2, 20);
}

/** The rules and dashboards the component ships must be valid before anything is declared. */
export function validateContent(
  rules: readonly PrometheusRuleObject[],
  dashboards: readonly DashboardFile[],
): void {
  const problems = [...rules.flatMap(validatePrometheusRule), ...validateDashboards(dashboards)];
  if (problems.length > 0)
    throw new ValidationError("Observability rules and dashboards", problems);
}
