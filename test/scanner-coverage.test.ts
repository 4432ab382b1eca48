/**
 * The scanner tables cover every resource type the stacks declare. policy-pack/scanners lists,
 * per type in resource-types.json, each Checkov and Trivy check and whether the pack enforces it
 * (docs/policies.md fails to render for a Checkov check with neither a policy nor a reason). A type
 * missing from resource-types.json would leave its checks out of that accounting unseen: the
 * rotation functions' Lambda types were, until this test.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { runStack } from "../tools/testing";

const RESOURCE_TYPES = path.join(__dirname, "..", "policy-pack", "scanners", "resource-types.json");

describe("scanner coverage of the stacks' resource types", function () {
  this.timeout(120_000);
  const listed = new Set(
    Object.keys(
      (JSON.parse(fs.readFileSync(RESOURCE_TYPES, "utf8")) as { types: Record<string, unknown> })
        .types,
    ),
  );

  // A primary and a standby declare different sets (the data tier, the edge, the restore drill).
  for (const stack of ["prod-us-west-2", "prod-us-east-1"]) {
    it(`lists every resource type ${stack} declares in resource-types.json`, async () => {
      const run = await runStack({ stack });
      const declared = new Set(
        run.resources
          .map((r) => r.type)
          // Components are not cloud resources; the stack itself is Pulumi's.
          .filter((t) => !t.startsWith("platform:") && !t.startsWith("pulumi:")),
      );
      assert.ok(declared.size > 50, `only ${declared.size} types`);
      assert.deepStrictEqual(
        [...declared].filter((t) => !listed.has(t)).sort(),
        [],
        "add these to policy-pack/scanners/resource-types.json and regenerate the tables (tools/scanner-checks/generate.ts)",
      );
    });
  }
});
