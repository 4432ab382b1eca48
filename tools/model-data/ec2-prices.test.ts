import * as assert from "assert";
import { pinnedSource, SourceFormatError } from "./cli";
import {
  ALWAYS_PRICED,
  buildEc2Prices,
  compareInstanceTypes,
  KARPENTER_PRICE_FILE,
  platformFamilies,
} from "./ec2-prices";
import { parseKarpenterPricing } from "./karpenter-pricing";
import { StackUsage } from "./stacks";
import { KARPENTER_AWS_EXCERPT, KARPENTER_US_GOV_EXCERPT } from "./test-excerpts";

const SOURCE = pinnedSource(
  "aws/karpenter-provider-aws",
  KARPENTER_PRICE_FILE,
  "1d927085dd81a9df9301e613f371dac5b4d16bfe",
  "2026-08-21T16:33:55-07:00",
);
const GOV = parseKarpenterPricing(KARPENTER_US_GOV_EXCERPT);
const families = (...names: string[]) => new Map(names.map((n) => [n, [`test: ${n}`]]));

describe("buildEc2Prices", () => {
  // The us-gov excerpt stands in for a file covering two of the regions a stack may target.
  const regions = { withEks: ["us-gov-east-1", "us-gov-west-1", "us-west-2"] };

  it("prices every size of each family in each covered region, in the price table's shape", () => {
    const file = buildEc2Prices(GOV, SOURCE, regions, families("c5", "c8g"));
    assert.deepStrictEqual(file.regions.covered, ["us-gov-east-1", "us-gov-west-1"]);
    assert.deepStrictEqual(file.prices["ec2:c5.large"], {
      unit: "instance-hour",
      regions: {
        "us-gov-east-1": { usd: 0.102, source: "karpenter-pricing", date: "2026-07-20" },
      },
    });
    assert.deepStrictEqual(Object.keys(file.prices["ec2:c5.12xlarge"].regions), [
      "us-gov-east-1",
      "us-gov-west-1",
    ]);
    assert.strictEqual(Object.keys(file.prices).filter((k) => k.startsWith("ec2:c8g.")).length, 12);
    assert.deepStrictEqual(file.sources["karpenter-pricing"], {
      title:
        "aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go (AWS Price List API, on-demand Linux, us-gov-east-1, us-gov-west-1), generated 2026-07-20T13:44:38Z",
      url: SOURCE.url,
      date: "2026-07-20",
    });
  });

  it("explains every type a covered region does not price, and every region the file lacks", () => {
    const file = buildEc2Prices(GOV, SOURCE, regions, families("c5", "c8g"));
    assert.deepStrictEqual(Object.keys(file.gaps["ec2:c8g.large"]), ["us-gov-east-1"]);
    assert.deepStrictEqual(Object.keys(file.gaps["ec2:c5.large"]), ["us-gov-west-1"]);
    assert.match(file.gaps["ec2:c8g.large"]["us-gov-east-1"], /^not in pkg\/providers\/pricing/);
    assert.deepStrictEqual(Object.keys(file.regions.absent), ["us-west-2"]);
    assert.strictEqual(
      file.regions.absent["us-west-2"],
      "pkg/providers/pricing/zz_generated.pricing_aws.go at 1d927085dd81 holds on-demand prices for us-gov-east-1, us-gov-west-1 only; no figure is derived for us-west-2",
    );
  });

  it("fails, naming the family and who asked for it, when no size of a family is priced", () => {
    assert.throws(
      () => buildEc2Prices(GOV, SOURCE, regions, families("c5", "m9z")),
      (err: unknown) =>
        err instanceof SourceFormatError &&
        /no price for any size of m9z in us-gov-east-1, us-gov-west-1/.test(err.message) &&
        err.message.includes("m9z: test: m9z"),
    );
  });

  it("fails when the file prices none of the regions", () => {
    assert.throws(
      () => buildEc2Prices(GOV, SOURCE, { withEks: ["us-west-2"] }, families("c5")),
      /prices no commercial region with EKS \(it has: us-gov-east-1, us-gov-west-1\)/,
    );
  });
});

describe("platformFamilies", () => {
  const stack: StackUsage = {
    stack: "prod-test",
    region: "us-east-1",
    drRegion: "us-west-2",
    nodeGroupTypes: { "platform:systemInstanceTypes": ["m7g.xlarge"] },
    karpenterRequirements: [
      { key: "karpenter.k8s.aws/instance-category", operator: "In", values: ["c", "m"] },
      { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: ["6"] },
    ],
    gpuInstanceFamilies: ["g6"],
    postgresInstanceClass: "db.r7g.large",
    cacheNodeType: "cache.r7g.large",
  };
  const types = [...parseKarpenterPricing(KARPENTER_AWS_EXCERPT).prices.get("us-east-1")!.keys()];

  it("names each family with every reason it is priced", () => {
    const result = platformFamilies(
      [stack],
      { "platform:workloadInstanceTypes": ["m5.xlarge"] },
      ["g5"],
      types,
    );
    const karpenter =
      "prod-test: Karpenter NodePools (karpenter.k8s.aws/instance-category In c,m; karpenter.k8s.aws/instance-generation Gt 6)";
    assert.deepStrictEqual(Object.fromEntries(result), {
      c7gn: [karpenter],
      g5: ["default of platform:gpuInstanceFamilies (stacks/config)"],
      g6: ["prod-test: GPU NodePool (platform:gpuInstanceFamilies)"],
      m5: ["default of platform:workloadInstanceTypes (stacks/config)"],
      m7g: ["prod-test: platform:systemInstanceTypes", karpenter],
      "m7i-flex": [karpenter],
      t3: [ALWAYS_PRICED.t3],
    });
  });
});

describe("compareInstanceTypes", () => {
  it("orders sizes from the smallest, metal last", () => {
    const sorted = ["m5.metal", "m5.12xlarge", "m5.xlarge", "m5.2xlarge", "m5.large", "c5.xlarge"];
    assert.deepStrictEqual(sorted.sort(compareInstanceTypes), [
      "c5.xlarge",
      "m5.large",
      "m5.xlarge",
      "m5.2xlarge",
      "m5.12xlarge",
      "m5.metal",
    ]);
  });
});
