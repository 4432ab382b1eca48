import * as assert from "assert";
import * as fs from "fs";
import { listStacks } from "../../stacks/stack-files";
import { derivedPolicyConfig, withDerived } from "./derive";
import { policyConfigFile, renderPolicyConfig } from "./generate";

describe("policy config derived from the stack files", () => {
  it("allows the stack's region and its DR region", () => {
    assert.deepStrictEqual(
      derivedPolicyConfig({
        "aws:region": "ap-southeast-1",
        "platform:drRegion": "ap-southeast-2",
      }),
      { "allowed-regions": { allowedRegions: ["ap-southeast-1", "ap-southeast-2"] } },
    );
  });

  it("allows a standby its own region only", () => {
    assert.deepStrictEqual(
      derivedPolicyConfig({
        "aws:region": "us-east-1",
        "platform:drRegion": "us-west-2",
        "platform:role": "standby",
      }),
      { "allowed-regions": { allowedRegions: ["us-east-1"] } },
    );
  });

  it("allows images from the stack's own registry only, for workloads and Helm releases alike", () => {
    const derived = derivedPolicyConfig({
      "aws:region": "eu-west-1",
      "platform:accountId": "111122223333",
    });
    const own = { allowedRegistries: ["111122223333.dkr.ecr.eu-west-1.amazonaws.com"] };
    assert.deepStrictEqual(derived["k8s-images-from-allowed-registries"], own);
    assert.deepStrictEqual(derived["helm-release-images-from-allowed-registries"], own);
  });

  it("replaces only the derived settings, keeping levels and other policies set by hand", () => {
    const merged = withDerived(
      {
        "allowed-regions": { enforcementLevel: "advisory", allowedRegions: ["us-east-2"] },
        "eks-public-endpoint": "disabled",
      },
      { "aws:region": "us-west-2", "platform:drRegion": "us-east-1" },
    );
    assert.deepStrictEqual(merged, {
      "allowed-regions": {
        enforcementLevel: "advisory",
        allowedRegions: ["us-west-2", "us-east-1"],
      },
      "eks-public-endpoint": "disabled",
    });
    assert.deepStrictEqual(
      withDerived({ "allowed-regions": "mandatory" }, { "aws:region": "eu-west-1" }),
      { "allowed-regions": { enforcementLevel: "mandatory", allowedRegions: ["eu-west-1"] } },
    );
  });

  for (const stack of listStacks()) {
    it(`is committed and current for ${stack} (npm run gen:policy-config)`, async () => {
      const file = policyConfigFile(stack);
      assert.ok(fs.existsSync(file), `${file} is missing: run npm run gen:policy-config`);
      assert.strictEqual(
        fs.readFileSync(file, "utf8"),
        await renderPolicyConfig(stack),
        `${file} is stale: run npm run gen:policy-config`,
      );
    });
  }
});
