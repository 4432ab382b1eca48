import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { cacheNodeIds, postgresMaxConnections } from "./observability";

describe("observability inputs the stack derives", () => {
  it("derives Postgres max_connections and cache node IDs as RDS and ElastiCache do", () => {
    assert.strictEqual(postgresMaxConnections("db.r7g.large"), 1802);
    assert.strictEqual(postgresMaxConnections("db.r7g.2xlarge"), 5000);
    assert.strictEqual(postgresMaxConnections("db.m7g.xlarge"), 1802);
    assert.strictEqual(postgresMaxConnections("db.t4g.micro"), 100);
  });

  it("names cache nodes <group>-<shard>-<node>", async () => {
    const ids = cacheNodeIds(pulumi.output("rg"), 2, 1);
    const values = await Promise.all(
      ids.map((id) => new Promise<string>((resolve) => id.apply((v) => resolve(v)))),
    );
    assert.deepStrictEqual(values, ["rg-0001-001", "rg-0001-002", "rg-0002-001", "rg-0002-002"]);
  });
});
