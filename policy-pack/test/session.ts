/**
 * One policy pack process for the whole test run: the compiled pack (policy-pack/bin, rebuilt when
 * a source is newer) served by run-policy-pack exactly as the Pulumi CLI starts it.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { startPolicyPack, type PolicyPackSession } from "../../tools/analyzer";

export const PACK_DIR = path.join(__dirname, "..");

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (["bin", "node_modules", "test"].includes(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (/\.(ts|json)$/.test(entry.name) && !entry.name.endsWith(".test.ts")) {
      newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  }
  return newest;
}

/** Compiles the pack when policy-pack/bin is missing or older than a source file. */
export function ensureBuilt(): void {
  const main = path.join(PACK_DIR, "bin", "index.js");
  const built = fs.existsSync(main) ? fs.statSync(main).mtimeMs : 0;
  if (built >= newestSource(PACK_DIR)) return;
  const tsc = require.resolve("typescript/bin/tsc");
  execFileSync(process.execPath, [tsc, "-p", path.join(PACK_DIR, "tsconfig.json")], {
    stdio: "inherit",
  });
}

let session: Promise<PolicyPackSession> | undefined;

// Registered when the first test file loads this module: a root hook, run after every file.
after(async () => {
  if (session) await (await session).close();
});

export function packSession(): Promise<PolicyPackSession> {
  if (!session) {
    ensureBuilt();
    session = startPolicyPack({ packDir: PACK_DIR });
  }
  return session;
}
