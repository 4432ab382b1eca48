/**
 * Generates components/model/aws/region-offerings.json: per commercial region with EKS, the EC2 instance
 * types, the RDS for PostgreSQL instance classes and the ElastiCache node types that AWS's Price
 * List offers there, as committed by cfn-lint (aws-cloudformation/cfn-lint), whose
 * scripts/update_specs_from_pricing.py extracts them from the AWS Price List API. A value that is
 * valid in general (ec2-instance-types.json) but missing here is not offered in that region.
 *
 *   E=src/cfnlint/data/schemas/extensions
 *   for f in aws_ec2_instance/instancetype_enum aws_rds_dbinstance/dbinstanceclass_enum \
 *            aws_elasticache_cachecluster/cachenodetype_enum; do
 *     git -C <cfn-lint> show <commit>:$E/$f.json > /tmp/$(basename $(dirname $f)).json; done
 *   npx ts-node -T tools/model-data/region-offerings.ts --ec2 /tmp/aws_ec2_instance.json \
 *     --rds /tmp/aws_rds_dbinstance.json --elasticache /tmp/aws_elasticache_cachecluster.json \
 *     --commit <commit> --commit-date "$(git -C <cfn-lint> show -s --format=%cI <commit>)"
 */
import * as fs from "fs";
import {
  parseFlags,
  pinnedSource,
  requireFlag,
  runMain,
  SourceFormatError,
  UsageError,
  writeGenerated,
} from "./cli";
import { RegionsFile } from "./regions";
import awsRegions from "../../components/model/aws/aws-regions.json";

export const OFFERINGS_FILE = "region-offerings.json";
export const CFN_LINT = "aws-cloudformation/cfn-lint";
const EXTENSIONS = "src/cfnlint/data/schemas/extensions";
export const CFN_LINT_FILES = {
  ec2: `${EXTENSIONS}/aws_ec2_instance/instancetype_enum.json`,
  rdsPostgres: `${EXTENSIONS}/aws_rds_dbinstance/dbinstanceclass_enum.json`,
  elasticache: `${EXTENSIONS}/aws_elasticache_cachecluster/cachenodetype_enum.json`,
} as const;
export type Offering = keyof typeof CFN_LINT_FILES;
export const OFFERINGS = Object.keys(CFN_LINT_FILES) as Offering[];
/** The command-line flag naming each file. */
const FLAGS: Readonly<Record<Offering, string>> = {
  ec2: "ec2",
  rdsPostgres: "rds",
  elasticache: "elasticache",
};

export interface RegionOfferingsFile {
  readonly $comment: string;
  readonly source: {
    readonly title: string;
    readonly repository: string;
    readonly commit: string;
    readonly commitDate: string;
    readonly files: Readonly<Record<Offering, { readonly path: string; readonly url: string }>>;
  };
  readonly lists: Readonly<Record<Offering, string>>;
  /** Region -> offering -> sorted values. */
  readonly regions: Readonly<Record<string, Readonly<Record<Offering, readonly string[]>>>>;
}

type Json = Record<string, unknown>;

function parse(text: string, what: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (err) {
    throw new SourceFormatError(`${what}: not JSON: ${(err as Error).message}`);
  }
}

/** `{ "<region>": { "enum": [...] } }`, as cfn-lint's write_output writes it. */
export function enumByRegion(text: string, what: string): Map<string, string[]> {
  const byRegion = new Map<string, string[]>();
  for (const [region, value] of Object.entries(parse(text, what))) {
    if (region === "description") continue;
    const values = (value as { enum?: unknown }).enum;
    if (!Array.isArray(values) || values.some((v) => typeof v !== "string")) {
      throw new SourceFormatError(`${what}: ${region} has no "enum" list of strings`);
    }
    byRegion.set(region, values as string[]);
  }
  return byRegion;
}

/**
 * The PostgreSQL classes of cfn-lint's RDS file: per region an `allOf` of if/then rules, one per
 * engine, license model and deployment option; the `postgres` rules name its classes.
 */
export function postgresClassesByRegion(text: string, what: string): Map<string, string[]> {
  const byRegion = new Map<string, string[]>();
  for (const [region, value] of Object.entries(parse(text, what))) {
    const rules = (value as { allOf?: unknown }).allOf;
    if (!Array.isArray(rules))
      throw new SourceFormatError(`${what}: ${region} has no "allOf" rules`);
    const classes = new Set<string>();
    for (const rule of rules as Json[]) {
      const condition = (rule.if as Json | undefined)?.properties as Json | undefined;
      const engine = (condition?.Engine as { const?: unknown } | undefined)?.const;
      if (engine !== "postgres") continue;
      const allowed = (
        ((rule.then as Json | undefined)?.properties as Json | undefined)?.DBInstanceClass as
          { enum?: unknown } | undefined
      )?.enum;
      if (!Array.isArray(allowed)) {
        throw new SourceFormatError(
          `${what}: a postgres rule of ${region} has no DBInstanceClass enum`,
        );
      }
      for (const c of allowed) classes.add(String(c));
    }
    if (classes.size > 0) byRegion.set(region, [...classes]);
  }
  return byRegion;
}

/** cfn-lint's three files at one commit. */
export function cfnLintSource(commit: string, commitDate: string): RegionOfferingsFile["source"] {
  const files = {} as Record<Offering, { path: string; url: string }>;
  for (const offering of OFFERINGS) {
    const { path, url } = pinnedSource(CFN_LINT, CFN_LINT_FILES[offering], commit, commitDate);
    files[offering] = { path, url };
  }
  return {
    title:
      "cfn-lint's per-region allowed values, extracted from the AWS Price List API by its scripts/update_specs_from_pricing.py",
    repository: CFN_LINT,
    commit,
    commitDate,
    files,
  };
}

export function buildOfferings(
  lists: Readonly<Record<Offering, ReadonlyMap<string, readonly string[]>>>,
  source: RegionOfferingsFile["source"],
  regions: Pick<RegionsFile, "withEks">,
): RegionOfferingsFile {
  const byRegion: Record<string, Record<Offering, string[]>> = {};
  const missing: string[] = [];
  for (const region of regions.withEks) {
    const entry = {} as Record<Offering, string[]>;
    for (const offering of OFFERINGS) {
      const values = lists[offering].get(region);
      if (values === undefined || values.length === 0) missing.push(`${offering} in ${region}`);
      else entry[offering] = [...new Set(values)].sort();
    }
    byRegion[region] = entry;
  }
  if (missing.length > 0) {
    // A region the platform can target must be checkable: fail rather than accept anything there.
    throw new SourceFormatError(`cfn-lint's files list nothing for ${missing.join(", ")}`);
  }
  return {
    $comment:
      "Generated by tools/model-data/region-offerings.ts; do not edit. Regenerate: tools/model-data/README.md.",
    source,
    lists: {
      ec2: "EC2 instance types with a Compute Instance price in the region (any OS, tenancy or purchase option)",
      rdsPostgres:
        "RDS instance classes with a Single-AZ or Multi-AZ price for engine postgres in the region",
      elasticache:
        "ElastiCache node types with a Cache Instance price in the region (any engine: Valkey, Redis OSS, Memcached)",
    },
    regions: byRegion,
  };
}

async function main(): Promise<string[]> {
  const flags = parseFlags(process.argv.slice(2), [
    ...Object.values(FLAGS),
    "commit",
    "commit-date",
  ]);
  const source = cfnLintSource(
    requireFlag(flags, "commit", "the cfn-lint commit the files were read at"),
    requireFlag(flags, "commit-date", "that commit's date"),
  );
  const read = (offering: Offering): string => {
    const file = requireFlag(flags, FLAGS[offering], `cfn-lint's ${CFN_LINT_FILES[offering]}`);
    if (!fs.existsSync(file)) throw new UsageError(`--${FLAGS[offering]} ${file}: no such file`);
    return fs.readFileSync(file, "utf8");
  };
  const lists = {
    ec2: enumByRegion(read("ec2"), CFN_LINT_FILES.ec2),
    rdsPostgres: postgresClassesByRegion(read("rdsPostgres"), CFN_LINT_FILES.rdsPostgres),
    elasticache: enumByRegion(read("elasticache"), CFN_LINT_FILES.elasticache),
  };
  const file = buildOfferings(lists, source, awsRegions);
  return [await writeGenerated(OFFERINGS_FILE, file)];
}

if (require.main === module) runMain(main);
