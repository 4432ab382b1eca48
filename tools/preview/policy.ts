/**
 * The policy side of the preview: makes sure the pack is compiled, starts it as the Pulumi CLI does
 * (tools/analyzer), and sends what the engine would send: `Analyze` for every registered resource
 * (its inputs, options and provider) and one `AnalyzeStack` for the whole stack.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ValidationError } from "../../components/core/validation";
import { PROJECT_NAME, PROJECT_ROOT } from "../../stacks/stack-files";
import { withDerived } from "../policy-config/derive";
import {
  AnalyzerResource,
  EnforcementLevel,
  PolicyPackConfig,
  PolicyPackSession,
  PolicyResult,
  startPolicyPack,
  toAnalyzerResource,
  toAnalyzerResources,
} from "../analyzer";
import { RecordedResource } from "../mock-engine";
import { PreviewError } from "./program-run";

export const DEFAULT_PACK_DIR = path.join(PROJECT_ROOT, "policy-pack");

/**
 * Newest modification time of what a pack compiles from in `dir`: its TypeScript (tests excluded)
 * and JSON (tsconfig, and data the pack imports, such as the price table). Policy configs
 * (`config/`) are read at preview time, not compiled.
 */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (["bin", "node_modules", "test", "config"].includes(entry.name)) continue;
    if (entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (/\.(ts|json)$/.test(entry.name) && !/\.(test|d)\.ts$/.test(entry.name)) {
      newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  }
  return newest;
}

interface PackManifest {
  readonly main?: string;
  readonly scripts?: Readonly<Record<string, string>>;
  readonly dependencies?: Readonly<Record<string, string>>;
}

/**
 * Where a pack's sources are: its own directory, and that of each workspace package it depends on
 * (a dependency whose real path is outside node_modules, such as @platform/model), which its build
 * compiles into it.
 */
function sourceDirs(packDir: string, manifest: PackManifest): string[] {
  const dirs = [packDir];
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    let manifestFile: string;
    try {
      manifestFile = require.resolve(`${name}/package.json`, { paths: [packDir] });
    } catch {
      continue; // not installed, or a package that does not expose its package.json
    }
    const dir = fs.realpathSync(path.dirname(manifestFile));
    if (!dir.split(path.sep).includes("node_modules")) dirs.push(dir);
  }
  return dirs;
}

/**
 * Builds a TypeScript pack when its entry point is missing or older than a source (its own, or a
 * workspace package it bundles): with its `build` script when it has one, else `tsc -p
 * tsconfig.json`. A pack in plain JavaScript (no tsconfig.json) is used as it is. Returns a note
 * when it built.
 */
export function ensurePackBuilt(packDir: string): string | undefined {
  const pkgFile = path.join(packDir, "package.json");
  if (!fs.existsSync(pkgFile)) throw new PreviewError(`policy pack ${packDir} has no package.json`);
  const manifest = JSON.parse(fs.readFileSync(pkgFile, "utf8")) as PackManifest;
  const main = path.join(packDir, manifest.main ?? "index.js");
  const tsconfig = path.join(packDir, "tsconfig.json");
  const relative = path.relative(process.cwd(), packDir) || ".";
  if (!fs.existsSync(tsconfig)) {
    if (!fs.existsSync(main))
      throw new PreviewError(`policy pack entry point ${main} does not exist`);
    return undefined;
  }
  const built = fs.existsSync(main) ? fs.statSync(main).mtimeMs : 0;
  const newest = Math.max(...sourceDirs(packDir, manifest).map(newestSource));
  if (built > 0 && newest <= built) return undefined;
  const [command, args, shown] = manifest.scripts?.build
    ? ["npm", ["run", "build", "--silent"], "npm run build"]
    : [
        process.execPath,
        [require.resolve("typescript/bin/tsc", { paths: [PROJECT_ROOT] }), "-p", tsconfig],
        `tsc -p ${path.relative(process.cwd(), tsconfig)}`,
      ];
  const result = spawnSync(command, args, { cwd: packDir, encoding: "utf8" });
  if (result.status !== 0 || !fs.existsSync(main)) {
    const output =
      `${result.stdout ?? ""}${result.stderr ?? ""}${result.error?.message ?? ""}`.trim();
    throw new PreviewError(
      `policy pack ${relative} does not build (${shown}):\n` +
        output.split("\n").slice(0, 20).join("\n"),
      output,
    );
  }
  return `built the policy pack (${relative}: sources newer than ${path.relative(packDir, main)})`;
}

/** `policy-pack/config/<stack>.json` for the default pack, or the file given. */
export function readPolicyConfig(
  packDir: string,
  stack: string,
  file?: string,
): { config: PolicyPackConfig; file?: string } {
  const candidate = file ?? path.join(packDir, "config", `${stack}.json`);
  if (!fs.existsSync(candidate)) {
    if (file) throw new PreviewError(`policy config ${file} does not exist`);
    return { config: {} };
  }
  try {
    return { config: JSON.parse(fs.readFileSync(candidate, "utf8")), file: candidate };
  } catch (err) {
    throw new PreviewError(
      `policy config ${candidate} is not valid JSON: ${(err as Error).message}`,
    );
  }
}

export interface Violation {
  readonly policy: string;
  readonly level: EnforcementLevel;
  readonly severity: string;
  /** The resource the violation is about; empty for a stack-wide violation without one. */
  readonly urn: string;
  readonly message: string;
}

/** A policy the runtime could not run on a resource because an input was unknown. */
export interface NotRun {
  readonly policy: string;
  readonly urn: string;
  readonly reason: string;
}

export interface PolicyOutcome {
  readonly pack: { readonly name: string; readonly version: string; readonly dir: string };
  readonly configFile?: string;
  /** Policies that ran, each with the level it ran at. */
  readonly evaluated: readonly { readonly name: string; readonly level: EnforcementLevel }[];
  readonly violations: readonly Violation[];
  readonly notRun: readonly NotRun[];
  /** Milliseconds from the program's end to the last result (Analyze overlaps the program). */
  readonly analyzeMs: number;
}

/** The runtime's words for a policy skipped on an unknown (`@pulumi/policy` server.ts). */
const CANT_RUN = /^can't run policy '([^']+)' from policy pack '[^']*' during preview: ([\s\S]*)$/;

export function classify(results: readonly PolicyResult[]): {
  violations: Violation[];
  notRun: NotRun[];
} {
  const violations: Violation[] = [];
  const notRun: NotRun[] = [];
  for (const r of results) {
    const cantRun = CANT_RUN.exec(r.message);
    if (cantRun && r.level === "advisory") {
      notRun.push({ policy: r.policy, urn: r.urn, reason: cantRun[2] });
    } else {
      // The runtime prefixes the policy's description; the report shows the message alone.
      const message =
        r.description && r.message.startsWith(`${r.description}\n`)
          ? r.message.slice(r.description.length + 1)
          : r.message;
      violations.push({
        policy: r.policy,
        level: r.level,
        severity: r.severity,
        urn: r.urn,
        message,
      });
    }
  }
  return { violations, notRun };
}

export interface PackStart {
  readonly session: Promise<PolicyPackSession>;
  readonly dir: string;
  readonly configFile?: string;
}

/**
 * Starts the pack for a stack (call early: it starts in its own process while the program runs).
 * Errors surface when the session is awaited.
 */
export function startPack(
  packDir: string,
  stack: string,
  options: { policyConfig?: string; stackConfig: Readonly<Record<string, string>> },
): PackStart {
  const read = readPolicyConfig(packDir, stack, options.policyConfig);
  // For the platform's pack, what the stack file decides applies even before
  // `npm run gen:policy-config` commits it (another pack may not have those policies).
  const config =
    path.resolve(packDir) === DEFAULT_PACK_DIR
      ? withDerived(read.config, options.stackConfig)
      : read.config;
  const file = read.file;
  const session = startPolicyPack({
    packDir,
    config,
    stack: { stack, project: PROJECT_NAME, dryRun: true },
    // Generous: on a loaded CI runner the pack's start (loading the SDKs) can take tens of seconds.
    startTimeoutMs: 180_000,
  }).catch((err: unknown) => {
    if (ValidationError.isInstance(err)) {
      throw new PreviewError(`${err.message}\n  (policy config ${file ?? "defaults"})`, err.stack);
    }
    throw new PreviewError(
      `policy pack ${packDir} did not start: ${(err as Error).message}`,
      (err as Error).stack,
      true,
    );
  });
  // Handled where it is awaited; keeps an early failure from counting as unhandled meanwhile.
  session.catch(() => undefined);
  return { session, dir: packDir, configFile: file };
}

/** Requests kept in flight, as the engine's default parallelism does. */
const IN_FLIGHT = 16;

/**
 * Analyzes resources as the program registers them, as the engine does during a preview, so the
 * pack works in its own process while the program still runs; `finish` then sends AnalyzeStack.
 */
export class StreamingAnalysis {
  private readonly registered = new Map<string, RecordedResource>();
  private readonly queue: { index: number; resource: AnalyzerResource }[] = [];
  private readonly results: PolicyResult[][] = [];
  private inFlight = 0;
  private failure: unknown;
  private idle: (() => void) | undefined;
  private count = 0;

  constructor(
    private readonly start: PackStart,
    private readonly stack: string,
    private readonly config: Record<string, string>,
  ) {}

  /** Queues a registration for Analyze (its provider has already been registered). */
  readonly add = (r: RecordedResource): void => {
    this.registered.set(r.urn, r);
    const resource = toAnalyzerResource(r, (u) => this.registered.get(u), this.stack, this.config);
    this.queue.push({ index: this.count++, resource });
    this.pump();
  };

  private pump(): void {
    while (this.inFlight < IN_FLIGHT && this.queue.length > 0) {
      const { index, resource } = this.queue.shift() as (typeof this.queue)[number];
      this.inFlight++;
      this.start.session
        .then((session) => session.analyze([resource]))
        .then(
          (results) => (this.results[index] = results),
          (err: unknown) => (this.failure ??= err),
        )
        .finally(() => {
          this.inFlight--;
          this.pump();
          if (this.inFlight === 0 && this.queue.length === 0) this.idle?.();
        });
    }
  }

  /** Waits for every Analyze, sends AnalyzeStack with the final states, and classifies. */
  async finish(resources: readonly RecordedResource[]): Promise<PolicyOutcome> {
    const session = await this.start.session;
    const begun = performance.now();
    if (this.inFlight > 0 || this.queue.length > 0) {
      await new Promise<void>((resolve) => (this.idle = resolve));
    }
    let results: PolicyResult[];
    try {
      if (this.failure !== undefined) throw this.failure;
      const stackResources = toAnalyzerResources(resources, this.stack, this.config, "outputs");
      results = [...this.results.flat(), ...(await session.analyzeStack(stackResources))];
    } catch (err) {
      throw new PreviewError(
        `policy pack ${session.info.name} failed while analyzing: ${(err as Error).message}`,
        (err as Error).stack,
        true,
      );
    }
    const { violations, notRun } = classify(results);
    return {
      pack: { name: session.info.name, version: session.info.version, dir: this.start.dir },
      configFile: this.start.configFile,
      evaluated: Object.entries(session.config)
        .filter(([, c]) => c.enforcementLevel !== "disabled")
        .map(([name, c]) => ({ name, level: c.enforcementLevel })),
      violations,
      notRun,
      analyzeMs: performance.now() - begun,
    };
  }
}
