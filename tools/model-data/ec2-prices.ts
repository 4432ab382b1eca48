/**
 * Generates components/model/aws/ec2-on-demand.json: on-demand Linux prices (USD per instance-hour) of every
 * EC2 instance type the platform may run, in every commercial region with EKS that Karpenter's
 * generated price file covers, keyed and shaped like the cost model's price table
 * (`ec2:<type>` -> regions -> `{ usd, source, date }`). The regions the file does not cover are
 * listed with the reason, never filled in.
 *
 * The types: every size of each family named by a committed stack's node groups
 * (`platform:systemInstanceTypes`, `platform:workloadInstanceTypes`) or by their schema defaults,
 * of each family Karpenter's NodePools may launch (their category and generation requirements),
 * of each family of the GPU NodePool (`platform:gpuInstanceFamilies`, and its default), so that the
 * estimate can price the pool at its node limit, and of t3, which EKS launches for a node group that
 * names no type.
 *
 *   git -C <karpenter> show <commit>:pkg/providers/pricing/zz_generated.pricing_aws.go |
 *     npx ts-node -T tools/model-data/ec2-prices.ts --commit <commit> \
 *       --commit-date "$(git -C <karpenter> show -s --format=%cI <commit>)"
 */
import {
  parseFlags,
  pinnedSource,
  PinnedSource,
  readInput,
  requireFlag,
  runMain,
  SourceFormatError,
  writeGenerated,
} from "./cli";
import { familiesAllowedBy, familyOf, FAMILY_KEYS } from "./instance-families";
import { KarpenterPrices, parseKarpenterPricing } from "./karpenter-pricing";
import { RegionsFile } from "./regions";
import awsRegions from "../../components/model/aws/aws-regions.json";
import {
  committedStacks,
  defaultGpuInstanceFamilies,
  defaultNodeGroupTypes,
  StackUsage,
} from "./stacks";

export const EC2_PRICES_FILE = "ec2-on-demand.json";
export const KARPENTER_PRICE_FILE = "pkg/providers/pricing/zz_generated.pricing_aws.go";
/** The price table's id of this source (components/model/cost/prices.json `sources`). */
export const SOURCE_ID = "karpenter-pricing";

/**
 * Families priced whatever the stacks say, with the reason.
 * @see https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html (instanceTypes)
 */
export const ALWAYS_PRICED: Readonly<Record<string, string>> = {
  t3: "EKS launches t3.medium for a managed node group that names no instance type; the cost estimate prices that case",
};

export interface RegionalPrice {
  readonly usd: number;
  readonly source: string;
  readonly date: string;
}

export interface Ec2PricesFile {
  readonly $comment: string;
  readonly source: PinnedSource & {
    readonly title: string;
    readonly generatedAt: string;
    readonly variable: string;
  };
  /** Shaped like the price table's `sources` entries, for merging. */
  readonly sources: Readonly<
    Record<string, { readonly title: string; readonly url: string; readonly date: string }>
  >;
  /** Each priced family and why it is priced. */
  readonly families: Readonly<Record<string, readonly string[]>>;
  readonly regions: {
    readonly covered: readonly string[];
    /** Commercial regions with EKS the file has no prices for, with the reason. */
    readonly absent: Readonly<Record<string, string>>;
  };
  /** Priced types missing from a covered region, with the reason (the file lists no price). */
  readonly gaps: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly prices: Readonly<
    Record<
      string,
      { readonly unit: string; readonly regions: Readonly<Record<string, RegionalPrice>> }
    >
  >;
}

function describe(requirements: StackUsage["karpenterRequirements"]): string {
  const narrowing = requirements.filter((r) => FAMILY_KEYS.includes(r.key));
  const unique = [
    ...new Set(narrowing.map((r) => `${r.key} ${r.operator} ${(r.values ?? []).join(",")}`)),
  ];
  return unique.join("; ");
}

/** Each family the platform may run, with the reasons, from the stacks and the price file's types. */
export function platformFamilies(
  stacks: readonly StackUsage[],
  defaults: Readonly<Record<string, readonly string[]>>,
  defaultGpuFamilies: readonly string[],
  instanceTypes: readonly string[],
): Map<string, string[]> {
  const families = new Map<string, string[]>();
  const add = (family: string, reason: string) => {
    const reasons = families.get(family) ?? [];
    if (!reasons.includes(reason)) reasons.push(reason);
    families.set(family, reasons);
  };
  for (const [key, types] of Object.entries(defaults)) {
    for (const type of types) add(familyOf(type), `default of ${key} (stacks/config)`);
  }
  for (const stack of stacks) {
    for (const [key, types] of Object.entries(stack.nodeGroupTypes)) {
      for (const type of types) add(familyOf(type), `${stack.stack}: ${key}`);
    }
    const reason = `${stack.stack}: Karpenter NodePools (${describe(stack.karpenterRequirements)})`;
    for (const family of familiesAllowedBy(stack.karpenterRequirements, instanceTypes)) {
      add(family, reason);
    }
    for (const family of stack.gpuInstanceFamilies) {
      add(family, `${stack.stack}: GPU NodePool (platform:gpuInstanceFamilies)`);
    }
  }
  for (const family of defaultGpuFamilies) {
    add(family, "default of platform:gpuInstanceFamilies (stacks/config)");
  }
  for (const [family, reason] of Object.entries(ALWAYS_PRICED)) add(family, reason);
  return new Map([...families].sort(([a], [b]) => a.localeCompare(b)));
}

export function buildEc2Prices(
  pricing: KarpenterPrices,
  source: PinnedSource,
  regions: Pick<RegionsFile, "withEks">,
  families: ReadonlyMap<string, readonly string[]>,
): Ec2PricesFile {
  const covered = regions.withEks.filter((r) => pricing.prices.has(r));
  if (covered.length === 0) {
    throw new SourceFormatError(
      `the file prices no commercial region with EKS (it has: ${[...pricing.prices.keys()].join(", ")})`,
    );
  }
  const date = pricing.generatedAt.slice(0, 10);
  const absent: Record<string, string> = {};
  for (const region of regions.withEks) {
    if (!covered.includes(region)) {
      absent[region] =
        `${source.path} at ${source.commit.slice(0, 12)} holds on-demand prices for ` +
        `${covered.join(", ")} only; no figure is derived for ${region}`;
    }
  }

  const types = new Set<string>();
  for (const region of covered) {
    for (const type of pricing.prices.get(region)!.keys()) {
      if (families.has(familyOf(type))) types.add(type);
    }
  }
  const unpricedFamilies = [...families.keys()].filter(
    (family) => ![...types].some((type) => familyOf(type) === family),
  );
  if (unpricedFamilies.length > 0) {
    throw new SourceFormatError(
      `the file has no price for any size of ${unpricedFamilies.join(", ")} in ${covered.join(", ")}: ` +
        `a stack names a family AWS does not price there (${unpricedFamilies
          .map((f) => `${f}: ${families.get(f)!.join("; ")}`)
          .join(" | ")})`,
    );
  }

  const prices: Record<string, { unit: string; regions: Record<string, RegionalPrice> }> = {};
  const gaps: Record<string, Record<string, string>> = {};
  for (const type of [...types].sort(compareInstanceTypes)) {
    const regional: Record<string, RegionalPrice> = {};
    for (const region of covered) {
      const usd = pricing.prices.get(region)!.get(type);
      if (usd === undefined) {
        gaps[`ec2:${type}`] = {
          ...gaps[`ec2:${type}`],
          [region]: `not in ${source.path} for ${region}: AWS's price list has no on-demand Linux price for it there`,
        };
      } else {
        regional[region] = { usd, source: SOURCE_ID, date };
      }
    }
    prices[`ec2:${type}`] = { unit: "instance-hour", regions: regional };
  }

  return {
    $comment:
      "Generated by tools/model-data/ec2-prices.ts; do not edit. Regenerate: tools/model-data/README.md.",
    source: {
      title:
        "Karpenter's generated on-demand price list (AWS Price List API, Linux, shared tenancy)",
      ...source,
      generatedAt: pricing.generatedAt,
      variable: pricing.variable,
    },
    sources: {
      [SOURCE_ID]: {
        title: `aws/karpenter-provider-aws ${source.path} (AWS Price List API, on-demand Linux, ${covered.join(", ")}), generated ${pricing.generatedAt}`,
        url: source.url,
        date,
      },
    },
    families: Object.fromEntries(families),
    regions: { covered, absent },
    gaps,
    prices,
  };
}

const SIZE_ORDER = ["nano", "micro", "small", "medium", "large", "xlarge"];

/** Family, then size from smallest (nano ... xlarge, 2xlarge ... 48xlarge, then metal sizes). */
export function compareInstanceTypes(a: string, b: string): number {
  const [familyA, sizeA] = a.split(".");
  const [familyB, sizeB] = b.split(".");
  if (familyA !== familyB) return familyA.localeCompare(familyB);
  const rank = (size: string): number => {
    const named = SIZE_ORDER.indexOf(size);
    if (named >= 0) return named;
    const multiple = /^(\d+)xlarge$/.exec(size);
    if (multiple) return SIZE_ORDER.length + Number(multiple[1]);
    return 1000;
  };
  return rank(sizeA) - rank(sizeB) || sizeA.localeCompare(sizeB);
}

async function main(): Promise<string[]> {
  const flags = parseFlags(process.argv.slice(2), ["input", "commit", "commit-date"]);
  const source = pinnedSource(
    "aws/karpenter-provider-aws",
    KARPENTER_PRICE_FILE,
    requireFlag(flags, "commit", "the Karpenter commit the file was read at"),
    requireFlag(flags, "commit-date", "that commit's date"),
  );
  const pricing = parseKarpenterPricing(await readInput(flags.get("input")));
  const allTypes = [...new Set([...pricing.prices.values()].flatMap((m) => [...m.keys()]))];
  const families = platformFamilies(
    committedStacks(),
    defaultNodeGroupTypes(),
    defaultGpuInstanceFamilies(),
    allTypes,
  );
  return [
    await writeGenerated(EC2_PRICES_FILE, buildEc2Prices(pricing, source, awsRegions, families)),
  ];
}

if (require.main === module) runMain(main);
