/**
 * Observability: Prometheus and Alertmanager sizing, retention of metrics, logs and traces, the
 * endpoints the synthetic probes watch, and who gets paged.
 *
 * Every alert and alarm reaches the stack's SNS alarm topic, which needs no secret: on-call
 * subscribes with plain config (`alarmEmails`, `alarmSlackWorkspaceId`/`alarmSlackChannelId` for
 * AWS Chatbot) or the secret `alarmPagerDutyUrl`. The direct Alertmanager channels are optional
 * secret keys, read only through `getSecret` and delivered to Alertmanager as a Kubernetes Secret
 * it reads files from. A production stack with no human-reaching receiver fails the preview (the
 * policy `alerts-reach-a-human`).
 */
import { Problems } from "@platform/core";
import {
  AMP_RETENTION_RANGE,
  isEmailAddress,
  isHttpsUrl,
  isSlackChannelId,
  isSlackWorkspaceId,
} from "@platform/observability";
import * as pulumi from "@pulumi/pulumi";
import { ConfigContext, ConfigSection, configKey } from "./schema";

export interface ProbeUrl {
  readonly name: string;
  readonly url: string;
}

export interface ObservabilityConfig {
  readonly prometheusReplicas: number;
  readonly prometheusRetentionDays: number;
  readonly prometheusVolumeGiB: number;
  readonly alertmanagerReplicas: number;
  readonly lokiRetentionDays: number;
  readonly tempoRetentionDays: number;
  readonly probes: readonly ProbeUrl[];
  readonly receivers: {
    readonly pagerDutyRoutingKey?: pulumi.Output<string>;
    readonly slack?: { readonly webhookUrl: pulumi.Output<string>; readonly channel: string };
    readonly email?: {
      readonly to: string;
      readonly from: string;
      readonly smarthost: string;
      readonly username: string;
      readonly password: pulumi.Output<string>;
    };
  };
  readonly onCall: {
    readonly emails: readonly string[];
    readonly pagerDutyUrl?: pulumi.Output<string>;
    readonly slack?: { readonly workspaceId: string; readonly channelId: string };
  };
  /** Days the AMP workspace keeps metrics. */
  readonly ampRetentionDays: number;
  /** Share of ordinary traces kept by tail sampling, 0 to 100. */
  readonly traceSamplingPercent: number;
  /** Grafana SSO; absent: local admin login. */
  readonly grafanaOidc?: {
    readonly issuer: string;
    readonly clientId: string;
    readonly clientSecret: pulumi.Output<string>;
    readonly adminGroups: readonly string[];
    readonly editorGroups: readonly string[];
  };
}

/** 13 months: a year-over-year comparison reaches back over a whole year of post-mortems. */
const MIN_AMP_RETENTION_DAYS = 396;

const HOST_PORT = /^[a-zA-Z0-9.-]+:\d{1,5}$/;
const HTTPS_URL = /^https:\/\/([a-zA-Z0-9.-]+)(:\d{1,5})?(\/\S*)?$/;

/** `https://api.example.com/healthz` -> `api-example-com`: the probe's name and job label. */
export function probeName(url: string): string {
  const host = HTTPS_URL.exec(url)?.[1] ?? url;
  return host
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63);
}

function secret(context: ConfigContext, name: string): pulumi.Output<string> | undefined {
  return context.secret(name);
}

export const observability: ConfigSection<ObservabilityConfig> = {
  keys: {
    prometheusReplicas: {
      type: "integer",
      default: 2,
      description: "Prometheus replicas (each scrapes everything; 2 or more in production).",
    },
    prometheusRetentionDays: {
      type: "integer",
      default: 30,
      description: "Days Prometheus keeps metrics (also capped at 85% of its volume).",
    },
    prometheusVolumeGiB: {
      type: "integer",
      default: 50,
      description: "Encrypted gp3 volume of each Prometheus replica, in GiB.",
    },
    alertmanagerReplicas: {
      type: "integer",
      default: 3,
      description: "Alertmanager replicas, clustered so that a notification is sent once.",
    },
    lokiRetentionDays: {
      type: "integer",
      default: 30,
      description: "Days Loki keeps logs in S3 (the bucket lifecycle expires them 7 days later).",
    },
    tempoRetentionDays: {
      type: "integer",
      default: 30,
      description: "Days Tempo keeps traces in S3.",
    },
    syntheticProbeUrls: {
      type: "array",
      items: "string",
      default: [],
      description:
        "Public https:// endpoints the blackbox exporter probes (the availability SLO); empty: failoverRecordName and <region>.<domainName> on healthCheckPath.",
    },
    alertPagerDutyRoutingKey: {
      type: "string",
      secret: true,
      optional: true,
      description:
        "Secret. PagerDuty Events v2 routing key for critical alerts; unset leaves PagerDuty out.",
    },
    alertSlackWebhookUrl: {
      type: "string",
      secret: true,
      optional: true,
      description: "Secret. Slack incoming-webhook URL for warnings; unset leaves Slack out.",
    },
    alertSlackChannel: {
      type: "string",
      default: "",
      description: "Slack channel override, e.g. #platform-alerts (empty: the webhook's channel).",
    },
    alertEmailTo: {
      type: "string",
      default: "",
      description: "Address info alerts are mailed to; empty leaves email out.",
    },
    alertEmailFrom: {
      type: "string",
      default: "",
      description: "Sender of alert emails (required with alertEmailTo).",
    },
    alertSmtpSmarthost: {
      type: "string",
      default: "",
      description: "SMTP host:port with STARTTLS, e.g. email-smtp.us-west-2.amazonaws.com:587.",
    },
    alertSmtpUsername: {
      type: "string",
      default: "",
      description: "SMTP user name (required with alertEmailTo).",
    },
    alertSmtpPassword: {
      type: "string",
      secret: true,
      optional: true,
      description: "Secret. SMTP password (required with alertEmailTo).",
    },
    alarmEmails: {
      type: "array",
      items: "string",
      default: [],
      description:
        "Addresses the alarm topic emails: every alert and alarm (each confirms its subscription once).",
    },
    alarmPagerDutyUrl: {
      type: "string",
      secret: true,
      optional: true,
      format: {
        test: isHttpsUrl,
        allowed: "be an https:// URL (PagerDuty's Amazon CloudWatch integration URL)",
      },
      description:
        "Secret. PagerDuty Amazon CloudWatch integration URL subscribed to the alarm topic: critical alerts and CloudWatch alarms page.",
    },
    alarmSlackWorkspaceId: {
      type: "string",
      default: "",
      description:
        "Slack workspace ID (e.g. T07EA123LEP) authorized in the AWS Chatbot console; with alarmSlackChannelId, the channel gets every alert and alarm.",
    },
    alarmSlackChannelId: {
      type: "string",
      default: "",
      description:
        "Slack channel ID (e.g. C07EZ1ABC23, the end of the channel's link) AWS Chatbot posts the alarm topic to.",
    },
    ampRetentionDays: {
      type: "integer",
      default: 400,
      description: `Days the region's Amazon Managed Service for Prometheus workspace keeps metrics: ${MIN_AMP_RETENTION_DAYS} (13 months) to ${AMP_RETENTION_RANGE.max} (AMP's maximum).`,
    },
    traceSamplingPercent: {
      type: "integer",
      default: 10,
      description:
        "Percent (0 to 100) of traces the collector keeps besides every error and every trace slower than the latency SLO.",
    },
    grafanaOidcIssuer: {
      type: "string",
      default: "",
      description:
        "HTTPS issuer URL of the OIDC provider Grafana signs users in with (endpoints <issuer>/authorize, /token, /userinfo); set, local logins are disabled. Empty: local admin login.",
    },
    grafanaOidcClientId: {
      type: "string",
      default: "",
      description: "Grafana's OIDC client ID at the provider (required with grafanaOidcIssuer).",
    },
    grafanaOidcClientSecret: {
      type: "string",
      secret: true,
      optional: true,
      description: "Secret. Grafana's OIDC client secret (required with grafanaOidcIssuer).",
    },
    grafanaAdminGroups: {
      type: "array",
      items: "string",
      default: [],
      description: "IdP groups (the groups claim) whose members are Grafana Admins.",
    },
    grafanaEditorGroups: {
      type: "array",
      items: "string",
      default: [],
      description: "IdP groups whose members are Grafana Editors; other signed-in users view.",
    },
  },

  build(values, problems: Problems, context): ObservabilityConfig {
    const key = configKey;
    const production = values.environment === "prod";
    const prometheusReplicas = values.prometheusReplicas as number;
    const alertmanagerReplicas = values.alertmanagerReplicas as number;
    if (
      problems.integerInRange(key("prometheusReplicas"), prometheusReplicas, 1, 5) &&
      production
    ) {
      problems.check(
        prometheusReplicas >= 2,
        key("prometheusReplicas"),
        prometheusReplicas,
        "be at least 2 in production (one replica is a monitoring outage at every restart)",
      );
    }
    if (
      problems.integerInRange(key("alertmanagerReplicas"), alertmanagerReplicas, 1, 5) &&
      production
    ) {
      problems.check(
        alertmanagerReplicas >= 2,
        key("alertmanagerReplicas"),
        alertmanagerReplicas,
        "be at least 2 in production (alerts must survive the loss of a node)",
      );
    }
    const prometheusRetentionDays = values.prometheusRetentionDays as number;
    problems.integerInRange(key("prometheusRetentionDays"), prometheusRetentionDays, 1, 365);
    const prometheusVolumeGiB = values.prometheusVolumeGiB as number;
    problems.integerInRange(key("prometheusVolumeGiB"), prometheusVolumeGiB, 10, 16384);
    const lokiRetentionDays = values.lokiRetentionDays as number;
    problems.integerInRange(key("lokiRetentionDays"), lokiRetentionDays, 1, 3650);
    const tempoRetentionDays = values.tempoRetentionDays as number;
    problems.integerInRange(key("tempoRetentionDays"), tempoRetentionDays, 1, 3650);

    const urls = values.syntheticProbeUrls as string[];
    for (const url of urls) {
      problems.check(
        HTTPS_URL.test(url),
        key("syntheticProbeUrls"),
        url,
        'contain https:// URLs such as "https://api.example.com/healthz"',
      );
    }
    const probes = urls.map((url) => ({ name: probeName(url), url }));
    const names = probes.map((p) => p.name);
    problems.check(
      new Set(names).size === names.length,
      key("syntheticProbeUrls"),
      urls,
      "name each host once (probes are named after their host)",
    );

    const pagerDutyRoutingKey = secret(context, "alertPagerDutyRoutingKey");
    const slackWebhookUrl = secret(context, "alertSlackWebhookUrl");
    const smtpPassword = secret(context, "alertSmtpPassword");
    const email = {
      to: values.alertEmailTo as string,
      from: values.alertEmailFrom as string,
      smarthost: values.alertSmtpSmarthost as string,
      username: values.alertSmtpUsername as string,
    };
    if (email.to !== "") {
      problems.check(
        isEmailAddress(email.to),
        key("alertEmailTo"),
        email.to,
        "be an email address",
      );
      problems.check(
        isEmailAddress(email.from),
        key("alertEmailFrom"),
        email.from,
        "be an email address when alertEmailTo is set",
      );
      problems.check(
        HOST_PORT.test(email.smarthost),
        key("alertSmtpSmarthost"),
        email.smarthost,
        'be host:port when alertEmailTo is set, e.g. "email-smtp.us-west-2.amazonaws.com:587"',
      );
      problems.check(
        email.username !== "",
        key("alertSmtpUsername"),
        email.username,
        "be set when alertEmailTo is set",
      );
      problems.check(
        smtpPassword !== undefined,
        key("alertSmtpPassword"),
        undefined,
        "be set (pulumi config set --secret) when alertEmailTo is set",
      );
    }
    const alarmEmails = values.alarmEmails as string[];
    for (const address of alarmEmails) {
      problems.check(
        isEmailAddress(address),
        key("alarmEmails"),
        address,
        'contain email addresses such as "oncall@example.com"',
      );
    }
    problems.check(
      new Set(alarmEmails.map((a) => a.toLowerCase())).size === alarmEmails.length,
      key("alarmEmails"),
      alarmEmails,
      "name each address once",
    );
    const alertSlackChannel = values.alertSlackChannel as string;
    // Slack channel names: lowercase letters, digits, hyphens and underscores, at most 80
    // (https://slack.com/help/articles/201402297); Alertmanager's channel also takes @user or an ID.
    problems.check(
      alertSlackChannel === "" ||
        /^[#@][a-z0-9_-]{1,80}$/.test(alertSlackChannel) ||
        isSlackChannelId(alertSlackChannel),
      key("alertSlackChannel"),
      alertSlackChannel,
      'be empty, a channel such as "#platform-alerts" (lowercase letters, digits, - and _, at most 80), "@user" or a channel ID',
    );
    const alarmPagerDutyUrl = secret(context, "alarmPagerDutyUrl");
    const slack = {
      workspaceId: values.alarmSlackWorkspaceId as string,
      channelId: values.alarmSlackChannelId as string,
    };
    if (slack.workspaceId !== "" || slack.channelId !== "") {
      problems.check(
        isSlackWorkspaceId(slack.workspaceId),
        key("alarmSlackWorkspaceId"),
        slack.workspaceId,
        "be a Slack workspace ID such as T07EA123LEP (AWS Chatbot console) when alarmSlackChannelId is set",
      );
      problems.check(
        isSlackChannelId(slack.channelId),
        key("alarmSlackChannelId"),
        slack.channelId,
        "be a Slack channel ID such as C07EZ1ABC23 (the end of the channel's copied link, not its name) when alarmSlackWorkspaceId is set",
      );
    }

    const ampRetentionDays = values.ampRetentionDays as number;
    problems.check(
      Number.isInteger(ampRetentionDays) &&
        ampRetentionDays >= MIN_AMP_RETENTION_DAYS &&
        ampRetentionDays <= AMP_RETENTION_RANGE.max,
      key("ampRetentionDays"),
      ampRetentionDays,
      `be a whole number of days from ${MIN_AMP_RETENTION_DAYS} (13 months, the platform's minimum) to ${AMP_RETENTION_RANGE.max} (the longest retention AMP allows)`,
    );
    const traceSamplingPercent = values.traceSamplingPercent as number;
    problems.integerInRange(key("traceSamplingPercent"), traceSamplingPercent, 0, 100);
    const grafanaOidc = readGrafanaOidc(values, problems, context);

    return {
      ampRetentionDays,
      traceSamplingPercent,
      ...(grafanaOidc ? { grafanaOidc } : {}),
      prometheusReplicas,
      prometheusRetentionDays,
      prometheusVolumeGiB,
      alertmanagerReplicas,
      lokiRetentionDays,
      tempoRetentionDays,
      probes,
      receivers: {
        ...(pagerDutyRoutingKey ? { pagerDutyRoutingKey } : {}),
        ...(slackWebhookUrl
          ? { slack: { webhookUrl: slackWebhookUrl, channel: values.alertSlackChannel as string } }
          : {}),
        ...(email.to !== "" && smtpPassword ? { email: { ...email, password: smtpPassword } } : {}),
      },
      onCall: {
        emails: alarmEmails,
        ...(alarmPagerDutyUrl ? { pagerDutyUrl: alarmPagerDutyUrl } : {}),
        ...(slack.workspaceId !== "" ? { slack } : {}),
      },
    };
  },
};

/** Grafana's SSO settings, all or nothing: an issuer needs a client ID and secret. */
function readGrafanaOidc(
  values: Readonly<Record<string, unknown>>,
  problems: Problems,
  context: ConfigContext,
): ObservabilityConfig["grafanaOidc"] {
  const key = configKey;
  const issuer = values.grafanaOidcIssuer as string;
  const clientId = values.grafanaOidcClientId as string;
  const clientSecret = secret(context, "grafanaOidcClientSecret");
  const adminGroups = values.grafanaAdminGroups as string[];
  const editorGroups = values.grafanaEditorGroups as string[];
  if (issuer === "") {
    problems.check(
      clientId === "",
      key("grafanaOidcClientId"),
      clientId,
      "be empty without grafanaOidcIssuer (set the issuer to enable SSO)",
    );
    return undefined;
  }
  const ok = [
    problems.check(
      isHttpsUrl(issuer),
      key("grafanaOidcIssuer"),
      issuer,
      'be an https:// URL of the OIDC issuer, e.g. "https://login.example.com/realms/platform"',
    ),
    problems.check(
      clientId !== "",
      key("grafanaOidcClientId"),
      clientId,
      "be set when grafanaOidcIssuer is set",
    ),
    problems.check(
      clientSecret !== undefined,
      key("grafanaOidcClientSecret"),
      undefined,
      "be set (pulumi config set --secret) when grafanaOidcIssuer is set",
    ),
    ...[...adminGroups, ...editorGroups].map((group) =>
      problems.check(
        /^[^'"\\]+$/.test(group),
        key(adminGroups.includes(group) ? "grafanaAdminGroups" : "grafanaEditorGroups"),
        group,
        "contain group names without quotes or backslashes",
      ),
    ),
  ].every(Boolean);
  return ok && clientSecret
    ? { issuer, clientId, clientSecret, adminGroups, editorGroups }
    : undefined;
}
