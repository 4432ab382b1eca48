import * as assert from "assert";
import { cacheNodeIds, postgresMaxConnections } from "./capacity";

describe("data tier capacity", () => {
  it("derives Postgres max_connections as RDS does", () => {
    assert.strictEqual(postgresMaxConnections("db.r7g.large"), 1802);
    assert.strictEqual(postgresMaxConnections("db.r7g.2xlarge"), 5000);
    assert.strictEqual(postgresMaxConnections("db.m7g.xlarge"), 1802);
    assert.strictEqual(postgresMaxConnections("db.t4g.micro"), 100);
  });

  it("names cache nodes <group>-<shard>-<node>", () => {
    assert.deepStrictEqual(cacheNodeIds("rg", 2, 1), [
      "rg-0001-001",
      "rg-0001-002",
      "rg-0002-001",
      "rg-0002-002",
    ]);
  });
});
