/**
 * Cost-allocation tags: every taggable AWS resource carries the platform's tag keys, from its own
 * tags or its provider's defaultTags.
 */
import { isUnknown, REQUIRED_TAG_KEYS } from "@platform/model";
import * as taggable from "../generated/aws-taggable-types.json";
import { configProperty, resourcePolicy, type ResourceContext } from "../lib/policy";
import { isObject, jsonish, label, raw, undecidable, type Props } from "../lib/values";

export const TAGGABLE_TYPES: readonly string[] = taggable.types;

/** Provider defaultTags arrive JSON-encoded; parse each distinct encoding once. */
const defaultTagCache = new Map<string, Props>();
export function providerDefaultTags(r: ResourceContext<unknown>): Props {
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

export const tagPolicies = [requiredTags];
