/**
 * The committed generated files: their invariants, and that they are current for the committed
 * stacks (a stack that starts using a family, region or class these files lack fails here until
 * the generators are run again).
 */
import * as assert from "assert";
import * as pulumiAwsEnums from "@pulumi/aws/types/enums";
import { platformFamilies, SOURCE_ID } from "./ec2-prices";
import ec2Prices from "../../components/model/aws/ec2-on-demand.json";
import priceTable from "../../components/model/cost/prices.json";
import instanceTypes from "../../components/model/aws/ec2-instance-types.json";
import offerings from "../../components/model/aws/region-offerings.json";
import awsRegions from "../../components/model/aws/aws-regions.json";
import { familyOf } from "./instance-families";
import { OFFERINGS } from "./region-offerings";
import {
  committedStacks,
  defaultGpuInstanceFamilies,
  defaultNodeGroupTypes,
  StackUsage,
} from "./stacks";

const COMMIT = /^[0-9a-f]{40}$/;
const DATE = /^\d{4}-\d{2}-\d{2}/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;

describe("generated model data", () => {
  let stacks: StackUsage[];
  before(() => {
    stacks = committedStacks();
  });

  describe("aws-regions.json", () => {
    it("names its pinned source", () => {
      assert.strictEqual(awsRegions.source.repository, "boto/botocore");
      assert.match(awsRegions.source.commit, COMMIT);
      assert.match(awsRegions.source.commitDate, DATE);
      assert.ok(awsRegions.source.url.includes(awsRegions.source.commit));
    });

    it("lists only regions the pinned @pulumi/aws can name, each with EKS", () => {
      const pulumiRegions: string[] = Object.values(pulumiAwsEnums.Region);
      assert.ok(awsRegions.withEks.length > 0);
      for (const region of awsRegions.withEks) {
        assert.ok(pulumiRegions.includes(region), `${region} is not in @pulumi/aws's Region enum`);
        const entry = awsRegions.regions[region as keyof typeof awsRegions.regions];
        assert.ok(entry.services.includes("eks"), `${region} has no EKS endpoint`);
      }
    });

    it("holds every committed stack's region and DR region", () => {
      for (const stack of stacks) {
        assert.ok(awsRegions.withEks.includes(stack.region), `${stack.stack}: ${stack.region}`);
        assert.ok(awsRegions.withEks.includes(stack.drRegion), `${stack.stack}: ${stack.drRegion}`);
      }
    });
  });

  describe("ec2-on-demand.json", () => {
    const prices = ec2Prices.prices as Record<
      string,
      { unit: string; regions: Record<string, { usd: number; source: string; date: string }> }
    >;
    const gaps = ec2Prices.gaps as Record<string, Record<string, string>>;
    const source = ec2Prices.sources[SOURCE_ID];

    it("names its pinned source, commit and date", () => {
      assert.strictEqual(ec2Prices.source.repository, "aws/karpenter-provider-aws");
      assert.match(ec2Prices.source.commit, COMMIT);
      assert.match(ec2Prices.source.commitDate, DATE);
      assert.match(ec2Prices.source.generatedAt, DATE);
      assert.strictEqual(source.url, ec2Prices.source.url);
      assert.strictEqual(source.date, ec2Prices.source.generatedAt.slice(0, 10));
    });

    it("gives every figure as a positive hourly price with the source and its date", () => {
      assert.ok(Object.keys(prices).length > 0);
      for (const [key, item] of Object.entries(prices)) {
        assert.match(key, /^ec2:/);
        assert.match(key.slice(4), INSTANCE_TYPE);
        assert.strictEqual(item.unit, "instance-hour");
        for (const [region, price] of Object.entries(item.regions)) {
          assert.ok(
            Number.isFinite(price.usd) && price.usd > 0,
            `${key} in ${region}: ${price.usd}`,
          );
          assert.strictEqual(price.source, SOURCE_ID);
          assert.strictEqual(price.date, source.date);
        }
      }
    });

    it("accounts for every commercial region with EKS: covered, or absent with the reason", () => {
      const { covered, absent } = ec2Prices.regions as {
        covered: string[];
        absent: Record<string, string>;
      };
      assert.deepStrictEqual(
        [...covered, ...Object.keys(absent)].sort(),
        [...awsRegions.withEks].sort(),
      );
      for (const region of covered) assert.ok(!(region in absent));
      for (const [region, reason] of Object.entries(absent)) {
        assert.ok(reason.length > 0, `${region} is absent without a reason`);
      }
    });

    it("prices every type in every covered region, or explains the gap", () => {
      for (const [key, item] of Object.entries(prices)) {
        for (const region of ec2Prices.regions.covered) {
          const explained = gaps[key]?.[region];
          assert.ok(
            region in item.regions || (explained !== undefined && explained.length > 0),
            `${key} has neither a price nor an explained gap in ${region}`,
          );
        }
      }
    });

    it("prices only instance types AWS's EC2 model names", () => {
      const known = new Set(instanceTypes.instanceTypes);
      const unknown = Object.keys(prices)
        .map((key) => key.slice(4))
        .filter((type) => !known.has(type));
      assert.deepStrictEqual(unknown, []);
    });

    it("is current: prices every family the committed stacks and the config defaults may run", () => {
      const priced = new Set(Object.keys(ec2Prices.families));
      const pricedTypes = Object.keys(prices).map((key) => key.slice(4));
      const needed = platformFamilies(
        stacks,
        defaultNodeGroupTypes(),
        defaultGpuInstanceFamilies(),
        pricedTypes,
      );
      const missing = [...needed.keys()].filter((family) => !priced.has(family));
      assert.deepStrictEqual(missing, [], "run tools/model-data/ec2-prices.ts again");
      for (const stack of stacks) {
        for (const types of Object.values(stack.nodeGroupTypes)) {
          for (const type of types) {
            assert.ok(`ec2:${type}` in prices, `${stack.stack} runs ${type}, which has no price`);
          }
        }
      }
      for (const family of priced) {
        assert.ok(
          pricedTypes.some((type) => familyOf(type) === family),
          `no size of ${family} is priced`,
        );
      }
    });
  });

  describe("the cost model's price table (components/model/cost/prices.json)", () => {
    it("holds the generated file's us-east-1 price for every EC2 type both hold", () => {
      // The table's c5, r5 and t4g entries predate the generated file, which prices no such family.
      const generated = ec2Prices.prices as Record<
        string,
        { regions: Record<string, { usd: number }> }
      >;
      const both = Object.entries(
        priceTable.prices as Record<string, { regions: Record<string, { usd: number }> }>,
      ).filter(([key]) => key in generated);
      assert.ok(both.length >= 90, `${both.length} types in both`);
      for (const [key, item] of both) {
        assert.strictEqual(
          item.regions["us-east-1"].usd,
          generated[key].regions["us-east-1"].usd,
          key,
        );
      }
    });

    it("prices every size of the GPU NodePool's families, so the estimate can bound the pool", () => {
      const families = new Set([
        ...defaultGpuInstanceFamilies(),
        ...stacks.flatMap((stack) => stack.gpuInstanceFamilies),
      ]);
      for (const key of Object.keys(ec2Prices.prices)) {
        if (families.has(familyOf(key.slice(4)))) {
          assert.ok(key in priceTable.prices, `${key} is missing from prices.json`);
        }
      }
    });
  });

  describe("ec2-instance-types.json", () => {
    it("records the SDK version it was generated from and lists each type once, sorted", () => {
      assert.strictEqual(instanceTypes.source.package, "@aws-sdk/client-ec2");
      assert.match(instanceTypes.source.version, /^\d+\.\d+\.\d+$/);
      const list = instanceTypes.instanceTypes;
      assert.strictEqual(instanceTypes.count, list.length);
      assert.deepStrictEqual([...new Set(list)].sort(), list);
      for (const type of list) assert.match(type, INSTANCE_TYPE);
    });

    it("contains every instance type a committed stack's node groups run", () => {
      const known = new Set(instanceTypes.instanceTypes);
      for (const stack of stacks) {
        for (const types of Object.values(stack.nodeGroupTypes)) {
          for (const type of types) assert.ok(known.has(type), `${stack.stack}: ${type}`);
        }
      }
    });
  });

  describe("region-offerings.json", () => {
    const regions = offerings.regions as Record<string, Record<string, string[]>>;

    it("names its pinned source", () => {
      assert.strictEqual(offerings.source.repository, "aws-cloudformation/cfn-lint");
      assert.match(offerings.source.commit, COMMIT);
      assert.match(offerings.source.commitDate, DATE);
    });

    it("has a non-empty, sorted list of each kind for every commercial region with EKS", () => {
      assert.deepStrictEqual(Object.keys(regions).sort(), [...awsRegions.withEks].sort());
      for (const [region, lists] of Object.entries(regions)) {
        for (const offering of OFFERINGS) {
          const list = lists[offering];
          assert.ok(list.length > 0, `${offering} of ${region} is empty`);
          assert.deepStrictEqual([...new Set(list)].sort(), list, `${offering} of ${region}`);
        }
      }
    });

    it("offers what each committed stack runs in its region, and the database in its DR region", () => {
      for (const stack of stacks) {
        const home = regions[stack.region];
        for (const types of Object.values(stack.nodeGroupTypes)) {
          for (const type of types) assert.ok(home.ec2.includes(type), `${stack.stack}: ${type}`);
        }
        for (const region of [stack.region, stack.drRegion]) {
          assert.ok(
            regions[region].rdsPostgres.includes(stack.postgresInstanceClass),
            `${stack.stack}: ${stack.postgresInstanceClass} in ${region}`,
          );
        }
        assert.ok(home.elasticache.includes(stack.cacheNodeType), `${stack.stack}: cache`);
      }
    });
  });
});
