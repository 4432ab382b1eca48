import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { assertRejected, loadConfig } from "../../tools/testing";

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
      "a malformed alarm address",
      { "platform:alarmEmail": "oncall" },
      "platform:alarmEmail must be an email address",
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
});
