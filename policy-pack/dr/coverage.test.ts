/**
 * The disaster-recovery policy through the Analyzer protocol against the compiled pack: its cases
 * (cases.ts), each violation's level and message, and the resources it names.
 */
import * as assert from "assert";
import { packSession } from "../../tools/testing";
import { cases, EFS_BACKUP_POLICY, POLICY } from "./cases";

describe(`policy ${POLICY}`, function () {
  for (const c of cases.filter((x) => x.policy === POLICY)) {
    it(`${c.expect} (${c.title})`, async function () {
      this.timeout(120_000);
      const session = await packSession();
      const results = (await session.analyzeStack(c.resources)).filter((r) => r.policy === POLICY);
      if (c.expect === "passes") {
        assert.deepStrictEqual(
          results.map((r) => r.message),
          [],
        );
        return;
      }
      assert.ok(results.length > 0, "expected a violation");
      for (const r of results) {
        assert.strictEqual(r.level, "mandatory");
        assert.match(r.message, / must be covered by a backup or replication rule: /);
        assert.ok(
          c.resources.some((res) => res.urn === r.urn),
          `unexpected urn ${r.urn}`,
        );
      }
    });
  }

  it("names each uncovered resource of the stack, and only those", async function () {
    this.timeout(120_000);
    const session = await packSession();
    const uncovered = cases.find((c) => c.title.startsWith("bucket, PostgreSQL and Aurora"))!;
    const urns = (await session.analyzeStack(uncovered.resources))
      .filter((r) => r.policy === POLICY)
      .map((r) => r.urn.split("::").pop())
      .sort();
    assert.deepStrictEqual(urns, ["ledger", "logs", "orders"]);
  });
});

describe(`policy ${EFS_BACKUP_POLICY}`, function () {
  for (const c of cases.filter((x) => x.policy === EFS_BACKUP_POLICY)) {
    it(`${c.expect} (${c.title})`, async function () {
      this.timeout(120_000);
      const session = await packSession();
      const results = (await session.analyzeStack(c.resources)).filter(
        (r) => r.policy === EFS_BACKUP_POLICY,
      );
      if (c.expect === "passes") {
        assert.deepStrictEqual(
          results.map((r) => r.message),
          [],
        );
        return;
      }
      // One violation, on the file system, naming the tag that enrols it.
      assert.deepStrictEqual(
        results.map((r) => [r.level, r.urn.split("::").pop()]),
        [["mandatory", "data-shared-files"]],
      );
      assert.match(
        results[0].message,
        /FileSystem "data-shared-files" must be in an AWS Backup plan: tag it platform:backup=true/,
      );
    });
  }
});
