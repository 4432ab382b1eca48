import * as assert from "assert";
import { UNKNOWN } from "../mock-engine";
import { recorded, STACK_URN } from "../testing";
import { durationSeconds, providerUrn, toAnalyzerResources } from "./resources";

const PROVIDER_URN = "urn:pulumi:s::platform::pulumi:providers:aws::aws-us-west-2";
const provider = recorded({
  urn: PROVIDER_URN,
  type: "pulumi:providers:aws",
  inputs: { region: "us-west-2", defaultTags: '{"tags":{"platform:owner":"team"}}' },
});

describe("what the pack receives for a recorded registration", () => {
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
