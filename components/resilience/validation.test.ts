import * as assert from "assert";
import { Problems } from "@platform/core";
import { SCHEDULE_DEFAULTS } from "./args";
import {
  checkAvailabilityZone,
  checkExperiments,
  checkSchedule,
  checkWorkload,
} from "./validation";

function problemsOf(check: (p: Problems) => void): string[] {
  const problems = new Problems();
  check(problems);
  return problems.list.map((p) => `${p.path}: ${p.allowed}`);
}

describe("game day settings", () => {
  const cases: [string, (p: Problems) => void, RegExp | undefined][] = [
    ["defaults", (p) => checkSchedule(p, SCHEDULE_DEFAULTS, 6, (f) => f), undefined],
    [
      "a day that is no Nth weekday",
      (p) => checkSchedule(p, { ...SCHEDULE_DEFAULTS, dayOfWeek: "15" }, 6, (f) => f),
      /^dayOfWeek: be the Nth weekday/,
    ],
    [
      "experiments overlapping",
      (p) => checkSchedule(p, { ...SCHEDULE_DEFAULTS, intervalMinutes: 20 }, 6, (f) => f),
      /^intervalMinutes: be a whole number between 30 and 240/,
    ],
    [
      "a game day past midnight",
      (p) => checkSchedule(p, { ...SCHEDULE_DEFAULTS, startHour: 22 }, 6, (f) => f),
      /let the 6 experiments finish the same day/,
    ],
    ["an unknown experiment", (p) => checkExperiments(p, ["chaos-monkey"], "e"), /^e: list/],
    [
      "a repeated experiment",
      (p) => checkExperiments(p, ["pod-faults", "pod-faults"], "e"),
      /each once/,
    ],
    [
      "a zone of another region",
      (p) => checkAvailabilityZone(p, "us-east-1a", "us-west-2", "z"),
      /us-west-2a/,
    ],
    [
      "a system namespace",
      (p) =>
        checkWorkload(
          p,
          { namespace: "kube-system", labelSelector: "a=b" },
          { namespace: "n", labelSelector: "s" },
        ),
      /^n: name an application namespace/,
    ],
    [
      "a set-based selector",
      (p) =>
        checkWorkload(
          p,
          { namespace: "apps", labelSelector: "app in (web)" },
          { namespace: "n", labelSelector: "s" },
        ),
      /^s: be a label selector/,
    ],
  ];
  for (const [title, check, expected] of cases) {
    it(expected ? `rejects ${title}` : `accepts ${title}`, () => {
      const found = problemsOf(check);
      if (expected === undefined) assert.deepStrictEqual(found, []);
      else assert.ok(found.length === 1 && expected.test(found[0]), found.join("\n"));
    });
  }
});
