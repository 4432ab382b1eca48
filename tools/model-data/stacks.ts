/**
 * What the committed stacks ask AWS for, read from their `Pulumi.<stack>.yaml` files with the
 * config schema's defaults filled in: the regions, the node groups' EC2 instance types, Karpenter's
 * NodePool requirements (built by the same function the cluster add-ons deploy), the PostgreSQL
 * instance class and the Valkey node type. The generators price and check exactly these.
 */
import { nodePoolSpec, poolLimits } from "@platform/cluster-addons";
import { allKeySpecs, configKey, KeySpec, SECTIONS } from "../../stacks/config";
import { listStacks, readStackFile } from "../../stacks/stack-files";

/** A Kubernetes node selector requirement, as in a Karpenter NodePool. */
export interface Requirement {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[];
}

export interface StackUsage {
  readonly stack: string;
  readonly region: string;
  readonly drRegion: string;
  /** Config key (e.g. `platform:systemInstanceTypes`) to the EC2 instance types it names. */
  readonly nodeGroupTypes: Readonly<Record<string, readonly string[]>>;
  /** Requirements of Karpenter's NodePools (spot and on-demand). */
  readonly karpenterRequirements: readonly Requirement[];
  /** Instance families of the GPU NodePool (`platform:gpuInstanceFamilies`); none when `gpuNodeMax` is 0. */
  readonly gpuInstanceFamilies: readonly string[];
  readonly postgresInstanceClass: string;
  readonly cacheNodeType: string;
}

/** Config keys whose values are EC2 instance types of managed node groups. */
export const NODE_GROUP_TYPE_KEYS = ["systemInstanceTypes", "workloadInstanceTypes"] as const;

const SPECS = allKeySpecs(SECTIONS);

/** A key's value in a stack file (a string, JSON for arrays), else the schema's default. */
function effectiveValue(config: Readonly<Record<string, string>>, name: string): unknown {
  const spec: KeySpec | undefined = SPECS[name];
  if (spec === undefined) throw new Error(`${configKey(name)} is not a key of the config schema`);
  const raw = config[configKey(name)];
  if (raw === undefined) return spec.default;
  switch (spec.type) {
    case "array":
      return JSON.parse(raw);
    case "integer":
      return Number(raw);
    case "boolean":
      return raw === "true";
    case "string":
      return raw;
  }
}

export function stackUsage(stack: string): StackUsage {
  const { config } = readStackFile(stack);
  const value = (name: string) => effectiveValue(config, name);
  const nodeGroupTypes: Record<string, readonly string[]> = {};
  for (const name of NODE_GROUP_TYPE_KEYS) {
    nodeGroupTypes[configKey(name)] = value(name) as string[];
  }
  const sizing = {
    nodeCeiling: value("karpenterNodeCeiling") as number,
    onDemandPercent: value("karpenterOnDemandPercent") as number,
    architectures: value("karpenterArchitectures") as string[],
    amiAlias: value("karpenterAmiAlias") as string,
    volumeSizeGiB: value("nodeVolumeSizeGiB") as number,
  };
  const limits = poolLimits(sizing);
  const karpenterRequirements = [
    nodePoolSpec("spot", limits.spot, sizing.architectures),
    nodePoolSpec("on-demand", limits.onDemand, sizing.architectures),
  ].flatMap((spec) => spec.template.spec.requirements);
  return {
    stack,
    region: config["aws:region"],
    drRegion: value("drRegion") as string,
    nodeGroupTypes,
    karpenterRequirements,
    gpuInstanceFamilies:
      (value("gpuNodeMax") as number) > 0 ? (value("gpuInstanceFamilies") as string[]) : [],
    postgresInstanceClass: value("postgresInstanceClass") as string,
    cacheNodeType: value("cacheNodeType") as string,
  };
}

/** Every committed stack's usage, by `Pulumi.<stack>.yaml`. */
export function committedStacks(): StackUsage[] {
  return listStacks().map(stackUsage);
}

/** The schema's default EC2 instance types of the managed node groups, by config key. */
export function defaultNodeGroupTypes(): Record<string, readonly string[]> {
  return Object.fromEntries(
    NODE_GROUP_TYPE_KEYS.map((name) => [configKey(name), SPECS[name].default as string[]]),
  );
}

/** The schema's default instance families of the GPU NodePool. */
export function defaultGpuInstanceFamilies(): readonly string[] {
  return SPECS.gpuInstanceFamilies.default as string[];
}
