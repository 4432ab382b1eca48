import * as assert from "assert";
import { CHARTS } from "@platform/core";
import { crdSchemaProblems, vendoredCrds } from "./validate";
import { parseCrds } from "./vendor";

/** kyverno/kyverno charts/kyverno/Chart.yaml at each tag: chart version -> appVersion (the tag). */
const KYVERNO_APP_TAG: Record<string, string> = { "3.9.0": "v1.19.0" };

/** The release tag each chart repository gives a chart version. */
const TAG_OF: Record<string, (version: string) => string> = {
  "aws/karpenter-provider-aws": () => `v${CHARTS.karpenterCrd.version}`,
  "kedacore/charts": () => `v${CHARTS.keda.version}`,
  "kubernetes/autoscaler": () =>
    `vertical-pod-autoscaler-chart-${CHARTS.verticalPodAutoscaler.version}`,
  // The kyverno chart's version is not its repository's tag: the tag is the chart's appVersion.
  "kyverno/kyverno": () => KYVERNO_APP_TAG[CHARTS.kyverno.version],
};

describe("vendored CRD schemas", () => {
  it("come from the chart versions the platform pins (re-vendor on a chart bump)", () => {
    const crds = vendoredCrds();
    assert.deepStrictEqual(crds.map((crd) => `${crd.group} ${crd.kind}`).sort(), [
      "autoscaling.k8s.io VerticalPodAutoscaler",
      "karpenter.k8s.aws EC2NodeClass",
      "karpenter.sh NodePool",
      "keda.sh ScaledObject",
      "keda.sh TriggerAuthentication",
      "policies.kyverno.io ImageValidatingPolicy",
      "policies.kyverno.io ValidatingPolicy",
    ]);
    for (const crd of crds) {
      const tag = TAG_OF[crd.source.repository];
      assert.ok(tag, `${crd.kind}: no chart pin for ${crd.source.repository}`);
      assert.strictEqual(crd.source.ref, tag(crd.source.ref), `${crd.kind} source tag`);
      assert.match(crd.source.commit, /^[0-9a-f]{40}$/);
    }
  });

  it("reject duplicate items of a set-typed list", () => {
    const pool = (reasons: string[]) => ({
      apiVersion: "karpenter.sh/v1",
      kind: "NodePool",
      metadata: { name: "x" },
      spec: {
        disruption: { consolidateAfter: "5m", budgets: [{ nodes: "10%", reasons }] },
        template: {
          spec: {
            nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "x" },
            requirements: [],
          },
        },
      },
    });
    assert.deepStrictEqual(crdSchemaProblems(pool(["Empty", "Drifted"])), []);
    assert.deepStrictEqual(crdSchemaProblems(pool(["Empty", "Empty"])), [
      "/spec/disruption/budgets/0/reasons: duplicate items in a list the CRD types as a set or as a map by key",
    ]);
  });

  it("apply the CRD's defaults before checking required fields, as the API server does", () => {
    // spec.disruption defaults to { consolidateAfter: "0s" } when absent; present, it needs it.
    const pool = (disruption?: object) => ({
      apiVersion: "karpenter.sh/v1",
      kind: "NodePool",
      metadata: { name: "x" },
      spec: {
        ...(disruption ? { disruption } : {}),
        template: {
          spec: {
            nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "x" },
            requirements: [],
          },
        },
      },
    });
    const absent = pool();
    assert.deepStrictEqual(crdSchemaProblems(absent), []);
    assert.ok(!("disruption" in absent.spec), "the caller's object is not changed");
    assert.deepStrictEqual(crdSchemaProblems(pool({})), [
      "/spec/disruption: must have required property 'consolidateAfter'",
    ]);
  });

  it("report unknown fields, which the API server would drop silently", () => {
    assert.deepStrictEqual(
      crdSchemaProblems({
        apiVersion: "keda.sh/v1alpha1",
        kind: "ScaledObject",
        metadata: { name: "x" },
        spec: {
          scaleTargetRef: { name: "x" },
          triggers: [{ type: "cron", metadata: {} }],
          maxReplicas: 5,
        },
      }),
      ['/spec: unknown field "maxReplicas"'],
    );
  });

  it("evaluate the CRDs' CEL rules, with the messages the API server would return", () => {
    const pool = (requirements: object[]) => ({
      apiVersion: "karpenter.sh/v1",
      kind: "NodePool",
      metadata: { name: "x" },
      spec: {
        template: {
          spec: {
            nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "x" },
            requirements,
          },
        },
      },
    });
    assert.deepStrictEqual(
      crdSchemaProblems(
        pool([
          { key: "karpenter.k8s.aws/instance-family", operator: "In", values: [] },
          { key: "karpenter.sh/nodepool", operator: "Exists" },
          { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: ["5"] },
        ]),
      ),
      [
        "/spec/template/spec/requirements: requirements with operator 'In' must have a value defined",
        '/spec/template/spec/requirements/1/key: label "karpenter.sh/nodepool" is restricted',
      ],
    );
    assert.deepStrictEqual(
      crdSchemaProblems({
        apiVersion: "keda.sh/v1alpha1",
        kind: "ScaledObject",
        metadata: { name: "x" },
        spec: {
          scaleTargetRef: { name: "x" },
          minReplicaCount: 5,
          maxReplicaCount: 2,
          triggers: [{ type: "cron", metadata: {} }],
        },
      }),
      ["/spec: minReplicaCount must be less than or equal to maxReplicaCount"],
    );
  });

  it("refuses a chart template line inside a CRD's spec", () => {
    assert.throws(
      () =>
        parseCrds(
          "kind: CustomResourceDefinition\nmetadata:\n  name: x\nspec:\n  group: {{ .Values.group }}\n",
        ),
      /template line 5 inside spec/,
    );
  });
});
