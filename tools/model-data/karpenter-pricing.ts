/**
 * Reads Karpenter's generated on-demand price file (`pkg/providers/pricing/zz_generated.pricing_*.go`
 * in aws/karpenter-provider-aws): a Go map of region -> EC2 instance type -> on-demand Linux USD
 * per hour, written by `hack/code/prices_gen` from the AWS Price List API. The parser accepts only
 * the lines that generator writes and fails on anything else, so a change of format is noticed
 * rather than half-read.
 */
import { SourceFormatError } from "./cli";

export interface KarpenterPrices {
  /** From the `// generated at <time> for <region>` comment. */
  readonly generatedAt: string;
  /** The region whose Price List endpoint the generator called (not the regions it covers). */
  readonly generatedFor: string;
  /** The Go variable, e.g. `InitialOnDemandPricesAWS`. */
  readonly variable: string;
  /** Region -> instance type -> USD per hour, in file order. */
  readonly prices: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

const GENERATED = /^\/\/ generated at (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z) for ([a-z0-9-]+)$/;
const MAP_START = /^var (\w+) = map\[string\]map\[ec2types\.InstanceType\]float64\{$/;
const REGION_START = /^"([a-z]{2}(?:-[a-z]+)+-\d+)": \{$/;
const ENTRY = /"([a-z][a-z0-9-]*\.[a-z0-9-]+)": (\d+\.\d+),/g;
const ENTRY_LINE = /^("[a-z][a-z0-9-]*\.[a-z0-9-]+": \d+\.\d+,\s*)+$/;

export function parseKarpenterPricing(source: string): KarpenterPrices {
  let generatedAt: string | undefined;
  let generatedFor: string | undefined;
  let variable: string | undefined;
  let region: Map<string, number> | undefined;
  let regionName = "";
  let closed = false;
  const prices = new Map<string, Map<string, number>>();
  const fail = (lineNo: number, line: string, why: string): never => {
    throw new SourceFormatError(`line ${lineNo}: ${why}: ${JSON.stringify(line.slice(0, 120))}`);
  };

  source.split("\n").forEach((rawLine, index) => {
    const lineNo = index + 1;
    const line = rawLine.trim();
    const generated = GENERATED.exec(line);
    if (generated) {
      [, generatedAt, generatedFor] = generated;
      return;
    }
    if (variable === undefined) {
      const start = MAP_START.exec(line);
      if (start) variable = start[1];
      // Before the map: the build tag, licence, package and import lines.
      return;
    }
    if (closed) {
      if (line !== "") fail(lineNo, rawLine, "text after the end of the price map");
      return;
    }
    if (line === "" || line.startsWith("//")) return;
    if (region === undefined) {
      if (line === "}") {
        closed = true;
        return;
      }
      const start = REGION_START.exec(line);
      if (!start) return fail(lineNo, rawLine, 'expected a region such as "us-east-1": {');
      regionName = start[1];
      if (prices.has(regionName)) fail(lineNo, rawLine, `region ${regionName} appears twice`);
      region = new Map();
      prices.set(regionName, region);
      return;
    }
    if (line === "},") {
      region = undefined;
      return;
    }
    if (!ENTRY_LINE.test(line)) {
      return fail(
        lineNo,
        rawLine,
        `expected "<instance type>": <USD per hour>, entries of ${regionName}`,
      );
    }
    for (const [, type, usd] of line.matchAll(ENTRY)) {
      if (region.has(type)) fail(lineNo, rawLine, `${type} appears twice in ${regionName}`);
      region.set(type, Number(usd));
    }
  });

  if (generatedAt === undefined || generatedFor === undefined) {
    throw new SourceFormatError('no "// generated at <time> for <region>" comment');
  }
  if (variable === undefined) {
    throw new SourceFormatError("no `var <name> = map[string]map[ec2types.InstanceType]float64{`");
  }
  if (region !== undefined || !closed) {
    throw new SourceFormatError("the price map is not closed (truncated file?)");
  }
  return { generatedAt, generatedFor, variable, prices };
}
