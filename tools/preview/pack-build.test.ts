/**
 * The preview compiles a TypeScript pack whenever what it compiles from is newer than its entry
 * point: its TypeScript and the JSON it imports (the price table), not its policy configs.
 */
import * as assert from "assert";
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
    assert.match(ensurePackBuilt(dir) ?? "", /^compiled the policy pack/);
    assert.ok(fs.existsSync(path.join(dir, "bin", "index.js")));
    assert.strictEqual(ensurePackBuilt(dir), undefined);
  });

  it("recompiles when imported JSON (a price table) changes", () => {
    touchAfterBuild(dir, "data/prices.json");
    assert.match(ensurePackBuilt(dir) ?? "", /^compiled the policy pack/);
    setModified(dir, "data/prices.json", WRITTEN);
    assert.strictEqual(ensurePackBuilt(dir), undefined);
  });

  it("does not recompile for a policy config, which is read at preview time", () => {
    touchAfterBuild(dir, "config/stack.json");
    assert.strictEqual(ensurePackBuilt(dir), undefined);
  });
});
