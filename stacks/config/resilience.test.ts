import * as assert from "assert";
import { EXPERIMENT_IDS } from "@platform/resilience";
import { configProblems, loadConfig } from "../../tools/testing";

describe("resilience config", () => {
  it("schedules prod-us-west-2's game day, in the region's first zone, on the first app namespace", () => {
    const { resilience } = loadConfig();
    assert.deepStrictEqual(resilience, {
      experiments: [...EXPERIMENT_IDS],
      availabilityZone: "us-west-2a",
      workload: { namespace: "apps", labelSelector: "app.kubernetes.io/name=web" },
      schedule: { dayOfWeek: "TUE#2", startHour: 10, intervalMinutes: 45, timeZone: "UTC" },
    });
  });

  it("keeps prod-eu-west-1's templates for hand runs (no schedule)", () => {
    const { resilience } = loadConfig({ stack: "prod-eu-west-1" });
    assert.strictEqual(resilience.schedule, undefined);
    assert.strictEqual(resilience.availabilityZone, "eu-west-1a");
  });

  it("takes a chosen order, zone and workload", () => {
    const { resilience } = loadConfig({
      overrides: {
        "platform:gameDayExperiments": '["az-power-interruption", "pod-faults"]',
        "platform:gameDayAvailabilityZone": "us-west-2c",
        "platform:gameDayWorkloadNamespace": "payments",
        "platform:gameDayWorkloadSelector": "app.kubernetes.io/name=ledger-api",
      },
    });
    assert.deepStrictEqual(resilience.experiments, ["az-power-interruption", "pod-faults"]);
    assert.strictEqual(resilience.availabilityZone, "us-west-2c");
    assert.deepStrictEqual(resilience.workload, {
      namespace: "payments",
      labelSelector: "app.kubernetes.io/name=ledger-api",
    });
  });

  const rejections: [string, Record<string, string>, string][] = [
    [
      "an unknown experiment",
      { "platform:gameDayExperiments": '["chaos-monkey"]' },
      `platform:gameDayExperiments must list at least one of ${EXPERIMENT_IDS.join(", ")}, each once, in the order the game day runs them`,
    ],
    [
      "a zone of another region",
      { "platform:gameDayAvailabilityZone": "eu-west-1a" },
      "platform:gameDayAvailabilityZone must be an availability zone of us-west-2, such as us-west-2a",
    ],
    [
      "a namespace the platform does not create",
      { "platform:gameDayWorkloadNamespace": "shop" },
      "platform:gameDayWorkloadNamespace must be one of platform:applicationNamespaces (apps, payments): the platform creates those, and FIS's Role goes there",
    ],
    [
      "a game day that runs past midnight",
      { "platform:gameDayStartHour": "22" },
      "platform:gameDayIntervalMinutes must let the 6 experiments finish the same day (the last would end 26:15)",
    ],
  ];

  it("rejects a schedule on a standby", () => {
    // prod-us-west-2's file turned standby: the standby keys' own problems are reported too.
    const problems = configProblems(() =>
      loadConfig({
        overrides: { "platform:role": "standby", "platform:primaryStack": "prod-eu-west-1" },
      }),
    );
    assert.ok(
      problems.includes(
        "platform:gameDayScheduled must be false on a standby (platform:role is standby): a standby's game day is its failover drill",
      ),
      problems.join("\n"),
    );
  });

  for (const [title, overrides, expected] of rejections) {
    it(`rejects ${title}`, () => {
      const problems = configProblems(() => loadConfig({ overrides }));
      assert.deepStrictEqual(problems, [expected]);
    });
  }
});
