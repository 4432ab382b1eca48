/**
 * The preview builds a TypeScript pack whenever what it builds from is newer than its entry point:
 * its TypeScript and the JSON it imports, and the workspace packages it bundles (as the platform's
 * pack bundles @platform/model), not its policy configs.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ensurePackBuilt } from "./policy";

function writePack(dir: string): void {
  const files: Record<string, string> = {
    "package.json": JSON.stringify({ name: "tiny-pack", main: "bin/index.js" }),
    "tsconfig.json": JSON.stringify({
      compilerOptions: {
        module: "commonjs",
        target: "es2022",
        outDir: "bin",
        rootDir: ".",
        resolveJsonModule: true,
        esModuleInterop: true,
        strict: true,
      },
      include: ["**/*.ts", "**/*.json"],
      exclude: ["bin", "config"],
    }),
    "index.ts": 'import prices from "./data/prices.json";\nexport const first = prices.items[0];\n',
    "data/prices.json": JSON.stringify({ items: [1] }),
    "config/stack.json": JSON.stringify({ "some-policy": "advisory" }),
  };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

/** When the sources were written: an hour ago, so only an edit makes one newer than the build. */
const WRITTEN = new Date(Date.now() - 3_600_000);

function setModified(dir: string, file: string, when: Date): void {
  fs.utimesSync(path.join(dir, file), when, when);
}

/** Sets a file's modification time a minute after the entry point's, as an edit would. */
function touchAfterBuild(dir: string, file: string): void {
  const built = fs.statSync(path.join(dir, "bin", "index.js")).mtime;
  setModified(dir, file, new Date(built.getTime() + 60_000));
}

describe("policy pack build", function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pack-build-"));
    writePack(dir);
    for (const file of ["package.json", "tsconfig.json", "index.ts", "data/prices.json"]) {
      setModified(dir, file, WRITTEN);
    }
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("compiles a pack that has no entry point yet, then leaves it until a source changes", () => {
    assert.match(ensurePackBuilt(dir) ?? "", /^built the policy pack/);
    assert.ok(fs.existsSync(path.join(dir, "bin", "index.js")));
    assert.strictEqual(ensurePackBuilt(dir), undefined);
  });

  it("recompiles when imported JSON (a price table) changes", () => {
    touchAfterBuild(dir, "data/prices.json");
    assert.match(ensurePackBuilt(dir) ?? "", /^built the policy pack/);
    setModified(dir, "data/prices.json", WRITTEN);
    assert.strictEqual(ensurePackBuilt(dir), undefined);
  });

  it("does not recompile for a policy config, which is read at preview time", () => {
    touchAfterBuild(dir, "config/stack.json");
    assert.strictEqual(ensurePackBuilt(dir), undefined);
  });
});

/**
 * A pack with a build script that bundles a workspace package (a symlink in node_modules, as npm
 * workspaces install one): the script stands in for the bundler by concatenating the sources.
 */
function writeBundlingPack(root: string): string {
  const pack = path.join(root, "pack");
  const files: Record<string, string> = {
    "pack/package.json": JSON.stringify({
      name: "bundling-pack",
      main: "bin/index.js",
      scripts: { build: "node build.js" },
      dependencies: { "@tiny/model": "0.1.0" },
    }),
    "pack/tsconfig.json": JSON.stringify({ include: ["*.ts"] }),
    "pack/index.ts": 'export { PRICE } from "@tiny/model";\n',
    "pack/build.js": [
      'const fs = require("fs");',
      'const source = fs.readFileSync(require.resolve("@tiny/model/index.ts"), "utf8");',
      'fs.mkdirSync("bin", { recursive: true });',
      'fs.writeFileSync("bin/index.js", source.replace("export const PRICE", "exports.PRICE"));',
    ].join("\n"),
    "model/package.json": JSON.stringify({ name: "@tiny/model", main: "index.ts" }),
    "model/index.ts": "export const PRICE = 1;\n",
  };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  fs.mkdirSync(path.join(pack, "node_modules", "@tiny"), { recursive: true });
  fs.symlinkSync(path.join(root, "model"), path.join(pack, "node_modules", "@tiny", "model"));
  for (const file of [
    "pack/package.json",
    "pack/tsconfig.json",
    "pack/index.ts",
    "model/index.ts",
  ]) {
    setModified(root, file, WRITTEN);
  }
  return pack;
}

describe("policy pack build with a build script and a bundled workspace package", function () {
  this.timeout(120_000);
  let root: string;
  let pack: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "pack-bundle-"));
    pack = writeBundlingPack(root);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("runs the pack's build script, whose output needs no TypeScript", () => {
    assert.match(ensurePackBuilt(pack) ?? "", /^built the policy pack/);
    // Plain node, as the Pulumi CLI runs a pack: no TypeScript loader.
    const entry = JSON.stringify(path.join(pack, "bin", "index.js"));
    const run = spawnSync(process.execPath, ["-p", `require(${entry}).PRICE`], {
      encoding: "utf8",
    });
    assert.strictEqual(run.stdout.trim(), "1", run.stderr);
    assert.strictEqual(ensurePackBuilt(pack), undefined);
  });

  it("rebuilds when a source of the workspace package changes", () => {
    const built = fs.statSync(path.join(pack, "bin", "index.js")).mtime;
    setModified(root, "model/index.ts", new Date(built.getTime() + 60_000));
    assert.match(ensurePackBuilt(pack) ?? "", /^built the policy pack/);
    setModified(root, "model/index.ts", WRITTEN);
    assert.strictEqual(ensurePackBuilt(pack), undefined);
  });
});
