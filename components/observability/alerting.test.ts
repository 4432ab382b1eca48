import * as assert from "assert";
import {
  alertmanagerConfig,
  AlertTopics,
  directChannelFor,
  HEARTBEAT_INTERVAL,
  INHIBIT_EQUAL,
  RECEIVER_SECRET_NAME,
  RECEIVERS,
  ReceiverChannels,
  receiverChannels,
  TOPIC_MESSAGE,
} from "./alerting";

const EMAIL = {
  to: "oncall@example.com",
  from: "alertmanager@example.com",
  smarthost: "email-smtp.us-west-2.amazonaws.com:587",
  username: "AKIAEXAMPLE",
};
const ALL: ReceiverChannels = { pagerDuty: true, slack: { channel: "#alerts" }, email: EMAIL };
const NONE: ReceiverChannels = { pagerDuty: false };
const TOPICS: AlertTopics = {
  alarmTopicArn: "arn:aws:sns:us-west-2:123456789012:platform-prod-us-west-2-alarms",
  heartbeatTopicArn:
    "arn:aws:sns:us-west-2:123456789012:platform-prod-us-west-2-alertmanager-heartbeat",
  region: "us-west-2",
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const receiver = (config: Any, name: string) => config.receivers.find((r: Any) => r.name === name);

describe("Alertmanager routing", () => {
  it("ends every severity at a receiver that publishes to the alarm topic, with or without direct channels", () => {
    for (const channels of [ALL, NONE]) {
      const config = alertmanagerConfig(channels, TOPICS) as Any;
      assert.deepStrictEqual(
        config.route.routes.map((r: Any) => [r.matchers, r.receiver, r.repeat_interval]),
        [
          [['alertname = "Watchdog"'], "heartbeat", HEARTBEAT_INTERVAL],
          [['alertname = "InfoInhibitor"'], "null", undefined],
          [['severity = "critical"'], "critical", "1h"],
          [['severity = "warning"'], "warning", "4h"],
          [['severity = "info"'], "info", "24h"],
        ],
      );
      // Alerts without a severity go where warnings go.
      assert.strictEqual(config.route.receiver, RECEIVERS.warning);
      for (const severity of ["critical", "warning", "info"]) {
        const sns = receiver(config, severity).sns_configs;
        assert.strictEqual(sns.length, 1, severity);
        assert.strictEqual(sns[0].topic_arn, TOPICS.alarmTopicArn);
        assert.deepStrictEqual(sns[0].sigv4, { region: "us-west-2" });
        assert.strictEqual(sns[0].send_resolved, true);
      }
      // Only the InfoInhibitor (a mechanism, not an alert) reaches the null receiver.
      const toNull = config.route.routes.filter((r: Any) => r.receiver === "null");
      assert.deepStrictEqual(toNull, [
        { receiver: "null", matchers: ['alertname = "InfoInhibitor"'] },
      ]);
      assert.deepStrictEqual(receiver(config, "null"), { name: "null" });
    }
  });

  it("signs with the pod's IRSA credentials: no keys, role or profile in the config", () => {
    const config = alertmanagerConfig(ALL, TOPICS) as Any;
    for (const r of config.receivers) {
      for (const sns of r.sns_configs ?? []) {
        assert.deepStrictEqual(Object.keys(sns.sigv4), ["region"], r.name);
      }
    }
  });

  it("carries the severity in a message attribute, the subject and the body, for subscription filters", () => {
    const sns = receiver(alertmanagerConfig(NONE, TOPICS), "critical").sns_configs[0];
    assert.match(sns.attributes.severity, /\.CommonLabels\.severity/);
    // A missing severity label is filled in, never an empty attribute (SNS refuses those).
    assert.match(sns.attributes.severity, /\{\{ else \}\}warning\{\{ end \}\}/);
    assert.match(sns.subject, /^\[\{\{ \.Status \| toUpper \}\}:/);
    assert.strictEqual(sns.message, TOPIC_MESSAGE);
    assert.match(TOPIC_MESSAGE, /"additionalContext":\{"severity":\{\{ \$severity \| toJson \}\}/);
    assert.match(TOPIC_MESSAGE, /^\{\{ \$severity := or \.CommonLabels\.severity "warning" \}\}/);
    // AWS Chatbot renders custom notifications of this shape.
    assert.match(TOPIC_MESSAGE, /\{"version":"1\.0","source":"custom","content":\{"textType"/);
    assert.match(TOPIC_MESSAGE, /Runbook: %s" \$first\.Annotations\.runbook_url \| toJson/);
  });

  it("sends the Watchdog to the heartbeat topic every minute, never resolved", () => {
    const config = alertmanagerConfig(NONE, TOPICS) as Any;
    const route = config.route.routes[0];
    assert.deepStrictEqual(route, {
      receiver: "heartbeat",
      matchers: ['alertname = "Watchdog"'],
      group_wait: "0s",
      group_interval: "1m",
      repeat_interval: "1m",
    });
    const heartbeat = receiver(config, "heartbeat");
    assert.strictEqual(heartbeat.sns_configs.length, 1);
    assert.strictEqual(heartbeat.sns_configs[0].topic_arn, TOPICS.heartbeatTopicArn);
    assert.strictEqual(heartbeat.sns_configs[0].send_resolved, false);
    assert.deepStrictEqual(Object.keys(heartbeat).sort(), ["name", "sns_configs"]);
  });

  it("adds a severity's direct channel beside the topic, falling back as before", () => {
    const table: [ReceiverChannels, (string | undefined)[]][] = [
      [ALL, ["pagerDuty", "slack", "email"]],
      [{ pagerDuty: false, slack: { channel: "" } }, ["slack", "slack", "slack"]],
      [{ pagerDuty: true }, ["pagerDuty", undefined, undefined]],
      [{ pagerDuty: false, email: EMAIL }, ["email", "email", "email"]],
      [NONE, [undefined, undefined, undefined]],
    ];
    const key = { pagerDuty: "pagerduty_configs", slack: "slack_configs", email: "email_configs" };
    for (const [channels, expected] of table) {
      const config = alertmanagerConfig(channels, TOPICS) as Any;
      (["critical", "warning", "info"] as const).forEach((severity, i) => {
        assert.strictEqual(directChannelFor(severity, channels), expected[i]);
        const r = receiver(config, severity);
        const direct = Object.keys(r).filter((k) => k.endsWith("_configs") && k !== "sns_configs");
        assert.deepStrictEqual(
          direct,
          expected[i] ? [key[expected[i] as keyof typeof key]] : [],
          `${severity} ${JSON.stringify(channels)}`,
        );
      });
    }
  });

  it("reads every credential from the mounted Secret, never from the config", () => {
    const config = alertmanagerConfig(ALL, TOPICS) as Any;
    const dir = `/etc/alertmanager/secrets/${RECEIVER_SECRET_NAME}`;
    const pagerDuty = receiver(config, "critical").pagerduty_configs[0];
    const slack = receiver(config, "warning").slack_configs[0];
    const email = receiver(config, "info").email_configs[0];
    assert.strictEqual(pagerDuty.routing_key_file, `${dir}/pagerduty-routing-key`);
    assert.strictEqual(pagerDuty.routing_key, undefined);
    assert.strictEqual(slack.api_url_file, `${dir}/slack-webhook-url`);
    assert.strictEqual(slack.api_url, undefined);
    assert.strictEqual(slack.channel, "#alerts");
    assert.strictEqual(email.auth_password_file, `${dir}/smtp-password`);
    assert.strictEqual(email.auth_password, undefined);
    assert.strictEqual(email.require_tls, true);
  });

  it("inhibits lesser severities of the same problem and symptoms of a down node or endpoint", () => {
    const config = alertmanagerConfig(ALL, TOPICS) as Any;
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
