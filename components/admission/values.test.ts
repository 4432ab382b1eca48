import * as assert from "assert";
import { IMAGES } from "@platform/core";
import { kyvernoValues } from "./values";

const HOST = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
const values = kyvernoValues({
  registryHost: HOST,
  admissionReplicas: 3,
  admissionRoleArn: "arn:aws:iam::123456789012:role/kyverno-admission",
});

describe("Kyverno values", () => {
  it("set registry and tag on the images whose chart default is ghcr.io or latest", () => {
    // charts/kyverno/values.yaml at v1.19.0: webhooksCleanup.image.registry and
    // test.image.registry are ghcr.io (overriding global.image.registry); the test image's tag
    // defaults to "latest" (templates/tests/_helpers.tpl).
    for (const hook of [values.webhooksCleanup.image, values.test.image]) {
      assert.deepStrictEqual(hook, {
        registry: HOST,
        repository: "ghcr/kyverno/readiness-checker",
        tag: IMAGES.kyvernoReadinessChecker.tag,
      });
    }
    assert.deepStrictEqual(values.admissionController.container.image, {
      registry: HOST,
      repository: "ghcr/kyverno/kyverno",
      tag: "v1.19.0",
    });
  });

  it("run every controller on the system nodes with a disruption budget", () => {
    for (const controller of [
      values.admissionController,
      values.backgroundController,
      values.cleanupController,
      values.reportsController,
    ]) {
      assert.deepStrictEqual(controller.nodeSelector, { "platform/node-pool": "system" });
      assert.strictEqual(controller.priorityClassName, "platform-critical");
      assert.deepStrictEqual(controller.podDisruptionBudget, { enabled: true, maxUnavailable: 1 });
      assert.ok(controller.replicas >= 2);
    }
    assert.strictEqual(values.admissionController.replicas, 3);
    assert.deepStrictEqual(values.admissionController.rbac.serviceAccount, {
      name: "kyverno-admission-controller",
      annotations: {
        "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/kyverno-admission",
      },
    });
  });
});
