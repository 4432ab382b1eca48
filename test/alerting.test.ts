/**
 * Alerts reach a human, from the committed stacks: the route tree ends at the SNS alarm topic, on-call
 * subscribes to it, the Watchdog feeds a heartbeat whose alarm pages, Alertmanager's role publishes
 * to its topics only, every alert links to a runbook heading that exists, and a production config
 * without receivers fails the offline preview with a mandatory violation naming the keys to set.
 */
import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as os from "os";
import * as path from "path";
import { listStacks } from "../stacks/stack-files";
import { RecordedResource } from "../tools/mock-engine";
import { named, ofType, policyResults, runStack, StackRun, TEST_TODAY } from "../tools/testing";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Wire = Record<string, any>;
const inputs = (r: RecordedResource) => r.inputs as Wire;
const ROOT = path.resolve(__dirname, "..");
// Every committed stack, standbys included: each pages through its own alarm topic.
const STACKS = listStacks();
const POLICY = "alerts-reach-a-human";

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = heading[1]
      .replace(/`/g, "")
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "")
      .replace(/ /g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Why a runbook link (`docs/<file>.md#<anchor>`, from the repository root) does not resolve. */
export function runbookLinkProblem(link: string | undefined, root = ROOT): string | undefined {
  if (!link) return "no runbook link";
  const match = /^(docs\/[\w./-]+\.md)#([\w-]+)$/.exec(link);
  if (!match) return `${link} is not docs/<file>.md#<anchor>`;
  const file = path.join(root, match[1]);
  if (!fs.existsSync(file)) return `${match[1]} does not exist`;
  return headingAnchors(fs.readFileSync(file, "utf8")).has(match[2])
    ? undefined
    : `${match[1]} has no heading with anchor #${match[2]}`;
}

interface AlertRule {
  readonly alert?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/** Why an alerting rule is not actionable: a missing summary, severity or resolvable runbook. */
export function alertProblems(rule: AlertRule): string[] {
  const problems: string[] = [];
  if (!rule.annotations?.summary) problems.push("no summary annotation");
  if (!["critical", "warning", "info"].includes(rule.labels?.severity ?? ""))
    problems.push(`severity ${JSON.stringify(rule.labels?.severity)}`);
  const link = runbookLinkProblem(rule.annotations?.runbook_url);
  if (link) problems.push(link);
  return problems;
}

describe("alert actionability checks", () => {
  it("compute GitHub's anchors", () => {
    const anchors = headingAnchors(
      "# Runbooks\n## The `alerting` pipeline\n### 0. Traffic\n```\n# not a heading\n```\n### Repeat\n### Repeat\n",
    );
    assert.deepStrictEqual(
      [...anchors],
      ["runbooks", "the-alerting-pipeline", "0-traffic", "repeat", "repeat-1"],
    );
  });

  it("fail an alert without a runbook, summary or severity, and a link to a missing heading", () => {
    assert.deepStrictEqual(alertProblems({ alert: "X" }), [
      "no summary annotation",
      "severity undefined",
      "no runbook link",
    ]);
    assert.deepStrictEqual(
      alertProblems({
        alert: "X",
        labels: { severity: "critical" },
        annotations: { summary: "s", runbook_url: "docs/runbooks/observability.md#no-such-alert" },
      }),
      ["docs/runbooks/observability.md has no heading with anchor #no-such-alert"],
    );
    assert.match(runbookLinkProblem("docs/nowhere.md#x") ?? "", /does not exist/);
    assert.strictEqual(
      runbookLinkProblem("docs/runbooks/observability.md#nodenotready"),
      undefined,
    );
  });
});

for (const stack of STACKS) {
  const cluster = `platform-${stack}`;
  describe(`alerting of ${stack}`, function () {
    this.timeout(180_000);
    let run: StackRun;
    let alertmanager: Wire;
    let alarmTopicArn: string;
    let heartbeatTopicArn: string;

    before(async () => {
      run = await runStack({ stack });
      alertmanager = inputs(named(run, "observability-kube-prometheus-stack")).values.alertmanager;
      alarmTopicArn = inputs(named(run, "observability-alarms-policy")).arn;
      heartbeatTopicArn = inputs(named(run, "observability-heartbeat-policy")).arn;
      assert.match(alarmTopicArn, new RegExp(`${cluster}-alarms$`));
      assert.match(heartbeatTopicArn, new RegExp(`${cluster}-alertmanager-heartbeat$`));
    });

    it("subscribes the on-call address to the alarm topic", () => {
      const human = ofType(run, "aws:sns/topicSubscription:TopicSubscription").filter(
        (s) => inputs(s).topic === alarmTopicArn && ["email", "https"].includes(inputs(s).protocol),
      );
      assert.deepStrictEqual(
        human.map((s) => [inputs(s).protocol, inputs(s).endpoint]),
        [["email", "oncall@example.com"]],
      );
    });

    it("ends every critical and warning route at a receiver that publishes to the alarm topic", () => {
      const config = alertmanager.config;
      const receiver = (name: string) => config.receivers.find((r: Wire) => r.name === name);
      const publishesToTopic = (name: string) =>
        (receiver(name)?.sns_configs ?? []).some((c: Wire) => c.topic_arn === alarmTopicArn);
      assert.ok(
        publishesToTopic(config.route.receiver),
        "the root route (alerts without severity)",
      );
      const carrying = config.route.routes.filter((r: Wire) =>
        r.matchers.some((m: string) => /severity\s*=~?\s*"[^"]*(critical|warning)/.test(m)),
      );
      assert.deepStrictEqual(
        carrying.map((r: Wire) => r.receiver),
        ["critical", "warning"],
      );
      for (const route of carrying) {
        assert.notStrictEqual(route.receiver, "null");
        assert.ok(publishesToTopic(route.receiver), route.receiver);
        assert.deepStrictEqual(receiver(route.receiver).sns_configs[0].sigv4, {
          region: stack.replace(/^prod-/, ""),
        });
      }
      // Only the InfoInhibitor may go nowhere.
      assert.deepStrictEqual(
        config.route.routes.filter((r: Wire) => r.receiver === "null").map((r: Wire) => r.matchers),
        [['alertname = "InfoInhibitor"']],
      );
    });

    it("feeds the Watchdog to the heartbeat topic and pages within 15 minutes when it stops", () => {
      const watchdog = alertmanager.config.route.routes.find((r: Wire) =>
        r.matchers.includes('alertname = "Watchdog"'),
      );
      assert.strictEqual(watchdog.receiver, "heartbeat");
      assert.strictEqual(watchdog.repeat_interval, "1m");
      const heartbeat = alertmanager.config.receivers.find((r: Wire) => r.name === "heartbeat");
      assert.deepStrictEqual(
        heartbeat.sns_configs.map((c: Wire) => c.topic_arn),
        [heartbeatTopicArn],
      );
      const alarm = inputs(named(run, "observability-alertmanager-heartbeat"));
      assert.deepStrictEqual(
        [alarm.namespace, alarm.metricName, alarm.dimensions, alarm.statistic],
        [
          "AWS/SNS",
          "NumberOfMessagesPublished",
          { TopicName: `${cluster}-alertmanager-heartbeat` },
          "Sum",
        ],
      );
      assert.deepStrictEqual(
        [alarm.comparisonOperator, alarm.threshold, alarm.treatMissingData],
        ["LessThanThreshold", 1, "breaching"],
      );
      assert.strictEqual(alarm.period, 300);
      // Worst case: the stop falls just after a period began, so that period still counts a publish;
      // the next `evaluationPeriods` periods must be empty; SNS delivers its datapoints up to one
      // period late.
      const worstCaseSeconds = alarm.period * (alarm.evaluationPeriods + 1) + 300;
      assert.ok(worstCaseSeconds <= 15 * 60, `${worstCaseSeconds} s`);
      assert.strictEqual(alarm.datapointsToAlarm, alarm.evaluationPeriods);
      assert.deepStrictEqual(alarm.alarmActions, [alarmTopicArn]);
      const topic = inputs(named(run, "observability-heartbeat"));
      assert.match(topic.kmsMasterKeyId, /^arn:aws:kms:/);
    });

    it("gives Alertmanager an IRSA role that publishes to its two topics and nothing else", () => {
      const role = named(run, "observability-alertmanager-role");
      const trust = JSON.parse(inputs(role).assumeRolePolicy);
      const condition = trust.Statement[0].Condition.StringEquals;
      assert.ok(
        Object.values(condition).includes("system:serviceaccount:monitoring:alertmanager"),
        JSON.stringify(condition),
      );
      assert.deepStrictEqual(
        [alertmanager.serviceAccount.create, alertmanager.serviceAccount.name],
        [true, "alertmanager"],
      );
      // The annotation carries the role's ARN (the mock engine names a role by its resource name).
      assert.match(
        alertmanager.serviceAccount.annotations["eks.amazonaws.com/role-arn"],
        /^arn:aws:iam::123456789012:role\/observability-alertmanager-role/,
      );
      const policy = JSON.parse(
        inputs(named(run, "observability-alertmanager-role-policy")).policy,
      );
      const keyArn = inputs(named(run, "observability-alarms")).kmsMasterKeyId;
      assert.deepStrictEqual(
        policy.Statement.map((s: Wire) => [s.Effect, s.Action, s.Resource]),
        [
          ["Allow", "sns:Publish", [alarmTopicArn, heartbeatTopicArn]],
          ["Allow", ["kms:GenerateDataKey*", "kms:Decrypt"], keyArn],
        ],
      );
    });

    it("finds a receiver that reaches a human (policy alerts-reach-a-human)", async () => {
      const results = await policyResults(run, stack);
      assert.deepStrictEqual(
        results.filter((r) => r.policy === POLICY),
        [],
      );
    });

    it("links every alert and alarm to a runbook heading, with a summary and a severity", () => {
      const problems: string[] = [];
      for (const rule of ofType(run, "kubernetes:monitoring.coreos.com/v1:PrometheusRule")) {
        for (const group of inputs(rule).spec.groups as Wire[]) {
          for (const r of group.rules as AlertRule[]) {
            if (r.alert === undefined) continue;
            for (const p of alertProblems(r)) problems.push(`${rule.name} ${r.alert}: ${p}`);
          }
        }
      }
      const alarms = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm");
      // Not vacuous: a primary has dozens; a passive standby at least the heartbeat and replica lag.
      assert.ok(alarms.length >= 2, `${alarms.length} alarms`);
      for (const alarm of alarms) {
        const description: string = inputs(alarm).alarmDescription ?? "";
        const link = /Runbook: (\S+)$/.exec(description)?.[1];
        const p = runbookLinkProblem(link);
        if (p) problems.push(`${alarm.name}: ${p}`);
        if (description.length > 1024) problems.push(`${alarm.name}: description over 1024`);
      }
      assert.deepStrictEqual(problems, []);
    });
  });
}

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function preview(args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, "tools", "preview", "cli.js"), ...args],
      {
        cwd: ROOT,
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The committed prod-us-west-2 stack file with `edit` applied, in a temporary directory. */
function stackFile(edit: (config: Record<string, unknown>) => void): string {
  const text = fs.readFileSync(path.join(ROOT, "Pulumi.prod-us-west-2.yaml"), "utf8");
  const document = yaml.load(text) as { config: Record<string, unknown> };
  edit(document.config);
  const file = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), "alerting-")),
    "Pulumi.prod-us-west-2.yaml",
  );
  fs.writeFileSync(file, yaml.dump(document));
  return file;
}

const RECEIVER_KEYS = [
  "platform:alarmEmails",
  "platform:alarmPagerDutyUrl",
  "platform:alarmSlackWorkspaceId",
  "platform:alarmSlackChannelId",
  "platform:alertPagerDutyRoutingKey",
  "platform:alertSlackWebhookUrl",
  "platform:alertEmailTo",
];

describe("offline preview: a production stack that reaches nobody", function () {
  this.timeout(300_000);

  it("fails (exit 1) with a mandatory violation that names the keys to set", async () => {
    const file = stackFile((config) => {
      for (const key of RECEIVER_KEYS) delete config[key];
    });
    const run = await preview(["--config-file", file, "--json", "--today", TEST_TODAY]);
    assert.strictEqual(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as {
      policies: { violations: { policy: string; level: string; urn: string; message: string }[] };
    };
    const violations = report.policies.violations.filter((v) => v.policy === POLICY);
    assert.strictEqual(violations.length, 1, JSON.stringify(report.policies.violations));
    assert.strictEqual(violations[0].level, "mandatory");
    assert.match(violations[0].urn, /aws:sns\/topic:Topic::observability-alarms$/);
    for (const key of RECEIVER_KEYS) assert.ok(violations[0].message.includes(key), key);
    // Nothing else is mandatory: the receivers are what is missing.
    assert.deepStrictEqual(
      report.policies.violations.filter((v) => v.level === "mandatory").map((v) => v.policy),
      [POLICY],
    );
  });

  it("passes with a PagerDuty endpoint alone, never printing its value", async () => {
    const ciphertext = "v1:ALERTINGCIPHERTEXTaHR0cHM6Ly9ldmVudHMucGFnZXJkdXR5LmNvbQ==";
    const file = stackFile((config) => {
      delete config["platform:alarmEmails"];
      config["platform:alarmPagerDutyUrl"] = { secure: ciphertext };
    });
    const run = await preview(["--config-file", file, "--json", "--today", TEST_TODAY]);
    assert.strictEqual(run.code, 0, run.stderr + run.stdout.slice(0, 2000));
    for (const text of [run.stdout, run.stderr]) {
      assert.ok(!text.includes("ALERTINGCIPHERTEXT"), "the ciphertext was printed");
      assert.ok(!text.includes("[secret placeholder for"), "the placeholder was printed in clear");
    }
    const report = JSON.parse(run.stdout) as { resources: { name: string; inputs: Wire }[] };
    const pagerDuty = report.resources.find((r) => r.name === "observability-alarms-pagerduty");
    assert.strictEqual(pagerDuty?.inputs.endpoint, "[secret]");
  });
});
