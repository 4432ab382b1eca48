import * as assert from "assert";
import * as fs from "fs";
import { OUTPUT, render } from "../scripts/coverage";
import { OUTPUT as TAGGABLE_OUTPUT, render as renderTaggable } from "../scripts/taggable-types";
import { policies } from "../catalog";

describe("generated policy artifacts", () => {
  it("docs/policies.md matches the policies (run npm run docs:policies)", () => {
    assert.strictEqual(fs.readFileSync(OUTPUT, "utf8"), render());
  });

  it("lists every policy with controls or an explicit dash, and at least 60 policies", () => {
    const table = render();
    assert.ok(policies.length >= 60);
    for (const p of policies) assert.ok(table.includes(`| \`${p.name}\` |`), p.name);
  });

  it("the taggable AWS types match the installed @pulumi/aws (run npx ts-node policy-pack/scripts/taggable-types.ts)", () => {
    assert.strictEqual(fs.readFileSync(TAGGABLE_OUTPUT, "utf8"), renderTaggable());
  });
});
