/**
 * The offline preview: runs each stack's program under the recording mock engine, evaluates the
 * policy pack over the Analyzer protocol, and reports. Exit codes: 0 no mandatory violation, 1 a
 * mandatory violation, 2 the config, program or pack is wrong.
 */
import * as fs from "fs";
import * as path from "path";
import { listStacks, StackFileError } from "../../stacks/stack-files";
import { parseArgs, PreviewArgs, USAGE, UsageError } from "./args";
import { compareCost, estimateCost } from "./cost";
import { estimateFirstDeploy } from "./deploy-time";
import { renderDiagram } from "./diagram";
import {
  DEFAULT_PACK_DIR,
  ensurePackBuilt,
  PackStart,
  startPack,
  StreamingAnalysis,
} from "./policy";
import {
  loadProgram,
  PreviewError,
  Program,
  ProgramRunResult,
  referencedOutputs,
  runStackProgram,
} from "./program-run";
import { renderMarkdown, renderSummary, renderText } from "./render";
import {
  compareWith,
  hasMandatoryViolation,
  secretsInPlaintext,
  makeRedactor,
  MultiStackReport,
  resourceEntries,
  StackReport,
} from "./report";
import {
  loadStackInput,
  referencedStack,
  secretPlaceholder,
  stackNameOfFile,
  StackInput,
} from "./stack-input";

interface LoadedProgram {
  readonly run: Program;
  /** Time to load the program's modules (the first stack only; later stacks reuse them). */
  readonly loadMs: number;
}

export interface PreviewResult {
  readonly exitCode: 0 | 1 | 2;
  readonly stdout: string;
  readonly stderr: string;
}

function readPrevious(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new PreviewError(`--compare ${file}: ${(err as Error).message.split("\n")[0]}`);
  }
}

async function previewStack(
  args: PreviewArgs,
  input: StackInput,
  pack: PackStart,
  program: LoadedProgram,
  previous: unknown,
  started: number,
  outputs: Map<string, Record<string, unknown>>,
): Promise<{ readonly report: Promise<StackReport> }> {
  const stackOutputs = await referencedOutputs(program.run, input, outputs, args.today);
  const analysis = new StreamingAnalysis(pack, input.stack, input.config);
  const { run, programMs, messages } = await runStackProgram(program.run, input, {
    firstDeploy: args.firstDeploy,
    today: args.today,
    verbose: args.verbose,
    onRegister: analysis.add,
    stackOutputs,
  });
  if (!args.firstDeploy) outputs.set(input.stack, run.outputs);
  // The rest needs no Pulumi runtime: it runs while the next stack's program does.
  const report = completeReport(
    args,
    input,
    analysis,
    run,
    { programMs, messages },
    program,
    previous,
    started,
  );
  // Awaited by the caller; until then a failure must not count as an unhandled rejection.
  report.catch(() => undefined);
  return { report };
}

async function completeReport(
  args: PreviewArgs,
  input: StackInput,
  analysis: StreamingAnalysis,
  run: ProgramRunResult["run"],
  { programMs, messages }: Pick<ProgramRunResult, "programMs" | "messages">,
  program: LoadedProgram,
  previous: unknown,
  started: number,
): Promise<StackReport> {
  const programDone = performance.now();
  const outcome = await analysis.finish(run.resources);
  const policyMs = performance.now() - programDone;
  const redact = makeRedactor(run.resources, []);
  let cost: ReturnType<typeof estimateCost>;
  try {
    cost = estimateCost({
      stack: input.stack,
      region: input.region,
      config: input.config,
      resources: run.resources,
    });
  } catch (err) {
    throw new PreviewError(
      `${input.stack}: the cost estimate failed: ${(err as Error).message}`,
      (err as Error).stack,
      true,
    );
  }
  const resources = resourceEntries(run.resources);
  const report: StackReport = {
    stack: input.stack,
    region: input.region,
    accountId: input.accountId,
    mode: args.firstDeploy ? "first-deploy" : "update",
    configFile: path.relative(process.cwd(), input.file),
    resources,
    messages: messages.map((m) => ({ ...m, message: redact(m.message) })),
    policies: {
      pack: outcome.pack.name,
      version: outcome.pack.version,
      configFile: outcome.configFile ? path.relative(process.cwd(), outcome.configFile) : null,
      evaluated: outcome.evaluated,
      violations: [
        ...secretsInPlaintext(
          run.resources,
          run.outputs,
          Object.fromEntries(input.secretKeys.map((k) => [k, secretPlaceholder(k)])),
        ),
        ...outcome.violations.map((v) => ({ ...v, message: redact(v.message) })),
      ],
      notRun: outcome.notRun.map((n) => ({ ...n, reason: redact(n.reason) })),
    },
    cost,
    deployTime: estimateFirstDeploy(resources),
    ...(args.diagram ? { diagram: renderDiagram(resources, { region: input.region }) } : {}),
    timings: {
      loadMs: program.loadMs,
      programMs,
      policyMs,
      totalMs: performance.now() - started,
    },
  };
  if (previous === undefined || args.compare === undefined) return report;
  const comparison = compareWith(args.compare, previous, report, (before) =>
    compareCost(before, cost),
  );
  if (!comparison) return report;
  // Displayed inputs hold no secret, unless a program leaked one into plaintext: redact anyway.
  const changes = comparison.diff.changes.map((c) => ({
    ...c,
    properties: c.properties.map((p) => ({
      ...p,
      before: redact(p.before),
      after: redact(p.after),
    })),
  }));
  return { ...report, comparison: { ...comparison, diff: { ...comparison.diff, changes } } };
}

function render(args: PreviewArgs, reports: StackReport[]): string {
  const totalMs = performance.now();
  if (args.format === "json") {
    const doc: StackReport | MultiStackReport =
      reports.length === 1 && !args.all ? reports[0] : { stacks: reports, timings: { totalMs } };
    return JSON.stringify(doc, null, 2);
  }
  const parts = reports.map((r) =>
    args.format === "markdown" ? renderMarkdown(r) : renderText(r, args.verbose),
  );
  if (reports.length > 1) parts.push(renderSummary(reports, totalMs, args.format === "markdown"));
  return parts.join(args.format === "markdown" ? "\n\n---\n\n" : "\n\n");
}

async function runPreview(args: PreviewArgs, notes: string[]): Promise<StackReport[]> {
  const stacks = args.all
    ? listStacks()
    : args.stacks.length > 0
      ? args.stacks
      : [stackNameOfFile(args.configFile as string)];
  if (stacks.length === 0) throw new PreviewError("no Pulumi.<stack>.yaml files in the repository");
  const packDir = path.resolve(args.policyPack ?? DEFAULT_PACK_DIR);
  const built = ensurePackBuilt(packDir);
  if (built) notes.push(built);
  // Every stack file is read before anything starts, so a bad file fails fast. Primaries run
  // before the standbys that reference them (the order they deploy in).
  const inputs = stacks
    .map((s) => loadStackInput(s, args.configFile))
    .sort(
      (a, b) => Number(referencedStack(a) !== undefined) - Number(referencedStack(b) !== undefined),
    );
  const previous = args.compare ? readPrevious(args.compare) : undefined;
  // Each stack gets its own pack process, as each `pulumi preview` does; they start in parallel
  // with the programs, which run one after another (the Pulumi runtime's state is global).
  const packs = inputs.map((i) =>
    startPack(packDir, i.stack, { policyConfig: args.policyConfig, stackConfig: i.config }),
  );
  try {
    const loadStarted = performance.now();
    const run = loadProgram(args.program);
    const loadMs = performance.now() - loadStarted;
    const reports: Promise<StackReport>[] = [];
    const outputs = new Map<string, Record<string, unknown>>();
    for (const [i, input] of inputs.entries()) {
      // The first stack's time counts from the process start: that is what its user waits.
      const program = { run, loadMs: i === 0 ? loadMs : 0 };
      const started = i === 0 ? 0 : performance.now();
      reports.push(
        (await previewStack(args, input, packs[i], program, previous, started, outputs)).report,
      );
    }
    return await Promise.all(reports);
  } finally {
    await Promise.all(packs.map((p) => p.session.then((s) => s.close()).catch(() => undefined)));
  }
}

export async function main(argv: readonly string[]): Promise<PreviewResult> {
  let args: PreviewArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      return { exitCode: 2, stdout: "", stderr: `error: ${err.message}\n\n${USAGE}\n` };
    }
    throw err;
  }
  if (args.help) return { exitCode: 0, stdout: `${USAGE}\n`, stderr: "" };
  const notes: string[] = [];
  try {
    const reports = await runPreview(args, notes);
    const exitCode = reports.some(hasMandatoryViolation) ? 1 : 0;
    return {
      exitCode,
      stdout: `${render(args, reports)}\n`,
      stderr: notes.map((n) => `note: ${n}\n`).join(""),
    };
  } catch (caught) {
    // A missing or unreadable stack file is the user's to fix, like a bad config value.
    const err =
      caught instanceof StackFileError
        ? new PreviewError(`${caught.message} (stacks: ${listStacks().join(", ")})`)
        : caught;
    const known = err instanceof PreviewError;
    const message = known ? err.message : `unexpected failure of the preview tool: ${String(err)}`;
    const detail = known ? err.detail : (err as Error).stack;
    const unexpected = !known || err.unexpected;
    const hint =
      args.verbose && detail
        ? `\n${detail}`
        : unexpected && detail
          ? "\n(--verbose prints the stack trace)"
          : "";
    return {
      exitCode: 2,
      stdout: "",
      stderr: `${notes.map((n) => `note: ${n}\n`).join("")}error: ${message}${hint}\n`,
    };
  }
}
