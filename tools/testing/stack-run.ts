/**
 * Runs the platform program for a committed stack (or a config of a test's making) under the
 * recording mock engine.
 */
import { PROJECT_NAME, readStackFile } from "../../stacks/stack-files";
import { toAnalyzerResources, type PolicyResult } from "../analyzer";
import { ProgramRun, RecordedResource, runProgram } from "../mock-engine";
import { readPolicyConfig } from "../preview/policy";
import { PACK_DIR, packSession } from "./pack-session";
import { TEST_TODAY } from "./today";

export interface StackRunOptions {
  readonly stack: string;
  /** Replaces or adds keys of the committed stack file. */
  readonly overrides?: Record<string, string>;
  readonly firstDeploy?: boolean;
}

export async function runStack(options: StackRunOptions): Promise<ProgramRun> {
  const file = readStackFile(options.stack);
  const config = { ...file.config, ...options.overrides };
  // Imported late: the program module must load after the mocks are in place.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const program = require("../../stacks/program") as typeof import("../../stacks/program");
  return runProgram(() => program.platformStack({ today: TEST_TODAY }), {
    project: PROJECT_NAME,
    stack: options.stack,
    context: { region: config["aws:region"], accountId: config["platform:accountId"] },
    config,
    secretKeys: file.secretKeys,
    firstDeploy: options.firstDeploy,
  });
}

export function ofType(run: ProgramRun, type: string): RecordedResource[] {
  return run.resources.filter((r) => r.type === type);
}

export function named(run: ProgramRun, name: string): RecordedResource {
  const found = run.resources.find((r) => r.name === name);
  if (!found)
    throw new Error(
      `no resource named ${name}; registered: ${run.resources.map((r) => r.name).join(", ")}`,
    );
  return found;
}

/**
 * Every result the compiled policy pack gives a stack run, Analyze and AnalyzeStack, under the
 * stack's own policy config: the path the preview and the engine take.
 */
export async function policyResults(run: ProgramRun, stack: string): Promise<PolicyResult[]> {
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
