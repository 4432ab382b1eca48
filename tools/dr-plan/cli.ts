/**
 * `npm run dr:plan -- <outputs.json> [--scenario region-loss|drill|failover|failback|chaos] [--json]`
 *
 * Prints the restore plan of a stack from `pulumi stack output --json` (a file, or `-` for stdin);
 * failover and failback read a standby stack's outputs and fail (exit 1) when the steps within the
 * RTO exceed it; chaos prints a primary's game day (its fault-injection experiments).
 */
import * as fs from "fs";
import { readGameDay, renderGameDay } from "./chaos";
import { BUDGETS, failoverPlan, readStandby, renderTimedPlan, rtoExceeded } from "./failover";
import { readPosture, renderPlan, restorePlan, Scenario, ValidationError } from "./plan";

export const USAGE =
  "Usage: npm run dr:plan -- <outputs.json|-> [--scenario region-loss|drill|failover|failback|chaos] [--json]\n" +
  "                          [--budget <step>=<minutes> ...]\n" +
  "  <outputs.json>: the output of `pulumi stack output --json --stack <stack>` (a standby's for failover and failback)\n" +
  "  --scenario chaos: the game day of a primary: each experiment, what it proves, the SLO that stops it, how to run it\n" +
  `  --budget: a step's time measured in a drill, in place of its budget (steps: ${Object.keys(BUDGETS).join(", ")})`;

type BudgetStep = keyof typeof BUDGETS;

/** `--budget restore=14`: a drill's measured minutes for a step, replacing the planned budget. */
function parseBudget(text: string): [BudgetStep, number] {
  const [name, value] = text.split("=");
  const minutes = Number(value);
  if (!(name in BUDGETS) || !/^\d+$/.test(value ?? "") || minutes < 1) {
    throw new Error(
      `--budget must be <step>=<whole minutes>, the step one of ${Object.keys(BUDGETS).join(", ")} (got ${JSON.stringify(text)})\n${USAGE}`,
    );
  }
  return [name as BudgetStep, minutes];
}

/** Thrown with the printed plan when the steps within the RTO exceed it (exit 1). */
export class RtoExceededError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
  }
}

export function main(argv: readonly string[], readFile: (path: string) => string): string {
  let file: string | undefined;
  let scenario = "region-loss" as Scenario | "failover" | "failback" | "chaos";
  let json = false;
  const budgets: Record<string, { minutes: number; source: string }> = { ...BUDGETS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--scenario") scenario = argv[++i] as typeof scenario;
    else if (arg === "--budget") {
      const [step, minutes] = parseBudget(argv[++i] ?? "");
      budgets[step] = { minutes, source: "measured in a drill (--budget on the command line)" };
    } else if (arg === "--json") json = true;
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
  if (scenario === "chaos") {
    const gameDay = readGameDay(outputs);
    return json ? `${JSON.stringify(gameDay, null, 2)}\n` : renderGameDay(gameDay);
  }
  if (scenario === "failover" || scenario === "failback") {
    const timed = failoverPlan(readStandby(outputs), scenario, budgets as typeof BUDGETS);
    const output = json ? `${JSON.stringify(timed, null, 2)}\n` : renderTimedPlan(timed);
    const exceeded = rtoExceeded(timed);
    if (exceeded) throw new RtoExceededError(exceeded, output);
    return output;
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
    if (err instanceof RtoExceededError) process.stdout.write(err.output);
    process.stderr.write(
      `${ValidationError.isInstance(err) ? err.message : (err as Error).message}\n`,
    );
    process.exitCode = 1;
  }
}
