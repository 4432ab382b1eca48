import * as assert from "assert";
import {
  alertmanagerConfig,
  INHIBIT_EQUAL,
  NULL_RECEIVER,
  RECEIVER_SECRET_NAME,
  ReceiverChannels,
  receiverChannels,
  receiverFor,
} from "./alerting";

const EMAIL = {
  to: "oncall@example.com",
  from: "alertmanager@example.com",
  smarthost: "email-smtp.us-west-2.amazonaws.com:587",
  username: "AKIAEXAMPLE",
};
const ALL: ReceiverChannels = { pagerDuty: true, slack: { channel: "#alerts" }, email: EMAIL };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

describe("Alertmanager routing", () => {
  it("routes critical to PagerDuty, warning to Slack and info to email", () => {
    const config = alertmanagerConfig(ALL) as Any;
    assert.deepStrictEqual(
      config.route.routes.map((r: Any) => [r.matchers, r.receiver, r.repeat_interval]),
      [
        [['alertname =~ "Watchdog|InfoInhibitor"'], NULL_RECEIVER, undefined],
        [['severity = "critical"'], "pagerduty", "1h"],
        [['severity = "warning"'], "slack", "4h"],
        [['severity = "info"'], "email", "24h"],
      ],
    );
    assert.strictEqual(config.route.receiver, "slack");
    assert.deepStrictEqual(
      config.receivers.map((r: Any) => r.name),
      [NULL_RECEIVER, "pagerduty", "slack", "email"],
    );
  });

  it("falls back to the next configured channel, and to nothing only when none is", () => {
    const table: [ReceiverChannels, [string, string, string]][] = [
      [{ pagerDuty: false, slack: { channel: "" } }, ["slack", "slack", "slack"]],
      [{ pagerDuty: true }, ["pagerduty", NULL_RECEIVER, NULL_RECEIVER]],
      [{ pagerDuty: false, email: EMAIL }, ["email", "email", "email"]],
      [{ pagerDuty: false }, [NULL_RECEIVER, NULL_RECEIVER, NULL_RECEIVER]],
    ];
    for (const [channels, expected] of table) {
      assert.deepStrictEqual(
        (["critical", "warning", "info"] as const).map((s) => receiverFor(s, channels)),
        expected,
        JSON.stringify(channels),
      );
      const names = (alertmanagerConfig(channels) as Any).receivers.map((r: Any) => r.name);
      for (const receiver of expected) assert.ok(names.includes(receiver), receiver);
    }
  });

  it("reads every credential from the mounted Secret, never from the config", () => {
    const config = alertmanagerConfig(ALL) as Any;
    const dir = `/etc/alertmanager/secrets/${RECEIVER_SECRET_NAME}`;
    const [, pagerDuty, slack, email] = config.receivers;
    assert.strictEqual(
      pagerDuty.pagerduty_configs[0].routing_key_file,
      `${dir}/pagerduty-routing-key`,
    );
    assert.strictEqual(pagerDuty.pagerduty_configs[0].routing_key, undefined);
    assert.strictEqual(slack.slack_configs[0].api_url_file, `${dir}/slack-webhook-url`);
    assert.strictEqual(slack.slack_configs[0].api_url, undefined);
    assert.strictEqual(slack.slack_configs[0].channel, "#alerts");
    assert.strictEqual(email.email_configs[0].auth_password_file, `${dir}/smtp-password`);
    assert.strictEqual(email.email_configs[0].auth_password, undefined);
    assert.strictEqual(email.email_configs[0].require_tls, true);
  });

  it("inhibits lesser severities of the same problem and symptoms of a down node or endpoint", () => {
    const config = alertmanagerConfig(ALL) as Any;
    assert.deepStrictEqual(config.inhibit_rules, [
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
      {
        source_matchers: ['alertname = "NodeNotReady"'],
        target_matchers: [
          'alertname =~ "NodeUnderPressure|NodeFilesystemAlmostFull|NodeMemoryAlmostExhausted"',
        ],
        equal: ["node"],
      },
      {
        source_matchers: ['alertname = "AvailabilityBudgetBurn"', 'severity = "critical"'],
        target_matchers: ['alertname =~ "LatencyBudgetBurn|ErrorRateBudgetBurn"'],
        equal: ["job"],
      },
    ]);
    assert.deepStrictEqual(INHIBIT_EQUAL, ["alertname", "namespace", "job", "slo"]);
  });

  it("derives the configured channels from the credentials, keeping no credential", () => {
    assert.deepStrictEqual(receiverChannels({}), { pagerDuty: false });
    const channels = receiverChannels({
      pagerDutyRoutingKey: "routing-key",
      slack: { webhookUrl: "https://hooks.slack.com/services/x" },
      email: { ...EMAIL, password: "smtp-password" },
    });
    assert.deepStrictEqual(channels, { pagerDuty: true, slack: { channel: "" }, email: EMAIL });
    assert.ok(!JSON.stringify(channels).includes("routing-key"));
    assert.ok(!JSON.stringify(channels).includes("smtp-password"));
  });
});
