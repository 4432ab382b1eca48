/**
 * Alertmanager's routing tree. Every severity ends at a receiver that publishes to the stack's SNS
 * alarm topic (`sns_configs`, signed with SigV4 by the IRSA role of Alertmanager's service account),
 * where Prometheus alerts meet the CloudWatch alarms and on-call subscribes by email, PagerDuty and
 * AWS Chatbot. Direct channels (PagerDuty, Slack webhook, SMTP) are optional extras on the same
 * receivers; their credentials are never in this config: it names files that Alertmanager reads from
 * a mounted Kubernetes Secret (`alertmanagerSpec.secrets` mounts it at /etc/alertmanager/secrets/<name>/).
 * The always-firing Watchdog goes to a heartbeat topic whose CloudWatch alarm pages when it stops.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#sns_config
 */
import type { ReceiverCredentials } from "./args";
import { Severity } from "./slo";

/** The Secret holding receiver credentials, one key per credential. */
export const RECEIVER_SECRET_NAME = "alertmanager-receivers";
export const RECEIVER_SECRET_KEYS = {
  pagerDutyRoutingKey: "pagerduty-routing-key",
  slackWebhookUrl: "slack-webhook-url",
  smtpPassword: "smtp-password",
} as const;
const SECRET_DIR = `/etc/alertmanager/secrets/${RECEIVER_SECRET_NAME}`;

export interface EmailReceiver {
  readonly to: string;
  readonly from: string;
  /** host:port of an SMTP server that speaks STARTTLS, e.g. email-smtp.us-west-2.amazonaws.com:587 */
  readonly smarthost: string;
  readonly username: string;
}

/** Which direct channels have credentials; a channel without them is left out of the tree. */
export interface ReceiverChannels {
  readonly pagerDuty: boolean;
  readonly slack?: { readonly channel: string };
  readonly email?: EmailReceiver;
}

/** The SNS topics Alertmanager publishes to, in the stack's region. */
export interface AlertTopics {
  /** The alarm topic every severity reaches (on-call subscribes to it). */
  readonly alarmTopicArn: string;
  /** The heartbeat topic the Watchdog publishes to; a CloudWatch alarm pages when it goes quiet. */
  readonly heartbeatTopicArn: string;
  readonly region: string;
}

/** The channels the credentials configure, without the credentials themselves. */
export function receiverChannels(credentials: ReceiverCredentials): ReceiverChannels {
  return {
    pagerDuty: credentials.pagerDutyRoutingKey !== undefined,
    ...(credentials.slack ? { slack: { channel: credentials.slack.channel ?? "" } } : {}),
    ...(credentials.email
      ? {
          email: {
            to: credentials.email.to,
            from: credentials.email.from,
            smarthost: credentials.email.smarthost,
            username: credentials.email.username,
          },
        }
      : {}),
  };
}

/** Receivers by name: one per severity, the heartbeat, and `null` for the InfoInhibitor only. */
export const RECEIVERS = {
  critical: "critical",
  warning: "warning",
  info: "info",
  heartbeat: "heartbeat",
  null: "null",
} as const;

/** The always-firing alert of kube-prometheus-stack's default rules: it proves the pipeline works. */
export const WATCHDOG_ALERT = "Watchdog";
/** How often the Watchdog is re-sent to the heartbeat topic (its alarm allows a 5-minute gap). */
export const HEARTBEAT_INTERVAL = "1m";

type DirectChannel = keyof ReceiverChannels;

/** Direct channels in the order a severity falls back through them when its own is absent. */
const FALLBACK: Record<Severity, readonly DirectChannel[]> = {
  critical: ["pagerDuty", "slack", "email"],
  warning: ["slack", "email"],
  info: ["email", "slack"],
};

const REPEAT_INTERVAL: Record<Severity, string> = {
  critical: "1h",
  warning: "4h",
  info: "24h",
};

/** The direct channel a severity also notifies besides the topic, if any is configured. */
export function directChannelFor(
  severity: Severity,
  channels: ReceiverChannels,
): DirectChannel | undefined {
  const configured = (c: DirectChannel) =>
    c === "pagerDuty" ? channels.pagerDuty : channels[c] !== undefined;
  return FALLBACK[severity].find(configured);
}

/** Labels that identify "the same problem" for inhibition. */
export const INHIBIT_EQUAL = ["alertname", "namespace", "job", "slo"];

/** An alert without a severity label is a rule bug: it is routed, and labelled, as a warning. */
const SEVERITY =
  "{{ if .CommonLabels.severity }}{{ .CommonLabels.severity }}{{ else }}warning{{ end }}";

/**
 * The SNS message: an AWS Chatbot custom notification (so Slack renders it), JSON built with
 * Alertmanager's `toJson`. Email subscribers read the subject and this JSON; the PagerDuty
 * subscription's body filter reads `metadata.additionalContext.severity`.
 * @see https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html
 */
export const TOPIC_MESSAGE = [
  '{{ $severity := or .CommonLabels.severity "warning" }}',
  "{{ $first := index .Alerts 0 }}",
  '{"version":"1.0","source":"custom",',
  '"content":{"textType":"client-markdown",',
  '"title":{{ printf "[%s:%s] %s" (.Status | toUpper) $severity .CommonLabels.alertname | toJson }},',
  '"description":{{ printf "%s (%d alerts, cluster %s)" $first.Annotations.summary (len .Alerts) .CommonLabels.cluster | toJson }},',
  '"nextSteps":[{{ printf "Runbook: %s" $first.Annotations.runbook_url | toJson }}]},',
  '"metadata":{"summary":{{ $first.Annotations.summary | toJson }},',
  '"additionalContext":{"severity":{{ $severity | toJson }},"status":{{ .Status | toJson }}}}}',
].join("");

/** `sns_configs` entry publishing to `topicArn` with the pod's IRSA credentials (SigV4). */
export function topicConfig(topicArn: string, region: string): Record<string, unknown> {
  return {
    topic_arn: topicArn,
    // No keys: the AWS SDK's default chain reads the web identity token IRSA mounts.
    sigv4: { region },
    // SNS subjects: ASCII, one line, under 100 characters (email subscribers see it).
    subject: `[{{ .Status | toUpper }}:${SEVERITY}] {{ .CommonLabels.alertname }}`,
    message: TOPIC_MESSAGE,
    attributes: {
      severity: SEVERITY,
      alertname: "{{ .CommonLabels.alertname }}",
      status: "{{ .Status }}",
    },
    send_resolved: true,
  };
}

function directConfig(channel: DirectChannel, channels: ReceiverChannels): Record<string, unknown> {
  switch (channel) {
    case "pagerDuty":
      return {
        pagerduty_configs: [
          {
            routing_key_file: `${SECRET_DIR}/${RECEIVER_SECRET_KEYS.pagerDutyRoutingKey}`,
            send_resolved: true,
            severity: SEVERITY,
          },
        ],
      };
    case "slack":
      return {
        slack_configs: [
          {
            api_url_file: `${SECRET_DIR}/${RECEIVER_SECRET_KEYS.slackWebhookUrl}`,
            ...(channels.slack?.channel ? { channel: channels.slack.channel } : {}),
            send_resolved: true,
            title: "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}",
            text: "{{ range .Alerts }}{{ .Annotations.summary }} {{ .Annotations.runbook_url }}\n{{ end }}",
          },
        ],
      };
    case "email": {
      const email = channels.email as EmailReceiver;
      return {
        email_configs: [
          {
            to: email.to,
            from: email.from,
            smarthost: email.smarthost,
            auth_username: email.username,
            auth_password_file: `${SECRET_DIR}/${RECEIVER_SECRET_KEYS.smtpPassword}`,
            require_tls: true,
            send_resolved: false,
          },
        ],
      };
    }
  }
}

const SEVERITIES: readonly Severity[] = ["critical", "warning", "info"];

export function alertmanagerConfig(
  channels: ReceiverChannels,
  topics: AlertTopics,
): Record<string, unknown> {
  const severityReceivers = SEVERITIES.map((severity) => {
    const direct = directChannelFor(severity, channels);
    return {
      name: RECEIVERS[severity],
      sns_configs: [topicConfig(topics.alarmTopicArn, topics.region)],
      ...(direct ? directConfig(direct, channels) : {}),
    };
  });
  const heartbeat = {
    name: RECEIVERS.heartbeat,
    sns_configs: [
      {
        topic_arn: topics.heartbeatTopicArn,
        sigv4: { region: topics.region },
        subject: "Alertmanager heartbeat",
        message: "{{ .CommonLabels.alertname }} {{ .Status }}",
        // Only the publishes count (NumberOfMessagesPublished); a Watchdog never resolves.
        send_resolved: false,
      },
    ],
  };
  return {
    global: { resolve_timeout: "5m" },
    route: {
      // Alerts without a severity are a rule bug: they go where warnings go, so someone sees them.
      receiver: RECEIVERS.warning,
      group_by: ["alertname", "namespace", "job", "slo"],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: "4h",
      routes: [
        // The dead man's switch: re-sent every minute for as long as Prometheus and Alertmanager work.
        {
          receiver: RECEIVERS.heartbeat,
          matchers: [`alertname = "${WATCHDOG_ALERT}"`],
          group_wait: "0s",
          group_interval: HEARTBEAT_INTERVAL,
          repeat_interval: HEARTBEAT_INTERVAL,
        },
        // kube-prometheus-stack's InfoInhibitor would hide info alerts whenever nothing worse
        // fires; it is a mechanism, not an alert, and info alerts reach the topic anyway.
        { receiver: RECEIVERS.null, matchers: ['alertname = "InfoInhibitor"'] },
        ...SEVERITIES.map((severity) => ({
          receiver: RECEIVERS[severity],
          matchers: [`severity = "${severity}"`],
          repeat_interval: REPEAT_INTERVAL[severity],
          ...(severity === "critical" ? { group_wait: "10s" } : {}),
        })),
      ],
    },
    inhibit_rules: [
      {
        source_matchers: ['severity = "critical"'],
        target_matchers: ['severity =~ "warning|info"'],
        equal: INHIBIT_EQUAL,
      },
      {
        source_matchers: ['severity = "warning"'],
        target_matchers: ['severity = "info"'],
        equal: INHIBIT_EQUAL,
      },
      // A node that is down explains the pods and volumes on it that are unhealthy.
      {
        source_matchers: ['alertname = "NodeNotReady"'],
        target_matchers: [
          'alertname =~ "NodeUnderPressure|NodeFilesystemAlmostFull|NodeMemoryAlmostExhausted"',
        ],
        equal: ["node"],
      },
      // An endpoint that is down explains its latency and error-rate burns.
      {
        source_matchers: ['alertname = "AvailabilityBudgetBurn"', 'severity = "critical"'],
        target_matchers: ['alertname =~ "LatencyBudgetBurn|ErrorRateBudgetBurn"'],
        equal: ["job"],
      },
    ],
    receivers: [{ name: RECEIVERS.null }, heartbeat, ...severityReceivers],
  };
}
