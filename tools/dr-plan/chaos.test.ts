import * as assert from "assert";
import { runStack } from "../testing";
import { main } from "./cli";

describe("dr-plan --scenario chaos", function () {
  this.timeout(180_000);
  const planOf = async (stack: "prod-us-west-2" | "prod-eu-west-1" | "prod-us-east-1") => {
    const run = await runStack({ stack });
    return (argv: string[] = []) =>
      main(["outputs.json", "--scenario", "chaos", ...argv], () => JSON.stringify(run.outputs));
  };

  it("prints the scheduled game day in order, with its SLO and the commands to run and stop each step", async () => {
    const text = (await planOf("prod-us-west-2"))();
    assert.deepStrictEqual(
      text.split("\n").filter((l) => l.startsWith("## ")),
      [
        "## 1. Pod faults on the chosen workload - cron(0 10 ? * TUE#2 *)",
        "## 2. Spot interruption notices to Karpenter's spot nodes - cron(45 10 ? * TUE#2 *)",
        "## 3. Termination of a share of one node pool - cron(30 11 ? * TUE#2 *)",
        "## 4. Forced Multi-AZ failover of the PostgreSQL primary - cron(15 12 ? * TUE#2 *)",
        "## 5. ElastiCache power interruption in us-west-2a - cron(0 13 ? * TUE#2 *)",
        "## 6. Power interruption of us-west-2a (workload capacity) - cron(45 13 ? * TUE#2 *)",
      ],
    );
    assert.match(
      text,
      /stops when platform-prod-us-west-2-slo-error-rate or platform-prod-us-west-2-slo-latency fires \(errors above 0\.1% of requests, or mean response time above 100 ms/,
    );
    assert.match(
      text,
      /- Proves: p95 stays under the latency SLO while us-west-2a is lost for 15 minutes/,
    );
    assert.match(text, /aws fis start-experiment --experiment-template-id \S+ --region us-west-2/);
    assert.match(text, /aws fis stop-experiment --id <experiment id> --region us-west-2/);
    assert.match(
      text,
      /aws:ec2:stop-instances \(PT15M\), aws:network:disrupt-connectivity \(PT15M\)/,
    );
  });

  it("says a hand-run stack is started by hand, and refuses a standby's outputs", async () => {
    assert.match(
      (await planOf("prod-eu-west-1"))(),
      /Not scheduled: start each experiment by hand/,
    );
    const standby = await planOf("prod-us-east-1");
    assert.throws(
      () => standby(),
      /outputs\.gameDay must be present .*a standby declares no experiment/,
    );
  });

  it("prints the plan as JSON", async () => {
    const json = JSON.parse((await planOf("prod-eu-west-1"))(["--json"]));
    assert.strictEqual(json.experiments.length, 6);
    assert.deepStrictEqual(json.slo, { errorRate: 0.001, latencyMs: 100 });
  });
});
