/**
 * Extracts Trivy's checks (aquasecurity/trivy-checks) for AWS and Kubernetes: the AVD id, title,
 * provider service, and the Terraform resource types or Kubernetes kinds each is known to apply to.
 *
 * What is mechanical and what is not: a Trivy cloud check tests Trivy's provider-neutral state
 * (`input.aws.s3.buckets`), which Trivy's Terraform adapters (in aquasecurity/trivy, not in this
 * repository) fill from Terraform resources. trivy-checks itself names Terraform types only in each
 * check's examples file, which also declares supporting resources (the KMS key of an encryption check,
 * the bucket of a CloudTrail check). So the Terraform types recorded here are "the types its examples
 * declare", to be read with the check's service; checks without Terraform examples are listed by
 * service. Kubernetes checks declare their kinds in the metadata's input selector; when they do not,
 * the kinds of their examples are used.
 */
import * as yaml from "js-yaml";
import type { SourceTree } from "./source-tree";

export const TRIVY_SOURCES = [
  { dir: "checks/cloud/aws", recursive: true },
  { dir: "checks/kubernetes", recursive: false },
] as const;

export interface TrivyCheck {
  /** The AVD id the pack records (`AVD-AWS-0086`, `AVD-KSV-0044`). */
  readonly avdId: string;
  /** The id in the check's metadata (`AWS-0086`, `KSV-0044`). */
  readonly id: string;
  readonly title: string;
  readonly provider: string;
  /** The AWS service (`s3`), or "kubernetes". */
  readonly service: string;
  readonly deprecated: boolean;
  /** Terraform resource types its Terraform examples declare (AWS checks). */
  readonly terraformTypes: readonly string[];
  /** Kubernetes kinds it applies to, and where they come from. */
  readonly kinds: readonly string[];
  readonly kindsFrom: "selector" | "examples" | "none";
  readonly file: string;
}

interface RegoMetadata {
  title?: unknown;
  custom?: {
    id?: unknown;
    aliases?: unknown;
    provider?: unknown;
    service?: unknown;
    deprecated?: unknown;
    examples?: unknown;
    input?: { selector?: { type?: unknown; subtypes?: { kind?: unknown }[] }[] };
  };
}

/** The `# METADATA` comment block at the top of a Rego check, as YAML. */
export function parseRegoMetadata(source: string, file: string): RegoMetadata | undefined {
  const lines = source.split("\n");
  const start = lines.findIndex((l) => l.trim() === "# METADATA");
  if (start < 0) return undefined;
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith("#")) break;
    body.push(line.replace(/^# ?/, ""));
  }
  try {
    return yaml.load(body.join("\n")) as RegoMetadata;
  } catch (e) {
    throw new Error(`${file}: METADATA is not YAML: ${(e as Error).message}`);
  }
}

function exampleStrings(doc: unknown, language: string): string[] {
  const section = (doc as Record<string, { good?: unknown; bad?: unknown }> | undefined)?.[
    language
  ];
  return [section?.good, section?.bad].flatMap((v) =>
    Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : [],
  );
}

/** Terraform resource types declared (`resource "aws_x" "name"`) in an examples file's Terraform. */
export function terraformTypesOfExamples(examplesYaml: string): string[] {
  const types = new Set<string>();
  for (const hcl of exampleStrings(yaml.load(examplesYaml), "terraform")) {
    for (const m of hcl.matchAll(/^\s*resource\s+"([a-z0-9_]+)"/gm)) types.add(m[1]);
  }
  return [...types].sort();
}

/** Kinds of the manifests in an examples file's Kubernetes section. */
export function kindsOfExamples(examplesYaml: string): string[] {
  const kinds = new Set<string>();
  for (const manifest of exampleStrings(yaml.load(examplesYaml), "kubernetes")) {
    for (const m of manifest.matchAll(/^kind:\s*["']?(\w+)/gm)) kinds.add(m[1]);
  }
  return [...kinds].sort();
}

function text(v: unknown): string {
  return typeof v === "string" ? v.trim() : "";
}

/** One check from its Rego source and, when it has one, its examples file. */
export function parseTrivyCheck(
  source: string,
  file: string,
  examples: string | undefined,
): TrivyCheck | undefined {
  const meta = parseRegoMetadata(source, file);
  const custom = meta?.custom;
  const id = text(custom?.id);
  if (!custom || !id) return undefined; // a library module, not a check
  const aliases = Array.isArray(custom.aliases) ? custom.aliases.map(text) : [];
  const avdId = aliases.find((a) => a.startsWith("AVD-")) ?? `AVD-${id}`;
  const selectorKinds = (custom.input?.selector ?? [])
    .flatMap((s) => s.subtypes ?? [])
    .map((s) => text(s.kind))
    .filter(Boolean);
  const exampleKinds = examples ? kindsOfExamples(examples) : [];
  const isKubernetes = (custom.input?.selector ?? []).some((s) => s.type === "kubernetes");
  return {
    avdId,
    id,
    title: text(meta?.title),
    provider: text(custom.provider) || (isKubernetes ? "kubernetes" : ""),
    service: text(custom.service) || (isKubernetes ? "kubernetes" : ""),
    deprecated: custom.deprecated === true,
    terraformTypes: examples ? terraformTypesOfExamples(examples) : [],
    kinds: selectorKinds.length ? selectorKinds : exampleKinds,
    kindsFrom: selectorKinds.length ? "selector" : exampleKinds.length ? "examples" : "none",
    file,
  };
}

function regoFiles(tree: SourceTree, dir: string, recursive: boolean): string[] {
  const own = tree
    .list(dir)
    .filter((f) => f.endsWith(".rego") && !f.endsWith("_test.rego"))
    .map((f) => `${dir}/${f}`);
  if (!recursive) return own;
  return [...own, ...tree.subdirectories(dir).flatMap((d) => regoFiles(tree, `${dir}/${d}`, true))];
}

/** Every AWS and Kubernetes check of TRIVY_SOURCES, sorted by AVD id; fails on an id defined twice. */
export function collectTrivyChecks(tree: SourceTree): TrivyCheck[] {
  const checks: TrivyCheck[] = [];
  for (const source of TRIVY_SOURCES) {
    for (const file of regoFiles(tree, source.dir, source.recursive)) {
      const examplesFile = file.replace(/\.rego$/, ".yaml");
      const check = parseTrivyCheck(
        tree.read(file),
        file,
        tree.exists(examplesFile) ? tree.read(examplesFile) : undefined,
      );
      if (check) checks.push(check);
    }
  }
  const seen = new Map<string, string>();
  for (const c of checks) {
    const other = seen.get(c.avdId);
    if (other) throw new Error(`check id ${c.avdId} is defined in both ${other} and ${c.file}`);
    seen.set(c.avdId, c.file);
  }
  return checks.sort((a, b) => (a.avdId < b.avdId ? -1 : a.avdId > b.avdId ? 1 : 0));
}
