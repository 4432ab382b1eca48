/**
 * How every policy of the pack is declared: its name, the resource types it reads, the controls it
 * implements (so docs/policies.md is generated from code), its default enforcement level and the
 * config it accepts. The helpers turn a declaration into a `@pulumi/policy` policy; catalog.ts
 * gives each the domain of the folder that declares it.
 */
import type {
  EnforcementLevel,
  PolicyConfigSchema,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  Severity,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { raw, type Props } from "./values";

/** One property of a policy's config schema (the JSON schema type @pulumi/policy accepts). */
type PolicyConfigJSONSchema = PolicyConfigSchema["properties"][string];

/** Controls a policy implements, as the scanners and benchmarks name them. */
export interface Controls {
  /** Checkov IDs, e.g. CKV_AWS_39 or CKV2_AWS_61. */
  readonly checkov?: readonly string[];
  /** Trivy (formerly tfsec/defsec) IDs, e.g. AVD-AWS-0040 or KSV-0017. */
  readonly trivy?: readonly string[];
  /** CIS Amazon EKS Benchmark (v1.5) section numbers, e.g. 5.4.2. */
  readonly cisEks?: readonly string[];
}

/** Metadata every policy carries, read by the coverage table generator. */
export interface PolicyMeta {
  /** Type tokens the policy reads; for stack policies, the types it correlates. */
  readonly resourceTypes: readonly string[];
  readonly controls: Controls;
}

/** A policy as its domain folder declares it. */
export type DomainPolicy = (ResourceValidationPolicy | StackValidationPolicy) & {
  readonly meta: PolicyMeta;
};

/** A policy of the pack: its domain is the name of the folder that declares it (catalog.ts). */
export type PlatformPolicy = DomainPolicy & {
  readonly meta: PolicyMeta & { readonly domain: string };
};

/** The policies of one domain folder, each marked with the folder's name. */
export function inDomain(domain: string, policies: readonly DomainPolicy[]): PlatformPolicy[] {
  return policies.map((p) => ({ ...p, meta: { ...p.meta, domain } }));
}

/** The resource as a policy sees it: raw inputs (unknowns left as sentinels) plus the runtime args. */
export interface ResourceContext<C> {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** Raw inputs: unknown values appear as sentinel strings; test them with `isUnknown`. */
  readonly props: Props;
  readonly config: C;
  readonly args: ResourceValidationArgs;
  /** Reports one violation; the message reads "<Resource> must ... ." and says how to fix it. */
  readonly report: (message: string) => void;
}

export interface StackContext<C> {
  readonly config: C;
  readonly args: StackValidationArgs;
  readonly report: (message: string, urn: string) => void;
}

export type ConfigProperties = {
  readonly [key: string]: PolicyConfigJSONSchema & { default: unknown };
};
type ConfigOf<S extends ConfigProperties | undefined> = [S] extends [ConfigProperties]
  ? { -readonly [K in keyof S]: Widen<S[K]["default"]> }
  : Record<string, never>;
type Widen<T> = T extends string
  ? string
  : T extends number
    ? number
    : T extends boolean
      ? boolean
      : T;

interface Common<S extends ConfigProperties | undefined> {
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly severity: Severity;
  readonly controls?: Controls;
  /** Config properties, each with a `default`; the CLI fills defaults in before Configure. */
  readonly config?: S;
  readonly remediationSteps?: string;
}

function tagsFor(controls: Controls): string[] {
  return [
    ...(controls.checkov ?? []),
    ...(controls.trivy ?? []),
    ...(controls.cisEks ?? []).map((s) => `CIS-EKS-${s}`),
  ];
}

function configReader<S extends ConfigProperties | undefined>(
  schema: S | undefined,
): (getConfig: () => object) => ConfigOf<S> {
  const defaults: Record<string, unknown> = {};
  const properties: ConfigProperties = schema ?? {};
  for (const [k, v] of Object.entries(properties)) defaults[k] = v.default;
  return (getConfig) => ({ ...defaults, ...getConfig() }) as ConfigOf<S>;
}

function schemaOf(config: ConfigProperties | undefined): PolicyConfigSchema | undefined {
  return config ? { properties: { ...config } } : undefined;
}

/** Matches exact type tokens and `prefix*` patterns such as `aws:*`. */
export function typeMatcher(patterns: readonly string[]): (type: string) => boolean {
  const exact = new Set(patterns.filter((t) => !t.endsWith("*")));
  const prefixes = patterns.filter((t) => t.endsWith("*")).map((t) => t.slice(0, -1));
  if (prefixes.length === 0) return (type) => exact.has(type);
  return (type) => exact.has(type) || prefixes.some((p) => type.startsWith(p));
}

/**
 * A policy on resources of the given types (exact tokens or `prefix*` patterns). With one type the runtime skips other resources
 * before deserializing them (it reads the `__pulumiType` that `validateResourceOfType` attaches for
 * SDK classes); with several, the validation returns at once for any other type.
 */
export type ResourcePolicyDef<S extends ConfigProperties | undefined> = Common<S> & {
  readonly resourceTypes: readonly string[];
  readonly validate: (r: ResourceContext<ConfigOf<S>>) => void;
};

export function resourcePolicy<S extends ConfigProperties | undefined = undefined>(
  def: ResourcePolicyDef<S>,
): DomainPolicy {
  const applies = typeMatcher(def.resourceTypes);
  const readConfig = configReader<S>(def.config);
  const validate = (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    if (!applies(args.type)) return;
    let config: ConfigOf<S> | undefined;
    def.validate({
      type: args.type,
      name: args.name,
      urn: args.urn,
      props: raw(args.props),
      // Read on first use: most calls decide before they look at a threshold.
      get config() {
        return (config ??= readConfig(args.getConfig));
      },
      args,
      report: (message) => reportViolation(message),
    });
  };
  if (def.resourceTypes.length === 1 && !def.resourceTypes[0].endsWith("*")) {
    (validate as { __pulumiType?: string }).__pulumiType = def.resourceTypes[0];
  }
  const controls = def.controls ?? {};
  return {
    name: def.name,
    description: def.description,
    enforcementLevel: def.enforcementLevel,
    severity: def.severity,
    configSchema: schemaOf(def.config),
    tags: tagsFor(controls),
    remediationSteps: def.remediationSteps,
    validateResource: validate,
    meta: { resourceTypes: [...def.resourceTypes], controls },
  };
}

/** A policy over the whole stack (AnalyzeStack), for rules that correlate resources. */
export function stackPolicy<S extends ConfigProperties | undefined = undefined>(
  def: Common<S> & {
    readonly resourceTypes: readonly string[];
    readonly validate: (s: StackContext<ConfigOf<S>>) => void;
  },
): DomainPolicy {
  const readConfig = configReader<S>(def.config);
  const controls = def.controls ?? {};
  return {
    name: def.name,
    description: def.description,
    enforcementLevel: def.enforcementLevel,
    severity: def.severity,
    configSchema: schemaOf(def.config),
    tags: tagsFor(controls),
    remediationSteps: def.remediationSteps,
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) =>
      def.validate({
        config: readConfig(args.getConfig),
        args,
        report: (message, urn) => reportViolation(message, urn),
      }),
    meta: { resourceTypes: [...def.resourceTypes], controls },
  };
}

/** Config property helpers: every threshold documents its default. */
export const configProperty = {
  integer: (def: number, description: string, minimum = 0, maximum?: number) => ({
    type: "integer" as const,
    default: def,
    minimum,
    ...(maximum !== undefined ? { maximum } : {}),
    description,
  }),
  strings: (def: readonly string[], description: string) => ({
    type: "array" as const,
    items: { type: "string" as const },
    default: [...def],
    description,
  }),
  /** Resources a rule does not apply to, by resource name, each with the reason (shown in review). */
  exemptions: (description: string) => ({
    type: "object" as const,
    additionalProperties: { type: "string" as const, minLength: 1 },
    default: {} as Record<string, string>,
    description,
  }),
  boolean: (def: boolean, description: string) => ({
    type: "boolean" as const,
    default: def,
    description,
  }),
};
