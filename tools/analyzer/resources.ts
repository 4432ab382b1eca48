/**
 * What the engine sends a policy pack for a recorded registration: `Analyze` receives a resource's
 * inputs, `AnalyzeStack` the state after the step, both with the resource's options and provider.
 * The offline preview, the bench and the tests build their requests here.
 */
import { PROJECT_NAME } from "../../stacks/stack-files";
import type { RecordedResource } from "../mock-engine";
import type {
  AnalyzerProvider,
  AnalyzerResource,
  AnalyzerResourceOptions,
  WireProperties,
} from "./types";

/** Go duration (`30m`, `1h30m`, `90s`) in seconds, as the engine sends custom timeouts. */
export function durationSeconds(value: string | undefined): number {
  if (!value) return 0;
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, ns: 1e-9 };
  let total = 0;
  for (const [, amount, unit] of value.matchAll(/([\d.]+)(h|ms|us|ns|m|s)/g)) {
    total += Number(amount) * units[unit];
  }
  return total;
}

/** Splits a provider reference `<urn>::<id>` (the id may be the unknown sentinel). */
export function providerUrn(reference: string): string {
  return reference.slice(0, reference.lastIndexOf("::"));
}

function packageOf(type: string): string {
  return type.split(":")[0];
}

/**
 * The default provider the engine would use for a custom resource that names none: the stack
 * config of the provider's package is its input.
 */
function defaultProvider(
  resource: RecordedResource,
  stack: string,
  config: Record<string, string>,
): AnalyzerProvider {
  const pkg = packageOf(resource.type);
  const properties: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key.startsWith(`${pkg}:`)) properties[key.slice(pkg.length + 1)] = value;
  }
  return {
    urn: `urn:pulumi:${stack}::${PROJECT_NAME}::pulumi:providers:${pkg}::default`,
    type: `pulumi:providers:${pkg}`,
    name: "default",
    properties,
  };
}

type Properties = "inputs" | "outputs";

/**
 * What the engine would send for one recorded registration: `Analyze` receives a resource's
 * inputs, `AnalyzeStack` the state after the step (its outputs), both with options and provider.
 * `lookup` finds the provider's registration (always made before the resources that use it).
 */
export function toAnalyzerResource(
  r: RecordedResource,
  lookup: (urn: string) => RecordedResource | undefined,
  stack: string,
  config: Record<string, string>,
  properties: Properties = "inputs",
): AnalyzerResource {
  const o = r.options;
  const options: AnalyzerResourceOptions = {
    protect: o.protect,
    ignoreChanges: o.ignoreChanges,
    // The recording cannot tell an explicit `false` from unset; the engine leaves unset out.
    ...(o.deleteBeforeReplace ? { deleteBeforeReplace: true } : {}),
    aliases: o.aliases,
    additionalSecretOutputs: o.additionalSecretOutputs,
    ...(o.customTimeouts
      ? {
          customTimeouts: {
            create: durationSeconds(o.customTimeouts.create),
            update: durationSeconds(o.customTimeouts.update),
            delete: durationSeconds(o.customTimeouts.delete),
          },
        }
      : {}),
    ...(r.parent ? { parent: r.parent } : {}),
  };
  let provider: AnalyzerProvider | undefined;
  if (r.provider) {
    const p = lookup(providerUrn(r.provider));
    if (p) {
      provider = { urn: p.urn, type: p.type, name: p.name, properties: p.inputs as WireProperties };
    }
  } else if (r.custom && !r.type.startsWith("pulumi:providers:")) {
    provider = defaultProvider(r, stack, config);
  }
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    properties: (properties === "outputs" ? (r.outputs ?? r.inputs) : r.inputs) as WireProperties,
    options,
    ...(provider ? { provider } : {}),
    ...(r.parent ? { parent: r.parent } : {}),
    dependencies: r.dependencies,
    propertyDependencies: r.propertyDependencies,
  };
}

/** `toAnalyzerResource` for a whole recording. */
export function toAnalyzerResources(
  resources: readonly RecordedResource[],
  stack: string,
  config: Record<string, string>,
  properties: Properties = "inputs",
): AnalyzerResource[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  return resources.map((r) =>
    toAnalyzerResource(r, (u) => byUrn.get(u), stack, config, properties),
  );
}
