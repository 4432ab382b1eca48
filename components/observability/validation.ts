/** Checks of the observability component's arguments, reporting every problem at once. */
import { Problems, ValidationError } from "@platform/core";
import { ObservabilityArgs } from "./args";
import { DashboardFile, validateDashboards } from "./dashboards";
import { PrometheusRuleObject, validatePrometheusRule } from "./rules";
import { validateObjectives } from "./slo";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const HOST_PORT = /^[a-zA-Z0-9.-]+:\d{1,5}$/;

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
  if (args.onCall?.email !== undefined) {
    p.check(
      EMAIL.test(args.onCall.email),
      "args.onCall.email",
      args.onCall.email,
      "be an email address",
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
  p.throwIfAny("Observability arguments");
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
