import * as assert from "assert";
import { familiesAllowedBy, familyOf, karpenterLabels } from "./instance-families";
import { parseKarpenterPricing } from "./karpenter-pricing";
import { KARPENTER_AWS_EXCERPT } from "./test-excerpts";

const TYPES = [...parseKarpenterPricing(KARPENTER_AWS_EXCERPT).prices.get("us-east-1")!.keys()];

describe("instance families", () => {
  for (const [type, family, labels] of [
    ["m7g.xlarge", "m7g", { category: "m", generation: 7 }],
    ["m7i-flex.large", "m7i-flex", { category: "m", generation: 7 }],
    ["c7gn.metal", "c7gn", { category: "c", generation: 7 }],
    ["c8g.metal-24xl", "c8g", { category: "c", generation: 8 }],
    ["u-6tb1.metal", "u-6tb1", { category: "u", generation: 1 }],
    ["x2gd.large", "x2gd", { category: "x", generation: 2 }],
  ] as const) {
    it(`${type}: family ${family}, Karpenter category ${labels.category}, generation ${labels.generation}`, () => {
      assert.strictEqual(familyOf(type), family);
      assert.deepStrictEqual(karpenterLabels(type), labels);
    });
  }

  it("lists the families a NodePool's category and generation requirements allow", () => {
    const requirements = [
      { key: "karpenter.sh/capacity-type", operator: "In", values: ["spot"] },
      { key: "karpenter.k8s.aws/instance-category", operator: "In", values: ["c", "m", "r"] },
      { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: ["5"] },
      // CPU counts select sizes, not families: every size of an allowed family is priced.
      { key: "karpenter.k8s.aws/instance-cpu", operator: "In", values: ["4", "8", "16"] },
    ];
    assert.deepStrictEqual(familiesAllowedBy(requirements, TYPES), ["c7gn", "m7g", "m7i-flex"]);
  });

  it("applies family, NotIn and Lt requirements", () => {
    assert.deepStrictEqual(
      familiesAllowedBy(
        [
          { key: "karpenter.k8s.aws/instance-family", operator: "NotIn", values: ["m7i-flex"] },
          { key: "karpenter.k8s.aws/instance-generation", operator: "Lt", values: ["8"] },
        ],
        TYPES,
      ),
      ["c7gn", "m5", "m7g", "t4g", "x2gd"],
    );
  });

  it("rejects an operator it does not know rather than guessing", () => {
    assert.throws(
      () =>
        familiesAllowedBy(
          [{ key: "karpenter.k8s.aws/instance-category", operator: "Contains", values: ["m"] }],
          TYPES,
        ),
      /unknown requirement operator Contains on karpenter\.k8s\.aws\/instance-category/,
    );
  });
});
