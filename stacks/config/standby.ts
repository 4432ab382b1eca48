/**
 * The stack's role in a primary/standby pair. A standby runs the same program in its primary's DR
 * peer region: pilot-light compute, the cross-region database replica, Velero reading the
 * replicated backups. `standbyState: active` is the failover: one config change, one `pulumi up`
 * in the standby's region, with no call into the primary's.
 */
import { Problems } from "@platform/core";
import { isEuRegion } from "./regions";
import { ConfigSection, configKey } from "./schema";

export type StackRole = "primary" | "standby";
export type StandbyState = "passive" | "active";

export interface StandbyConfig {
  readonly role: StackRole;
  /** Standby only: the primary stack it stands by for, and that primary's region. */
  readonly primary?: { readonly stack: string; readonly region: string };
  /** Standby only: `active` promotes the replica, scales the workload pool and restores. */
  readonly state: StandbyState;
  /** Primary only: the repository's standby stack for this one, if there is one. */
  readonly standby?: { readonly stack: string; readonly region: string };
}

const text = (value: unknown): string | undefined =>
  typeof value === "string" ? value : undefined;

export const standby: ConfigSection<StandbyConfig> = {
  keys: {
    role: {
      type: "string",
      default: "primary",
      description:
        "primary (serves its region) or standby (pilot light in its primary's DR region, taking over on failover).",
    },
    primaryStack: {
      type: "string",
      default: "",
      description:
        "Standby only: the primary stack this one stands by for; it must run in that stack's drRegion.",
    },
    standbyState: {
      type: "string",
      default: "passive",
      description:
        "Standby only: passive (replica follows the primary, workload pool at zero) or active (failover: replica promoted, pool scaled, state restored).",
    },
  },

  build(values, problems: Problems, context): StandbyConfig {
    const role = values.role as StackRole;
    const primaryStack = values.primaryStack as string;
    const state = values.standbyState as StandbyState;
    problems.oneOf(configKey("role"), role, ["primary", "standby"]);
    problems.oneOf(configKey("standbyState"), state, ["passive", "active"]);
    const roleOf = (config: Readonly<Record<string, unknown>>) =>
      text(config[configKey("role")]) ?? "primary";

    if (role !== "standby") {
      problems.check(
        primaryStack === "",
        configKey("primaryStack"),
        primaryStack,
        'be unset unless platform:role is "standby"',
      );
      problems.check(
        state === "passive",
        configKey("standbyState"),
        state,
        'be unset unless platform:role is "standby" (a primary has nothing to promote)',
      );
      const own = context.otherStacks.find(
        (o) =>
          roleOf(o.config) === "standby" &&
          text(o.config[configKey("primaryStack")]) === context.stack,
      );
      const standbyRegion = own ? text(own.config["aws:region"]) : undefined;
      return {
        role: "primary",
        state: "passive",
        ...(own && standbyRegion ? { standby: { stack: own.stack, region: standbyRegion } } : {}),
      };
    }

    const others = context.otherStacks.map((o) => o.stack);
    const primary = context.otherStacks.find((o) => o.stack === primaryStack);
    if (
      !problems.check(
        primary !== undefined,
        configKey("primaryStack"),
        primaryStack,
        `name another stack of this repository (stacks: ${others.join(", ") || "none"})`,
      )
    ) {
      return { role, state };
    }
    const primaryRegion = text(primary!.config["aws:region"]) ?? "";
    problems.check(
      roleOf(primary!.config) === "primary",
      configKey("primaryStack"),
      primaryStack,
      "name a primary stack (a standby of a standby has no data to follow)",
    );
    problems.check(
      context.region !== primaryRegion,
      "aws:region",
      context.region,
      `differ from the primary's region (${primaryStack} runs in ${primaryRegion}): a standby survives the loss of its primary's region`,
    );
    if (isEuRegion(primaryRegion)) {
      problems.check(
        isEuRegion(context.region),
        "aws:region",
        context.region,
        `be an EU region, since the primary ${primaryStack} is in ${primaryRegion} and its data must stay in the EU (EU regions: eu-central-1, eu-west-1, eu-west-3, eu-south-1, eu-south-2, eu-north-1)`,
      );
    }
    const primaryDrRegion = text(primary!.config[configKey("drRegion")]);
    problems.check(
      primaryDrRegion === context.region,
      "aws:region",
      context.region,
      `be the primary's platform:drRegion (${primaryDrRegion ?? "unset"} in ${primaryStack}): its failover record and its copies point there`,
    );
    problems.check(
      values.drRegion === primaryRegion,
      configKey("drRegion"),
      values.drRegion,
      `be the primary's region ${primaryRegion} (failback goes there)`,
    );
    return { role, primary: { stack: primaryStack, region: primaryRegion }, state };
  },
};
