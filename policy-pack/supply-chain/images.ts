/**
 * Where workload images come from: every container image of a Kubernetes workload the program
 * declares is pulled from an allowed registry (by default any ECR private registry: the stack's own
 * repositories and its pull-through cache), never straight from Docker Hub, quay.io, ghcr.io or
 * registry.k8s.io. `latest` and untagged images are refused by k8s-pinned-images.
 */
import { imagesInValues, isUnknown, valuesImageReference } from "@platform/model";
import { WORKLOAD_TYPES, workloadOf } from "../kubernetes/workloads";
import { configProperty, resourcePolicy } from "../lib/policy";
import { label, undecidable } from "../lib/values";

/**
 * The registry host of an image reference, as the container runtime resolves it: the first path
 * component when it looks like a host (has a dot or a port, or is localhost), else Docker Hub.
 */
export function imageRegistry(image: string): string {
  const first = image.split("/")[0];
  const isHost =
    image.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  return isHost ? first.toLowerCase() : "docker.io";
}

/** `*` matches within one DNS label: `*.dkr.ecr.*.amazonaws.com` never matches `evil.com/x`. */
export function hostMatches(host: string, pattern: string): boolean {
  const escaped = pattern
    .toLowerCase()
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join("[a-z0-9-]+");
  return new RegExp(`^${escaped}$`).test(host);
}

const ALLOWED_REGISTRIES = configProperty.strings(
  ["*.dkr.ecr.*.amazonaws.com"],
  "Registry hosts images may come from; `*` matches one DNS label.",
);

export const k8sAllowedRegistries = resourcePolicy({
  name: "k8s-images-from-allowed-registries",
  description:
    "Checks that every container image comes from an allowed registry (by default ECR private registries: the stack's repositories and pull-through cache), not straight from a public registry.",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: WORKLOAD_TYPES,
  controls: { trivy: ["KSV-0034", "KSV-0035", "KSV-0125"] },
  config: { allowedRegistries: ALLOWED_REGISTRIES },
  validate: (r) => {
    const w = workloadOf(r.type, r.name, r.props);
    for (const { c, path } of w.containers) {
      if (isUnknown(c.image)) undecidable(r.args, [...path, "image"]);
      if (typeof c.image !== "string") continue;
      const host = imageRegistry(c.image);
      if (!r.config.allowedRegistries.some((p: string) => hostMatches(host, p)))
        r.report(
          `${w.what} must pull the image of ${c.name} from an allowed registry: "${c.image}" comes from ${host}; use the stack's ECR pull-through cache (<account>.dkr.ecr.<region>.amazonaws.com/<upstream>/...) from the image table in components/core/images.ts (allowed: ${r.config.allowedRegistries.join(", ")}).`,
        );
    }
  },
});

/** A registry path component: has a dot or a port, or is localhost. */
const HOST_LIKE = /^([^/]+\.[^/]+|[^/]+:\d+|localhost)\//;

export const helmAllowedImages = resourcePolicy({
  name: "helm-release-images-from-allowed-registries",
  description:
    "Checks that every image a Helm release's values name comes from an allowed registry and is not latest.",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: ["kubernetes:helm.sh/v3:Release"],
  controls: { trivy: ["KSV-0013", "KSV-0125"] },
  config: { allowedRegistries: ALLOWED_REGISTRIES },
  validate: (r) => {
    const values = r.props.values;
    if (isUnknown(values)) undecidable(r.args, ["values"]);
    for (const image of imagesInValues(values)) {
      const fields = [image.reference, image.registry, image.repository, image.tag];
      if (fields.some(isUnknown)) undecidable(r.args, ["values", ...image.path.split(".")]);
      // An image that sets neither a registry nor a host in its repository keeps the chart's
      // default registry, which the release does not show (test/supply-chain.test.ts checks those
      // against the charts' vendored defaults).
      const reference = valuesImageReference(image);
      const named = image.reference !== undefined || image.registry || HOST_LIKE.test(reference);
      const where = `${label("Helm release", r.name)} values ${image.path}`;
      if (named) {
        const host = imageRegistry(reference);
        if (!r.config.allowedRegistries.some((p: string) => hostMatches(host, p)))
          r.report(
            `${where} must name an image from an allowed registry: "${reference}" comes from ${host}; point it at the stack's ECR pull-through cache through the image table in components/core/images.ts (allowed: ${r.config.allowedRegistries.join(", ")}).`,
          );
      }
      if (image.tag === "latest" || /:latest(@|$)/.test(reference))
        r.report(
          `${where} must pin its image: "${reference}" uses the latest tag; set the version tag the chart release runs (or a digest).`,
        );
    }
  },
});

export const imagePolicies = [k8sAllowedRegistries, helmAllowedImages];
