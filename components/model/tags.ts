/**
 * The platform's tags: the cost-allocation keys every taggable AWS resource carries (set once, as
 * the regional provider's `defaultTags`), and the tags that enrol a resource in, or exempt it from,
 * disaster recovery. Components set them, the policy pack and the cost model read them.
 */

/** Cost-allocation tag keys; the policy pack checks resource tags merged with the provider's. */
export const REQUIRED_TAG_KEYS = [
  "platform:stack",
  "platform:environment",
  "platform:cost-center",
  "platform:owner",
] as const;

export type RequiredTagKey = (typeof REQUIRED_TAG_KEYS)[number];

/** The cost-allocation tag that names the stack (the budget filters on it). */
export const STACK_TAG_KEY: RequiredTagKey = "platform:stack";

/** The tag the disaster-recovery AWS Backup plan selects: `platform:backup=true`. */
export const BACKUP_TAG = { key: "platform:backup", value: "true" } as const;

/** Opts a stateful resource out of DR coverage; its value says why (`platform:dr-exempt=<reason>`). */
export const DR_EXEMPT_TAG = "platform:dr-exempt";

/** The same opt-out as a Kubernetes label (label keys allow one `/`, not `:`). */
export const DR_EXEMPT_LABEL = "platform/dr-exempt";

/**
 * On a prod primary's failover health check: the standby stack that serves the failover record's
 * SECONDARY, and its region (policy dr-failover-has-standby reads both).
 */
export const STANDBY_STACK_TAG = "platform:standby-stack";
export const STANDBY_REGION_TAG = "platform:standby-region";
