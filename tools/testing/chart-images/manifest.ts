/**
 * Every container image a pinned chart can run, as its default values.yaml declares it, and what
 * a release's values make of each: the reference the chart would render. The manifests are
 * vendored from the charts' repositories at their release tags by vendor.ts (one JSON file a chart
 * version, beside this file), so the check needs neither Helm nor the network.
 *
 * What counts as an image in a values file: an object with a string `repository` and a `tag`,
 * `registry`, `digest` or `sha` beside it, or under a key naming an image (`image`, `kubectlImage`,
 * `imageSpec`); and a string under a key ending in `image` that reads as an image reference.
 */
import * as fs from "fs";
import * as path from "path";

export const CHART_IMAGES_DIR = __dirname;

/** One image of a chart's default values: where it sits and what it defaults to. */
export interface ChartImage {
  /** Dotted path in the chart's values, e.g. `prometheusOperator.image`. */
  readonly path: string;
  readonly registry?: string;
  readonly repository?: string;
  readonly tag?: string;
  readonly digest?: string;
  /** The whole reference, for images the chart takes as one string. */
  readonly reference?: string;
}

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
}

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
   * Images (by path, or path prefix ending in `.`) the chart renders only when a values path is
   * true: they are skipped when the release sets that path to `false` explicitly.
   */
  readonly renderedWhen?: Readonly<Record<string, string>>;
}

const IMAGE_KEY = /image$|^imageSpec$/i;
const IMAGE_FIELDS = ["tag", "registry", "digest", "sha"];
/** `host/path:tag`, `path:tag`, `path@sha256:...`: no spaces, no template braces. */
const IMAGE_STRING =
  /^[a-z0-9][a-z0-9._-]*(?::[0-9]+)?(?:\/[a-z0-9._-]+)*(?::[\w][\w.-]{0,127})?(?:@sha256:[0-9a-f]{64})?$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function stringField(node: Record<string, unknown>, key: string): string | undefined {
  const value = node[key];
  if (typeof value === "number") return String(value);
  return typeof value === "string" ? value : undefined;
}

/** Whether `key: value` in a values file is an image. */
export function isImageNode(key: string, value: unknown): boolean {
  if (isRecord(value)) {
    if (typeof value.repository !== "string") return false;
    return IMAGE_KEY.test(key) || IMAGE_FIELDS.some((f) => f in value);
  }
  return (
    typeof value === "string" &&
    IMAGE_KEY.test(key) &&
    (value.includes("/") || value.includes(":")) &&
    IMAGE_STRING.test(value)
  );
}

/** Every image in a values tree (arrays included: `[0]` in the path). */
export function imagesInValues(values: unknown, prefix = ""): ChartImage[] {
  const found: ChartImage[] = [];
  const walk = (node: unknown, at: string) => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${at}[${i}]`));
      return;
    }
    if (!isRecord(node)) return;
    for (const [key, value] of Object.entries(node)) {
      const here = at ? `${at}.${key}` : key;
      if (isImageNode(key, value)) {
        found.push(
          typeof value === "string"
            ? { path: here, reference: value }
            : {
                path: here,
                registry: stringField(value as Record<string, unknown>, "registry"),
                repository: stringField(value as Record<string, unknown>, "repository"),
                tag: stringField(value as Record<string, unknown>, "tag"),
                digest:
                  stringField(value as Record<string, unknown>, "digest") ??
                  stringField(value as Record<string, unknown>, "sha"),
              },
        );
      } else {
        walk(value, here);
      }
    }
  };
  walk(values, prefix);
  // Keep only the fields that are set, so the vendored JSON has no `undefined` noise.
  return found.map(
    (image) =>
      Object.fromEntries(
        Object.entries(image).filter(([, v]) => v !== undefined && v !== ""),
      ) as unknown as ChartImage,
  );
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

/** The image fields a release sets on a chart's image object (`sha` is some charts' `digest`). */
function imageFields(node: Record<string, unknown>): Partial<ChartImage> {
  const fields: Record<string, string> = {};
  for (const key of ["registry", "repository", "tag", "digest", "sha"]) {
    const value = stringField(node, key);
    if (value !== undefined) fields[key === "sha" ? "digest" : key] = value;
  }
  return fields;
}

function compose(image: ChartImage, registry: string | undefined): string {
  if (image.reference !== undefined) return image.reference;
  const name = [registry, image.repository].filter((s) => s).join("/");
  return `${name}${image.tag ? `:${image.tag}` : ""}${image.digest ? `@${image.digest}` : ""}`;
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
    rendered.push({ path: image.path, reference: compose(merged, registry) });
    overrides.delete(image.path);
  }
  for (const image of overrides.values()) {
    if (skipped(image.path)) continue;
    rendered.push({
      path: image.path,
      reference: compose(
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
