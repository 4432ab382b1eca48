import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { assertRejected, configErrorLines, loadConfig } from "../../tools/testing";

describe("observability config", () => {
  it("defaults to HA, 30-day retention and no receiver when no secret is set", () => {
    const o = loadConfig().observability;
    assert.deepStrictEqual(
      [
        o.prometheusReplicas,
        o.alertmanagerReplicas,
        o.prometheusRetentionDays,
        o.prometheusVolumeGiB,
      ],
      [2, 3, 30, 50],
    );
    assert.deepStrictEqual([o.lokiRetentionDays, o.tempoRetentionDays], [30, 30]);
    assert.deepStrictEqual(o.receivers, {});
    assert.deepStrictEqual(o.probes, []);
    // The committed stacks' on-call address: a placeholder in the documentation domain.
    assert.deepStrictEqual(o.onCall, { emails: ["oncall@example.com"] });
  });

  it("subscribes on-call by email, PagerDuty (secret) and Slack through AWS Chatbot", () => {
    const o = loadConfig({
      overrides: {
        "platform:alarmEmails": '["oncall@example.com","platform-team@example.com"]',
        "platform:alarmSlackWorkspaceId": "T07EA123LEP",
        "platform:alarmSlackChannelId": "C07EZ1ABC23",
      },
      secrets: {
        "platform:alarmPagerDutyUrl": "https://events.pagerduty.com/integration/abc/enqueue",
      },
    }).observability;
    assert.deepStrictEqual(o.onCall.emails, ["oncall@example.com", "platform-team@example.com"]);
    assert.deepStrictEqual(o.onCall.slack, {
      workspaceId: "T07EA123LEP",
      channelId: "C07EZ1ABC23",
    });
    assert.ok(pulumi.Output.isInstance(o.onCall.pagerDutyUrl));
  });

  it("rejects a PagerDuty endpoint that is not HTTPS without printing it", () => {
    const secretValue = "http://events.pagerduty.com/integration/SECRET-INTEGRATION-KEY/enqueue";
    const lines = configErrorLines(() =>
      loadConfig({ secrets: { "platform:alarmPagerDutyUrl": secretValue } }),
    );
    assert.deepStrictEqual(lines, [
      `- platform:alarmPagerDutyUrl must be an https:// URL (PagerDuty's Amazon CloudWatch integration URL) (got "(secret value hidden)")`,
    ]);
    assert.ok(!lines.join("\n").includes("SECRET-INTEGRATION-KEY"));
  });

  it("leaves the offline preview's secret placeholder to the real preview's check", () => {
    const o = loadConfig({
      secrets: {
        "platform:alarmPagerDutyUrl": "[secret placeholder for platform:alarmPagerDutyUrl]",
      },
    }).observability;
    assert.ok(pulumi.Output.isInstance(o.onCall.pagerDutyUrl));
  });

  it("reads receiver credentials only as secrets", () => {
    const o = loadConfig({
      overrides: {
        "platform:alertEmailTo": "oncall@example.com",
        "platform:alertEmailFrom": "am@example.com",
        "platform:alertSmtpSmarthost": "email-smtp.us-west-2.amazonaws.com:587",
        "platform:alertSmtpUsername": "smtp-user",
        "platform:syntheticProbeUrls": '["https://api.example.com/healthz"]',
      },
      secrets: {
        "platform:alertPagerDutyRoutingKey": "key",
        "platform:alertSmtpPassword": "pw",
      },
    }).observability;
    assert.ok(pulumi.Output.isInstance(o.receivers.pagerDutyRoutingKey));
    assert.ok(pulumi.Output.isInstance(o.receivers.email?.password));
    assert.deepStrictEqual(o.probes, [
      { name: "api-example-com", url: "https://api.example.com/healthz" },
    ]);
  });

  const rejections: [string, Record<string, string>, string][] = [
    [
      "one Prometheus in production",
      { "platform:prometheusReplicas": "1" },
      "platform:prometheusReplicas must be at least 2 in production",
    ],
    [
      "one Alertmanager in production",
      { "platform:alertmanagerReplicas": "1" },
      "platform:alertmanagerReplicas must be at least 2 in production",
    ],
    [
      "a retention beyond a year",
      { "platform:prometheusRetentionDays": "400" },
      "platform:prometheusRetentionDays must be a whole number between 1 and 365",
    ],
    [
      "a tiny volume",
      { "platform:prometheusVolumeGiB": "5" },
      "platform:prometheusVolumeGiB must be a whole number between 10 and 16384",
    ],
    [
      "zero log retention",
      { "platform:lokiRetentionDays": "0" },
      "platform:lokiRetentionDays must be a whole number between 1 and 3650",
    ],
    [
      "zero trace retention",
      { "platform:tempoRetentionDays": "0" },
      "platform:tempoRetentionDays must be a whole number between 1 and 3650",
    ],
    [
      "a Slack channel with shell characters",
      { "platform:alertSlackChannel": "#alerts$(id)" },
      'platform:alertSlackChannel must be empty, a channel such as "#platform-alerts"',
    ],
    [
      "a Slack channel without its #",
      { "platform:alertSlackChannel": "platform-alerts" },
      'platform:alertSlackChannel must be empty, a channel such as "#platform-alerts"',
    ],
    [
      "a plain-HTTP probe",
      { "platform:syntheticProbeUrls": '["http://api.example.com"]' },
      "platform:syntheticProbeUrls must contain https:// URLs",
    ],
    [
      "two probes of one host",
      { "platform:syntheticProbeUrls": '["https://a.example.com/x","https://a.example.com/y"]' },
      "platform:syntheticProbeUrls must name each host once",
    ],
    [
      "an email receiver without SMTP settings",
      { "platform:alertEmailTo": "oncall@example.com" },
      "platform:alertSmtpPassword must be set (pulumi config set --secret) when alertEmailTo is set",
    ],
    [
      "a malformed alert address",
      { "platform:alertEmailTo": "oncall" },
      "platform:alertEmailTo must be an email address",
    ],
    [
      "a malformed on-call address",
      { "platform:alarmEmails": '["oncall@example.com","oncall"]' },
      'platform:alarmEmails must contain email addresses such as "oncall@example.com"',
    ],
    [
      "an on-call address given twice",
      { "platform:alarmEmails": '["oncall@example.com","ONCALL@example.com"]' },
      "platform:alarmEmails must name each address once",
    ],
    [
      "the former single-address key",
      { "platform:alarmEmail": "oncall@example.com" },
      "platform:alarmEmail must be a known key: did you mean platform:alarmEmails?",
    ],
    [
      "a Slack channel name instead of its ID",
      {
        "platform:alarmSlackWorkspaceId": "T07EA123LEP",
        "platform:alarmSlackChannelId": "platform-alerts",
      },
      "platform:alarmSlackChannelId must be a Slack channel ID such as C07EZ1ABC23",
    ],
    [
      "a Slack channel without its workspace",
      { "platform:alarmSlackChannelId": "C07EZ1ABC23" },
      "platform:alarmSlackWorkspaceId must be a Slack workspace ID such as T07EA123LEP",
    ],
    [
      "a PagerDuty endpoint stored in plain text",
      { "platform:alarmPagerDutyUrl": "https://events.pagerduty.com/integration/x/enqueue" },
      "platform:alarmPagerDutyUrl must be stored encrypted",
    ],
    [
      "a receiver secret stored in plain text",
      { "platform:alertSlackWebhookUrl": "https://hooks.slack.com/x" },
      "platform:alertSlackWebhookUrl must be stored encrypted",
    ],
  ];
  for (const [what, overrides, message] of rejections) {
    it(`rejects ${what}, naming the key`, () => {
      assertRejected({ overrides }, message);
    });
  }

  it("configures AMP retention, trace sampling and Grafana SSO from config", () => {
    const o = loadConfig({
      overrides: {
        "platform:ampRetentionDays": "730",
        "platform:traceSamplingPercent": "25",
        "platform:grafanaOidcIssuer": "https://login.example.com/realms/platform",
        "platform:grafanaOidcClientId": "grafana",
        "platform:grafanaAdminGroups": '["sre"]',
        "platform:grafanaEditorGroups": '["developers"]',
      },
      secrets: { "platform:grafanaOidcClientSecret": "client-secret-value" },
    }).observability;
    assert.deepStrictEqual([o.ampRetentionDays, o.traceSamplingPercent], [730, 25]);
    assert.strictEqual(o.grafanaOidc?.issuer, "https://login.example.com/realms/platform");
    assert.deepStrictEqual(o.grafanaOidc?.adminGroups, ["sre"]);
    assert.ok(pulumi.Output.isInstance(o.grafanaOidc?.clientSecret));
    const defaults = loadConfig().observability;
    assert.deepStrictEqual([defaults.ampRetentionDays, defaults.traceSamplingPercent], [400, 10]);
    assert.strictEqual(defaults.grafanaOidc, undefined);
  });

  it("names the key of an OIDC issuer that is not HTTPS, a sampling share outside 0-100, a retention AMP refuses", () => {
    const lines = configErrorLines(() =>
      loadConfig({
        overrides: {
          "platform:grafanaOidcIssuer": "http://login.example.com",
          "platform:grafanaOidcClientId": "grafana",
          "platform:traceSamplingPercent": "150",
          "platform:ampRetentionDays": "1500",
        },
        secrets: { "platform:grafanaOidcClientSecret": "client-secret-value" },
      }),
    );
    assert.deepStrictEqual(lines.sort(), [
      `- platform:ampRetentionDays must be a whole number of days from 396 (13 months, the platform's minimum) to 1095 (the longest retention AMP allows) (got 1500)`,
      `- platform:grafanaOidcIssuer must be an https:// URL of the OIDC issuer, e.g. "https://login.example.com/realms/platform" (got "http://login.example.com")`,
      `- platform:traceSamplingPercent must be a whole number between 0 and 100 (got 150)`,
    ]);
    assert.ok(!lines.join("\n").includes("client-secret-value"));
  });

  it("refuses a retention under 13 months and an SSO issuer without its client", () => {
    const lines = configErrorLines(() =>
      loadConfig({
        overrides: {
          "platform:ampRetentionDays": "150",
          "platform:grafanaOidcIssuer": "https://login.example.com",
        },
      }),
    );
    assert.deepStrictEqual(lines.sort(), [
      `- platform:ampRetentionDays must be a whole number of days from 396 (13 months, the platform's minimum) to 1095 (the longest retention AMP allows) (got 150)`,
      `- platform:grafanaOidcClientId must be set when grafanaOidcIssuer is set (got "")`,
      `- platform:grafanaOidcClientSecret must be set (pulumi config set --secret) when grafanaOidcIssuer is set (got nothing)`,
    ]);
  });
});
