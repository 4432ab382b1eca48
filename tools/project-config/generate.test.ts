import * as assert from "assert";
import * as fs from "fs";
import { PROJECT_FILE, renderProjectFile } from "./generate";

describe("Pulumi.yaml", () => {
  it("declares exactly the config keys the loader accepts (regenerate with npm run gen:project-config)", () => {
    assert.strictEqual(fs.readFileSync(PROJECT_FILE, "utf8"), renderProjectFile());
  });
});
