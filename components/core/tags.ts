/**
 * Cost-allocation tags every taggable AWS resource carries (their keys: @platform/model). They are
 * set once, as the regional provider's `defaultTags`, so no resource can be created without them;
 * the policy pack checks resource tags merged with the provider's default tags.
 */
import type { RequiredTagKey } from "@platform/model";

export type PlatformTags = Readonly<Record<RequiredTagKey, string>>;

export interface PlatformTagValues {
  readonly stack: string;
  readonly environment: string;
  readonly costCenter: string;
  readonly owner: string;
}

export function platformTags(values: PlatformTagValues): PlatformTags {
  return {
    "platform:stack": values.stack,
    "platform:environment": values.environment,
    "platform:cost-center": values.costCenter,
    "platform:owner": values.owner,
  };
}
