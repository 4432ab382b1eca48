import * as assert from "assert";
import { runStack, StackRun } from "../testing";
import { main } from "./cli";

describe("dr-plan", function () {
  let run: StackRun;
  let outputs: string;
  before(async function () {
    this.timeout(120_000);
    run = await runStack({ stack: "prod-us-west-2" });
    outputs = JSON.stringify(run.outputs);
  });
  const plan = (argv: string[], text = outputs) => main(["outputs.json", ...argv], () => text);

  it("prints the regional recovery in order: traffic, database promotion, objects, cluster, caches", () => {
    const text = plan([]);
    const titles = text.split("\n").filter((l) => l.startsWith("## "));
    assert.deepStrictEqual(titles, [
      "## 1. Confirm the region is lost and traffic has failed over (global)",
      "## 2. Promote database postgres's cross-region replica (us-east-1)",
      "## 3. Switch object storage to the replicas (us-east-1)",
      "## 4. Restore cluster state into a cluster in us-east-1 (us-east-1)",
      "## 5. Caches (us-east-1)",
    ]);
    assert.match(
      text,
      /aws rds promote-read-replica --db-instance-identifier platform-prod-us-west-2-postgres-dr --backup-retention-period 14 --region us-east-1/,
    );
    assert.match(
      text,
      /aws rds modify-db-instance --db-instance-identifier platform-prod-us-west-2-postgres-dr --manage-master-user-password --apply-immediately --region us-east-1/,
    );
    assert.match(
      text,
      /velero backup-location create dr-replica --provider aws --bucket dr-velero-replica-\w+ --config region=us-east-1 --access-mode ReadOnly/,
    );
    assert.match(text, /aws route53 get-health-check-status --health-check-id \S+/);
    assert.match(text, /replica of platform-prod-us-west-2-assets-123456789012 \(assets\)/);
  });

  it("restores from replicated automated backups when the stack runs backups-only", () => {
    const json = JSON.parse(outputs);
    json.disasterRecovery.databaseStrategy = "backups-only";
    delete json.disasterRecovery.databases[0].replicaIdentifier;
    delete json.disasterRecovery.databases[0].replicaArn;
    const text = plan([], JSON.stringify(json));
    assert.doesNotMatch(text, /promote-read-replica/);
    assert.match(
      text,
      /aws rds restore-db-instance-to-point-in-time --source-db-instance-automated-backups-arn arn:aws:rds:us-east-1:123456789012:auto-backup:ab-\w+ --target-db-instance-identifier platform-prod-us-west-2-postgres-restored --use-latest-restorable-time --db-subnet-group-name \S+ --no-publicly-accessible/,
    );
  });

  it("rehearses every restore into throwaway targets in drill mode, never promoting", () => {
    const text = plan(["--scenario", "drill"]);
    assert.doesNotMatch(text, /promote-read-replica|modify-db-instance .*--multi-az/);
    assert.match(text, /--target-db-instance-identifier platform-prod-us-west-2-postgres-drill/);
    assert.match(text, /kubectl -n velero create job --from=cronjob\/dr-restore-drill/);
    const json = JSON.parse(plan(["--scenario", "drill", "--json"]));
    assert.strictEqual(json.scenario, "drill");
    assert.strictEqual(json.peerRegion, "us-east-1");
  });

  it("names what is missing when given outputs without disaster recovery", () => {
    assert.throws(
      () => plan([], JSON.stringify({ clusterName: "x" })),
      /outputs\.disasterRecovery\.peerRegion must be present/,
    );
    assert.throws(
      () => plan(["--scenario", "meteor"]),
      /--scenario must be one of "region-loss", "drill"/,
    );
  });
});
