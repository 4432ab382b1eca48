/**
 * Command line of the offline preview. Pure: parsing never touches the file system, so every
 * usage error is reported before any work starts.
 */

export type OutputFormat = "text" | "json" | "markdown";

export interface PreviewArgs {
  /** Stacks to preview, in order; `--all` expands to every `Pulumi.<stack>.yaml`. */
  readonly stacks: readonly string[];
  readonly all: boolean;
  /** A stack file to use instead of `Pulumi.<stack>.yaml` (one stack only). */
  readonly configFile?: string;
  readonly firstDeploy: boolean;
  readonly format: OutputFormat;
  /** A previous `--json` report (e.g. of the base branch) to diff against. */
  readonly compare?: string;
  /** Add a Mermaid diagram of each stack to the report. */
  readonly diagram: boolean;
  readonly verbose: boolean;
  /** Module whose export is the program; @default the platform program (stacks/program.ts) */
  readonly program?: string;
  /** Directory of the policy pack; @default policy-pack */
  readonly policyPack?: string;
  /** Policy config file; @default policy-pack/config/<stack>.json when it exists */
  readonly policyConfig?: string;
  /** The day support windows are judged on (YYYY-MM-DD); @default today */
  readonly today?: string;
  readonly help: boolean;
}

export class UsageError extends Error {}

export const USAGE = `Usage: npm run preview -- --stack <name> [options]
       npm run preview -- --all [options]

Runs the stack program offline under Pulumi's mock engine, evaluates the policy pack over the
Analyzer protocol, and reports resources, policy violations, cost, the estimated time of a
first deploy with its critical path, and timings.

Options:
  --stack <name>          Stack to preview (Pulumi.<name>.yaml); repeatable
  --all                   Every Pulumi.*.yaml stack of the repository, summarised together
  --config-file <path>    Use this stack file instead of Pulumi.<stack>.yaml (one stack)
  --first-deploy          Model a first preview: cloud-computed outputs are unknown
  --json                  Print one JSON document
  --markdown              Print a pull-request comment
  --compare <file.json>   Diff against a previous --json report (e.g. the base branch's): resources
                          to create, update, replace or delete with the inputs that change, the
                          cost change and the estimated time of the update
  --diagram               Add a Mermaid diagram of each stack (regions, components, traffic,
                          replication, backups, alerts)
  --policy-pack <dir>     Policy pack directory (default: policy-pack)
  --policy-config <file>  Policy config (default: policy-pack/config/<stack>.json if present)
  --program <module>      Program module (default: the platform program, stacks/program.ts)
  --today <YYYY-MM-DD>    Day that version support windows are judged on (default: today)
  --verbose               Stack traces and per-resource detail
  -h, --help              This help

Exit codes: 0 no mandatory violation, 1 a mandatory violation, 2 the config, program or
policy pack is wrong (the message names the key or resource).`;

const WITH_VALUE = new Set([
  "--stack",
  "--config-file",
  "--compare",
  "--program",
  "--policy-pack",
  "--policy-config",
  "--today",
]);

export function parseArgs(argv: readonly string[]): PreviewArgs {
  const stacks: string[] = [];
  const values: Record<string, string> = {};
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i];
    const eq = raw.indexOf("=");
    const name = raw.startsWith("--") && eq > 0 ? raw.slice(0, eq) : raw;
    if (WITH_VALUE.has(name)) {
      const value = eq > 0 && raw.startsWith("--") ? raw.slice(eq + 1) : argv[++i];
      if (value === undefined || value === "" || (value.startsWith("--") && eq < 0)) {
        throw new UsageError(`${name} needs a value`);
      }
      if (name === "--stack") stacks.push(value);
      else if (name in values) throw new UsageError(`${name} given twice`);
      else values[name] = value;
    } else if (
      [
        "--all",
        "--first-deploy",
        "--json",
        "--markdown",
        "--diagram",
        "--verbose",
        "--help",
        "-h",
      ].includes(raw)
    ) {
      flags.add(raw === "-h" ? "--help" : raw);
    } else {
      throw new UsageError(`unknown argument ${raw}`);
    }
  }
  const help = flags.has("--help");
  const all = flags.has("--all");
  if (!help) {
    if (all && stacks.length > 0) throw new UsageError("give either --all or --stack, not both");
    if (!all && stacks.length === 0 && values["--config-file"] === undefined) {
      throw new UsageError("name a stack with --stack <name> (or use --all)");
    }
    if (values["--config-file"] !== undefined && (all || stacks.length > 1)) {
      throw new UsageError("--config-file applies to one stack; drop --all or the extra --stack");
    }
    if (flags.has("--json") && flags.has("--markdown")) {
      throw new UsageError("give either --json or --markdown, not both");
    }
    const today = values["--today"];
    if (today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(today)) {
      throw new UsageError(`--today must be a date YYYY-MM-DD (got ${today})`);
    }
  }
  return {
    stacks,
    all,
    configFile: values["--config-file"],
    firstDeploy: flags.has("--first-deploy"),
    format: flags.has("--json") ? "json" : flags.has("--markdown") ? "markdown" : "text",
    compare: values["--compare"],
    diagram: flags.has("--diagram"),
    verbose: flags.has("--verbose"),
    program: values["--program"],
    policyPack: values["--policy-pack"],
    policyConfig: values["--policy-config"],
    today: values["--today"],
    help,
  };
}
