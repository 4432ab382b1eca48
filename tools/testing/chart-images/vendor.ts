/**
 * Writes the image manifest of a pinned chart, `tools/testing/chart-images/<chart>-<version>.json`:
 * every image its default values.yaml declares (manifest.ts says what counts as one). A subchart's
 * values are added to the same manifest with --prefix <alias>, its images under that key, as Helm
 * nests them. Reads values.yaml from --input or standard input. Usage: README.md beside this file.
 */
import * as fs from "fs";
import * as yaml from "js-yaml";
import {
  formatJson,
  parseFlags,
  pinnedSource,
  readInput,
  requireFlag,
  runMain,
  SourceFormatError,
} from "../../model-data/cli";
import { imagesInValues } from "@platform/model";
import { ChartImage, ChartImageManifest, keyTree, KeyTree, manifestFile } from "./manifest";

async function main(): Promise<string[]> {
  const flags = parseFlags(process.argv.slice(2), [
    "chart",
    "version",
    "repository",
    "ref",
    "path",
    "commit",
    "commit-date",
    "prefix",
    "input",
  ]);
  const chart = requireFlag(flags, "chart", "the chart's name as CHARTS pins it");
  const version = requireFlag(flags, "version", "the pinned chart version");
  const source = pinnedSource(
    requireFlag(flags, "repository", "owner/name of the chart's repository"),
    requireFlag(flags, "path", "the values.yaml path in the repository"),
    requireFlag(flags, "commit", "the tag's commit"),
    requireFlag(flags, "commit-date", "the commit's date"),
  );
  const ref = requireFlag(flags, "ref", "the chart's release tag");
  const prefix = flags.get("prefix");
  const values = yaml.load(await readInput(flags.get("input")));
  if (values === null || typeof values !== "object") {
    throw new SourceFormatError("the input is not a YAML mapping of chart values");
  }
  const file = manifestFile(chart, version);
  const previous: ChartImageManifest | undefined = fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, "utf8")) as ChartImageManifest)
    : undefined;
  // Re-vendoring one values file replaces what it gave before and keeps the other files' images.
  const others = (previous?.sources ?? []).filter((s) => (s.prefix ?? "") !== (prefix ?? ""));
  const images = [
    ...(previous?.images ?? []).filter((image) =>
      prefix
        ? !image.path.startsWith(`${prefix}.`)
        : others.some((s) => s.prefix && image.path.startsWith(`${s.prefix}.`)),
    ),
    // An empty default (`tag: ""`: the chart's appVersion) is the same as none.
    ...imagesInValues(values, prefix ?? "").map(
      (image) =>
        Object.fromEntries(Object.entries(image).filter(([, v]) => v !== "")) as ChartImage,
    ),
  ].sort((a, b) => a.path.localeCompare(b.path));
  const manifest: ChartImageManifest = {
    chart,
    version,
    sources: [
      ...others,
      {
        repository: source.repository,
        ref,
        path: source.path,
        commit: source.commit,
        commitDate: source.commitDate,
        ...(prefix ? { prefix } : {}),
      },
    ].sort((a, b) => (a.prefix ?? "").localeCompare(b.prefix ?? "")),
    images,
    // A subchart's keys under its alias, as Helm nests its values.
    keys: prefix
      ? {
          ...(typeof previous?.keys === "object" ? previous.keys : {}),
          [prefix]: keyTree(values),
        }
      : {
          ...(keyTree(values) as Record<string, KeyTree>),
          ...Object.fromEntries(
            others
              .filter((s) => s.prefix && typeof previous?.keys === "object")
              .map((s) => [s.prefix, (previous?.keys as Record<string, KeyTree>)[s.prefix!]]),
          ),
        },
  };
  fs.writeFileSync(file, await formatJson(file, manifest));
  return [file];
}

if (require.main === module) runMain(main);
