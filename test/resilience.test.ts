/**
 * Fault injection from the committed stacks: both primaries declare the game day's experiment
 * templates, each stopped by the SLO alarms and aimed by tag at its own stack, with the FIS role
 * limited to the templates' actions; the scheduled primary starts them in order; a standby declares
 * none; and a template whose stop condition is removed is a mandatory violation.
 */
import * as assert from "assert";
import { EXPERIMENT_IDS, FIS_ACTION_PERMISSIONS } from "@platform/resilience";
import { readStackFile } from "../stacks/stack-files";
import { toAnalyzerResources } from "../tools/analyzer";
import { RecordedResource } from "../tools/mock-engine";
import { readPolicyConfig } from "../tools/preview/policy";
import {
  named,
  ofType,
  PACK_DIR,
  packSession,
  policyResults,
  resultsOn,
  runStack,
  StackRun,
} from "../tools/testing";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Wire = Record<string, any>;
const inputs = (r: RecordedResource) => r.inputs as Wire;
const TEMPLATE = "aws:fis/experimentTemplate:ExperimentTemplate";
const SCHEDULE = "aws:scheduler/schedule:Schedule";
const mine = (run: StackRun, type: string) =>
  ofType(run, type).filter((r) => r.urn.includes("platform:resilience:Resilience$"));

const PRIMARIES = {
  "prod-us-west-2": { scheduled: true },
  "prod-eu-west-1": { scheduled: false },
} as const;

for (const [stack, expected] of Object.entries(PRIMARIES)) {
  describe(`fault injection of ${stack}`, function () {
    this.timeout(180_000);
    let run: StackRun;
    let templates: RecordedResource[];
    before(async () => {
      run = await runStack({ stack });
      templates = mine(run, TEMPLATE);
    });

    it("declares every experiment, each stopped by the two SLO alarms", () => {
      assert.deepStrictEqual(
        templates.map((t) => t.name).sort(),
        EXPERIMENT_IDS.map((id) => `resilience-${id}`).sort(),
      );
      const sloAlarmArns = ["resilience-slo-error-rate", "resilience-slo-latency"].map(
        (name) => named(run, name).outputs?.arn,
      );
      assert.ok(sloAlarmArns.every((arn) => typeof arn === "string"));
      for (const t of templates) {
        const conditions = inputs(t).stopConditions as Wire[];
        assert.deepStrictEqual(
          conditions.map((c) => [c.source, c.value]),
          sloAlarmArns.map((arn) => ["aws:cloudwatch:alarm", arn]),
          t.name,
        );
      }
    });

    it("alarms on this cluster's load balancers to the alarm topic", () => {
      const topicArn =
        run.outputs.alarmTopicArn ?? inputs(named(run, "resilience-slo-latency")).alarmActions[0];
      for (const name of [
        "resilience-slo-error-rate",
        "resilience-slo-latency",
        "resilience-experiment-stopped",
      ]) {
        const alarm = inputs(named(run, name));
        assert.deepStrictEqual(alarm.alarmActions, [topicArn], name);
      }
      const queries = inputs(named(run, "resilience-slo-error-rate")).metricQueries as Wire[];
      for (const q of queries.filter((q) => q.expression.startsWith("SELECT"))) {
        assert.ok(
          q.expression.endsWith(`WHERE tag."elbv2.k8s.aws/cluster" = 'platform-${stack}'`),
          q.expression,
        );
      }
      assert.strictEqual(
        mine(run, "aws:observabilityadmin/telemetryEnrichment:TelemetryEnrichment").length,
        1,
      );
    });

    it("aims every target at this stack by tag, never by ARN", () => {
      for (const t of templates) {
        for (const target of inputs(t).targets as Wire[]) {
          assert.strictEqual(target.resourceArns, undefined, t.name);
          if (target.resourceType === "aws:eks:pod") {
            assert.strictEqual(target.parameters.clusterIdentifier, `platform-${stack}`);
          } else {
            assert.ok(
              (target.resourceTags as Wire[]).some(
                (tag) => tag.key === "platform:stack" && tag.value === stack,
              ),
              `${t.name} ${target.name}`,
            );
          }
        }
      }
    });

    it("gives FIS a role that grants nothing outside the templates' actions", () => {
      const used = new Set(
        templates.flatMap((t) => (inputs(t).actions as Wire[]).map((a) => a.actionId)),
      );
      const allowed = new Set([
        ...[...used].flatMap((a) => FIS_ACTION_PERMISSIONS[a] ?? [`(unreviewed ${a})`]),
        "logs:CreateLogDelivery",
        "logs:PutResourcePolicy",
        "logs:DescribeResourcePolicies",
        "logs:DescribeLogGroups",
      ]);
      const policy = JSON.parse(inputs(named(run, "resilience-fis-role-policy")).policy);
      const granted = (policy.Statement as Wire[]).flatMap((s) => [s.Action].flat());
      assert.deepStrictEqual(
        granted.filter((a) => !allowed.has(a)),
        [],
      );
      const roleArn = inputs(templates[0]).roleArn;
      for (const t of templates) assert.strictEqual(inputs(t).roleArn, roleArn);
      const trust = JSON.parse(inputs(named(run, "resilience-fis-role")).assumeRolePolicy);
      assert.deepStrictEqual(trust.Statement[0].Principal, { Service: "fis.amazonaws.com" });
    });

    it("keeps the experiments' logs, encrypted, for the stack's retention", () => {
      const group = inputs(named(run, "resilience-experiments"));
      assert.ok(group.retentionInDays >= 365 && group.kmsKeyId, JSON.stringify(group));
      for (const t of templates) {
        assert.match(
          inputs(t).logConfiguration.cloudwatchLogsConfiguration.logGroupArn,
          /fis-experiments:\*$/,
        );
      }
    });

    it(
      expected.scheduled
        ? "starts the experiments one after another, monthly"
        : "schedules nothing (opt-in)",
      () => {
        const schedules = mine(run, SCHEDULE);
        if (!expected.scheduled) return assert.strictEqual(schedules.length, 0);
        const byName = (id: string) => schedules.find((s) => s.name === `resilience-${id}`)!;
        assert.deepStrictEqual(
          EXPERIMENT_IDS.map((id) => inputs(byName(id)).scheduleExpression),
          ["0 10", "45 10", "30 11", "15 12", "0 13", "45 13"].map((t) => `cron(${t} ? * TUE#2 *)`),
        );
        for (const s of schedules) {
          assert.strictEqual(
            inputs(s).target.arn,
            "arn:aws:scheduler:::aws-sdk:fis:startExperiment",
          );
          assert.ok(JSON.parse(inputs(s).target.input).ExperimentTemplateId);
        }
      },
    );

    it("finds no mandatory violation on its resilience resources", async () => {
      const results = await policyResults(run, stack);
      const resilience = run.resources.filter((r) =>
        r.urn.includes("platform:resilience:Resilience"),
      );
      assert.deepStrictEqual(resultsOn(results, resilience), []);
    });
  });
}

describe("fault injection of a standby", function () {
  it("declares no experiment", async function () {
    this.timeout(180_000);
    const run = await runStack({ stack: "prod-us-east-1" });
    assert.deepStrictEqual(ofType(run, TEMPLATE), []);
    assert.strictEqual(run.outputs.gameDay, undefined);
  });
});

describe("an experiment without its stop condition", function () {
  it("is a mandatory violation of fis-experiment-has-stop-condition", async function () {
    this.timeout(180_000);
    const stack = "prod-us-west-2";
    const run = await runStack({ stack });
    const resources = toAnalyzerResources(run.resources, stack, readStackFile(stack).config);
    const index = resources.findIndex((r) => r.name === "resilience-az-power-interruption");
    resources[index] = {
      ...resources[index],
      properties: { ...resources[index].properties, stopConditions: [] },
    };
    const session = await packSession();
    await session.configure(readPolicyConfig(PACK_DIR, stack).config);
    try {
      const found = (await session.analyze([resources[index]]))
        .filter((r) => r.policy === "fis-experiment-has-stop-condition")
        .map((r) => [r.level, r.message.split("\n")[1].split(":")[0]]);
      assert.deepStrictEqual(found, [
        [
          "mandatory",
          'FIS experiment template "resilience-az-power-interruption" must stop on CloudWatch alarms only, at least one (the SLO alarms of components/resilience)',
        ],
      ]);
    } finally {
      await session.configure({});
    }
  });
});
