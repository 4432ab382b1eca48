/**
 * The platform's PrometheusRule objects (monitoring.coreos.com/v1) and their validation: each
 * object is checked against the prometheus-operator CRD schema (@kubernetes-models/prometheus-operator)
 * and every expression is parsed with the official PromQL grammar (@prometheus-io/lezer-promql).
 */
import { PrometheusRule as PrometheusRuleModel } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { Problem } from "@platform/core";
import { parser as promqlParser } from "@prometheus-io/lezer-promql";
import { alertRunbookUrl } from "./runbooks";
import { platformSlos, sloRuleGroup, SloObjectives } from "./slo";

export interface PrometheusRuleSpecRule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface PrometheusRuleGroup {
  readonly name: string;
  readonly interval?: string;
  readonly rules: readonly PrometheusRuleSpecRule[];
}

export interface PrometheusRuleObject {
  readonly apiVersion: "monitoring.coreos.com/v1";
  readonly kind: "PrometheusRule";
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly labels: Readonly<Record<string, string>>;
  };
  readonly spec: { readonly groups: readonly PrometheusRuleGroup[] };
}

const DAY = 24 * 3600;

/** Node health from kube-state-metrics and node-exporter. */
export const NODE_RULES: PrometheusRuleGroup = {
  name: "platform-nodes",
  rules: [
    {
      alert: "NodeNotReady",
      expr: 'kube_node_status_condition{condition="Ready",status="true"} == 0',
      for: "5m",
      labels: { severity: "critical" },
      annotations: {
        summary: "Node {{ $labels.node }} has not been Ready for 5 minutes",
        description: "Its pods are being evicted; check the instance and the kubelet.",
      },
    },
    {
      alert: "NodeUnderPressure",
      expr: 'kube_node_status_condition{condition=~"MemoryPressure|DiskPressure|PIDPressure",status="true"} == 1',
      for: "10m",
      labels: { severity: "warning" },
      annotations: {
        summary: "Node {{ $labels.node }} reports {{ $labels.condition }}",
        description: "The kubelet is evicting pods to relieve the pressure.",
      },
    },
    {
      alert: "NodeFilesystemAlmostFull",
      expr: '(node_filesystem_avail_bytes{fstype!~"tmpfs|overlay|squashfs"} / node_filesystem_size_bytes{fstype!~"tmpfs|overlay|squashfs"}) < 0.10 and node_filesystem_readonly == 0',
      for: "15m",
      labels: { severity: "warning" },
      annotations: {
        summary: "{{ $labels.mountpoint }} on {{ $labels.instance }} has less than 10% free",
        description: "Image garbage collection may not keep up; grow the node volume.",
      },
    },
    {
      alert: "NodeMemoryAlmostExhausted",
      expr: "(1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes) > 0.95",
      for: "15m",
      labels: { severity: "warning" },
      annotations: {
        summary: "{{ $labels.instance }} has used over 95% of its memory for 15 minutes",
        description: "Expect OOM kills; check requests against actual use.",
      },
    },
  ],
};

/** Workload health from kube-state-metrics. */
export const POD_RULES: PrometheusRuleGroup = {
  name: "platform-pods",
  rules: [
    {
      alert: "PodCrashLooping",
      expr: 'max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}[5m]) >= 1',
      for: "15m",
      labels: { severity: "warning" },
      annotations: {
        summary:
          "{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) is crash-looping",
        description: "Read its logs in Grafana (Loki) for the cause.",
      },
    },
    {
      alert: "PodNotReady",
      expr: 'sum by (namespace, pod) (kube_pod_status_phase{phase=~"Pending|Unknown|Failed"}) > 0',
      for: "15m",
      labels: { severity: "warning" },
      annotations: {
        summary: "{{ $labels.namespace }}/{{ $labels.pod }} has not been running for 15 minutes",
        description: "Check scheduling events, quotas and image pulls.",
      },
    },
    {
      alert: "ContainerOOMKilled",
      expr: 'increase(kube_pod_container_status_restarts_total[10m]) > 0 and on (namespace, pod, container) kube_pod_container_status_last_terminated_reason{reason="OOMKilled"} == 1',
      labels: { severity: "info" },
      annotations: {
        summary:
          "{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) was OOM-killed",
        description: "Its memory limit is too low for its working set.",
      },
    },
    {
      alert: "DeploymentReplicasMismatch",
      expr: "kube_deployment_spec_replicas != kube_deployment_status_replicas_available",
      for: "15m",
      labels: { severity: "warning" },
      annotations: {
        summary: "{{ $labels.namespace }}/{{ $labels.deployment }} lacks available replicas",
        description: "A rollout is stuck or pods cannot be scheduled.",
      },
    },
  ],
};

/** Persistent volumes, from kubelet volume stats. */
export const STORAGE_RULES: PrometheusRuleGroup = {
  name: "platform-storage",
  rules: [
    {
      alert: "PersistentVolumeFillingUp",
      expr: "kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes < 0.05",
      for: "5m",
      labels: { severity: "critical" },
      annotations: {
        summary:
          "PVC {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} has less than 5% free",
        description: "Expand the claim (the storage class allows expansion) before writes fail.",
      },
    },
    {
      alert: "PersistentVolumeFillingUp",
      expr: "kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes < 0.15",
      for: "15m",
      labels: { severity: "warning" },
      annotations: {
        summary:
          "PVC {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} has less than 15% free",
        description: "Expand the claim or reduce retention.",
      },
    },
    {
      alert: "PersistentVolumeFullInFourDays",
      expr: `(kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes) < 0.4 and predict_linear(kubelet_volume_stats_available_bytes[6h], ${4 * DAY}) < 0`,
      for: "1h",
      labels: { severity: "info" },
      annotations: {
        summary:
          "PVC {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} will fill within four days",
        description: "At the growth rate of the last six hours.",
      },
    },
    {
      alert: "PersistentVolumeClaimPending",
      expr: 'kube_persistentvolumeclaim_status_phase{phase="Pending"} == 1',
      for: "15m",
      labels: { severity: "warning" },
      annotations: {
        summary: "PVC {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is still Pending",
        description: "Check the storage class, the EBS CSI driver and the KMS key grants.",
      },
    },
  ],
};

/** Certificate expiry, from cert-manager and from the blackbox exporter's TLS probes. */
export const CERTIFICATE_RULES: PrometheusRuleGroup = {
  name: "platform-certificates",
  rules: [
    ...(
      [
        ["critical", 3],
        ["warning", 14],
      ] as const
    ).flatMap(([severity, days]) => [
      {
        alert: "CertificateExpiringSoon",
        expr: `certmanager_certificate_expiration_timestamp_seconds - time() < ${days * DAY}`,
        for: "1h",
        labels: { severity },
        annotations: {
          summary: `Certificate {{ $labels.namespace }}/{{ $labels.name }} expires within ${days} days`,
          description: "cert-manager has not renewed it; check the Certificate's events.",
        },
      },
      {
        alert: "EndpointCertificateExpiringSoon",
        expr: `probe_ssl_earliest_cert_expiry - time() < ${days * DAY}`,
        for: "1h",
        labels: { severity },
        annotations: {
          summary: `The certificate served at {{ $labels.instance }} expires within ${days} days`,
          description: "Renew it or check the issuer that should have renewed it.",
        },
      },
    ]),
    {
      alert: "CertificateNotReady",
      expr: 'certmanager_certificate_ready_status{condition="False"} == 1',
      for: "30m",
      labels: { severity: "warning" },
      annotations: {
        summary: "Certificate {{ $labels.namespace }}/{{ $labels.name }} is not Ready",
        description: "Issuance or renewal is failing.",
      },
    },
  ],
};

/** The remote_write queue Prometheus names `amp` (values.ts). */
const AMP_QUEUE = 'remote_name="amp"';

/**
 * Prometheus's copy of its samples in AMP: failed sends, and a queue falling behind the WAL (the
 * WAL keeps about two hours; samples older than that are lost to the archive).
 */
export const REMOTE_WRITE_RULES: PrometheusRuleGroup = {
  name: "platform-remote-write",
  rules: [
    {
      alert: "ManagedPrometheusWriteFailing",
      expr: `sum by (cluster, pod) (rate(prometheus_remote_storage_samples_failed_total{${AMP_QUEUE}}[5m])) > 0`,
      for: "15m",
      labels: { severity: "warning" },
      annotations: {
        summary: "{{ $labels.pod }} fails to write samples to Amazon Managed Prometheus",
        description:
          "AMP rejects or drops samples (permissions, throttling, limits): the long-term copy has gaps.",
      },
    },
    {
      alert: "ManagedPrometheusWriteBehind",
      expr: `(max_over_time(prometheus_remote_storage_highest_timestamp_in_seconds[5m]) - ignoring(remote_name, url) group_right max_over_time(prometheus_remote_storage_queue_highest_sent_timestamp_seconds{${AMP_QUEUE}}[5m])) > 300`,
      for: "15m",
      labels: { severity: "critical" },
      annotations: {
        summary:
          "{{ $labels.pod }} is more than 5 minutes behind in writing to Amazon Managed Prometheus",
        description:
          "The queue cannot keep up or AMP is unreachable; past the WAL's two hours, samples are lost to the archive.",
      },
    },
  ],
};

/**
 * Grafana reads its rotated database credential only at start, and that credential stays valid for
 * at least 30 days (the data tier's rotation interval, alternating users); the weekly restart keeps
 * every pod far younger. A pod of Grafana's Deployment older than three weeks means the restart
 * stopped: past 30 days its connections may start failing at the next rotation. kube_pod_start_time
 * and kube_pod_owner are STABLE kube-state-metrics metrics (docs/metrics/workload/pod-metrics.md);
 * `max by` drops the `uid` label newer releases add to kube_pod_owner.
 */
export function grafanaCredentialRules(namespace: string): PrometheusRuleGroup {
  return {
    name: "platform-grafana",
    rules: [
      {
        alert: "GrafanaDatabaseCredentialAging",
        expr: `(time() - kube_pod_start_time{namespace="${namespace}"}) * on (namespace, pod) group_left() max by (namespace, pod) (kube_pod_owner{namespace="${namespace}", owner_kind="ReplicaSet", owner_name=~"grafana-[a-z0-9]+"}) > ${21 * DAY}`,
        for: "1h",
        labels: { severity: "warning" },
        annotations: {
          summary: "Grafana pod {{ $labels.pod }} has run for more than 21 days",
          description:
            "Grafana reads its database credential only at start and the weekly restart (CronJob grafana-restart) has not replaced this pod; a credential older than 30 days can stop working at the next rotation.",
        },
      },
    ],
  };
}

/** Each alert of the group with its runbook link: the section named after the alert. */
function withRunbooks(group: PrometheusRuleGroup): PrometheusRuleGroup {
  return {
    ...group,
    rules: group.rules.map((r) =>
      r.alert === undefined
        ? r
        : { ...r, annotations: { ...r.annotations, runbook_url: alertRunbookUrl(r.alert) } },
    ),
  };
}

/** The objects the component deploys: SLO burn-rate alerts and platform health alerts. */
export function platformPrometheusRules(
  namespace: string,
  objectives: SloObjectives = {},
  /** Grafana runs on the data tier's database, with rotated credentials. */
  options: { readonly grafanaDatabase?: boolean } = {},
): PrometheusRuleObject[] {
  const object = (name: string, groups: PrometheusRuleGroup[]): PrometheusRuleObject => ({
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: { name, namespace, labels: { "platform/rules": name } },
    spec: { groups: groups.map(withRunbooks) },
  });
  return [
    object("platform-slos", platformSlos(objectives).map(sloRuleGroup)),
    object("platform-health", [
      NODE_RULES,
      POD_RULES,
      STORAGE_RULES,
      CERTIFICATE_RULES,
      REMOTE_WRITE_RULES,
      ...(options.grafanaDatabase ? [grafanaCredentialRules(namespace)] : []),
    ]),
  ];
}

/** Syntax errors of a PromQL expression, as "at <offset>: <text around it>"; empty when it parses. */
export function promqlSyntaxErrors(expr: string): string[] {
  const errors: string[] = [];
  const tree = promqlParser.parse(expr);
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) {
        errors.push(`at ${node.from}: ${JSON.stringify(expr.slice(node.from, node.from + 20))}`);
      }
    },
  });
  return errors;
}

/** Every problem of a PrometheusRule: CRD schema violations, unparsable PromQL, malformed rules. */
export function validatePrometheusRule(rule: PrometheusRuleObject): Problem[] {
  const problems: Problem[] = [];
  const base = `PrometheusRule ${rule.metadata.name}`;
  try {
    new PrometheusRuleModel(JSON.parse(JSON.stringify(rule))).validate();
  } catch (error) {
    problems.push({
      path: base,
      received: (error as Error).message,
      allowed: "match the monitoring.coreos.com/v1 PrometheusRule schema",
    });
  }
  const groupNames = new Set<string>();
  rule.spec.groups.forEach((group, g) => {
    if (groupNames.has(group.name)) {
      problems.push({
        path: `${base}.spec.groups[${g}].name`,
        received: group.name,
        allowed: "be unique within the object",
      });
    }
    groupNames.add(group.name);
    group.rules.forEach((r, i) => {
      const path = `${base}.spec.groups[${g}].rules[${i}]`;
      if ((r.alert === undefined) === (r.record === undefined)) {
        problems.push({ path, received: r, allowed: "have exactly one of alert and record" });
      }
      if (
        r.alert !== undefined &&
        !["critical", "warning", "info"].includes(r.labels?.severity ?? "")
      ) {
        problems.push({
          path: `${path}.labels.severity`,
          received: r.labels?.severity,
          allowed: 'be "critical", "warning" or "info" (Alertmanager routes on it)',
        });
      }
      // Actionable: whoever is paged reads what is wrong and where the runbook is.
      for (const annotation of ["summary", "runbook_url"]) {
        if (r.alert !== undefined && !r.annotations?.[annotation]) {
          problems.push({
            path: `${path}.annotations.${annotation}`,
            received: r.annotations?.[annotation],
            allowed: `be set (every alert carries a summary and a runbook link)`,
          });
        }
      }
      for (const error of promqlSyntaxErrors(r.expr)) {
        problems.push({
          path: `${path}.expr`,
          received: r.expr,
          allowed: `parse as PromQL (${error})`,
        });
      }
    });
  });
  return problems;
}
