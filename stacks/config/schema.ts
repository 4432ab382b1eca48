/**
 * The shape of stack config: every `platform:` key with its type, default and meaning. Pulumi.yaml's
 * project-level `config:` block is generated from these declarations (`npm run gen:project-config`),
 * so `pulumi config` users see the same keys the loader accepts.
 */
import { Problems } from "@platform/core";
import * as pulumi from "@pulumi/pulumi";

export const NAMESPACE = "platform";

/** Pulumi's project config types (Pulumi.yaml supports these four). */
export type KeyType = "string" | "integer" | "boolean" | "array";

export interface KeySpec {
  readonly type: KeyType;
  /** Element type, for arrays. */
  readonly items?: "string" | "integer";
  readonly description: string;
  /** Absent: the key is required. */
  readonly default?: string | number | boolean | readonly string[] | readonly number[];
  /** Read only through `getSecret`, never as plain text; must be stored encrypted. */
  readonly secret?: boolean;
  /**
   * Secret keys only: the key may stay unset (`context.secret` then returns undefined). Pulumi
   * rejects a default on a secret key (pulumi/pulumi#21865) and requires every key Pulumi.yaml
   * declares without a default, so optional secrets are accepted by the loader but left out of
   * Pulumi.yaml's config block.
   */
  readonly optional?: boolean;
  /**
   * Secret keys only: the value's format, checked without ever printing the value (the problem
   * reports it hidden). Plain keys are checked by their section's `build`.
   */
  readonly format?: { readonly test: (value: string) => boolean; readonly allowed: string };
}

export type KeySpecs = Readonly<Record<string, KeySpec>>;

/** Parsed values by key name (without the namespace); secrets are not in here. */
export type ParsedValues = Readonly<Record<string, unknown>>;

export interface ConfigContext {
  readonly stack: string;
  readonly region: string;
  /** Reads a secret key as an Output marked secret, or undefined when unset. */
  readonly secret: (key: string) => pulumi.Output<string> | undefined;
  /** Today's date (ISO), for support windows; injected so that validation is reproducible. */
  readonly today: string;
  /** The other stacks of this repository, for cross-stack checks. */
  readonly otherStacks: readonly OtherStack[];
}

export interface OtherStack {
  readonly stack: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/** One domain's keys and how they become its typed settings. */
export interface ConfigSection<T> {
  readonly keys: KeySpecs;
  build(values: ParsedValues, problems: Problems, context: ConfigContext): T;
}

export function configKey(name: string): string {
  return `${NAMESPACE}:${name}`;
}
