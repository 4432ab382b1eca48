/**
 * The policy pack settings a stack's own config decides, so that a new region is one
 * `Pulumi.<stack>.yaml` and nothing else: the regions `allowed-regions` accepts are the stack's
 * region and, for a primary, its DR region; the registry images may come from is the stack's own
 * (its pull-through cache and repositories); workloads in its application namespaces pin images
 * by digest, as admission requires there. `npm run gen:policy-config` writes them into
 * `policy-pack/config/<stack>.json` (which `pulumi preview --policy-pack-config` reads in CI), keeping
 * every setting made there by hand; the offline preview applies them to whatever file it reads.
 */
import { registryHost } from "@platform/core";
import type { PolicyPackConfig } from "../analyzer";

/** A list-valued stack config value (the stack file's YAML list, as JSON). */
function parseList(value: string | undefined): string[] {
  if (!value) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

/** The settings derived from a stack's config, by policy. */
export function derivedPolicyConfig(
  stackConfig: Readonly<Record<string, string>>,
): PolicyPackConfig {
  // A standby creates nothing in its primary's region (it reads the primary through a stack
  // reference); a primary also creates its DR copies in its DR region.
  const standby = stackConfig["platform:role"] === "standby";
  const regions = [
    stackConfig["aws:region"],
    standby ? undefined : stackConfig["platform:drRegion"],
  ].filter((region): region is string => typeof region === "string" && region !== "");
  const account = stackConfig["platform:accountId"];
  const region = stackConfig["aws:region"];
  // Admission (components/admission) denies a tag without a digest in the application namespaces.
  const applicationNamespaces = parseList(stackConfig["platform:applicationNamespaces"]);
  return {
    "allowed-regions": { allowedRegions: [...new Set(regions)] },
    ...(applicationNamespaces.length > 0
      ? { "k8s-pinned-images": { digestNamespaces: applicationNamespaces } }
      : {}),
    // Both image policies read the same list: the stack pulls from its own region's registry only.
    ...(account && region
      ? Object.fromEntries(
          ["k8s-images-from-allowed-registries", "helm-release-images-from-allowed-registries"].map(
            (policy) => [policy, { allowedRegistries: [registryHost(account, region)] }],
          ),
        )
      : {}),
  };
}

/** `config` with the derived settings in place of its own (other settings and policies kept). */
export function withDerived(
  config: PolicyPackConfig,
  stackConfig: Readonly<Record<string, string>>,
): PolicyPackConfig {
  const merged: Record<string, unknown> = { ...config };
  for (const [policy, settings] of Object.entries(derivedPolicyConfig(stackConfig))) {
    const own = config[policy];
    // A bare enforcement level becomes the object form, keeping the level.
    const base = typeof own === "string" ? { enforcementLevel: own } : (own ?? {});
    merged[policy] = { ...base, ...(settings as object) };
  }
  return merged as PolicyPackConfig;
}
