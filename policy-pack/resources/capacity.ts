/** EC2 capacity: approved current-generation instance families, and Graviton or spot node groups. */
import { EKS_COMPONENT, INSTANCE, LAUNCH_TEMPLATE, NODE_GROUP } from "@platform/model";
import { configProperty, resourcePolicy, type ResourceContext } from "../lib/policy";
import { asArray, label } from "../lib/values";

const FAMILY = /^([a-z]+\d+[a-z-]*)\./;

function instanceTypesOf(r: ResourceContext<unknown>): unknown[] {
  if (r.type === NODE_GROUP) return asArray(r.props.instanceTypes);
  return r.props.instanceType === undefined ? [] : [r.props.instanceType];
}

export const approvedInstanceFamilies = resourcePolicy({
  name: "approved-instance-families",
  description:
    "Checks that EC2 capacity uses the approved current-generation instance families (spot capacity may add older ones for pool diversity).",
  enforcementLevel: "advisory",
  severity: "low",
  resourceTypes: [LAUNCH_TEMPLATE, INSTANCE, NODE_GROUP, EKS_COMPONENT],
  config: {
    families: configProperty.strings(
      [
        ...["m6i", "m7i", "c6i", "c7i", "r6i", "r7i"],
        ...["m6a", "m7a", "c6a", "c7a", "r6a", "r7a"],
        ...["m6g", "m7g", "m8g", "c6g", "c7g", "c8g", "r6g", "r7g", "r8g"],
        ...["t3", "t4g"],
      ],
      "Instance families (the part before the dot) the platform may use.",
    ),
    // Spot node groups spread over many pools to find capacity; older generations price lowest.
    spotFamilies: configProperty.strings(
      ["m5", "m5a", "c5", "c5a", "r5", "r5a"],
      "Additional families allowed for SPOT node groups.",
    ),
  },
  validate: (r) => {
    const spot = r.type === NODE_GROUP && r.props.capacityType === "SPOT";
    const allowed = spot ? [...r.config.families, ...r.config.spotFamilies] : r.config.families;
    for (const t of instanceTypesOf(r)) {
      if (typeof t !== "string") continue;
      const family = FAMILY.exec(t)?.[1];
      if (!family || !allowed.includes(family)) {
        r.report(
          `${label(r.type === NODE_GROUP ? "Node group" : "Compute resource", r.name)} must use an approved instance family: replace ${t} with one of ${allowed.join(", ")}.`,
        );
      }
    }
  },
});

/** Graviton families carry a "g" right after the generation digit (m7g, c8gd, r6gn, t4g). */
export function isGraviton(instanceType: string): boolean {
  return /^[a-z]+\d+g[a-z]*\./.test(instanceType);
}

export const preferGravitonOrSpot = resourcePolicy({
  name: "prefer-graviton-or-spot",
  description:
    "Checks that node groups use Graviton instances or spot capacity, which cost less for the same work.",
  enforcementLevel: "advisory",
  severity: "low",
  // Node groups are where capacity type and instance types meet (a launch template has no capacity type).
  resourceTypes: [NODE_GROUP],
  validate: (r) => {
    if (r.props.capacityType === "SPOT") return;
    const types = instanceTypesOf(r).filter((t): t is string => typeof t === "string");
    const x86 = types.filter((t) => !isGraviton(t));
    if (x86.length > 0) {
      r.report(
        `${label("Node group", r.name)} must prefer Graviton or spot capacity: replace ${x86.join(", ")} with a Graviton type (e.g. m7g) or set capacityType: "SPOT" for interruptible work.`,
      );
    }
  },
});

export const capacityPolicies = [approvedInstanceFamilies, preferGravitonOrSpot];
