/**
 * NetworkPolicies that open, on top of the namespaces' default deny (plus DNS), exactly the flows
 * each observability component needs. Pods are selected by the labels their charts set.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  GRAFANA_DATABASE_SETUP,
  GRAFANA_DATABASE_SETUP_LABELS,
  GRAFANA_RESTART,
  GRAFANA_RESTART_LABELS,
} from "./database-setup";
import { OTEL_SAMPLER_POD_LABELS, OTEL_TIER_LABEL } from "./values";

type PolicySpec = k8s.types.input.networking.v1.NetworkPolicySpec;
type IngressRule = k8s.types.input.networking.v1.NetworkPolicyIngressRule;
type EgressRule = k8s.types.input.networking.v1.NetworkPolicyEgressRule;

interface NetworkPolicySpec {
  /** Kubernetes object name; also the suffix of the Pulumi resource name. */
  readonly name: string;
  readonly namespace: string;
  readonly spec: PolicySpec;
}

interface NetworkPolicySettings {
  readonly namespace: string;
  readonly agentsNamespace: string;
  /**
   * Where the Kubernetes API server is reached from pods: the VPC CIDR (the control plane's
   * cross-account ENIs, also the nodes' kubelets) and the `kubernetes` Service IP.
   */
  readonly apiServerCidrs: readonly string[];
  /** The VPC CIDR, where kubelets (10250) and host-network node exporters (9100) listen. */
  readonly vpcCidr: string;
  /** Namespaces whose pods query Prometheus (canary analysis, autoscalers). */
  readonly queryNamespaces: readonly string[];
  /** Where Grafana's PostgreSQL database listens. @default - no database egress */
  readonly grafanaDatabase?: { readonly cidrs: readonly string[]; readonly port: number };
}

type Labels = Record<string, string>;
type Port = { protocol: "TCP" | "UDP"; port: number };

const POD_LABELS = {
  prometheus: { "app.kubernetes.io/name": "prometheus" },
  alertmanager: { "app.kubernetes.io/name": "alertmanager" },
  operator: { app: "kube-prometheus-stack-operator" },
  kubeStateMetrics: { "app.kubernetes.io/name": "kube-state-metrics" },
  grafana: { "app.kubernetes.io/name": "grafana" },
  loki: { "app.kubernetes.io/name": "loki" },
  tempo: { "app.kubernetes.io/name": "tempo" },
  otelGateway: {
    "app.kubernetes.io/name": "opentelemetry-collector",
    [OTEL_TIER_LABEL]: "gateway",
  },
  otelSampler: OTEL_SAMPLER_POD_LABELS,
  blackboxExporter: { "app.kubernetes.io/name": "prometheus-blackbox-exporter" },
  fluentBit: { "app.kubernetes.io/name": "fluent-bit" },
} as const satisfies Record<string, Labels>;

const tcp = (...ports: number[]): Port[] => ports.map((port) => ({ protocol: "TCP", port }));
const namespaceIs = (name: string) => ({
  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": name } },
});
/** Public internet egress (SaaS receivers, S3, STS, probed endpoints), never private ranges. */
const internet = {
  ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] },
};

export function observabilityNetworkPolicies(s: NetworkPolicySettings): NetworkPolicySpec[] {
  const ns = s.namespace;
  const pods = (labels: Labels) => ({ podSelector: { matchLabels: labels } });
  const inNs = (labels: Labels, namespace = ns) => ({ ...namespaceIs(namespace), ...pods(labels) });
  const apiServer = {
    to: s.apiServerCidrs.map((cidr) => ({ ipBlock: { cidr } })),
    ports: tcp(443),
  };
  // AWS APIs: public endpoints, the S3 gateway endpoint, or interface endpoints inside the VPC.
  const awsApis = { to: [internet, { ipBlock: { cidr: s.vpcCidr } }], ports: tcp(443) };
  const policy = (
    name: string,
    namespace: string,
    selector: Labels,
    ingress: IngressRule[],
    egress: EgressRule[],
  ): NetworkPolicySpec => ({
    name,
    namespace,
    spec: {
      podSelector: { matchLabels: selector },
      policyTypes: ["Ingress", "Egress"],
      ingress,
      egress,
    },
  });
  const gossip: Port[] = [...tcp(9094), { protocol: "UDP", port: 9094 }];
  const fromPrometheus = (...ports: number[]) => ({
    from: [inNs(POD_LABELS.prometheus)],
    ports: tcp(...ports),
  });

  return [
    policy(
      "prometheus",
      ns,
      POD_LABELS.prometheus,
      [
        {
          from: [pods(POD_LABELS.grafana), ...s.queryNamespaces.map((q) => namespaceIs(q))],
          ports: tcp(9090),
        },
        fromPrometheus(8080),
      ],
      [
        // Scrapes ServiceMonitor and PodMonitor targets in every namespace.
        { to: [{ namespaceSelector: {} }] },
        { to: [{ ipBlock: { cidr: s.vpcCidr } }], ports: tcp(9100, 10250) },
        apiServer,
        // remote_write to AMP (and STS for IRSA).
        awsApis,
      ],
    ),
    policy(
      "alertmanager",
      ns,
      POD_LABELS.alertmanager,
      [
        { from: [pods(POD_LABELS.prometheus), pods(POD_LABELS.grafana)], ports: tcp(9093) },
        fromPrometheus(8080),
        {
          from: [pods(POD_LABELS.alertmanager)],
          ports: [...tcp(9094), { protocol: "UDP", port: 9094 }],
        },
      ],
      [
        {
          to: [pods(POD_LABELS.alertmanager)],
          ports: [...tcp(9094), { protocol: "UDP", port: 9094 }],
        },
        // PagerDuty and Slack over HTTPS, email over SMTP submission with STARTTLS (SES may be
        // reached through an interface endpoint inside the VPC).
        { to: [internet, { ipBlock: { cidr: s.vpcCidr } }], ports: tcp(443, 587) },
      ],
    ),
    policy(
      "prometheus-operator",
      ns,
      POD_LABELS.operator,
      [
        // Admission webhooks are called by the control plane, from the VPC.
        { from: s.apiServerCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: tcp(10250) },
        fromPrometheus(10250),
      ],
      [apiServer],
    ),
    {
      name: "prometheus-admission-jobs",
      namespace: ns,
      spec: {
        podSelector: {
          matchExpressions: [
            {
              key: "app",
              operator: "In",
              values: [
                "kube-prometheus-stack-admission-create",
                "kube-prometheus-stack-admission-patch",
              ],
            },
          ],
        },
        policyTypes: ["Ingress", "Egress"],
        ingress: [],
        egress: [apiServer],
      },
    },
    policy(
      "kube-state-metrics",
      ns,
      POD_LABELS.kubeStateMetrics,
      [fromPrometheus(8080, 8081)],
      [apiServer],
    ),
    policy(
      "grafana",
      ns,
      POD_LABELS.grafana,
      [fromPrometheus(3000), { from: [pods(POD_LABELS.grafana)], ports: gossip }],
      [
        // Alerting state between replicas; the shared database on the data tier.
        { to: [pods(POD_LABELS.grafana)], ports: gossip },
        ...(s.grafanaDatabase
          ? [
              {
                to: s.grafanaDatabase.cidrs.map((cidr) => ({ ipBlock: { cidr } })),
                ports: tcp(s.grafanaDatabase.port),
              },
            ]
          : []),
        { to: [pods(POD_LABELS.prometheus)], ports: tcp(9090) },
        { to: [pods(POD_LABELS.alertmanager)], ports: tcp(9093) },
        { to: [pods(POD_LABELS.loki)], ports: tcp(3100) },
        { to: [pods(POD_LABELS.tempo)], ports: tcp(3200) },
        // The dashboard sidecar watches ConfigMaps; the CloudWatch data source calls AWS.
        apiServer,
        awsApis,
      ],
    ),
    policy(
      "loki",
      ns,
      POD_LABELS.loki,
      [
        {
          from: [
            inNs(POD_LABELS.fluentBit, s.agentsNamespace),
            pods(POD_LABELS.grafana),
            pods(POD_LABELS.otelGateway),
            pods(POD_LABELS.prometheus),
          ],
          ports: tcp(3100),
        },
        // Ring membership and queries between replicas.
        { from: [pods(POD_LABELS.loki)], ports: tcp(7946, 9095) },
      ],
      [
        { to: [pods(POD_LABELS.loki)], ports: tcp(7946, 9095) },
        // S3 and STS (IRSA).
        awsApis,
      ],
    ),
    policy(
      "tempo",
      ns,
      POD_LABELS.tempo,
      [
        { from: [pods(POD_LABELS.otelSampler)], ports: tcp(4317) },
        { from: [pods(POD_LABELS.grafana), pods(POD_LABELS.prometheus)], ports: tcp(3200) },
        // Between the components: HTTP and gRPC (query path, ingester writes) and the ring.
        { from: [pods(POD_LABELS.tempo)], ports: tcp(3200, 7946, 9095) },
      ],
      [{ to: [pods(POD_LABELS.tempo)], ports: tcp(3200, 7946, 9095) }, awsApis],
    ),
    policy(
      "otel-collector",
      ns,
      POD_LABELS.otelGateway,
      [
        // Applications in any namespace send OTLP.
        { from: [{ namespaceSelector: {} }], ports: tcp(4317, 4318) },
        fromPrometheus(8888, 8889),
      ],
      [
        { to: [pods(POD_LABELS.otelSampler)], ports: tcp(4317) },
        { to: [pods(POD_LABELS.loki)], ports: tcp(3100) },
      ],
    ),
    policy(
      "otel-sampler",
      ns,
      POD_LABELS.otelSampler,
      [{ from: [pods(POD_LABELS.otelGateway)], ports: tcp(4317) }, fromPrometheus(8888)],
      [{ to: [pods(POD_LABELS.tempo)], ports: tcp(4317) }],
    ),
    policy(
      "blackbox-exporter",
      ns,
      POD_LABELS.blackboxExporter,
      [fromPrometheus(9115)],
      [{ to: [internet], ports: tcp(443) }],
    ),
    policy(
      "fluent-bit",
      s.agentsNamespace,
      POD_LABELS.fluentBit,
      [{ from: [inNs(POD_LABELS.prometheus)], ports: tcp(2020) }],
      [{ to: [inNs(POD_LABELS.loki)], ports: tcp(3100) }, apiServer],
    ),
    // Grafana's database setup Job: nothing reaches it; it reaches the database, Secrets Manager
    // and STS (IRSA). Its weekly restart reaches the API server only.
    ...(s.grafanaDatabase
      ? [
          policy(GRAFANA_RESTART, ns, GRAFANA_RESTART_LABELS, [], [apiServer]),
          policy(
            GRAFANA_DATABASE_SETUP,
            ns,
            GRAFANA_DATABASE_SETUP_LABELS,
            [],
            [
              {
                to: s.grafanaDatabase.cidrs.map((cidr) => ({ ipBlock: { cidr } })),
                ports: tcp(s.grafanaDatabase.port),
              },
              awsApis,
            ],
          ),
        ]
      : []),
  ];
}

/** The NetworkPolicies of `observabilityNetworkPolicies`, after both namespaces exist. */
export function createNetworkPolicies(
  name: string,
  settings: NetworkPolicySettings,
  opts: pulumi.CustomResourceOptions,
): k8s.networking.v1.NetworkPolicy[] {
  return observabilityNetworkPolicies(settings).map(
    (policy) =>
      new k8s.networking.v1.NetworkPolicy(
        `${name}-netpol-${policy.namespace === settings.namespace ? "" : "agents-"}${policy.name}`,
        { metadata: { name: policy.name, namespace: policy.namespace }, spec: policy.spec },
        opts,
      ),
  );
}
