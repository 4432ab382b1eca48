/**
 * Each component is a package a team can install on its own: what its code imports must be in
 * its package.json, the @pulumi SDKs as peers (one copy per program), the other components as
 * dependencies.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

const COMPONENTS = __dirname;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sourceFiles(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [full] : [];
  });
}

/** Package names of the bare imports in a file: `@scope/name` or `name`. */
function importedPackages(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  const patterns = [
    /^\s*(?:import|export)\s[^;]*?\sfrom\s+["']([^"']+)["']/gm,
    /^\s*import\s+["']([^"']+)["']/gm,
    /\brequire\(\s*["']([^"']+)["']\s*\)/g,
  ];
  const specifiers = patterns
    .flatMap((p) => [...text.matchAll(p)].map((m) => m[1]))
    .filter((spec) => !spec.startsWith("."));
  return specifiers.map((spec) => {
    const parts = spec.split("/");
    return spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
  });
}

const NODE_BUILTINS = new Set(["assert", "crypto", "fs", "module", "os", "path", "url", "util"]);

describe("component packages", () => {
  const packages = fs
    .readdirSync(COMPONENTS, { withFileTypes: true })
    .filter((e) => e.isDirectory());
  for (const { name } of packages) {
    const dir = path.join(COMPONENTS, name);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    it(`${manifest.name} declares every package its code imports`, () => {
      const declared = new Set([
        ...Object.keys(manifest.dependencies ?? {}),
        ...Object.keys(manifest.peerDependencies ?? {}),
      ]);
      const missing = new Set<string>();
      for (const file of sourceFiles(dir)) {
        for (const pkg of importedPackages(file)) {
          if (!declared.has(pkg) && !NODE_BUILTINS.has(pkg) && pkg !== manifest.name) {
            missing.add(`${pkg} (${path.relative(dir, file)})`);
          }
        }
      }
      assert.deepStrictEqual([...missing], []);
      for (const sdk of Object.keys(manifest.dependencies ?? {})) {
        assert.ok(!sdk.startsWith("@pulumi/"), `${sdk} must be a peer dependency`);
      }
    });
  }
});
