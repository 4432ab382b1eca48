/**
 * The preview's pure parts, without child processes: the command line, the stack input, how
 * results are classified, and how values are shown (what the pack receives: tools/analyzer).
 */
import * as assert from "assert";
import type { PolicyResult } from "../analyzer";
import { SECRET_SIG, SIG_KEY, UNKNOWN } from "../mock-engine";
import { recorded, STACK_URN } from "../testing";
import { parseArgs, UsageError } from "./args";
import { classify } from "./policy";
import { makeRedactor, secretsInPlaintext, unknownPaths } from "./report";
import { secretPlaceholder, stackNameOfFile, withPlaceholders } from "./stack-input";

describe("preview: command line", () => {
  const cases: [string[], string][] = [
    [[], "name a stack with --stack <name> (or use --all)"],
    [["--stack"], "--stack needs a value"],
    [["--stack", "--json"], "--stack needs a value"],
    [["--all", "--stack", "a"], "give either --all or --stack, not both"],
    [
      ["--all", "--config-file", "x.yaml"],
      "--config-file applies to one stack; drop --all or the extra --stack",
    ],
    [["--stack", "a", "--json", "--markdown"], "give either --json or --markdown, not both"],
    [
      ["--stack", "a", "--today", "23/11/2026"],
      "--today must be a date YYYY-MM-DD (got 23/11/2026)",
    ],
    [["--stack", "a", "--frist-deploy"], "unknown argument --frist-deploy"],
    [["--stack", "a", "--compare", "x", "--compare", "y"], "--compare given twice"],
  ];
  for (const [argv, message] of cases) {
    it(`rejects ${JSON.stringify(argv)}`, () => {
      assert.throws(
        () => parseArgs(argv),
        (err: Error) => err instanceof UsageError && err.message === message,
      );
    });
  }

  it("reads stacks, flags and values, in both --key value and --key=value forms", () => {
    const args = parseArgs([
      "--stack",
      "a",
      "--stack=b",
      "--first-deploy",
      "--markdown",
      "--policy-pack=p",
    ]);
    assert.deepStrictEqual(args.stacks, ["a", "b"]);
    assert.strictEqual(args.firstDeploy, true);
    assert.strictEqual(args.format, "markdown");
    assert.strictEqual(args.policyPack, "p");
    assert.strictEqual(parseArgs(["--config-file", "f.yaml"]).configFile, "f.yaml");
    assert.strictEqual(parseArgs(["--help"]).help, true);
    assert.strictEqual(parseArgs(["--stack", "a", "--diagram"]).diagram, true);
    assert.strictEqual(parseArgs(["--stack", "a"]).diagram, false);
  });
});

describe("preview: stack input", () => {
  it("stands a marked placeholder in for every secure value, never the ciphertext", () => {
    const config = withPlaceholders({
      stack: "s",
      path: "Pulumi.s.yaml",
      config: { "aws:region": "us-west-2", "platform:token": "v1:CIPHERTEXT" },
      secretKeys: ["platform:token"],
    });
    assert.deepStrictEqual(config, {
      "aws:region": "us-west-2",
      "platform:token": "[secret placeholder for platform:token]",
    });
    assert.strictEqual(secretPlaceholder("platform:token"), config["platform:token"]);
  });

  it("names a stack after its file", () => {
    assert.strictEqual(stackNameOfFile("test/fixtures/Pulumi.broken.yaml"), "broken");
    assert.strictEqual(stackNameOfFile("/tmp/trial.yaml"), "trial");
  });
});

describe("preview: policy results", () => {
  const result = (
    policy: string,
    level: PolicyResult["level"],
    message: string,
    description = "",
  ): PolicyResult => ({
    policy,
    packName: "p",
    packVersion: "1.0.0",
    level,
    urn: "urn:x",
    message,
    description,
    severity: "high",
  });

  it("separates what could not run on unknowns from violations, and drops the description prefix", () => {
    const { violations, notRun } = classify([
      result(
        "a",
        "advisory",
        "can't run policy 'a' from policy pack 'p@v1.0.0' during preview: string value at .vpcId can't be known during preview",
      ),
      result("b", "mandatory", "Checks that b.\nBucket must be encrypted.", "Checks that b."),
      result("c", "advisory", "Checks that c holds.", "Checks that c."),
    ]);
    assert.deepStrictEqual(notRun, [
      { policy: "a", urn: "urn:x", reason: "string value at .vpcId can't be known during preview" },
    ]);
    assert.deepStrictEqual(
      violations.map((v) => [v.policy, v.level, v.message]),
      [
        ["b", "mandatory", "Bucket must be encrypted."],
        ["c", "advisory", "Checks that c holds."],
      ],
    );
  });
});

describe("preview: showing values", () => {
  const secret = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });

  it("lists the paths of unknown values, looking inside secrets", () => {
    assert.deepStrictEqual(
      unknownPaths({
        vpcId: UNKNOWN,
        tags: { Name: "x", Id: UNKNOWN },
        rules: [{ cidr: UNKNOWN }],
        s: secret(UNKNOWN),
      }),
      ["vpcId", "tags.Id", "rules[0].cidr", "s"],
    );
    assert.deepStrictEqual(unknownPaths({ a: "b" }), []);
  });

  it("redacts every secret value of the stack from free text", () => {
    const r = recorded({
      urn: "urn:pulumi:s::platform::aws:ssm/parameter:Parameter::p",
      type: "aws:ssm/parameter:Parameter",
      inputs: { value: secret("hunter2-token"), nested: { list: [secret({ pw: "s3cr3t-pass" })] } },
    });
    const redact = makeRedactor([r], []);
    assert.strictEqual(
      redact("value hunter2-token and s3cr3t-pass leaked"),
      "value [secret] and [secret] leaked",
    );
  });

  it("finds a secret config value in a plaintext input or stack output, but not inside a secret", () => {
    const placeholder = secretPlaceholder("platform:token");
    const resources = [
      recorded({ urn: STACK_URN, type: "pulumi:pulumi:Stack", custom: false }),
      recorded({
        urn: "urn:pulumi:s::platform::aws:ssm/parameter:Parameter::p",
        type: "aws:ssm/parameter:Parameter",
        inputs: { value: secret(placeholder), tags: { note: `token=${placeholder}` } },
      }),
    ];
    const found = secretsInPlaintext(
      resources,
      { exported: placeholder },
      { "platform:token": placeholder },
    );
    assert.deepStrictEqual(
      found.map((v) => [
        v.urn,
        v.level,
        /(input|stack output) (\S+) holds/.exec(v.message)?.slice(1),
      ]),
      [
        [
          "urn:pulumi:s::platform::aws:ssm/parameter:Parameter::p",
          "mandatory",
          ["input", "tags.note"],
        ],
        [STACK_URN, "mandatory", ["stack output", "exported"]],
      ],
    );
  });
});
