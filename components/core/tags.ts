/**
 * Cost-allocation tags every taggable AWS resource carries. They are set once, as the regional
 * provider's `defaultTags`, so no resource can be created without them; the policy pack checks
 * resource tags merged with the provider's default tags.
 */
export const REQUIRED_TAG_KEYS = [
  "platform:stack",
  "platform:environment",
  "platform:cost-center",
  "platform:owner",
] as const;

export type RequiredTagKey = (typeof REQUIRED_TAG_KEYS)[number];
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
