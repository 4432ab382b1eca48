import * as assert from "assert";
import * as fs from "fs";
import { DOC, figuresSection, replaceSection } from "./architecture-doc";
import { CREATE_TIMES } from "./deploy-time";

describe("preview: docs/architecture.md", () => {
  it("lists every create time with its source, as the estimate uses them", () => {
    const doc = fs.readFileSync(DOC, "utf8");
    assert.ok(doc.includes(figuresSection()), "run npm run docs:architecture");
    for (const type of Object.keys(CREATE_TIMES))
      assert.match(doc, new RegExp(`\\| \`${type}\` \\|`));
  });

  it("replaces only the text between a section's markers, and names a missing marker", () => {
    const doc =
      "a\n<!-- BEGIN GENERATED X (npm run docs:architecture) -->\nold\n<!-- END GENERATED X -->\nb";
    assert.strictEqual(
      replaceSection(doc, "X", "new"),
      "a\n<!-- BEGIN GENERATED X (npm run docs:architecture) -->\nnew\n<!-- END GENERATED X -->\nb",
    );
    assert.throws(() => replaceSection(doc, "Y", "new"), /has no Y markers/);
  });
});
