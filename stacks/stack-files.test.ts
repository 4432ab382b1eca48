import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readStackFile, StackFileError } from "./stack-files";

describe("stack files", () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-files-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function read(text: string) {
    const file = path.join(dir, "Pulumi.test.yaml");
    fs.writeFileSync(file, text);
    return readStackFile("test", file);
  }

  function yamlError(text: string): string {
    try {
      read(text);
    } catch (err) {
      assert.ok(err instanceof StackFileError, String(err));
      return err.message;
    }
    assert.fail("expected a YAML error");
  }

  it("hands values over as the CLI does: strings, JSON for structures, secure values marked", () => {
    const file = read(
      "config:\n  aws:region: us-west-2\n  vpcCidr: 10.1.0.0/16\n  platform:replicas: 3\n" +
        "  platform:list:\n    - 1\n    - a\n  platform:token:\n    secure: v1:abc\n",
    );
    assert.deepStrictEqual(file.config, {
      "aws:region": "us-west-2",
      "platform:vpcCidr": "10.1.0.0/16",
      "platform:replicas": "3",
      "platform:list": '[1,"a"]',
      "platform:token": "v1:abc",
    });
    assert.deepStrictEqual(file.secretKeys, ["platform:token"]);
  });

  it("keeps numbers as written when JavaScript would rewrite them", () => {
    const { config } = read(
      "config:\n  platform:huge: 100000000000000000000000\n  platform:version: 1.30\n  platform:small: 0.5\n",
    );
    assert.strictEqual(config["platform:huge"], "100000000000000000000000");
    assert.strictEqual(config["platform:version"], "1.30");
    assert.strictEqual(config["platform:small"], "0.5");
  });

  it("locates a YAML error at its line and column and quotes the line", () => {
    const message = yamlError("config:\n  aws:region: us-west-2\n   platform:x: 1\n");
    assert.match(
      message,
      /bad indentation of a mapping entry at line 3, column \d+: "platform:x: 1"/,
    );
  });

  it("locates an error found at the end of the file on the last line with content", () => {
    const message = yamlError("config:\n  platform:vpcCidr: [10.0.0.0/16\n\n\n");
    assert.match(message, /at line 2, column 33: "platform:vpcCidr: \[10.0.0.0\/16"/);
  });
});
