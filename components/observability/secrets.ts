import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { GrafanaArgs, ReceiverCredentials } from "./args";
import { RECEIVER_SECRET_KEYS, RECEIVER_SECRET_NAME } from "./alerting";
import { GRAFANA_ADMIN_SECRET, GRAFANA_OIDC_SECRET } from "./values";

export interface ObservabilitySecrets {
  /** Alertmanager's receiver credentials, mounted as files. */
  readonly receivers: k8s.core.v1.Secret;
  /** Grafana's generated admin password. */
  readonly grafanaAdmin: k8s.core.v1.Secret;
  /** Grafana's OIDC client secret, when it has one. */
  readonly grafana: readonly k8s.core.v1.Secret[];
}

/** `opts.dependsOn` names the monitoring namespace the secrets live in. */
export function createSecrets(
  name: string,
  credentials: ReceiverCredentials,
  grafana: GrafanaArgs,
  namespace: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): ObservabilitySecrets {
  const receiverData: Record<string, pulumi.Input<string>> = {};
  if (credentials.pagerDutyRoutingKey !== undefined)
    receiverData[RECEIVER_SECRET_KEYS.pagerDutyRoutingKey] = credentials.pagerDutyRoutingKey;
  if (credentials.slack)
    receiverData[RECEIVER_SECRET_KEYS.slackWebhookUrl] = credentials.slack.webhookUrl;
  if (credentials.email)
    receiverData[RECEIVER_SECRET_KEYS.smtpPassword] = credentials.email.password;
  // Always created: Alertmanager mounts it even when no channel is configured.
  const receivers = new k8s.core.v1.Secret(
    `${name}-alertmanager-receivers`,
    {
      metadata: { name: RECEIVER_SECRET_NAME, namespace },
      type: "Opaque",
      stringData: pulumi.secret(receiverData),
    },
    opts,
  );
  const grafanaPassword = new random.RandomPassword(
    `${name}-grafana-admin-password`,
    { length: 32, special: false },
    { parent: opts.parent },
  );
  const grafanaAdmin = new k8s.core.v1.Secret(
    `${name}-grafana-admin`,
    {
      metadata: { name: GRAFANA_ADMIN_SECRET, namespace },
      type: "Opaque",
      stringData: { "admin-user": "admin", "admin-password": grafanaPassword.result },
    },
    opts,
  );
  const grafanaSecrets: k8s.core.v1.Secret[] = [];
  if (grafana.oidc) {
    grafanaSecrets.push(
      new k8s.core.v1.Secret(
        `${name}-grafana-oidc`,
        {
          metadata: { name: GRAFANA_OIDC_SECRET, namespace },
          type: "Opaque",
          stringData: { "client-secret": pulumi.secret(grafana.oidc.clientSecret) },
        },
        opts,
      ),
    );
  }
  return { receivers, grafanaAdmin, grafana: grafanaSecrets };
}
