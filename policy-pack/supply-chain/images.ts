/**
 * Where workload images come from: every container image of a Kubernetes workload the program
 * declares is pulled from an allowed registry (by default any ECR private registry: the stack's own
 * repositories and its pull-through cache), never straight from Docker Hub, quay.io, ghcr.io or
 * registry.k8s.io. `latest` and untagged images are refused by k8s-pinned-images.
 */
import { isUnknown } from "@platform/model";
import { WORKLOAD_TYPES, workloadOf } from "../kubernetes/workloads";
import { configProperty, resourcePolicy } from "../lib/policy";
import { undecidable } from "../lib/values";

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

export const k8sAllowedRegistries = resourcePolicy({
  name: "k8s-images-from-allowed-registries",
  description:
    "Checks that every container image comes from an allowed registry (by default ECR private registries: the stack's repositories and pull-through cache), not straight from a public registry.",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: WORKLOAD_TYPES,
  controls: { trivy: ["KSV-0034", "KSV-0035", "KSV-0125"] },
  config: {
    allowedRegistries: configProperty.strings(
      ["*.dkr.ecr.*.amazonaws.com"],
      "Registry hosts images may come from; `*` matches one DNS label.",
    ),
  },
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

export const imagePolicies = [k8sAllowedRegistries];
