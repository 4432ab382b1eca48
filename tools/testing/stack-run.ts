/**
 * Runs the platform program for a committed stack (or a config of a test's making) under the
 * recording mock engine, and asks the policy pack about a run.
 *
 * A run depends only on its stack, its config changes and its mode, so each distinct run is made
 * once per mocha process and shared by every test file that asks for it (the whole-program tests
 * all start from the two committed stacks). Shared runs are frozen: a test that changed one would
 * change what the next file sees. The policy pack's results on a run are shared the same way.
 */
import { toAnalyzerResources, type PolicyResult } from "../analyzer";
import { RecordedResource, runProgram } from "../mock-engine";
import { readPolicyConfig } from "../preview/policy";
import { PROJECT_NAME, readStackFile } from "../../stacks/stack-files";
import { PACK_DIR, packSession } from "./pack-session";
import { TEST_TODAY } from "./today";

export interface StackRunOptions {
  readonly stack: string;
  /** Replaces or adds keys of the committed stack file. */
  readonly overrides?: Readonly<Record<string, string>>;
  /** Keys set as encrypted values (added to the config and to its secret keys). */
  readonly secrets?: Readonly<Record<string, string>>;
  readonly firstDeploy?: boolean;
}

/** A program run as the mock engine recorded it, shared and therefore read-only. */
export interface StackRun {
  readonly resources: readonly RecordedResource[];
  /** Stack outputs in wire form: secrets as signature objects. */
  readonly outputs: Readonly<Record<string, unknown>>;
}

const runs = new Map<string, Promise<StackRun>>();
/** The last run started: the Pulumi runtime keeps global state, so runs go one at a time. */
let previous: Promise<unknown> = Promise.resolve();

export function runStack(options: StackRunOptions): Promise<StackRun> {
  const sorted = (keys?: Readonly<Record<string, string>>) =>
    Object.entries(keys ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const key = JSON.stringify([
    options.stack,
    sorted(options.overrides),
    sorted(options.secrets),
    options.firstDeploy === true,
  ]);
  let run = runs.get(key);
  if (!run) {
    // A standby reads its primary's outputs: that run goes first (as the primary deploys first).
    const config = { ...readStackFile(options.stack).config, ...options.overrides };
    const primary =
      config["platform:role"] === "standby" && config["platform:primaryStack"]
        ? runStack({ stack: config["platform:primaryStack"] })
        : undefined;
    const start = async () => {
      const stackOutputs = primary
        ? { [config["platform:primaryStack"]]: (await primary).outputs as Record<string, unknown> }
        : {};
      return deepFreeze(await runPlatformProgram(options, stackOutputs));
    };
    run = previous.then(start, start);
    runs.set(key, run);
    previous = run;
  }
  return run;
}

function runPlatformProgram(
  options: StackRunOptions,
  stackOutputs: Record<string, Record<string, unknown>>,
) {
  const file = readStackFile(options.stack);
  const secrets = options.secrets ?? {};
  const config = { ...file.config, ...options.overrides, ...secrets };
  // Imported late: the program module must load after the mocks are in place.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const program = require("../../stacks/program") as typeof import("../../stacks/program");
  return runProgram(() => program.platformStack({ today: TEST_TODAY }), {
    project: PROJECT_NAME,
    stack: options.stack,
    context: { region: config["aws:region"], accountId: config["platform:accountId"] },
    config,
    secretKeys: [...new Set([...file.secretKeys, ...Object.keys(secrets)])],
    firstDeploy: options.firstDeploy,
    stackOutputs,
  });
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export function ofType(run: StackRun, type: string): RecordedResource[] {
  return run.resources.filter((r) => r.type === type);
}

export function named(run: StackRun, name: string): RecordedResource {
  const found = run.resources.find((r) => r.name === name);
  if (!found)
    throw new Error(
      `no resource named ${name}; registered: ${run.resources.map((r) => r.name).join(", ")}`,
    );
  return found;
}

const resultsByRun = new WeakMap<StackRun, Map<string, Promise<readonly PolicyResult[]>>>();

/**
 * Every result the compiled policy pack gives a stack run, Analyze and AnalyzeStack, under the
 * stack's own policy config: the path the preview and the engine take. Asked once per run and
 * stack; later calls share the answer.
 */
export function policyResults(run: StackRun, stack: string): Promise<readonly PolicyResult[]> {
  const byStack = resultsByRun.get(run) ?? new Map<string, Promise<readonly PolicyResult[]>>();
  resultsByRun.set(run, byStack);
  let results = byStack.get(stack);
  if (!results) {
    results = analyzeRun(run, stack).then(deepFreeze);
    byStack.set(stack, results);
  }
  return results;
}

async function analyzeRun(run: StackRun, stack: string): Promise<PolicyResult[]> {
  const resources = toAnalyzerResources(run.resources, stack, readStackFile(stack).config);
  const session = await packSession();
  await session.configure(readPolicyConfig(PACK_DIR, stack).config);
  try {
    return [...(await session.analyze(resources)), ...(await session.analyzeStack(resources))];
  } finally {
    await session.configure({});
  }
}

/** The results on the given resources, a line each (`level policy name: message`), to assert on. */
export function resultsOn(
  results: readonly PolicyResult[],
  resources: readonly RecordedResource[],
): string[] {
  const urns = new Set(resources.map((r) => r.urn));
  return results
    .filter((r) => urns.has(r.urn))
    .map((r) => `${r.level} ${r.policy} ${r.urn.split("::").pop()}: ${r.message}`);
}
