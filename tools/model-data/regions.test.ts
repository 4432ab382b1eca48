import * as assert from "assert";
import { pinnedSource, SourceFormatError } from "./cli";
import { BOTOCORE_ENDPOINTS, buildRegions } from "./regions";
import { BOTOCORE_EXCERPT } from "./test-excerpts";

const SOURCE = pinnedSource(
  "boto/botocore",
  BOTOCORE_ENDPOINTS,
  "f6c173905c660b7c2b7cc1808652d1cb19504ddb",
  "2026-08-07T18:10:58+00:00",
);
const PULUMI = ["ap-southeast-6", "us-east-1", "us-west-2", "cn-north-1", "us-gov-west-1"];

function withoutEndpoint(service: string, region: string): string {
  const data = JSON.parse(BOTOCORE_EXCERPT);
  delete data.partitions[0].services[service].endpoints[region];
  return JSON.stringify(data);
}

describe("buildRegions", () => {
  it("lists the aws partition's regions with an EKS endpoint, not other partitions'", () => {
    const file = buildRegions(BOTOCORE_EXCERPT, SOURCE, PULUMI, "7.48.0");
    assert.deepStrictEqual(file.withEks, ["ap-southeast-6", "us-east-1", "us-west-2"]);
    assert.deepStrictEqual(file.excluded, {});
    assert.deepStrictEqual(file.regions["ap-southeast-6"], {
      name: "Asia Pacific (New Zealand)",
      services: ["eks", "rds", "elasticache"],
    });
    assert.strictEqual(file.source.commit, "f6c173905c660b7c2b7cc1808652d1cb19504ddb");
  });

  it("excludes a region without an EKS endpoint, and records which services a region lacks", () => {
    const file = buildRegions(withoutEndpoint("eks", "ap-southeast-6"), SOURCE, PULUMI, "7.48.0");
    assert.deepStrictEqual(file.withEks, ["us-east-1", "us-west-2"]);
    assert.deepStrictEqual(file.excluded, {
      "ap-southeast-6": "no EKS endpoint in botocore's endpoints.json",
    });
    const noRds = buildRegions(withoutEndpoint("rds", "us-west-2"), SOURCE, PULUMI, "7.48.0");
    assert.deepStrictEqual(noRds.regions["us-west-2"].services, ["eks", "elasticache"]);
  });

  it("excludes a region the pinned @pulumi/aws cannot name, and reports the enum's extra ones", () => {
    const file = buildRegions(
      BOTOCORE_EXCERPT,
      SOURCE,
      ["us-east-1", "us-west-2", "mx-central-2", "cn-north-1"],
      "7.48.0",
    );
    assert.deepStrictEqual(file.withEks, ["us-east-1", "us-west-2"]);
    assert.deepStrictEqual(file.excluded, {
      "ap-southeast-6": "not in the Region enum of @pulumi/aws 7.48.0",
      "mx-central-2":
        "in the Region enum of @pulumi/aws 7.48.0 but not a region of botocore's aws partition",
    });
  });

  it("rejects a file without the aws partition", () => {
    assert.throws(
      () => buildRegions(JSON.stringify({ partitions: [] }), SOURCE, PULUMI, "7.48.0"),
      (err: unknown) => err instanceof SourceFormatError && /no "aws" partition/.test(err.message),
    );
    assert.throws(() => buildRegions("{", SOURCE, PULUMI, "7.48.0"), /not JSON/);
  });
});
