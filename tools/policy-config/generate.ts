/**
 * Writes each stack's `policy-pack/config/<stack>.json` with the settings its stack file decides
 * (derive.ts), keeping the settings made there by hand. Run: `npm run gen:policy-config`; a test
 * fails when a committed file is missing or stale.
 */
import * as fs from "fs";
import * as path from "path";
import * as prettier from "prettier";
import { listStacks, PROJECT_ROOT, readStackFile } from "../../stacks/stack-files";
import type { PolicyPackConfig } from "../analyzer";
import { withDerived } from "./derive";

export const POLICY_CONFIG_DIR = path.join(PROJECT_ROOT, "policy-pack", "config");

export function policyConfigFile(stack: string): string {
  return path.join(POLICY_CONFIG_DIR, `${stack}.json`);
}

/** The file's content for a stack, formatted as the repository's Prettier config formats JSON. */
export async function renderPolicyConfig(stack: string): Promise<string> {
  const file = policyConfigFile(stack);
  const own: PolicyPackConfig = fs.existsSync(file)
    ? JSON.parse(fs.readFileSync(file, "utf8"))
    : {};
  const config = withDerived(own, readStackFile(stack).config);
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(JSON.stringify(config, null, 2), { ...options, filepath: file });
}

async function main(): Promise<void> {
  for (const stack of listStacks()) {
    const text = await renderPolicyConfig(stack);
    const file = policyConfigFile(stack);
    const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
    if (current === text) continue;
    fs.writeFileSync(file, text);
    console.log(`wrote ${path.relative(PROJECT_ROOT, file)}`);
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`error: ${(err as Error).message}`);
    process.exit(2);
  });
}
