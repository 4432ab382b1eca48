/**
 * The model's unknown sentinels are the ones the policy runtime treats as unknown: reading each
 * through @pulumi/policy's unknown-checking proxy throws its UnknownValueError.
 */
import * as assert from "assert";
import { UnknownValueError, unknownCheckingProxy } from "@pulumi/policy";
import { isUnknown, UNKNOWN, UNKNOWN_SENTINELS } from "./wire";

function runtimeSeesUnknown(value: unknown): boolean {
  try {
    void (unknownCheckingProxy({ value }) as { value: unknown }).value;
    return false;
  } catch (err) {
    if (err instanceof UnknownValueError) return true;
    throw err;
  }
}

describe("@platform/model wire sentinels", () => {
  it("lists seven sentinels, the engine's unknown string among them", () => {
    assert.strictEqual(UNKNOWN_SENTINELS.size, 7);
    assert.ok(UNKNOWN_SENTINELS.has(UNKNOWN));
  });

  it("calls unknown exactly what the policy runtime calls unknown", () => {
    for (const value of [...UNKNOWN_SENTINELS, "04da6b54", "", "vpc-123", 0, null, undefined]) {
      assert.strictEqual(isUnknown(value), runtimeSeesUnknown(value), String(value));
    }
  });
});
