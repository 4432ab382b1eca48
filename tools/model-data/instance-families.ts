/**
 * EC2 instance families and the labels Karpenter derives from a type's name, so that the families
 * a NodePool's requirements allow can be listed from a list of instance types.
 */
import { Requirement } from "./stacks";

/** `m7g.xlarge` -> `m7g`; `m7i-flex.large` -> `m7i-flex`. */
export function familyOf(instanceType: string): string {
  return instanceType.split(".")[0];
}

/**
 * Karpenter's `instance-category` and `instance-generation` labels of a type, computed as its
 * `instanceTypeScheme` does (pkg/providers/instancetype/types.go): `m7i-flex.large` is category
 * `m`, generation 7; `u-6tb1.metal` is category `u`, generation 1.
 */
export function karpenterLabels(
  instanceType: string,
): { category: string; generation: number } | undefined {
  const match = /^([a-z]+)(-[0-9]+tb)?([0-9]+).*\./.exec(instanceType);
  return match ? { category: match[1], generation: Number(match[3]) } : undefined;
}

const CATEGORY = "karpenter.k8s.aws/instance-category";
const GENERATION = "karpenter.k8s.aws/instance-generation";
const FAMILY = "karpenter.k8s.aws/instance-family";
/** Requirement keys that narrow the families; the others select sizes, architecture or capacity. */
export const FAMILY_KEYS: readonly string[] = [CATEGORY, GENERATION, FAMILY];

function satisfies(value: string | number, requirement: Requirement): boolean {
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case "In":
      return values.includes(String(value));
    case "NotIn":
      return !values.includes(String(value));
    case "Gt":
      return Number(value) > Number(values[0]);
    case "Lt":
      return Number(value) < Number(values[0]);
    case "Exists":
      return true;
    case "DoesNotExist":
      return false;
    default:
      throw new Error(`unknown requirement operator ${requirement.operator} on ${requirement.key}`);
  }
}

/**
 * The families, among those of `instanceTypes`, whose every type a NodePool with these
 * requirements may launch in some size (the category, generation and family requirements; sizes,
 * CPU counts and architectures are left open, so every size of a family is priced).
 */
export function familiesAllowedBy(
  requirements: readonly Requirement[],
  instanceTypes: Iterable<string>,
): string[] {
  const narrowing = requirements.filter((r) => FAMILY_KEYS.includes(r.key));
  const families = new Set<string>();
  for (const type of instanceTypes) {
    const labels = karpenterLabels(type);
    if (labels === undefined) continue;
    const family = familyOf(type);
    const ok = narrowing.every((r) => {
      if (r.key === CATEGORY) return satisfies(labels.category, r);
      if (r.key === GENERATION) return satisfies(labels.generation, r);
      return satisfies(family, r);
    });
    if (ok) families.add(family);
  }
  return [...families].sort();
}
