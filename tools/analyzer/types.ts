/**
 * Plain data types exchanged with a policy pack through the Pulumi Analyzer protocol
 * (proto/pulumi/analyzer.proto). Producers (tools/mock-engine, tests, the offline preview) build
 * `AnalyzerResource` values; `tools/analyzer` turns them into the protobuf messages the Pulumi
 * engine would send and turns the pack's diagnostics back into `PolicyResult` values.
 */

import { SECRET_SIG, SECRET_SIG_KEY, UNKNOWN } from "@platform/model";

/** The engine's unknown value and secret signature (@platform/model), as this client's API names them. */
export { SECRET_SIG, SECRET_SIG_KEY, UNKNOWN };

/** The wire form of a secret: `{ [SECRET_SIG_KEY]: SECRET_SIG, value }`. */
export interface WireSecret {
  readonly [SECRET_SIG_KEY]: typeof SECRET_SIG;
  readonly value: WireValue;
}

/**
 * A property value in wire form: the plain JavaScript of a protobuf `Struct` value. Secrets are
 * `WireSecret` objects, unknowns are the `UNKNOWN` string. `undefined` members are dropped.
 */
export type WireValue =
  | null
  | boolean
  | number
  | string
  | readonly WireValue[]
  | { readonly [key: string]: WireValue | undefined };

/**
 * Resource properties in wire form (each value a `WireValue`). Typed loosely so that recorded
 * registrations (`Record<string, unknown>`) pass without a cast; `toStruct` rejects anything a
 * protobuf Struct cannot hold.
 */
export type WireProperties = { readonly [key: string]: unknown };

/** Resource options as the engine sends them (AnalyzerResourceOptions); there is no retainOnDelete. */
export interface AnalyzerResourceOptions {
  /** @default false */
  readonly protect?: boolean;
  /** Property paths whose changes are ignored. @default [] */
  readonly ignoreChanges?: readonly string[];
  /** Left out when the program did not set it. */
  readonly deleteBeforeReplace?: boolean;
  /** Alias URNs. @default [] */
  readonly aliases?: readonly string[];
  /** Seconds; 0 or absent means the provider default. */
  readonly customTimeouts?: {
    readonly create?: number;
    readonly update?: number;
    readonly delete?: number;
  };
  /** @default [] */
  readonly additionalSecretOutputs?: readonly string[];
  /** URN of the parent resource, if any. */
  readonly parent?: string;
}

/** The provider a resource is created with (AnalyzerProviderResource). */
export interface AnalyzerProvider {
  readonly urn: string;
  /** e.g. `pulumi:providers:aws`. */
  readonly type: string;
  readonly name: string;
  /**
   * The provider's inputs as registered. Generated providers JSON-encode object-valued inputs, so
   * `defaultTags` of `pulumi:providers:aws` arrives as a string such as `{"tags":{...}}`.
   */
  readonly properties: WireProperties;
}

/** One resource as the engine presents it to an analyzer: its inputs, options and provider. */
export interface AnalyzerResource {
  readonly urn: string;
  /** Type token, e.g. `aws:s3/bucket:Bucket`, `kubernetes:apps/v1:Deployment`, `pulumi:providers:aws`. */
  readonly type: string;
  readonly name: string;
  /** Resource inputs in wire form. */
  readonly properties: WireProperties;
  /** Always sent: the policy runtime rejects a request without options. @default {} */
  readonly options?: AnalyzerResourceOptions;
  /** Left out for resources without a provider (providers themselves, component resources). */
  readonly provider?: AnalyzerProvider;
  /** Parent URN for AnalyzeStack; defaults to `options.parent`. */
  readonly parent?: string;
  /** URNs this resource depends on (AnalyzeStack only). @default [] */
  readonly dependencies?: readonly string[];
  /** Property name to the URNs it depends on (AnalyzeStack only). @default {} */
  readonly propertyDependencies?: { readonly [property: string]: readonly string[] };
}

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
export type Severity = "" | "low" | "medium" | "high" | "critical";

/** One diagnostic reported by the pack. */
export interface PolicyResult {
  readonly policy: string;
  readonly packName: string;
  readonly packVersion: string;
  readonly level: EnforcementLevel;
  /** The resource the violation is about (for `analyze`, the analyzed resource). */
  readonly urn: string;
  readonly message: string;
  readonly description: string;
  readonly severity: Severity;
}

/**
 * Policy pack configuration in the shape `pulumi preview --policy-pack-config <file>` reads: policy
 * name (or `all`) to an enforcement level, or to an object with `enforcementLevel` and the policy's
 * `configSchema` properties.
 */
export type PolicyPackConfig = {
  readonly [policy: string]:
    | EnforcementLevel
    | ({ readonly enforcementLevel?: EnforcementLevel } & { readonly [key: string]: unknown });
};

/** The configuration each policy ends up with after defaults and the config file are merged. */
export type EffectivePolicyConfig = {
  readonly [policy: string]: {
    readonly enforcementLevel: EnforcementLevel;
    readonly properties: { readonly [key: string]: unknown };
  };
};

export interface PolicyInfo {
  readonly name: string;
  readonly displayName: string;
  readonly description: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly type: "resource" | "stack" | "unknown";
  readonly severity: Severity;
  readonly tags: readonly string[];
  /** JSON schema of the policy's config properties (`configSchema.properties`). */
  readonly configSchema?: {
    readonly properties: { readonly [key: string]: unknown };
    readonly required: readonly string[];
  };
}

export interface AnalyzerInfo {
  readonly name: string;
  readonly displayName: string;
  readonly version: string;
  readonly supportsConfig: boolean;
  readonly policies: readonly PolicyInfo[];
  readonly initialConfig: EffectivePolicyConfig;
}

/** Stack identity sent with ConfigureStack, as the engine does before analysing. */
export interface StackContext {
  readonly stack: string;
  readonly project: string;
  /** @default "organization" */
  readonly organization?: string;
  /** @default true (a preview) */
  readonly dryRun?: boolean;
  /** @default {} */
  readonly tags?: { readonly [key: string]: string };
}
