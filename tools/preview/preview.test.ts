/**
 * The preview's pure parts, without child processes: the command line, what is sent to the pack
 * (providers, options, timeouts), how results are classified, and how values are shown.
 */
import * as assert from "assert";
import type { PolicyResult } from "../analyzer";
import { RecordedResource, SECRET_SIG, SIG_KEY, UNKNOWN } from "../mock-engine";
import { parseArgs, UsageError } from "./args";
import { classify, durationSeconds, providerUrn, toAnalyzerResources } from "./policy";
import { makeRedactor, secretsInPlaintext, unknownPaths } from "./report";
import { secretPlaceholder, stackNameOfFile, withPlaceholders } from "./stack-input";
import { replicate } from "../bench/main";

const STACK_URN = "urn:pulumi:s::platform::pulumi:pulumi:Stack::platform-s";
const PROVIDER_URN = "urn:pulumi:s::platform::pulumi:providers:aws::aws-us-west-2";

function recorded(
  overrides: Partial<RecordedResource> & { urn: string; type: string },
): RecordedResource {
  return {
    name: overrides.urn.split("::").pop() as string,
    custom: true,
    remote: false,
    parent: STACK_URN,
    dependencies: [],
    propertyDependencies: {},
    inputs: {},
    options: {
      protect: false,
      retainOnDelete: false,
      ignoreChanges: [],
      deleteBeforeReplace: false,
      replaceOnChanges: [],
      additionalSecretOutputs: [],
      aliases: [],
    },
    ...overrides,
  };
}

const provider = recorded({
  urn: PROVIDER_URN,
  type: "pulumi:providers:aws",
  inputs: { region: "us-west-2", defaultTags: '{"tags":{"platform:owner":"team"}}' },
});

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

describe("preview: what the pack receives", () => {
  it("converts Go durations to seconds as the engine does", () => {
    assert.strictEqual(durationSeconds("30m"), 1800);
    assert.strictEqual(durationSeconds("1h30m"), 5400);
    assert.strictEqual(durationSeconds("90s"), 90);
    assert.strictEqual(durationSeconds(undefined), 0);
  });

  it("splits a provider reference whose id may be unknown", () => {
    assert.strictEqual(providerUrn(`${PROVIDER_URN}::${UNKNOWN}`), PROVIDER_URN);
    assert.strictEqual(providerUrn(`${PROVIDER_URN}::abc-123`), PROVIDER_URN);
  });

  it("sends each resource with its provider's inputs, its options and its dependencies", () => {
    const key = recorded({
      urn: "urn:pulumi:s::platform::aws:kms/key:Key::key",
      type: "aws:kms/key:Key",
      provider: `${PROVIDER_URN}::id-1`,
      dependencies: [PROVIDER_URN],
      inputs: { enableKeyRotation: true },
      options: {
        ...provider.options,
        protect: true,
        retainOnDelete: true,
        ignoreChanges: ["policy"],
        deleteBeforeReplace: true,
        customTimeouts: { create: "30m", delete: "1h" },
      },
    });
    const [, sent] = toAnalyzerResources([provider, key], "s", {});
    assert.deepStrictEqual(sent.provider, {
      urn: PROVIDER_URN,
      type: "pulumi:providers:aws",
      name: "aws-us-west-2",
      properties: provider.inputs,
    });
    assert.deepStrictEqual(sent.options, {
      protect: true,
      ignoreChanges: ["policy"],
      deleteBeforeReplace: true,
      aliases: [],
      additionalSecretOutputs: [],
      customTimeouts: { create: 1800, update: 0, delete: 3600 },
      parent: STACK_URN,
    });
    assert.deepStrictEqual(sent.properties, { enableKeyRotation: true });
    assert.deepStrictEqual(sent.dependencies, [PROVIDER_URN]);
  });

  it("sends inputs to Analyze and the state after the step to AnalyzeStack", () => {
    const bucket = recorded({
      urn: "urn:pulumi:s::platform::aws:s3/bucket:Bucket::b",
      type: "aws:s3/bucket:Bucket",
      provider: `${PROVIDER_URN}::id-1`,
      inputs: { forceDestroy: false },
      outputs: { forceDestroy: false, bucket: "b-1234", arn: "arn:aws:s3:::b-1234" },
    });
    const [, analyzed] = toAnalyzerResources([provider, bucket], "s", {}, "inputs");
    const [, stacked] = toAnalyzerResources([provider, bucket], "s", {}, "outputs");
    assert.deepStrictEqual(analyzed.properties, { forceDestroy: false });
    assert.deepStrictEqual(stacked.properties, bucket.outputs);
    // A provider is configured by its inputs in both.
    assert.deepStrictEqual(stacked.provider?.properties, provider.inputs);
  });

  it("gives a custom resource without a provider the engine's default provider, configured from the stack", () => {
    const bucket = recorded({
      urn: "urn:pulumi:s::platform::aws:s3/bucket:Bucket::b",
      type: "aws:s3/bucket:Bucket",
    });
    const [sent] = toAnalyzerResources([bucket], "s", {
      "aws:region": "eu-west-1",
      "platform:x": "y",
    });
    assert.deepStrictEqual(sent.provider, {
      urn: "urn:pulumi:s::platform::pulumi:providers:aws::default",
      type: "pulumi:providers:aws",
      name: "default",
      properties: { region: "eu-west-1" },
    });
    const component = recorded({
      urn: "urn:pulumi:s::platform::platform:x:C::c",
      type: "platform:x:C",
      custom: false,
    });
    assert.strictEqual(toAnalyzerResources([component], "s", {})[0].provider, undefined);
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

describe("bench: synthetic stack", () => {
  it("replicates resources with consistent URNs, parents, providers and dependencies", () => {
    const stack = recorded({
      urn: STACK_URN,
      type: "pulumi:pulumi:Stack",
      custom: false,
      parent: undefined,
    });
    const component = recorded({
      urn: "urn:pulumi:s::platform::platform:x:C::c",
      type: "platform:x:C",
      custom: false,
    });
    const key = recorded({
      urn: "urn:pulumi:s::platform::platform:x:C$aws:kms/key:Key::k",
      type: "aws:kms/key:Key",
      parent: component.urn,
      provider: `${PROVIDER_URN}::id`,
      dependencies: [component.urn],
    });
    const copies = replicate([stack, provider, component, key], 7);
    assert.strictEqual(copies.length, 7);
    assert.strictEqual(copies.filter((r) => r.type === "pulumi:pulumi:Stack").length, 1);
    const secondKey = copies[6];
    assert.strictEqual(secondKey.urn, `${key.urn}-c1`);
    assert.strictEqual(secondKey.parent, `${component.urn}-c1`);
    assert.strictEqual(secondKey.provider, `${PROVIDER_URN}-c1::id`);
    assert.deepStrictEqual(secondKey.dependencies, [`${component.urn}-c1`]);
    assert.strictEqual(new Set(copies.map((r) => r.urn)).size, 7);
  });
});
