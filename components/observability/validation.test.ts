import * as assert from "assert";
import { ObservabilityArgs } from "./args";
import { telemetryBucketName } from "./storage";
import { validateObservabilityArgs } from "./validation";

const VALID: ObservabilityArgs = {
  clusterName: "platform-prod-us-west-2",
  accountId: "123456789012",
  region: "us-west-2",
  vpcCidr: "10.10.0.0/16",
  oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/X",
  oidcProviderUrl: "https://oidc.eks.us-west-2.amazonaws.com/id/X",
  volumeKeyArn: "arn:aws:kms:us-west-2:123456789012:key/k",
};

function problems(args: Partial<ObservabilityArgs>): string {
  try {
    validateObservabilityArgs({ ...VALID, ...args });
  } catch (error) {
    return (error as Error).message;
  }
  return "";
}

describe("Observability arguments", () => {
  it("accept the defaults", () => {
    assert.strictEqual(problems({}), "");
  });

  const cases: [string, Partial<ObservabilityArgs>, string][] = [
    [
      "no Prometheus",
      { prometheusReplicas: 0 },
      "args.prometheusReplicas must be a whole number between 1 and 5 (got 0)",
    ],
    [
      "a fractional retention",
      { metricsRetentionDays: 1.5 },
      "args.metricsRetentionDays must be a whole number between 1 and 365 (got 1.5)",
    ],
    [
      "a tiny volume",
      { prometheusVolumeGiB: 1 },
      "args.prometheusVolumeGiB must be a whole number between 10 and 16384 (got 1)",
    ],
    [
      "an invalid namespace",
      { namespace: "Monitoring" },
      'args.namespace must be a DNS-1123 label (got "Monitoring")',
    ],
    [
      "an unreachable availability",
      { slo: { availability: 1 } },
      "args.slo.availability must be a ratio between 0.9 and 1 (exclusive)",
    ],
    [
      "a latency bound between buckets",
      { slo: { latencyP95Ms: 120 } },
      "args.slo.latencyP95Ms must be a histogram bucket boundary",
    ],
    [
      "a plain-HTTP probe",
      { probeTargets: [{ name: "api", url: "http://api.example.com" }] },
      "args.probeTargets[0].url must be an https:// URL",
    ],
    [
      "duplicate probe names",
      {
        probeTargets: [
          { name: "a", url: "https://a.example.com" },
          { name: "a", url: "https://b.example.com" },
        ],
      },
      'args.probeTargets[1].name must be unique (got "a")',
    ],
    [
      "a malformed smarthost",
      {
        receivers: {
          email: {
            to: "a@example.com",
            from: "b@example.com",
            smarthost: "smtp",
            username: "u",
            password: "p",
          },
        },
      },
      "args.receivers.email.smarthost must be host:port",
    ],
    [
      "a database too small to alarm on",
      {
        databases: [
          { name: "db", instanceIdentifier: "db", allocatedStorageGiB: 5, maxConnections: 100 },
        ],
      },
      "args.databases[0].allocatedStorageGiB must be a whole number between 20 and 65536 (got 5)",
    ],
    [
      "a cache without nodes",
      { caches: [{ name: "c", cacheClusterIds: [] }] },
      "args.caches[0].cacheClusterIds must name at least one node (got 0)",
    ],
    [
      "an invalid query namespace",
      { prometheusQueryNamespaces: ["Argo"] },
      'args.prometheusQueryNamespaces[0] must be a DNS-1123 label (got "Argo")',
    ],
    [
      "a malformed on-call email",
      { onCall: { emails: ["oncall@example.com", "oncall at example.com"] } },
      'args.onCall.emails[1] must be an email address (got "oncall at example.com")',
    ],
    [
      "an on-call email given twice",
      { onCall: { emails: ["oncall@example.com", "OnCall@example.com"] } },
      "args.onCall.emails must name each address once",
    ],
    [
      "a Slack channel name instead of its ID",
      { onCall: { slack: { workspaceId: "T07EA123LEP", channelId: "#platform-alerts" } } },
      'args.onCall.slack.channelId must be a Slack channel ID such as C07EZ1ABC23 (the end of the channel\'s copied link), not its name (got "#platform-alerts")',
    ],
    [
      "a Slack workspace name instead of its ID",
      { onCall: { slack: { workspaceId: "acme", channelId: "C07EZ1ABC23" } } },
      "args.onCall.slack.workspaceId must be a Slack workspace ID such as T07EA123LEP",
    ],
    [
      "a plain-HTTP PagerDuty endpoint, without printing it",
      { onCall: { pagerDutyUrl: "http://events.pagerduty.com/integration/SECRETKEY/enqueue" } },
      'args.onCall.pagerDutyUrl must be an https:// URL (PagerDuty\'s Amazon CloudWatch integration URL) (got "(secret value hidden)")',
    ],
  ];
  for (const [what, args, message] of cases) {
    it(`reject ${what}, naming the argument`, () => {
      const text = problems(args);
      assert.ok(text.includes(message), text || "accepted");
    });
  }

  it("accept on-call subscribers in the formats AWS and Slack use", () => {
    assert.strictEqual(
      problems({
        onCall: {
          emails: ["oncall@example.com", "platform-team+alerts@example.co.uk"],
          pagerDutyUrl: "https://events.pagerduty.com/integration/0123abcd/enqueue",
          slack: { workspaceId: "T07EA123LEP", channelId: "C07EZ1ABC23" },
        },
      }),
      "",
    );
    assert.strictEqual(
      problems({ onCall: { slack: { workspaceId: "T07EA123LEP", channelId: "G01ABCDEFGH" } } }),
      "",
    );
  });

  it("never print a PagerDuty endpoint, valid or not", () => {
    const text = problems({
      onCall: { pagerDutyUrl: "ftp://events.pagerduty.com/integration/SECRETKEY/enqueue" },
    });
    assert.match(text, /args\.onCall\.pagerDutyUrl must be an https:\/\/ URL/);
    assert.ok(!text.includes("SECRETKEY"), text);
  });

  it("report every problem at once", () => {
    const text = problems({ prometheusReplicas: 0, alertmanagerReplicas: 9, lokiReplicas: 0 });
    assert.match(text, /\(3 problems\)/);
  });

  it("name telemetry buckets after cluster, store and account", () => {
    assert.strictEqual(
      telemetryBucketName("platform-prod-us-west-2", "loki", "123456789012"),
      "platform-prod-us-west-2-loki-123456789012",
    );
  });
});
