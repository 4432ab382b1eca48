/**
 * Helpers for stack policies: an index of the stack's resources by type, and links between
 * resources through property dependencies (which the engine records whether or not the value is
 * known yet) or, failing that, through equal known values.
 */
import { isUnknown, NAMESPACE } from "@platform/model";
import type { PolicyResource } from "@pulumi/policy";
import { raw, type Props } from "./values";

export interface StackResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** Raw inputs (unknowns as sentinels). */
  readonly props: Props;
  readonly resource: PolicyResource;
}

export class StackIndex {
  private readonly byType = new Map<string, StackResource[]>();
  private readonly byUrn = new Map<string, StackResource>();

  constructor(resources: readonly PolicyResource[]) {
    for (const resource of resources) {
      const r: StackResource = {
        type: resource.type,
        name: resource.name,
        urn: resource.urn,
        props: raw(resource.props),
        resource,
      };
      this.byUrn.set(r.urn, r);
      const list = this.byType.get(r.type);
      if (list) list.push(r);
      else this.byType.set(r.type, [r]);
    }
  }

  of(...types: readonly string[]): StackResource[] {
    return types.flatMap((t) => this.byType.get(t) ?? []);
  }

  get(urn: string): StackResource | undefined {
    return this.byUrn.get(urn);
  }
}

/** URNs the value of `property` of `r` was computed from. */
export function dependencyUrns(r: StackResource, property: string): string[] {
  return (r.resource.propertyDependencies[property] ?? []).map((d) => d.urn);
}

/** Resources of the given types that `property` of `r` was computed from. */
export function dependencies(
  index: StackIndex,
  r: StackResource,
  property: string,
  types: readonly string[],
): StackResource[] {
  return dependencyUrns(r, property)
    .map((urn) => index.get(urn))
    .filter((d): d is StackResource => d !== undefined && types.includes(d.type));
}

/** A value usable as a join key: known and a string. */
export function knownString(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" && !isUnknown(v) ? v : undefined;
}

/**
 * The namespace a Kubernetes object lives in: its known name, or (when computed from a Namespace
 * resource of the program) that resource's known name or URN.
 */
export function namespaceKey(index: StackIndex, r: StackResource): string {
  const ns = r.props.metadata?.namespace;
  const known = knownString(ns);
  if (known) return known;
  if (ns === undefined) {
    const providerNs = r.resource.provider
      ? knownString(raw(r.resource.provider.props).namespace)
      : undefined;
    return providerNs ?? "default";
  }
  const [nsResource] = dependencies(index, r, "metadata", [NAMESPACE]);
  if (!nsResource) return `unknown:${r.urn}`;
  return knownString(nsResource.props.metadata?.name) ?? nsResource.urn;
}

/** The key other objects use to name this Namespace resource (see namespaceKey). */
export function ownNamespaceKey(r: StackResource): string {
  return knownString(r.props.metadata?.name) ?? r.urn;
}

/**
 * What resources of `companionTypes` (those passing `valid`) point at through `property`: the URNs
 * they depend on, and the known names they carry.
 */
export function linkedTargets(
  index: StackIndex,
  companionTypes: readonly string[],
  property: string,
  nameOf: (companion: StackResource) => string | undefined,
  valid: (companion: StackResource) => boolean = () => true,
): { urns: Set<string>; names: Set<string> } {
  const urns = new Set<string>();
  const names = new Set<string>();
  for (const c of index.of(...companionTypes)) {
    if (!valid(c)) continue;
    for (const urn of dependencyUrns(c, property)) urns.add(urn);
    const name = nameOf(c);
    if (name) names.add(name);
  }
  return { urns, names };
}
