import * as assert from "assert";
import { SourceFormatError } from "./cli";
import {
  buildOfferings,
  cfnLintSource,
  enumByRegion,
  postgresClassesByRegion,
} from "./region-offerings";
import {
  CFN_LINT_EC2_EXCERPT,
  CFN_LINT_ELASTICACHE_EXCERPT,
  CFN_LINT_RDS_EXCERPT,
} from "./test-excerpts";

const SOURCE = cfnLintSource(
  "217397c819d2cebe4c1e836c9ab18fafd0e10135",
  "2026-08-19T10:21:57-07:00",
);

describe("region offerings", () => {
  it("reads a per-region enum file, skipping its description", () => {
    const ec2 = enumByRegion(CFN_LINT_EC2_EXCERPT, "ec2");
    assert.deepStrictEqual([...ec2.keys()], ["ap-southeast-6", "us-west-2"]);
    assert.ok(ec2.get("us-west-2")!.includes("m7g.large"));
  });

  it("reads the PostgreSQL classes only, not another engine's", () => {
    const classes = postgresClassesByRegion(CFN_LINT_RDS_EXCERPT, "rds");
    assert.deepStrictEqual(classes.get("eu-west-3"), ["db.r8g.2xlarge", "db.r8g.large"]);
  });

  it("rejects files of another shape", () => {
    assert.throws(
      () => enumByRegion(JSON.stringify({ "us-west-2": { values: [] } }), "ec2 file"),
      (err: unknown) =>
        err instanceof SourceFormatError && /ec2 file: us-west-2 has no "enum"/.test(err.message),
    );
    assert.throws(
      () => postgresClassesByRegion(JSON.stringify({ "eu-west-3": {} }), "rds file"),
      /rds file: eu-west-3 has no "allOf" rules/,
    );
  });

  it("keeps each region the platform can target, sorted and without duplicates", () => {
    const file = buildOfferings(
      {
        ec2: enumByRegion(CFN_LINT_EC2_EXCERPT, "ec2"),
        rdsPostgres: new Map([
          ["us-west-2", ["db.r7g.large", "db.r7g.large", "db.m7g.large"]],
          ["ap-southeast-6", ["db.r7g.large"]],
        ]),
        elasticache: enumByRegion(CFN_LINT_ELASTICACHE_EXCERPT, "elasticache"),
      },
      SOURCE,
      { withEks: ["us-west-2"] },
    );
    assert.deepStrictEqual(Object.keys(file.regions), ["us-west-2"]);
    assert.deepStrictEqual(file.regions["us-west-2"].rdsPostgres, ["db.m7g.large", "db.r7g.large"]);
  });

  it("fails when a region the platform can target has no list, rather than allow anything", () => {
    assert.throws(
      () =>
        buildOfferings(
          {
            ec2: enumByRegion(CFN_LINT_EC2_EXCERPT, "ec2"),
            rdsPostgres: postgresClassesByRegion(CFN_LINT_RDS_EXCERPT, "rds"),
            elasticache: enumByRegion(CFN_LINT_ELASTICACHE_EXCERPT, "elasticache"),
          },
          SOURCE,
          { withEks: ["us-west-2"] },
        ),
      /cfn-lint's files list nothing for rdsPostgres in us-west-2$/,
    );
  });
});
