/**
 * Writes the OpenAPI v3 schemas of one CustomResourceDefinition file of a pinned chart into
 * `tools/testing/crd-schemas/<group>_<plural>.json`, for `crdSchemaProblems` to validate the
 * platform's custom resources against exactly the CRDs the platform installs.
 *
 * Reads the CRD YAML (one or more documents) from --input or standard input. Chart templates keep
 * their Go-template lines (`{{ ... }}`) in `metadata` only; those lines are dropped before parsing,
 * and the script refuses a file with a template line inside `spec`. Descriptions are dropped (they
 * do not validate anything); every other keyword is kept as the CRD has it. Only served versions
 * are written; --kind keeps one CRD of a file that holds several. Usage: README.md beside this file.
 */
import * as yaml from "js-yaml";
import * as path from "path";
import * as fs from "fs";
import {
  formatJson,
  parseFlags,
  pinnedSource,
  readInput,
  requireFlag,
  runMain,
  SourceFormatError,
  UsageError,
} from "../../model-data/cli";

export const CRD_SCHEMA_DIR = __dirname;

interface CrdDocument {
  kind?: string;
  spec?: {
    group?: string;
    names?: { kind?: string; plural?: string };
    versions?: { name: string; served: boolean; schema?: { openAPIV3Schema?: unknown } }[];
  };
}

/** The schema without `description` keys (a property named "description" is kept). */
export function withoutDescriptions(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutDescriptions);
  if (schema === null || typeof schema !== "object") return schema;
  return Object.fromEntries(
    Object.entries(schema as Record<string, unknown>)
      .filter(([key]) => key !== "description")
      .map(([key, value]) =>
        key === "properties" || key === "patternProperties"
          ? [
              key,
              Object.fromEntries(
                Object.entries(value as Record<string, unknown>).map(([name, sub]) => [
                  name,
                  withoutDescriptions(sub),
                ]),
              ),
            ]
          : [key, withoutDescriptions(value)],
      ),
  );
}

/** The CRD documents of a (possibly templated) YAML file. */
export function parseCrds(text: string): CrdDocument[] {
  const lines = text.split("\n");
  const specStart = lines.findIndex((line) => /^spec:/.test(line));
  lines.forEach((line, i) => {
    if (line.includes("{{") && specStart !== -1 && i > specStart && !/^\s*{{-? end/.test(line)) {
      throw new SourceFormatError(`template line ${i + 1} inside spec: ${line.trim()}`);
    }
  });
  const plain = lines.filter((line) => !line.includes("{{")).join("\n");
  return (yaml.loadAll(plain) as CrdDocument[]).filter(
    (doc) => doc?.kind === "CustomResourceDefinition",
  );
}

async function main(): Promise<string[]> {
  const flags = parseFlags(process.argv.slice(2), [
    "repository",
    "path",
    "ref",
    "commit",
    "commit-date",
    "input",
    "kind",
  ]);
  const repository = requireFlag(flags, "repository", "owner/name of the chart's repository");
  const ref = requireFlag(flags, "ref", "the chart's release tag, e.g. v1.14.1");
  const source = pinnedSource(
    repository,
    requireFlag(flags, "path", "the CRD file's path in the repository"),
    requireFlag(flags, "commit", "the tag's commit"),
    requireFlag(flags, "commit-date", "the commit's date"),
  );
  const kind = flags.get("kind");
  const crds = parseCrds(await readInput(flags.get("input"))).filter(
    (crd) => kind === undefined || crd.spec?.names?.kind === kind,
  );
  if (crds.length === 0) {
    throw new UsageError(
      `no CustomResourceDefinition${kind ? ` of kind ${kind}` : ""} in the input`,
    );
  }
  const written: string[] = [];
  for (const crd of crds) {
    const { group, names, versions } = crd.spec ?? {};
    if (!group || !names?.kind || !names.plural || !versions) {
      throw new SourceFormatError("a CRD without spec.group, spec.names or spec.versions");
    }
    const served = versions.filter((v) => v.served);
    const schemas = Object.fromEntries(
      served.map((v) => {
        if (!v.schema?.openAPIV3Schema) {
          throw new SourceFormatError(`${names.kind} ${v.name} has no openAPIV3Schema`);
        }
        return [v.name, withoutDescriptions(v.schema.openAPIV3Schema)];
      }),
    );
    const file = path.join(CRD_SCHEMA_DIR, `${group}_${names.plural}.json`);
    const value = { source: { ...source, ref }, group, kind: names.kind, versions: schemas };
    fs.writeFileSync(file, await formatJson(file, value));
    written.push(file);
  }
  return written;
}

if (require.main === module) runMain(main);
