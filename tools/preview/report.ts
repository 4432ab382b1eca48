/**
 * The preview's report as data: what `--json` prints and what the text and markdown renderers
 * read. Inputs are rendered for people (secrets as `[secret]`, unknowns marked); any secret value
 * that reaches a policy message is redacted too.
 */
import { providerUrn } from "../analyzer";
import {
  displayValue,
  OUTPUT_VALUE_SIG,
  RecordedResource,
  SECRET_PLACEHOLDER,
  SECRET_SIG,
  SIG_KEY,
  UNKNOWN,
} from "../mock-engine";
import { CostChange, CostEstimate } from "./cost";
import { DeployEstimate, estimateUpdate } from "./deploy-time";
import { diffResources, ResourceDiff } from "./diff";
import { NotRun, PolicyOutcome, Violation } from "./policy";
import { ProgramMessage } from "./program-run";

export interface ResourceEntry {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string | null;
  /** URN of the provider the resource is created with. */
  readonly provider: string | null;
  readonly custom: boolean;
  /** A multi-language component (e.g. eks:index:Cluster): one registration, children not visible. */
  readonly remote: boolean;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly deleteBeforeReplace: boolean;
  readonly ignoreChanges: readonly string[];
  readonly replaceOnChanges: readonly string[];
  /** URNs this resource waits for: its property dependencies and `dependsOn`. */
  readonly dependencies: readonly string[];
  /** Inputs for people: secrets `[secret]`, unknowns `(known after deploy)`. */
  readonly inputs: unknown;
  /** Property paths whose value is unknown until the cloud computes it (first deploy). */
  readonly unknownInputs: readonly string[];
}

export interface Comparison {
  readonly file: string;
  /** What `pulumi up` would change, resource by resource. */
  readonly diff: ResourceDiff;
  readonly cost: CostChange | null;
  /** How long applying the diff would take (changed resources only). */
  readonly updateTime: DeployEstimate;
}

export interface StackReport {
  readonly stack: string;
  readonly region: string;
  readonly accountId: string;
  readonly mode: "update" | "first-deploy";
  readonly configFile: string;
  readonly resources: readonly ResourceEntry[];
  /** What the program logged: warnings of pulumi.log.warn, console output. */
  readonly messages: readonly ProgramMessage[];
  readonly policies: {
    readonly pack: string;
    readonly version: string;
    readonly configFile: string | null;
    readonly evaluated: PolicyOutcome["evaluated"];
    readonly violations: readonly Violation[];
    /** Policies the runtime could not run because an input was unknown (advisory). */
    readonly notRun: readonly NotRun[];
  };
  readonly cost: CostEstimate | null;
  /** Estimated duration of a first `pulumi up` of the stack, and its critical path. */
  readonly deployTime: DeployEstimate;
  /** The stack as a Mermaid flowchart (with --diagram). */
  readonly diagram?: string;
  readonly comparison?: Comparison;
  readonly timings: {
    /** Loading the program's modules (first stack of a run only). */
    readonly loadMs: number;
    /** Running the program under the mock engine. */
    readonly programMs: number;
    /** From the program's end to the last policy result (includes waiting for the pack to start). */
    readonly policyMs: number;
    /** Wall time of this stack; for the first stack of a run, since the process started. */
    readonly totalMs: number;
  };
}

export interface MultiStackReport {
  readonly stacks: readonly StackReport[];
  readonly timings: { readonly totalMs: number };
}

/** Paths (`vpcId`, `tags.Name`, `ingress[0].cidrBlocks`) under which the wire value is unknown. */
export function unknownPaths(value: unknown, prefix = ""): string[] {
  if (value === UNKNOWN) return [prefix];
  if (Array.isArray(value)) return value.flatMap((v, i) => unknownPaths(v, `${prefix}[${i}]`));
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[SIG_KEY] === SECRET_SIG) return unknownPaths(obj.value, prefix);
    if (obj[SIG_KEY] === OUTPUT_VALUE_SIG) {
      return "value" in obj ? unknownPaths(obj.value, prefix) : [prefix];
    }
    return Object.entries(obj).flatMap(([k, v]) => unknownPaths(v, prefix ? `${prefix}.${k}` : k));
  }
  return [];
}

/** Every plaintext string held in a secret anywhere in the wire value. */
function secretStrings(value: unknown, inSecret: boolean, into: Set<string>): void {
  if (typeof value === "string") {
    if (inSecret && value.length >= 4) into.add(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) secretStrings(v, inSecret, into);
    return;
  }
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const secret =
      obj[SIG_KEY] === SECRET_SIG || (obj[SIG_KEY] === OUTPUT_VALUE_SIG && obj.secret === true);
    for (const v of Object.values(obj)) secretStrings(v, inSecret || secret, into);
  }
}

/** Replaces every known secret value in text (longest first, so no fragment survives). */
export function makeRedactor(
  resources: readonly RecordedResource[],
  extra: readonly string[],
): (text: string) => string {
  const secrets = new Set<string>(extra.filter((s) => s.length >= 4));
  for (const r of resources) secretStrings(r.inputs, false, secrets);
  const ordered = [...secrets].sort((a, b) => b.length - a.length);
  return (text) => ordered.reduce((t, s) => t.split(s).join(SECRET_PLACEHOLDER), text);
}

export function resourceEntries(resources: readonly RecordedResource[]): ResourceEntry[] {
  return resources.map((r) => ({
    urn: r.urn,
    type: r.type,
    name: r.name,
    parent: r.parent ?? null,
    provider: r.provider ? providerUrn(r.provider) : null,
    custom: r.custom,
    remote: r.remote,
    protect: r.options.protect,
    retainOnDelete: r.options.retainOnDelete,
    deleteBeforeReplace: r.options.deleteBeforeReplace,
    ignoreChanges: r.options.ignoreChanges,
    replaceOnChanges: r.options.replaceOnChanges,
    dependencies: [
      ...new Set([...r.dependencies, ...Object.values(r.propertyDependencies).flat()]),
    ],
    inputs: displayValue(r.inputs),
    unknownInputs: unknownPaths(r.inputs),
  }));
}

export function hasMandatoryViolation(report: StackReport): boolean {
  return report.policies.violations.some((v) => v.level === "mandatory" || v.level === "remediate");
}

/** Compares with a previous `--json` report of the same stack (single or `--all` document). */
export function compareWith(
  file: string,
  previous: unknown,
  current: StackReport,
  costChange: (before: CostEstimate | null | undefined) => CostChange | null,
): Comparison | undefined {
  const doc = previous as Partial<StackReport & MultiStackReport>;
  const candidates: Partial<StackReport>[] = Array.isArray(doc.stacks) ? doc.stacks : [doc];
  const before = candidates.find((s) => s.stack === current.stack);
  if (!before) return undefined;
  const diff = diffResources(before.resources ?? [], current.resources);
  return {
    file,
    diff,
    cost: costChange(before.cost),
    updateTime: estimateUpdate(current.resources, diff),
  };
}

/** The preview's own check, beside the pack's: a secret config value must stay a secret. */
export const SECRET_IN_PLAINTEXT = "preview-secret-in-plaintext";

/** Paths under which `needle` appears in the wire value outside any secret. */
function plaintextPaths(value: unknown, needle: string, prefix: string): string[] {
  if (typeof value === "string") return value.includes(needle) ? [prefix] : [];
  if (Array.isArray(value))
    return value.flatMap((v, i) => plaintextPaths(v, needle, `${prefix}[${i}]`));
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[SIG_KEY] === SECRET_SIG) return [];
    if (obj[SIG_KEY] === OUTPUT_VALUE_SIG && obj.secret === true) return [];
    return Object.entries(obj).flatMap(([k, v]) =>
      plaintextPaths(v, needle, prefix ? `${prefix}.${k}` : k),
    );
  }
  return [];
}

/**
 * Every place a secret config value reaches a resource input or a stack output in plaintext (the
 * preview sees it by its placeholder). Such a value would be stored unencrypted in the state.
 */
export function secretsInPlaintext(
  resources: readonly RecordedResource[],
  outputs: Record<string, unknown>,
  placeholders: Readonly<Record<string, string>>,
): Violation[] {
  const found: Violation[] = [];
  const stackUrn = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? "";
  const targets = [
    ...resources.map((r) => ({ urn: r.urn, value: r.inputs as unknown, what: "input" })),
    { urn: stackUrn, value: outputs as unknown, what: "stack output" },
  ];
  for (const [key, placeholder] of Object.entries(placeholders)) {
    for (const t of targets) {
      for (const where of plaintextPaths(t.value, placeholder, "")) {
        found.push({
          policy: SECRET_IN_PLAINTEXT,
          level: "mandatory",
          severity: "critical",
          urn: t.urn,
          message:
            `${t.what === "input" ? "Resource" : "Stack"} must receive the secret config ${key} as a secret: ` +
            `${t.what} ${where} holds it in plaintext. Read it with config.requireSecret("${key.split(":").pop()}") ` +
            `or wrap it in pulumi.secret().`,
        });
      }
    }
  }
  return found;
}
