import * as assert from "assert";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { lambdaArchive, runtimeClosure } from "./lambda-package";

const FUNCTION_DIR = path.join(__dirname, "postgres-user-rotation");

describe("Lambda function archive", () => {
  it("holds the function's code and pg's runtime dependency closure, not its tests", async () => {
    const assets = await lambdaArchive(FUNCTION_DIR, ["pg"]).assets;
    const names = Object.keys(assets);
    for (const name of [
      "index.js",
      "node_modules/pg",
      "node_modules/pg-protocol",
      "node_modules/pg-types",
      "node_modules/postgres-array", // through pg-types
      "node_modules/split2", // through pgpass
      "node_modules/pg-pool", // its "exports" hide package.json
    ]) {
      assert.ok(names.includes(name), `${name} in ${names.join(", ")}`);
    }
    assert.ok(!names.includes("index.test.ts"));
    assert.ok(!names.some((n) => n.endsWith(".ts")), "no TypeScript");
    assert.ok(assets["index.js"] instanceof pulumi.asset.FileAsset);
    const pgArchive = assets["node_modules/pg"] as pulumi.asset.FileArchive;
    assert.ok(pgArchive instanceof pulumi.asset.FileArchive);
    assert.strictEqual(await pgArchive.path, path.dirname(require.resolve("pg/package.json")));
  });

  it("packs the workspace's shared rotation steps from their own directory", async () => {
    const dir = path.join(__dirname, "auth-token-rotation");
    const assets = await lambdaArchive(dir, ["@platform/secrets-rotation"]).assets;
    const shared = assets["node_modules/@platform/secrets-rotation"] as pulumi.asset.FileArchive;
    assert.ok(shared instanceof pulumi.asset.FileArchive);
    // The workspace link resolves to the package's source directory.
    assert.strictEqual(await shared.path, path.join(__dirname, "..", "secrets-rotation"));
    assert.deepStrictEqual(Object.keys(assets).sort(), [
      "index.js",
      "node_modules/@platform/secrets-rotation",
    ]);
  });

  it("does not follow peer dependencies", () => {
    // pg-pool names pg as a peer: the closure of pg-pool alone is pg-pool.
    assert.deepStrictEqual([...runtimeClosure(FUNCTION_DIR, ["pg-pool"]).keys()], ["pg-pool"]);
  });

  it("names a package that is not installed", () => {
    assert.throws(
      () => runtimeClosure(FUNCTION_DIR, ["no-such-package-here"]),
      /no-such-package-here, needed at run time, is not installed/,
    );
  });
});
