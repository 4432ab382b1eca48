/**
 * Runs a stack program under the recording mock engine and turns whatever goes wrong into one
 * message a person can act on: a ValidationError prints its problems, a resource error names the
 * resource, anything else names where in the repository's code it happened.
 */
import * as path from "path";
import { ValidationError } from "../../components/core/validation";
import { PROJECT_NAME, PROJECT_ROOT, StackFileError } from "../../stacks/stack-files";
import { ProgramRun, RecordedResource, runProgram } from "../mock-engine";
import { listStacks } from "../../stacks/stack-files";
import { loadStackInput, referencedStack, StackInput } from "./stack-input";

/** A failure of the config, the program or the policy pack: exit code 2, message without a trace. */
export class PreviewError extends Error {
  constructor(
    message: string,
    /** The stack trace or tool output behind the message, printed with --verbose. */
    readonly detail?: string,
    /** An unexpected failure, whose stack trace may help: the message says --verbose shows it. */
    readonly unexpected = false,
  ) {
    super(message);
    this.name = "PreviewError";
  }
}

export type Program = (options: { today?: string }) => Promise<Record<string, unknown>>;

/** The program a module exports: a function, as default export, `program` or `platformStack`. */
export function loadProgram(modulePath?: string): Program {
  const resolved = modulePath
    ? path.resolve(modulePath)
    : path.join(PROJECT_ROOT, "stacks", "program.ts");
  let mod: Record<string, unknown> | ((...args: unknown[]) => unknown);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(resolved);
  } catch (err) {
    throw new PreviewError(
      `cannot load the program ${path.relative(process.cwd(), resolved)}: ${(err as Error).message.split("\n")[0]}`,
      (err as Error).stack,
      true,
    );
  }
  const candidates = [
    mod,
    ...["default", "program", "platformStack"].map((k) => (mod as Record<string, unknown>)[k]),
  ];
  const fn = candidates.find((c): c is Program => typeof c === "function");
  if (!fn) {
    throw new PreviewError(
      `${path.relative(process.cwd(), resolved)} must export the program as a function (default, program or platformStack)`,
    );
  }
  return fn;
}

interface ResourceLike {
  readonly __name?: string;
  readonly __pulumiType?: string;
}

/** The first stack frame in the repository's own code, e.g. `components/cluster/network.ts (Network)`. */
function firstOwnFrame(stack: string | undefined): string | undefined {
  for (const line of (stack ?? "").split("\n").slice(1)) {
    const match = /at (?:(.+?) \()?(.+?):\d+:\d+\)?$/.exec(line.trim());
    if (!match) continue;
    const file = match[2];
    if (
      !file.startsWith(PROJECT_ROOT) ||
      file.includes("node_modules") ||
      file.includes("/tools/")
    ) {
      continue;
    }
    const where = path.relative(PROJECT_ROOT, file);
    return match[1] ? `${where} (${match[1].replace(/^new /, "")})` : where;
  }
  return undefined;
}

export function describeProgramError(err: unknown, input: StackInput): PreviewError {
  if (ValidationError.isInstance(err)) {
    return new PreviewError(
      `${err.message}\n  (config from ${path.relative(process.cwd(), input.file)})`,
      err.stack,
    );
  }
  if (err instanceof StackFileError || err instanceof PreviewError) {
    return new PreviewError(err.message, err.stack);
  }
  const error = err instanceof Error ? err : new Error(String(err));
  const resource = (error as { resource?: ResourceLike }).resource;
  const lines = [`${input.stack}: the program failed: ${error.message.split("\n")[0]}`];
  if (resource?.__name) {
    lines.push(`  resource: ${resource.__name} (${resource.__pulumiType ?? "unknown type"})`);
  }
  const frame = firstOwnFrame(error.stack);
  if (frame) lines.push(`  in: ${frame}`);
  return new PreviewError(lines.join("\n"), error.stack, true);
}

export interface ProgramMessage {
  readonly severity: "info" | "warning" | "error";
  readonly message: string;
}

export interface ProgramRunResult {
  readonly run: ProgramRun;
  readonly programMs: number;
  /** What the program logged (pulumi.log.* and console.*), kept off stdout so --json stays JSON. */
  readonly messages: readonly ProgramMessage[];
}

type ConsoleMethod = "log" | "info" | "warn" | "error" | "debug";

/** Routes console output to `messages` until the returned function is called. */
function captureConsole(messages: ProgramMessage[]): () => void {
  const saved: Partial<Record<ConsoleMethod, (...args: unknown[]) => void>> = {};
  const levels: Record<ConsoleMethod, ProgramMessage["severity"]> = {
    log: "info",
    info: "info",
    debug: "info",
    warn: "warning",
    error: "error",
  };
  for (const method of Object.keys(levels) as ConsoleMethod[]) {
    saved[method] = console[method];
    console[method] = (...args: unknown[]) => {
      const text = args.map((a) => (typeof a === "string" ? a : String(a))).join(" ");
      // The SDK prefixes what it logs without an engine: "warning: [runtime] ...".
      const prefixed = /^(info|warning|error): \[runtime\] ([\s\S]*)$/.exec(text);
      messages.push({
        severity: prefixed ? (prefixed[1] as ProgramMessage["severity"]) : levels[method],
        message: prefixed ? prefixed[2] : text,
      });
    };
  }
  return () => Object.assign(console, saved);
}

interface Attempt {
  readonly run?: ProgramRun;
  readonly error?: unknown;
  readonly messages: ProgramMessage[];
}

/** One run of the program, its console captured and its failure (if any) returned, not thrown. */
async function attempt(
  program: Program,
  input: StackInput,
  options: {
    firstDeploy: boolean;
    today?: string;
    onRegister?: (r: RecordedResource) => void;
    stackOutputs?: Record<string, Record<string, unknown>>;
  },
): Promise<Attempt> {
  // A failing program also rejects the SDK's own registration promises: the same failure, once.
  const rejections: unknown[] = [];
  const collect = (reason: unknown) => rejections.push(reason);
  process.on("unhandledRejection", collect);
  const messages: ProgramMessage[] = [];
  const restoreConsole = captureConsole(messages);
  try {
    const run = await runProgram(() => program({ today: options.today }), {
      project: PROJECT_NAME,
      stack: input.stack,
      context: { region: input.region, accountId: input.accountId },
      config: input.config,
      secretKeys: input.secretKeys,
      firstDeploy: options.firstDeploy,
      onRegister: options.onRegister,
      stackOutputs: options.stackOutputs,
    });
    await new Promise((resolve) => setImmediate(resolve));
    return rejections.length > 0 ? { error: rejections[0], messages } : { run, messages };
  } catch (error) {
    // Let the rejections of the failed run settle before the handler goes.
    await new Promise((resolve) => setImmediate(resolve));
    return { error, messages };
  } finally {
    process.off("unhandledRejection", collect);
    restoreConsole();
  }
}

/**
 * Runs the program for one stack. Runs are sequential: the Pulumi runtime keeps global state, and
 * the mock engine resets it at the start of each run.
 */
export async function runStackProgram(
  program: Program,
  input: StackInput,
  options: {
    firstDeploy: boolean;
    today?: string;
    verbose?: boolean;
    /** Called with each registration as it happens (see MockEngineOptions.onRegister). */
    onRegister?: (r: RecordedResource) => void;
    /** Outputs of the stacks the program references (see `referencedOutputs`). */
    stackOutputs?: Record<string, Record<string, unknown>>;
  },
): Promise<ProgramRunResult> {
  const started = performance.now();
  const stackTraceLimit = Error.stackTraceLimit;
  try {
    // The SDK captures a stack trace for every resource and promise (for leak reports and source
    // positions, neither used here): a third of the program's CPU time. Without --verbose they
    // are left empty, and only a run that fails unexpectedly is repeated with traces, to say
    // where the error was thrown.
    if (!options.verbose) Error.stackTraceLimit = 0;
    const first = await attempt(program, input, options);
    if (first.run)
      return { run: first.run, programMs: performance.now() - started, messages: first.messages };
    if (options.verbose || ValidationError.isInstance(first.error)) {
      throw describeProgramError(first.error, input);
    }
    Error.stackTraceLimit = stackTraceLimit;
    const traced = await attempt(program, input, {
      firstDeploy: options.firstDeploy,
      today: options.today,
      stackOutputs: options.stackOutputs,
    });
    throw describeProgramError(traced.error ?? first.error, input);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/**
 * The outputs a standby's StackReference reads: its primary's, from a run of the primary's own
 * program as deployed (update mode: a standby is deployed after its primary). `known` holds the
 * outputs of update-mode runs already made and receives any made here. A primary with no stack
 * file is left out: the standby's own config check reports it.
 */
export async function referencedOutputs(
  program: Program,
  input: StackInput,
  known: Map<string, Record<string, unknown>>,
  today?: string,
): Promise<Record<string, Record<string, unknown>>> {
  const primary = referencedStack(input);
  if (primary === undefined || !listStacks().includes(primary)) return {};
  if (!known.has(primary)) {
    const { run } = await runStackProgram(program, loadStackInput(primary), {
      firstDeploy: false,
      today,
    });
    known.set(primary, run.outputs);
  }
  return { [primary]: known.get(primary)! };
}
