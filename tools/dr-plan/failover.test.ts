import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runStack } from "../testing";
import { main, RtoExceededError } from "./cli";
import { BUDGETS, failoverPlan, readStandby, rtoExceeded } from "./failover";

describe("dr-plan: failover and failback between a primary and its standby", function () {
  let outputs: string;
  before(async function () {
    this.timeout(300_000);
    outputs = JSON.stringify((await runStack({ stack: "prod-us-east-1" })).outputs);
  });
  const plan = (argv: string[]) => main(["outputs.json", ...argv], () => outputs);

  it("prints the failover with a budget per step, within the 30-minute RTO", () => {
    const text = plan(["--scenario", "failover"]);
    const titles = text.split("\n").filter((l) => l.startsWith("## "));
    assert.strictEqual(titles.length, 5);
    assert.ok(
      titles.every((t) => / - \d+ min within the RTO$/.test(t)),
      titles.join("\n"),
    );
    assert.match(text, /pulumi config set platform:standbyState active --stack prod-us-east-1/);
    assert.match(text, /^Total: 29 min; within the RTO: 29 of 30 min\.$/m);
  });

  it("prints the failback, outside the RTO, back to the primary's region", () => {
    const text = plan(["--scenario", "failback"]);
    assert.match(text, /^# Failback: prod-us-west-2 <-> prod-us-east-1$/m);
    assert.match(text, /create-db-instance-read-replica .* --region us-west-2/);
    assert.match(text, /within the RTO: 0 of 30 min/);
  });

  it("fails when the steps within the RTO exceed 30 minutes", () => {
    const standby = readStandby(JSON.parse(outputs));
    const slow = failoverPlan(standby, "failover", {
      ...BUDGETS,
      restore: { minutes: 15, source: "a slower restore" },
    });
    assert.strictEqual(slow.withinRtoMinutes, 34);
    assert.strictEqual(
      rtoExceeded(slow),
      "the steps within the RTO take 34 min, over the 30-minute RTO",
    );
    assert.strictEqual(rtoExceeded(failoverPlan(standby, "failover")), undefined);
  });

  it("exits 1 from the command line, printing the plan, when measured times exceed the RTO", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-plan-"));
    try {
      const file = path.join(dir, "outputs.json");
      fs.writeFileSync(file, outputs);
      const cli = (...args: string[]) =>
        spawnSync(
          process.execPath,
          [
            "-r",
            require.resolve("../testing/register.js"),
            path.join(__dirname, "cli.ts"),
            file,
            ...args,
          ],
          { encoding: "utf8" },
        );
      const within = cli("--scenario", "failover", "--budget", "restore=11");
      assert.strictEqual(within.status, 0, within.stderr);
      assert.match(within.stdout, /within the RTO: 30 of 30 min/);
      const over = cli(
        "--scenario",
        "failover",
        "--budget",
        "restore=14",
        "--budget",
        "promotion=12",
      );
      assert.strictEqual(over.status, 1, over.stderr);
      assert.match(over.stdout, /measured in a drill/);
      assert.match(over.stderr, /the steps within the RTO take 35 min, over the 30-minute RTO/);
      const bad = cli("--scenario", "failover", "--budget", "restore=soon");
      assert.strictEqual(bad.status, 1);
      assert.match(bad.stderr, /--budget must be <step>=<whole minutes>.*\(got "restore=soon"\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names the missing output when given a primary's outputs", async function () {
    this.timeout(300_000);
    const primary = JSON.stringify((await runStack({ stack: "prod-us-west-2" })).outputs);
    assert.throws(
      () => main(["o.json", "--scenario", "failover"], () => primary),
      (err: Error) =>
        !(err instanceof RtoExceededError) &&
        /outputs\.standby\.stack must be present/.test(err.message),
    );
  });
});
