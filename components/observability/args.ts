/** Arguments of the observability component. */
import * as pulumi from "@pulumi/pulumi";
import type { CacheAlarmTarget, DatabaseAlarmTarget, RotationFunctionAlarmTarget } from "./alarms";
import type { EmailReceiver } from "./alerting";
import type { SloObjectives } from "./slo";
import type { ProbeTarget } from "./values";

export interface ReceiverCredentials {
  /** PagerDuty Events API v2 integration (routing) key: critical alerts page. */
  readonly pagerDutyRoutingKey?: pulumi.Input<string>;
  /** Slack incoming-webhook URL: warnings. */
  readonly slack?: { readonly webhookUrl: pulumi.Input<string>; readonly channel?: string };
  /** SMTP settings and password: info alerts. */
  readonly email?: EmailReceiver & { readonly password: pulumi.Input<string> };
}

/** Slack through AWS Chatbot: the workspace must first be authorized in the Chatbot console. */
export interface ChatbotSlackChannel {
  /** Slack workspace (team) ID, e.g. `T07EA123LEP`. */
  readonly workspaceId: string;
  /** Slack channel ID, e.g. `C07EZ1ABC23` (the channel's link ends with it). */
  readonly channelId: string;
}

/** Subscribers of the alarm topic, where Alertmanager's alerts and the CloudWatch alarms meet. */
export interface OnCallArgs {
  /**
   * Addresses the topic emails every alert and alarm (each confirms its subscription once).
   * @default []
   */
  readonly emails?: readonly string[];
  /**
   * PagerDuty Amazon CloudWatch integration URL (HTTPS, auto-confirmed): critical alerts and every
   * CloudWatch alarm page.
   * @default - no PagerDuty subscription
   */
  readonly pagerDutyUrl?: pulumi.Input<string>;
  /**
   * A Slack channel that receives every alert and alarm through AWS Chatbot.
   * @default - no chat subscription
   * @see https://docs.aws.amazon.com/chatbot/latest/adminguide/slack-setup.html
   */
  readonly slack?: ChatbotSlackChannel;
}

/** The region's AMP workspace and Prometheus's remote write to it. */
export interface ManagedPrometheusArgs {
  /**
   * Days the workspace keeps samples: 1 to 1095 (AMP's range).
   * @default 400 - 13 months
   * @see https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-workspace-configuration.html
   */
  readonly retentionDays?: number;
  /**
   * Whether Prometheus writes its samples to the workspace (a passive standby may leave it off).
   * @default true
   */
  readonly remoteWrite?: boolean;
  /**
   * Active series one Prometheus replica scrapes: sizes the remote-write queue.
   * @default 150000
   */
  readonly activeSeries?: number;
}

/** Grafana's shared PostgreSQL database on the data tier. */
export interface GrafanaDatabaseArgs {
  /** Address of the PostgreSQL primary (its Multi-AZ endpoint), not the IAM-only RDS Proxy. */
  readonly host: pulumi.Input<string>;
  readonly port: number;
  /**
   * Where the database lives (the isolated subnets' CIDRs): Grafana's egress NetworkPolicy.
   */
  readonly cidrs: readonly string[];
  /** The RDS-managed master secret the setup Job connects with (`username`, `password`). */
  readonly masterSecretArn: pulumi.Input<string>;
  /**
   * Grafana's password user's secret (`username`, `password`), kept and rotated by the data tier
   * with alternating users (`user`, `<user>_clone`).
   */
  readonly userSecretArn: pulumi.Input<string>;
  /** KMS key both secrets are encrypted with (the data tier's key). */
  readonly keyArn: pulumi.Input<string>;
  /** @default "grafana" */
  readonly name?: string;
  /** The base role, which owns the database. @default "grafana" */
  readonly user?: string;
}

/** Single sign-on through an OIDC provider. */
export interface GrafanaOidcArgs {
  /** Issuer URL (HTTPS). */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: pulumi.Input<string>;
  /** @default `${issuer}/authorize` */
  readonly authUrl?: string;
  /** @default `${issuer}/token` */
  readonly tokenUrl?: string;
  /** @default `${issuer}/userinfo` */
  readonly userInfoUrl?: string;
  /** IdP groups whose members are Grafana Admins. @default [] */
  readonly adminGroups?: readonly string[];
  /** IdP groups whose members are Editors; everyone else signed in views. @default [] */
  readonly editorGroups?: readonly string[];
}

export interface GrafanaArgs {
  /**
   * Grafana replicas, spread over zones; more than one needs `database`.
   * @default 2 with a database, else 1
   */
  readonly replicas?: number;
  /**
   * The shared database that makes Grafana HA and keeps what users change in the UI.
   * @default - SQLite in the pod: one replica, UI changes lost on restart
   */
  readonly database?: GrafanaDatabaseArgs;
  /** @default - local admin login only */
  readonly oidc?: GrafanaOidcArgs;
}

/** Tail-based sampling of traces in the collector's sampling tier. */
export interface TracingArgs {
  /**
   * Share of the traces that are neither errors nor slower than the latency SLO that is kept,
   * 0 to 100.
   * @default 10
   */
  readonly samplingPercentage?: number;
  /** Replicas of each Tempo component (ingesters: at least 3). @default 2 */
  readonly tempoReplicas?: number;
  /** Replicas of each collector tier (gateway and sampler). @default 2 */
  readonly collectorReplicas?: number;
}

export interface ObservabilityArgs {
  readonly clusterName: string;
  readonly accountId: string;
  readonly region: string;
  /** CIDR of the cluster's VPC: nodes, the control plane's ENIs and interface endpoints. */
  readonly vpcCidr: string;
  /**
   * Where pods reach the Kubernetes API server.
   * @default [vpcCidr, "172.20.0.1/32"] - the VPC and the `kubernetes` Service IP EKS assigns
   *   when the VPC is in 10.0.0.0/8 (service CIDR 172.20.0.0/16)
   * @see https://docs.aws.amazon.com/eks/latest/APIReference/API_KubernetesNetworkConfigRequest.html
   */
  readonly apiServerCidrs?: readonly string[];
  /**
   * Namespaces whose pods may query Prometheus, e.g. a canary-analysis controller.
   * @default []
   */
  readonly prometheusQueryNamespaces?: readonly string[];
  readonly oidcProviderArn: pulumi.Input<string>;
  readonly oidcProviderUrl: pulumi.Input<string>;
  /** KMS key of the cluster's EBS volumes; the component's StorageClass encrypts with it. */
  readonly volumeKeyArn: pulumi.Input<string>;
  /**
   * An existing encrypted StorageClass for the stores' volumes.
   * @default - the component creates `gp3-encrypted` (gp3, encrypted with `volumeKeyArn`)
   */
  readonly storageClassName?: string;
  /** @default "monitoring" */
  readonly namespace?: string;
  /**
   * Namespace of node agents (node exporter, log collector), whose host access needs the
   * `privileged` Pod Security level.
   * @default "monitoring-agents"
   */
  readonly agentsNamespace?: string;
  /** @default 2 */
  readonly prometheusReplicas?: number;
  /** @default 30 */
  readonly metricsRetentionDays?: number;
  /** @default 50 - GiB per Prometheus replica */
  readonly prometheusVolumeGiB?: number;
  /** @default 3 */
  readonly alertmanagerReplicas?: number;
  /** @default 30 */
  readonly logRetentionDays?: number;
  /** @default 30 */
  readonly traceRetentionDays?: number;
  /** @default 3 - Loki replicas (replication factor 3) */
  readonly lokiReplicas?: number;
  /** @default {} - the defaults of `SloObjectives` (99.99%, p95 < 100ms, < 0.1% errors) */
  readonly slo?: SloObjectives;
  /** Public HTTPS endpoints the blackbox exporter probes (the availability SLO). @default [] */
  readonly probeTargets?: readonly ProbeTarget[];
  /** Alertmanager receivers; a channel without credentials is left out. @default {} */
  readonly receivers?: ReceiverCredentials;
  /** Subscribers of the alarm topic. @default {} - none: alerts reach nobody (prod refuses it) */
  readonly onCall?: OnCallArgs;
  /** RDS instances to alarm on. @default [] */
  readonly databases?: readonly DatabaseAlarmTarget[];
  /** ElastiCache replication groups to alarm on. @default [] */
  readonly caches?: readonly CacheAlarmTarget[];
  /** Secrets Manager rotation functions whose failed runs to alarm on. @default [] */
  readonly rotationFunctions?: readonly RotationFunctionAlarmTarget[];
  /**
   * The region's access-log bucket (SSE-S3, with the log delivery grant), which the telemetry
   * buckets log to.
   * @default - the component's own access-log bucket, `<name>-access-logs`
   */
  readonly accessLogBucket?: pulumi.Input<string>;
  /** The region's AMP workspace. @default {} - 400 days, remote write on */
  readonly managedPrometheus?: ManagedPrometheusArgs;
  /** Grafana's replicas, database and SSO. @default {} - one replica, local login */
  readonly grafana?: GrafanaArgs;
  /** Trace sampling and the tracing tiers' replicas. @default {} */
  readonly tracing?: TracingArgs;
}
