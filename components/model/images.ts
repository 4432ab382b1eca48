/**
 * Container images in Helm values, as charts declare them: an object with a string `repository`
 * and a `tag`, `registry`, `digest` or `sha` beside it, or under a key naming an image (`image`,
 * `kubectlImage`, `imageSpec`); or a string under a key ending in `image` that reads as an image
 * reference. The tests read the pinned charts' defaults this way and the policy pack a release's
 * values, so both agree on what an image is.
 */

/** One image in a values tree: where it sits and what it sets. */
export interface ValuesImage {
  /** Dotted path in the values, arrays as `[i]`, e.g. `prometheusOperator.image`. */
  readonly path: string;
  readonly registry?: string;
  readonly repository?: string;
  readonly tag?: string;
  /** `digest`, or `sha` in the charts that call it so. */
  readonly digest?: string;
  /** The whole reference, for images a chart takes as one string. */
  readonly reference?: string;
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

/** Whether `key: value` in a values tree is an image. */
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

/**
 * The image fields an image object sets (`sha` read as `digest`). An empty string is kept: a
 * release that sets `registry: ""` means no registry, not the chart's default one.
 */
export function imageFields(node: Record<string, unknown>): Omit<ValuesImage, "path"> {
  const fields: Record<string, string> = {};
  for (const key of ["registry", "repository", "tag", "digest", "sha"]) {
    const value = stringField(node, key);
    if (value !== undefined) fields[key === "sha" ? "digest" : key] = value;
  }
  return fields;
}

/** Every image in a values tree, in document order. */
export function imagesInValues(values: unknown, prefix = ""): ValuesImage[] {
  const found: ValuesImage[] = [];
  const walk = (node: unknown, at: string) => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${at}[${i}]`));
      return;
    }
    if (!isRecord(node)) return;
    for (const [key, value] of Object.entries(node)) {
      const here = at ? `${at}.${key}` : key;
      if (!isImageNode(key, value)) walk(value, here);
      else if (typeof value === "string") found.push({ path: here, reference: value });
      else found.push({ path: here, ...imageFields(value as Record<string, unknown>) });
    }
  };
  walk(values, prefix);
  return found;
}

/** `registry/repository:tag@digest`, or the whole reference of a string image. */
export function valuesImageReference(image: ValuesImage, registry = image.registry): string {
  if (image.reference !== undefined) return image.reference;
  const name = [registry, image.repository].filter((s) => s).join("/");
  return `${name}${image.tag ? `:${image.tag}` : ""}${image.digest ? `@${image.digest}` : ""}`;
}
