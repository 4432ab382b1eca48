/**
 * `npm run bench`: figures for the offline preview, all measured in the same run so that the
 * machine's load at the time weighs on every figure alike.
 *
 * 1. The floor: a bare `node` that only loads @pulumi/pulumi, @pulumi/aws, @pulumi/kubernetes and
 *    @pulumi/eks. Then one stack's full preview (policies included) and `--all`, each as a ratio
 *    of the floor (goals: 5x and 8x). Medians of several runs, after one warm-up run.
 * 2. Policy evaluation at scale: the committed stack's own resources replicated to 10,000 and sent
 *    through the preview's path (toAnalyzerResources, then Analyze with 16 requests in flight), to
 *    the full pack and to a pack with no policies (the protocol's own floor). Resources per second,
 *    the ratio (goal: 70% or more), AnalyzeStack over all of them, and peak memory.
 * 3. Per stack: the estimated monthly cost, and the estimated duration of a first `pulumi up`
 *    with its critical path (tools/preview/deploy-time.ts; figures and sources in
 *    docs/architecture.md).
 * Figures only: nothing here passes or fails.
 */
import { estimateStack, fromRecordedResources } from "@platform/model";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { listStacks, PROJECT_ROOT } from "../../stacks/stack-files";
import { startPolicyPack, toAnalyzerResources } from "../analyzer";
import { RecordedResource } from "../mock-engine";
import { estimateFirstDeploy, formatDuration } from "../preview/deploy-time";
import { DEFAULT_PACK_DIR, ensurePackBuilt, readPolicyConfig } from "../preview/policy";
import { referencedOutputs, runStackProgram, loadProgram } from "../preview/program-run";
import { resourceEntries } from "../preview/report";
import { loadStackInput } from "../preview/stack-input";

const CLI = path.join(PROJECT_ROOT, "tools", "preview", "cli.js");
const EMPTY_PACK = path.join(__dirname, "empty-pack");
const STACK = "prod-us-west-2";
const SYNTHETIC_COUNT = 10_000;
const IN_FLIGHT = 16;

interface Options {
  readonly runs: number;
  readonly count: number;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? Number(argv[i + 1]) : undefined;
  };
  return { runs: value("--runs") ?? 5, count: value("--resources") ?? SYNTHETIC_COUNT };
}

interface Timing {
  readonly ms: number;
  /** User + system CPU of the process and every child it waited for (the pack), when known. */
  readonly cpuMs?: number;
}

/** GNU time reports the CPU of a command and its reaped children; absent on some machines. */
const GNU_TIME = "/usr/bin/time";

/** Wall time (and CPU time, with GNU time) of `node <args>`. */
function timed(args: readonly string[]): Promise<Timing> {
  const withTime = fs.existsSync(GNU_TIME);
  const [command, argv] = withTime
    ? [GNU_TIME, ["-f", "cpu %U %S", process.execPath, ...args]]
    : [process.execPath, [...args]];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, argv, { cwd: PROJECT_ROOT, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = performance.now() - started;
      if (code !== 0 && code !== 1) {
        reject(new Error(`node ${args.join(" ")} exited ${code}:\n${stderr}`));
        return;
      }
      const cpu = /^cpu ([\d.]+) ([\d.]+)$/m.exec(stderr);
      resolve(cpu ? { ms, cpuMs: (Number(cpu[1]) + Number(cpu[2])) * 1000 } : { ms });
    });
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Runs the commands in turns (a, b, c, a, b, c, ...) so that changes in the machine's load fall
 * on all of them alike; returns the median wall and CPU time of each.
 */
async function interleaved(
  commands: readonly (readonly string[])[],
  runs: number,
): Promise<{ ms: number; cpuMs?: number }[]> {
  const samples: Timing[][] = commands.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const [c, args] of commands.entries()) samples[c].push(await timed(args));
  }
  return samples.map((s) => {
    const cpu = s.map((t) => t.cpuMs).filter((v): v is number => v !== undefined);
    return {
      ms: median(s.map((t) => t.ms)),
      ...(cpu.length === s.length ? { cpuMs: median(cpu) } : {}),
    };
  });
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function usd(amount: number): string {
  return amount.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

/** Peak resident memory of this process's children (the pack), from /proc (Linux only). */
function childrenPeakRss(): number | undefined {
  try {
    let peak = 0;
    for (const task of fs.readdirSync(`/proc/${process.pid}/task`)) {
      const children = fs.readFileSync(`/proc/${process.pid}/task/${task}/children`, "utf8");
      for (const pid of children.trim().split(/\s+/).filter(Boolean)) {
        const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
        const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
        peak = Math.max(peak, kb * 1024);
      }
    }
    return peak;
  } catch {
    return undefined;
  }
}

/**
 * Copies of the stack's resources until there are `count`: each copy renames every URN it holds
 * (its own, parent, provider, dependencies), so the set reads as one large, consistent stack.
 */
export function replicate(
  resources: readonly RecordedResource[],
  count: number,
): RecordedResource[] {
  const out: RecordedResource[] = [];
  for (let copy = 0; out.length < count; copy++) {
    const rename = (urn: string) => (copy === 0 ? urn : `${urn}-c${copy}`);
    const renameRef = (ref: string) => {
      const cut = ref.lastIndexOf("::");
      return `${rename(ref.slice(0, cut))}${ref.slice(cut)}`;
    };
    for (const r of resources) {
      if (out.length >= count) break;
      if (r.type === "pulumi:pulumi:Stack" && copy > 0) continue;
      const stackUrn = r.parent?.includes("::pulumi:pulumi:Stack::");
      out.push({
        ...r,
        urn: rename(r.urn),
        name: copy === 0 ? r.name : `${r.name}-c${copy}`,
        ...(r.parent ? { parent: stackUrn ? r.parent : rename(r.parent) } : {}),
        ...(r.provider ? { provider: renameRef(r.provider) } : {}),
        dependencies: r.dependencies.map(rename),
        propertyDependencies: Object.fromEntries(
          Object.entries(r.propertyDependencies).map(([k, urns]) => [k, urns.map(rename)]),
        ),
      });
    }
  }
  return out;
}

async function analyzerThroughput(
  packDir: string,
  stack: string,
  resources: ReturnType<typeof toAnalyzerResources>,
  stackResources: ReturnType<typeof toAnalyzerResources>,
): Promise<{
  perSecond: number;
  analyzeMs: number;
  stackMs: number;
  peakRss?: number;
  violations: number;
}> {
  const { config } = readPolicyConfig(packDir, stack);
  const session = await startPolicyPack({
    packDir,
    config: packDir === EMPTY_PACK ? {} : config,
    stack: { stack, project: "platform" },
    concurrency: IN_FLIGHT,
    startTimeoutMs: 180_000,
  });
  try {
    // Warm the pack's code paths on a small slice before timing.
    await session.analyze(resources.slice(0, 200));
    const started = performance.now();
    const results = await session.analyze(resources);
    const analyzeMs = performance.now() - started;
    const stackStarted = performance.now();
    const stackResults = await session.analyzeStack(stackResources);
    const stackMs = performance.now() - stackStarted;
    return {
      perSecond: resources.length / (analyzeMs / 1000),
      analyzeMs,
      stackMs,
      peakRss: childrenPeakRss(),
      violations: results.length + stackResults.length,
    };
  } finally {
    await session.close();
  }
}

export async function main(argv: readonly string[]): Promise<void> {
  const options = parseOptions(argv);
  const out = (line = "") => process.stdout.write(`${line}\n`);
  out(
    `Offline preview benchmark (${os.cpus().length} CPUs, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}, node ${process.version})`,
  );
  const built = ensurePackBuilt(DEFAULT_PACK_DIR);
  if (built) out(`note: ${built}`);

  const floorScript = ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/kubernetes", "@pulumi/eks"]
    .map((m) => `require(${JSON.stringify(m)});`)
    .join("");
  const one = [CLI, "--stack", STACK, "--json"];
  const all = [CLI, "--all", "--json"];
  // Warm-up: fills the transpile cache and the file system cache for every measured command.
  await timed(["-e", floorScript]);
  await timed(one);
  await timed(all);
  const [floor, oneStack, allStacks] = await interleaved(
    [["-e", floorScript], one, all],
    options.runs,
  );
  const ratio = (t: Timing, goal: number) => {
    const wall = `${seconds(t.ms).padStart(8)}  ${(t.ms / floor.ms).toFixed(2)}x floor (goal <= ${goal}x)`;
    if (t.cpuMs === undefined || floor.cpuMs === undefined) return wall;
    return `${wall};  CPU ${seconds(t.cpuMs)}, ${(t.cpuMs / floor.cpuMs).toFixed(2)}x`;
  };
  out();
  out(`Start-up (median of ${options.runs} interleaved runs; CPU includes the pack processes)`);
  out(
    `  floor: node loading @pulumi/pulumi, aws, kubernetes, eks  ${seconds(floor.ms).padStart(8)}` +
      (floor.cpuMs !== undefined ? `;  CPU ${seconds(floor.cpuMs)}` : ""),
  );
  out(`  preview --stack ${STACK} (policies included) ${ratio(oneStack, 5)}`);
  out(`  preview --all (every stack)                       ${ratio(allStacks, 8)}`);
  out();

  // One in-process run of the real program gives the resource mix to replicate.
  const input = loadStackInput(STACK);
  const { run } = await runStackProgram(loadProgram(), input, { firstDeploy: false });
  const replicated = replicate(run.resources, options.count);
  const synthetic = toAnalyzerResources(replicated, STACK, input.config, "inputs");
  const syntheticStack = toAnalyzerResources(replicated, STACK, input.config, "outputs");
  const types = new Set(synthetic.map((r) => r.type)).size;
  // Interleaved full/empty pairs, so a load spike on the machine hits both packs alike.
  const fullRuns: Awaited<ReturnType<typeof analyzerThroughput>>[] = [];
  const emptyRuns: typeof fullRuns = [];
  for (let i = 0; i < options.runs; i++) {
    fullRuns.push(await analyzerThroughput(DEFAULT_PACK_DIR, STACK, synthetic, syntheticStack));
    emptyRuns.push(await analyzerThroughput(EMPTY_PACK, STACK, synthetic, syntheticStack));
  }
  const medianRun = (runs: typeof fullRuns) =>
    [...runs].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(runs.length / 2)];
  const full = medianRun(fullRuns);
  const empty = medianRun(emptyRuns);
  out();
  out(
    `Policy evaluation: ${synthetic.length} resources (${run.resources.length} of ${STACK} replicated, ${types} types), Analyze with ${IN_FLIGHT} in flight, median of ${options.runs} interleaved runs`,
  );
  out(
    `  full pack    ${full.perSecond.toFixed(0).padStart(6)} resources/s   (${seconds(full.analyzeMs)}, ${full.violations} diagnostics)`,
  );
  out(
    `  empty pack   ${empty.perSecond.toFixed(0).padStart(6)} resources/s   (${seconds(empty.analyzeMs)})`,
  );
  out(
    `  ratio        ${((full.perSecond / empty.perSecond) * 100).toFixed(1)}% of the protocol's floor (goal >= 70%)`,
  );
  out(
    `  each run     ${fullRuns.map((f, i) => `${((f.perSecond / emptyRuns[i].perSecond) * 100).toFixed(1)}%`).join(", ")}`,
  );
  out(
    `  AnalyzeStack over all ${synthetic.length}: full pack ${seconds(full.stackMs)}, empty pack ${seconds(empty.stackMs)}`,
  );
  const own = process.resourceUsage().maxRSS * 1024;
  out(
    `  peak memory: full pack process ${full.peakRss ? mib(full.peakRss) : "n/a"}, empty pack process ${empty.peakRss ? mib(empty.peakRss) : "n/a"}, this process ${mib(own)}`,
  );
  out();
  out("Estimated monthly cost (@platform/model, committed price table; standbys while passive)");
  const deployLines: string[] = [];
  // Standbys read their primary's outputs, so their runs come after the primaries'.
  const outputs = new Map<string, Record<string, unknown>>([[STACK, run.outputs]]);
  for (const stack of listStacks().sort(
    (a, b) =>
      Number(loadStackInput(a).config["platform:role"] === "standby") -
      Number(loadStackInput(b).config["platform:role"] === "standby"),
  )) {
    const stackInput = loadStackInput(stack);
    const stackOutputs = await referencedOutputs(loadProgram(), stackInput, outputs);
    const resources =
      stack === STACK
        ? run.resources
        : (
            await runStackProgram(loadProgram(), stackInput, {
              firstDeploy: false,
              stackOutputs,
            })
          ).run.resources;
    const asBuilt = estimateStack(fromRecordedResources(resources));
    const baseline = estimateStack(fromRecordedResources(resources), { onDemandX86: true });
    const saving = baseline.monthly - asBuilt.monthly;
    out(
      `  ${stack.padEnd(18)} USD ${usd(asBuilt.monthly)}   every pool on-demand x86 USD ${usd(baseline.monthly)}   spot and Graviton save USD ${usd(saving)} (${((saving / baseline.monthly) * 100).toFixed(0)}%)`,
    );
    const estimate = estimateFirstDeploy(resourceEntries(resources));
    deployLines.push(
      `  ${stack.padEnd(18)} ${formatDuration(estimate.seconds).padStart(12)}   critical path: ${estimate.criticalPath
        .map((s) => `${s.urn.split("::").pop()} ${formatDuration(s.seconds)}`)
        .join(" -> ")}`,
    );
  }
  out();
  out(
    "Estimated first `pulumi up` (critical path over the recorded dependencies; docs/architecture.md)",
  );
  for (const line of deployLines) out(line);
}
