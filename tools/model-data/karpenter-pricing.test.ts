import * as assert from "assert";
import { SourceFormatError } from "./cli";
import { parseKarpenterPricing } from "./karpenter-pricing";
import { KARPENTER_AWS_EXCERPT, KARPENTER_US_GOV_EXCERPT } from "./test-excerpts";

function rejects(source: string, message: RegExp): void {
  assert.throws(
    () => parseKarpenterPricing(source),
    (err: unknown) => err instanceof SourceFormatError && message.test(err.message),
  );
}

describe("parseKarpenterPricing", () => {
  it("reads the generation comment, the variable and every price of a region", () => {
    const parsed = parseKarpenterPricing(KARPENTER_AWS_EXCERPT);
    assert.strictEqual(parsed.generatedAt, "2026-07-20T13:44:30Z");
    assert.strictEqual(parsed.generatedFor, "us-east-1");
    assert.strictEqual(parsed.variable, "InitialOnDemandPricesAWS");
    assert.deepStrictEqual([...parsed.prices.keys()], ["us-east-1"]);
    const useast1 = parsed.prices.get("us-east-1")!;
    assert.strictEqual(useast1.size, 9 + 9 + 9 + 7 + 7 + 9);
    assert.strictEqual(useast1.get("m7g.xlarge"), 0.1632);
    assert.strictEqual(useast1.get("m7i-flex.large"), 0.09576);
    assert.strictEqual(useast1.get("x2gd.metal"), 5.8784);
  });

  it("reads every region of a file, each with its own types", () => {
    const parsed = parseKarpenterPricing(KARPENTER_US_GOV_EXCERPT);
    assert.deepStrictEqual([...parsed.prices.keys()], ["us-gov-east-1", "us-gov-west-1"]);
    assert.strictEqual(parsed.prices.get("us-gov-east-1")!.size, 9);
    assert.strictEqual(parsed.prices.get("us-gov-east-1")!.has("c8g.large"), false);
    assert.strictEqual(parsed.prices.get("us-gov-west-1")!.get("c8g.metal-24xl"), 5.03606);
    assert.strictEqual(parsed.prices.get("us-gov-west-1")!.size, 4 + 12);
  });

  it("rejects an entry line it does not recognise, naming the line", () => {
    rejects(
      KARPENTER_AWS_EXCERPT.replace('"m5.xlarge": 0.192000,', '"m5.xlarge": 0.192000'),
      /^line 19: expected "<instance type>": <USD per hour>, entries of us-east-1/,
    );
    rejects(KARPENTER_AWS_EXCERPT.replace("0.163200", "NaN"), /^line 23: /);
  });

  it("rejects a type listed twice in a region, and a region listed twice", () => {
    rejects(
      KARPENTER_AWS_EXCERPT.replace('"m5.large": 0.096000', '"m5.xlarge": 0.096000'),
      /m5\.xlarge appears twice in us-east-1/,
    );
    rejects(
      KARPENTER_US_GOV_EXCERPT.replace('"us-gov-west-1": {', '"us-gov-east-1": {'),
      /region us-gov-east-1 appears twice/,
    );
  });

  it("rejects a truncated file and a file without its generation comment", () => {
    rejects(
      KARPENTER_AWS_EXCERPT.slice(0, KARPENTER_AWS_EXCERPT.lastIndexOf("\t},")),
      /not closed/,
    );
    rejects(
      KARPENTER_AWS_EXCERPT.replace("// generated at", "// built at"),
      /no "\/\/ generated at/,
    );
    rejects(
      KARPENTER_AWS_EXCERPT.replace(
        "map[string]map[ec2types.InstanceType]float64{",
        "map[string]float64{",
      ),
      /no `var <name>/,
    );
  });
});
