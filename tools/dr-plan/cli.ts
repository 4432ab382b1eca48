/**
 * `npm run dr:plan -- <outputs.json> [--scenario region-loss|drill] [--json]`
 *
 * Prints the restore plan of a stack from `pulumi stack output --json` (a file, or `-` for stdin).
 */
import * as fs from "fs";
import { readPosture, renderPlan, restorePlan, Scenario, ValidationError } from "./plan";

export const USAGE =
  "Usage: npm run dr:plan -- <outputs.json|-> [--scenario region-loss|drill] [--json]\n" +
  "  <outputs.json>: the output of `pulumi stack output --json --stack <stack>`";

export function main(argv: readonly string[], readFile: (path: string) => string): string {
  let file: string | undefined;
  let scenario: Scenario = "region-loss";
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--scenario") scenario = argv[++i] as Scenario;
    else if (arg === "--json") json = true;
    else if (arg === "--help" || arg === "-h") return USAGE;
    else if (file === undefined) file = arg;
    else throw new Error(`unexpected argument ${arg}\n${USAGE}`);
  }
  if (file === undefined) throw new Error(USAGE);
  let outputs: unknown;
  try {
    outputs = JSON.parse(readFile(file));
  } catch (err) {
    throw new Error(`${file} is not readable JSON: ${(err as Error).message}`);
  }
  const plan = restorePlan(readPosture(outputs), scenario);
  return json ? `${JSON.stringify(plan, null, 2)}\n` : renderPlan(plan);
}

if (require.main === module) {
  try {
    process.stdout.write(
      main(process.argv.slice(2), (path) => fs.readFileSync(path === "-" ? 0 : path, "utf8")),
    );
  } catch (err) {
    process.stderr.write(
      `${ValidationError.isInstance(err) ? err.message : (err as Error).message}\n`,
    );
    process.exitCode = 1;
  }
}
