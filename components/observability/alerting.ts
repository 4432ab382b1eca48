/**
 * Alertmanager's routing tree: critical to PagerDuty, warning to Slack, info to email, with
 * inhibition so that one incident pages once. Receiver credentials are never in this config:
 * it names files that Alertmanager reads from a mounted Kubernetes Secret
 * (`alertmanagerSpec.secrets` mounts it at /etc/alertmanager/secrets/<name>/).
 * @see https://prometheus.io/docs/alerting/latest/configuration/
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

/** Which channels have credentials; a channel without them is left out of the tree. */
export interface ReceiverChannels {
  readonly pagerDuty: boolean;
  readonly slack?: { readonly channel: string };
  readonly email?: EmailReceiver;
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

export const NULL_RECEIVER = "null";
const RECEIVER_NAMES = { pagerDuty: "pagerduty", slack: "slack", email: "email" } as const;

/** Channels in the order a severity falls back through them when its own channel is absent. */
const FALLBACK: Record<Severity, readonly (keyof typeof RECEIVER_NAMES)[]> = {
  critical: ["pagerDuty", "slack", "email"],
  warning: ["slack", "email"],
  info: ["email", "slack"],
};

const REPEAT_INTERVAL: Record<Severity, string> = {
  critical: "1h",
  warning: "4h",
  info: "24h",
};

/** The receiver a severity reaches with the configured channels, or the null receiver. */
export function receiverFor(severity: Severity, channels: ReceiverChannels): string {
  const configured = (c: keyof typeof RECEIVER_NAMES) =>
    c === "pagerDuty" ? channels.pagerDuty : channels[c] !== undefined;
  const channel = FALLBACK[severity].find(configured);
  return channel ? RECEIVER_NAMES[channel] : NULL_RECEIVER;
}

/** Labels that identify "the same problem" for inhibition. */
export const INHIBIT_EQUAL = ["alertname", "namespace", "job", "slo"];

export function alertmanagerConfig(channels: ReceiverChannels): Record<string, unknown> {
  const receivers: Record<string, unknown>[] = [{ name: NULL_RECEIVER }];
  if (channels.pagerDuty) {
    receivers.push({
      name: RECEIVER_NAMES.pagerDuty,
      pagerduty_configs: [
        {
          routing_key_file: `${SECRET_DIR}/${RECEIVER_SECRET_KEYS.pagerDutyRoutingKey}`,
          send_resolved: true,
          severity:
            "{{ if .CommonLabels.severity }}{{ .CommonLabels.severity }}{{ else }}critical{{ end }}",
        },
      ],
    });
  }
  if (channels.slack) {
    receivers.push({
      name: RECEIVER_NAMES.slack,
      slack_configs: [
        {
          api_url_file: `${SECRET_DIR}/${RECEIVER_SECRET_KEYS.slackWebhookUrl}`,
          ...(channels.slack.channel ? { channel: channels.slack.channel } : {}),
          send_resolved: true,
          title: "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}",
          text: "{{ range .Alerts }}{{ .Annotations.summary }}\n{{ end }}",
        },
      ],
    });
  }
  if (channels.email) {
    receivers.push({
      name: RECEIVER_NAMES.email,
      email_configs: [
        {
          to: channels.email.to,
          from: channels.email.from,
          smarthost: channels.email.smarthost,
          auth_username: channels.email.username,
          auth_password_file: `${SECRET_DIR}/${RECEIVER_SECRET_KEYS.smtpPassword}`,
          require_tls: true,
          send_resolved: false,
        },
      ],
    });
  }
  const severities: Severity[] = ["critical", "warning", "info"];
  return {
    global: { resolve_timeout: "5m" },
    route: {
      // Alerts without a severity are a rule bug: they go where warnings go, so someone sees them.
      receiver: receiverFor("warning", channels),
      group_by: ["alertname", "namespace", "job", "slo"],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: "4h",
      routes: [
        // The always-firing Watchdog proves the pipeline works. kube-prometheus-stack's InfoInhibitor
        // would hide info alerts whenever nothing worse fires; info alerts go to email instead.
        { receiver: NULL_RECEIVER, matchers: ['alertname =~ "Watchdog|InfoInhibitor"'] },
        ...severities.map((severity) => ({
          receiver: receiverFor(severity, channels),
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
    receivers,
  };
}
