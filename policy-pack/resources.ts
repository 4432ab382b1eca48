/**
 * Rules every AWS resource follows: cost-allocation tags (own tags merged with the provider's
 * defaultTags), allowed regions (EU stacks stay in the EU), approved instance families, and a
 * preference for Graviton or spot capacity.
 */
import * as taggable from "./generated/aws-taggable-types.json";
import { EKS_COMPONENT } from "./eks";
import { INSTANCE, LAUNCH_TEMPLATE } from "./compute";
import { configProperty, resourcePolicy, type ResourceContext } from "./lib/policy";
import {
  asArray,
  isObject,
  isUnknown,
  jsonish,
  label,
  raw,
  undecidable,
  type Props,
} from "./lib/values";

export const AWS_PROVIDER = "pulumi:providers:aws";
export const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";

/** Mirrors REQUIRED_TAG_KEYS in components/core/tags.ts (a test keeps them equal). */
export const REQUIRED_TAG_KEYS = [
  "platform:stack",
  "platform:environment",
  "platform:cost-center",
  "platform:owner",
];

export const TAGGABLE_TYPES: readonly string[] = taggable.types;

/** Provider defaultTags arrive JSON-encoded; parse each distinct encoding once. */
const defaultTagCache = new Map<string, Props>();
function providerDefaultTags(r: ResourceContext<unknown>): Props {
  const provider = r.args.provider ? raw(r.args.provider.props) : undefined;
  const encoded = provider?.defaultTags;
  if (encoded === undefined || isUnknown(encoded)) return {};
  if (typeof encoded !== "string")
    return isObject(encoded) && isObject(encoded.tags) ? encoded.tags : {};
  let tags = defaultTagCache.get(encoded);
  if (!tags) {
    const parsed = jsonish(encoded);
    tags = isObject(parsed) && isObject(parsed.tags) ? parsed.tags : {};
    if (defaultTagCache.size > 1000) defaultTagCache.clear();
    defaultTagCache.set(encoded, tags);
  }
  return tags;
}

export const requiredTags = resourcePolicy({
  name: "required-cost-allocation-tags",
  description:
    "Checks that every taggable AWS resource carries the cost-allocation tags, from its own tags or its provider's defaultTags.",
  domain: "resources",
  enforcementLevel: "advisory",
  severity: "low",
  resourceTypes: TAGGABLE_TYPES,
  config: {
    requiredKeys: configProperty.strings(
      REQUIRED_TAG_KEYS,
      "Tag keys every taggable resource must carry.",
    ),
  },
  validate: (r) => {
    const defaults = providerDefaultTags(r);
    let missing = r.config.requiredKeys.filter((k) => !defaults[k]);
    if (missing.length === 0) return;
    const own = r.props.tags;
    if (isUnknown(own)) undecidable(r.args, ["tags"]);
    if (isObject(own)) missing = missing.filter((k) => own[k] === undefined || own[k] === "");
    if (missing.length > 0) {
      r.report(
        `${label(r.type, r.name)} must carry the tags ${missing.join(", ")}: create it with the regional provider, whose defaultTags set them (or set them in tags).`,
      );
    }
  },
});

export const allowedRegions = resourcePolicy({
  name: "allowed-regions",
  description:
    "Checks that AWS resources are created only in the stack's allowed regions, through an explicit regional provider.",
  domain: "resources",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: ["aws:*", AWS_PROVIDER],
  config: {
    allowedRegions: configProperty.strings(
      ["us-west-2", "us-east-1", "eu-west-1", "eu-central-1"],
      "Regions this stack may create resources in (EU stacks list EU regions only).",
    ),
  },
  validate: (r) => {
    const allowed = r.config.allowedRegions;
    if (r.type === AWS_PROVIDER) {
      const region = r.props.region;
      if (isUnknown(region)) undecidable(r.args, ["region"]);
      if (typeof region !== "string" || !allowed.includes(region)) {
        r.report(
          `${label("AWS provider", r.name)} must target an allowed region (${allowed.join(", ")}): set region explicitly (got ${JSON.stringify(region ?? "the environment's region")}).`,
        );
      }
      return;
    }
    // Resources may override the provider's region (aws v7 `region` input).
    const override = r.props.region;
    if (override !== undefined) {
      if (isUnknown(override)) undecidable(r.args, ["region"]);
      if (!allowed.includes(override)) {
        r.report(
          `${label(r.type, r.name)} must stay in the allowed regions (${allowed.join(", ")}): remove region ${override} or use the provider of an allowed region.`,
        );
      }
      return;
    }
    const provider = r.args.provider;
    if (!provider) return;
    // The default provider reads the region from the environment: the platform never relies on it.
    if (/::default(_[0-9_]+)?$/.test(provider.urn)) {
      r.report(
        `${label(r.type, r.name)} must be created with the stack's explicit regional aws.Provider (pass { provider }), not the default provider that reads the region from the environment.`,
      );
    }
  },
});

const FAMILY = /^([a-z]+\d+[a-z-]*)\./;

function instanceTypesOf(r: ResourceContext<unknown>): unknown[] {
  if (r.type === NODE_GROUP) return asArray(r.props.instanceTypes);
  return r.props.instanceType === undefined ? [] : [r.props.instanceType];
}

export const approvedInstanceFamilies = resourcePolicy({
  name: "approved-instance-families",
  description:
    "Checks that EC2 capacity uses the approved current-generation instance families (spot capacity may add older ones for pool diversity).",
  domain: "resources",
  enforcementLevel: "advisory",
  severity: "low",
  resourceTypes: [LAUNCH_TEMPLATE, INSTANCE, NODE_GROUP, EKS_COMPONENT],
  config: {
    families: configProperty.strings(
      [
        ...["m6i", "m7i", "c6i", "c7i", "r6i", "r7i"],
        ...["m6a", "m7a", "c6a", "c7a", "r6a", "r7a"],
        ...["m6g", "m7g", "m8g", "c6g", "c7g", "c8g", "r6g", "r7g", "r8g"],
        ...["t3", "t4g"],
      ],
      "Instance families (the part before the dot) the platform may use.",
    ),
    // Spot node groups spread over many pools to find capacity; older generations price lowest.
    spotFamilies: configProperty.strings(
      ["m5", "m5a", "c5", "c5a", "r5", "r5a"],
      "Additional families allowed for SPOT node groups.",
    ),
  },
  validate: (r) => {
    const spot = r.type === NODE_GROUP && r.props.capacityType === "SPOT";
    const allowed = spot ? [...r.config.families, ...r.config.spotFamilies] : r.config.families;
    for (const t of instanceTypesOf(r)) {
      if (typeof t !== "string") continue;
      const family = FAMILY.exec(t)?.[1];
      if (!family || !allowed.includes(family)) {
        r.report(
          `${label(r.type === NODE_GROUP ? "Node group" : "Compute resource", r.name)} must use an approved instance family: replace ${t} with one of ${allowed.join(", ")}.`,
        );
      }
    }
  },
});

/** Graviton families carry a "g" right after the generation digit (m7g, c8gd, r6gn, t4g). */
export function isGraviton(instanceType: string): boolean {
  return /^[a-z]+\d+g[a-z]*\./.test(instanceType);
}

export const preferGravitonOrSpot = resourcePolicy({
  name: "prefer-graviton-or-spot",
  description:
    "Checks that node groups use Graviton instances or spot capacity, which cost less for the same work.",
  domain: "resources",
  enforcementLevel: "advisory",
  severity: "low",
  // Node groups are where capacity type and instance types meet (a launch template has no capacity type).
  resourceTypes: [NODE_GROUP],
  validate: (r) => {
    if (r.props.capacityType === "SPOT") return;
    const types = instanceTypesOf(r).filter((t): t is string => typeof t === "string");
    const x86 = types.filter((t) => !isGraviton(t));
    if (x86.length > 0) {
      r.report(
        `${label("Node group", r.name)} must prefer Graviton or spot capacity: replace ${x86.join(", ")} with a Graviton type (e.g. m7g) or set capacityType: "SPOT" for interruptible work.`,
      );
    }
  },
});

export const resourcesPolicies = [
  requiredTags,
  allowedRegions,
  approvedInstanceFamilies,
  preferGravitonOrSpot,
];
