/**
 * Reads every stack config key, applies the documented defaults and validates them before any
 * resource is declared. All problems are reported together; the error names each key, the value
 * received and what is allowed.
 */
import { Problems, ValidationError } from "@platform/core";
import { secretPlaceholder } from "../stack-files";
import { AWS_REGIONS } from "./regions";
import {
  ConfigContext,
  ConfigSection,
  configKey,
  KeySpec,
  KeySpecs,
  NAMESPACE,
  OtherStack,
} from "./schema";

export interface RawStackConfig {
  readonly stack: string;
  /** Config as the engine hands it to the program: every value a string, structured values as JSON. */
  readonly config: Readonly<Record<string, string>>;
  /** Fully qualified keys whose values are stored encrypted. */
  readonly secretKeys: readonly string[];
}

export interface LoadContext {
  readonly today: string;
  readonly otherStacks: readonly OtherStack[];
  readonly secret: ConfigContext["secret"];
}

/** Keys of other namespaces the program reads; the explicit providers take nothing else from config. */
const FOREIGN_KEYS = ["aws:region"];

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** The known key closest to a misspelt one, if it is close enough to be the likely intent. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 4)) ? best : undefined;
}

/** What a message shows in place of a value that is, or may be, a secret. */
const HIDDEN_VALUE = "(value hidden: the key is or resembles a secret's)";

/** Words in the names of keys that hold credentials. */
const SECRET_WORDS = /pass|secret|token|credential|webhook|routing.?key|api.?key|private/i;

/**
 * True when an unknown key's value must not be echoed: it is stored encrypted, it is a near miss of
 * a secret key (a typo of `alertSmtpPassword` holds a password), or its name says it holds one.
 */
function mayHoldSecret(
  key: string,
  suggestion: string | undefined,
  raw: RawStackConfig,
  specs: KeySpecs,
): boolean {
  if (raw.secretKeys.includes(key) || SECRET_WORDS.test(key)) return true;
  const suggested = suggestion?.slice(NAMESPACE.length + 1);
  return suggested !== undefined && specs[suggested]?.secret === true;
}

function describeType(spec: KeySpec): string {
  if (spec.type === "array") return `a list of ${spec.items ?? "string"}s`;
  if (spec.type === "integer") return "a whole number";
  return `a ${spec.type}`;
}

function parseValue(raw: string, spec: KeySpec): { ok: true; value: unknown } | { ok: false } {
  switch (spec.type) {
    case "string":
      return { ok: true, value: raw };
    case "integer": {
      if (!/^-?\d+$/.test(raw.trim())) return { ok: false };
      // Beyond 2^53 a number no longer reads back as written: the section's range check then
      // rejects the text itself, quoted as written, with its range.
      const value = Number(raw);
      return { ok: true, value: Number.isSafeInteger(value) ? value : raw.trim() };
    }
    case "boolean":
      return raw === "true" || raw === "false"
        ? { ok: true, value: raw === "true" }
        : { ok: false };
    case "array": {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        return { ok: false };
      }
      const itemOk = (item: unknown) =>
        spec.items === "integer" ? Number.isInteger(item) : typeof item === "string";
      return Array.isArray(parsed) && parsed.every(itemOk)
        ? { ok: true, value: parsed }
        : { ok: false };
    }
  }
}

export type SectionsConfig<S extends Record<string, ConfigSection<unknown>>> = {
  readonly [K in keyof S]: S[K] extends ConfigSection<infer T> ? T : never;
};

/** All keys of all sections, checked for duplicates (a programming error, not a config error). */
export function allKeySpecs(sections: Record<string, ConfigSection<unknown>>): KeySpecs {
  const specs: Record<string, KeySpec> = {};
  for (const [sectionName, section] of Object.entries(sections)) {
    for (const [name, spec] of Object.entries(section.keys)) {
      if (name in specs)
        throw new Error(
          `config key ${configKey(name)} is declared twice (again in section ${sectionName})`,
        );
      specs[name] = spec;
    }
  }
  return specs;
}

export function loadStackConfig<S extends Record<string, ConfigSection<unknown>>>(
  sections: S,
  raw: RawStackConfig,
  load: LoadContext,
): SectionsConfig<S> {
  const specs = allKeySpecs(sections);
  const knownKeys = [...Object.keys(specs).map(configKey), ...FOREIGN_KEYS];
  const problems = new Problems();

  for (const key of Object.keys(raw.config)) {
    if (knownKeys.includes(key) || key.startsWith("pulumi:")) continue;
    const suggestion = closestKey(key, knownKeys);
    const belongsHere = key.startsWith(`${NAMESPACE}:`) || key.startsWith("aws:");
    if (suggestion !== undefined || belongsHere) {
      problems.add(
        key,
        mayHoldSecret(key, suggestion, raw, specs) ? HIDDEN_VALUE : raw.config[key],
        suggestion
          ? `be a known key: did you mean ${suggestion}?`
          : "be a known key (this program does not read it; see Pulumi.yaml for the keys that exist)",
      );
    }
  }

  const region = raw.config["aws:region"];
  problems.check(
    region !== undefined && AWS_REGIONS.includes(region),
    "aws:region",
    region,
    'be an AWS region such as "us-west-2"',
  );

  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const key = configKey(name);
    const rawValue = raw.config[key];
    if (spec.secret) {
      if (rawValue !== undefined) {
        problems.check(
          raw.secretKeys.includes(key),
          key,
          HIDDEN_VALUE,
          `be stored encrypted: pulumi config set --secret ${key}`,
        );
        if (spec.format && rawValue !== secretPlaceholder(key)) {
          problems.check(
            spec.format.test(rawValue),
            key,
            "(secret value hidden)",
            spec.format.allowed,
          );
        }
      } else if (spec.default === undefined && !spec.optional) {
        problems.add(
          key,
          undefined,
          `be set with pulumi config set --secret ${key} (${spec.description})`,
        );
      }
      continue;
    }
    if (rawValue === undefined) {
      if (spec.default === undefined) problems.add(key, undefined, `be set (${spec.description})`);
      else values[name] = spec.default;
      continue;
    }
    const parsed = parseValue(rawValue, spec);
    if (parsed.ok) values[name] = parsed.value;
    else problems.add(key, rawValue, `be ${describeType(spec)}`);
  }
  // Section checks rely on well-typed values: report missing and mistyped keys first.
  problems.throwIfAny(`Stack config of ${raw.stack}`);

  const context: ConfigContext = {
    stack: raw.stack,
    region: region!,
    secret: load.secret,
    today: load.today,
    otherStacks: load.otherStacks,
  };
  const built: Record<string, unknown> = {};
  for (const [sectionName, section] of Object.entries(sections)) {
    built[sectionName] = section.build(values, problems, context);
  }
  problems.throwIfAny(`Stack config of ${raw.stack}`);
  return built as SectionsConfig<S>;
}

export { ValidationError };
