import * as assert from "assert";
import { recorded, STACK_URN } from "../testing";
import { replicate } from "./main";

const PROVIDER_URN = "urn:pulumi:s::platform::pulumi:providers:aws::aws-us-west-2";
const provider = recorded({
  urn: PROVIDER_URN,
  type: "pulumi:providers:aws",
  inputs: { region: "us-west-2", defaultTags: '{"tags":{"platform:owner":"team"}}' },
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
