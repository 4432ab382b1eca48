/**
 * Every container image a pinned chart can run, as its default values.yaml declares it, and what
 * a release's values make of each: the reference the chart would render. The manifests are
 * vendored from the charts' repositories at their release tags by vendor.ts (one JSON file a chart
 * version, beside this file), so the check needs neither Helm nor the network. What counts as an
 * image is @platform/model's `imagesInValues`, which the policy pack reads releases with too.
 */
import {
  imageFields,
  imagesInValues,
  valuesImageReference,
  type ValuesImage,
} from "@platform/model";
import * as fs from "fs";
import * as path from "path";

export const CHART_IMAGES_DIR = __dirname;

/** One image of a chart's default values: where it sits and what it defaults to. */
export type ChartImage = ValuesImage;

export interface ChartImageManifest {
  readonly chart: string;
  readonly version: string;
  /** The values files read, each pinned to a commit; subcharts' under their alias (`prefix`). */
  readonly sources: readonly {
    readonly repository: string;
    readonly ref: string;
    readonly path: string;
    readonly commit: string;
    readonly commitDate: string;
    readonly prefix?: string;
  }[];
  readonly images: readonly ChartImage[];
  /** Every key of the chart's default values (subcharts' under their alias): see `KeyTree`. */
  readonly keys: KeyTree;
}

/**
 * The keys of a values file: a mapping for a mapping with keys, `1` for a scalar, `"*"` where the
 * chart takes anything (an empty mapping, a list, or null by default: annotations, extra
 * containers, free-form configuration).
 */
export type KeyTree = { readonly [key: string]: KeyTree } | 1 | "*";

export function keyTree(values: unknown): KeyTree {
  if (values === null || values === undefined || Array.isArray(values)) return "*";
  if (typeof values !== "object") return 1;
  const entries = Object.entries(values as Record<string, unknown>);
  if (entries.length === 0) return "*";
  return Object.fromEntries(entries.map(([k, v]) => [k, keyTree(v)]));
}

/**
 * Objects the chart hands to Kubernetes as they are (`toYaml`): their fields are the API's, checked
 * by the Kubernetes schema, not the chart's defaults.
 */
const PASS_THROUGH =
  /(securityContext|SecurityContext|nodeSelector|resources|annotations|Annotations|labels|Labels|affinity|Affinity)$/;

/**
 * How a chart's templates compose an image from its values, where that differs from
 * `registry/repository:tag@digest` per image.
 */
export interface ChartImageRules {
  /**
   * Values paths of a registry that replaces every image's own `registry` when set (e.g.
   * `global.imageRegistry`), first set wins. Charts apply it only to images with a `registry` key.
   */
  readonly globalRegistry?: readonly string[];
  /**
   * Values paths a template reads although the chart's values.yaml does not set them (commented
   * out there), each with the template that reads it; a path ending in `.` is a mapping the
   * template renders whole (configuration files), so every key below it is read.
   */
  readonly templateKeys?: Readonly<Record<string, string>>;
  /**
   * Images (by path, or path prefix ending in `.`) the chart renders only when a values path is
   * true: they are skipped when the release sets that path to `false` explicitly.
   */
  readonly renderedWhen?: Readonly<Record<string, string>>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** `a.b[0].c` into its steps. */
function steps(dotted: string): (string | number)[] {
  return dotted.split(".").flatMap((part) =>
    part
      .split(/\[(\d+)\]/)
      .filter((s) => s !== "")
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
  );
}

export function valueAt(values: unknown, dotted: string): unknown {
  let node: unknown = values;
  for (const step of steps(dotted)) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[step];
  }
  return node;
}

export function manifestFile(chart: string, version: string): string {
  return path.join(CHART_IMAGES_DIR, `${chartName(chart)}-${version}.json`);
}

export function readManifest(chart: string, version: string): ChartImageManifest | undefined {
  const file = manifestFile(chart, version);
  return fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, "utf8")) as ChartImageManifest)
    : undefined;
}

/** What the chart would pull for one image, given the release's values. */
export interface RenderedImage {
  readonly path: string;
  readonly reference: string;
}

/**
 * The image references a release with `values` renders: each of the chart's default images with
 * the release's overrides (field by field, or a whole string), and every further image the values
 * add (sidecars, init containers).
 */
export function renderedImages(
  manifest: ChartImageManifest,
  rules: ChartImageRules,
  values: Record<string, unknown>,
): RenderedImage[] {
  const globalRegistry = (rules.globalRegistry ?? [])
    .map((p) => valueAt(values, p))
    .find((v): v is string => typeof v === "string" && v !== "");
  const skipped = (imagePath: string) =>
    Object.entries(rules.renderedWhen ?? {}).some(
      ([prefix, flag]) =>
        (imagePath === prefix || (prefix.endsWith(".") && imagePath.startsWith(prefix))) &&
        valueAt(values, flag) === false,
    );
  const overrides = new Map(imagesInValues(values).map((image) => [image.path, image]));
  const rendered: RenderedImage[] = [];
  for (const image of manifest.images) {
    if (skipped(image.path)) continue;
    const own = valueAt(values, image.path);
    const merged: ChartImage =
      typeof own === "string"
        ? { path: image.path, reference: own }
        : isRecord(own)
          ? { ...image, ...imageFields(own) }
          : image;
    const registry =
      merged.registry !== undefined ? (globalRegistry ?? merged.registry) : undefined;
    rendered.push({ path: image.path, reference: valuesImageReference(merged, registry) });
    overrides.delete(image.path);
  }
  for (const image of overrides.values()) {
    if (skipped(image.path)) continue;
    rendered.push({
      path: image.path,
      reference: valuesImageReference(
        image,
        image.registry !== undefined ? (globalRegistry ?? image.registry) : undefined,
      ),
    });
  }
  return rendered;
}

/** The chart names CHARTS pins, without an OCI registry path (`oci://.../karpenter` is `karpenter`). */
export function chartName(chart: string): string {
  return chart.replace(/^oci:\/\/.*\//, "");
}

/**
 * The keys a release sets that its chart neither defaults nor reads (a misspelt or moved key is a
 * setting that silently never takes effect): `path` for each, dotted.
 */
export function unknownValueKeys(
  manifest: ChartImageManifest,
  rules: ChartImageRules,
  values: Record<string, unknown>,
): string[] {
  const unknown: string[] = [];
  const readByTemplate = (key: string) =>
    Object.keys(rules.templateKeys ?? {}).some(
      (read) => key === read || (read.endsWith(".") && key.startsWith(read)),
    );
  const walk = (ours: unknown, tree: KeyTree, at: string) => {
    if (tree === "*" || tree === 1 || !isRecord(ours)) return;
    for (const [key, value] of Object.entries(ours)) {
      const here = at ? `${at}.${key}` : key;
      if (key in tree) {
        if (!PASS_THROUGH.test(key)) walk(value, tree[key], here);
      } else if (!readByTemplate(here)) {
        unknown.push(here);
      }
    }
  };
  walk(values, manifest.keys, "");
  return unknown;
}
