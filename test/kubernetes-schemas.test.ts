/**
 * Every built-in Kubernetes object the platform declares is valid against the Kubernetes API's
 * OpenAPI schema (kubernetes-models validates types, enums and required fields), and every custom
 * resource of a CRD the platform installs from a pinned chart (Karpenter, KEDA, VPA, Kyverno) against that
 * chart version's CRD schema (tools/testing/crd-schemas). PrometheusRules are checked by
 * observability's own validation.
 */
import * as assert from "assert";
import { displayValue, SECRET_PLACEHOLDER, SECRET_SIG, SIG_KEY } from "../tools/mock-engine";
import { crdSchemaProblems, customResourceProblems, runStack, StackRun } from "../tools/testing";

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: unknown) => Validatable;

/** `kubernetes:apps/v1:Deployment` -> the kubernetes-models class, or undefined for custom resources. */
function modelFor(type: string): ModelClass | undefined {
  const match = /^kubernetes:([^:]+)\/([^:]+):([A-Za-z]+)$/.exec(type);
  if (!match) return undefined;
  const [, group, version, kind] = match;
  const modulePath =
    group === "core"
      ? `kubernetes-models/${version}/${kind}`
      : `kubernetes-models/${group}/${version}/${kind}`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require(modulePath) as Record<string, ModelClass>)[kind];
  } catch {
    return undefined;
  }
}

/** Replaces each secret by its value's shape with every string masked: the schema sees structure, no secret. */
function maskSecrets(value: unknown, inSecret = false): unknown {
  if (typeof value === "string") return inSecret ? SECRET_PLACEHOLDER : value;
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, inSecret));
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[SIG_KEY] === SECRET_SIG) return maskSecrets(obj.value, true);
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, maskSecrets(v, inSecret)]));
  }
  return value;
}

describe("Kubernetes objects against the API schema", () => {
  for (const stack of ["prod-us-west-2", "prod-eu-west-1"]) {
    describe(stack, () => {
      let run: StackRun;
      before(async () => {
        run = await runStack({ stack });
      });

      it("validates every built-in object", () => {
        const kubernetes = run.resources.filter(
          (r) =>
            r.custom &&
            r.type.startsWith("kubernetes:") &&
            r.type !== "kubernetes:helm.sh/v3:Release",
        );
        const validated = new Set<string>();
        const failures: string[] = [];
        for (const resource of kubernetes) {
          const Model = modelFor(resource.type);
          if (!Model) continue;
          validated.add(resource.type);
          try {
            new Model(displayValue(maskSecrets(resource.inputs))).validate();
          } catch (err) {
            failures.push(`${resource.urn}: ${(err as Error).message}`);
          }
        }
        assert.deepStrictEqual(failures, []);
        for (const kind of [
          "kubernetes:core/v1:Namespace",
          "kubernetes:core/v1:ResourceQuota",
          "kubernetes:core/v1:LimitRange",
          "kubernetes:networking.k8s.io/v1:NetworkPolicy",
          "kubernetes:scheduling.k8s.io/v1:PriorityClass",
        ]) {
          assert.ok(validated.has(kind), `${kind} was not validated`);
        }
      });

      it("validates every custom resource against its pinned CRD schema", () => {
        const { checked, problems } = customResourceProblems(run.resources);
        assert.deepStrictEqual(problems, []);
        // Every Karpenter pool (spot, on-demand, GPU), both node classes (general, GPU) and the
        // admission policies (the committed stacks set no signing key: no ImageValidatingPolicy).
        assert.deepStrictEqual(checked, { EC2NodeClass: 2, NodePool: 3, ValidatingPolicy: 5 });
      });
    });
  }

  it("rejects a custom resource that breaks its CRD schema", () => {
    assert.deepStrictEqual(
      crdSchemaProblems({
        apiVersion: "karpenter.sh/v1",
        kind: "NodePool",
        metadata: { name: "x" },
        spec: {
          limits: { nodes: 5 },
          template: {
            spec: {
              nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "x" },
              requirements: [{ key: "karpenter.sh/capacity-type", operator: "Equals", values: [] }],
              expireAfter: "30 days",
            },
          },
        },
      }),
      [
        '/spec/template/spec/expireAfter: must match pattern "^(([0-9]+(s|m|h))+|Never)$"',
        "/spec/template/spec/requirements/0/operator: must be equal to one of the allowed values (Gte, Lte, In, NotIn, Exists, DoesNotExist, Gt, Lt)",
      ],
    );
  });

  it("rejects an object that breaks the schema", () => {
    const Model = modelFor("kubernetes:networking.k8s.io/v1:NetworkPolicy")!;
    assert.throws(
      () =>
        new Model({
          apiVersion: "networking.k8s.io/v1",
          kind: "NetworkPolicy",
          metadata: { name: "x" },
          spec: { podSelector: {}, policyTypes: "Ingress" },
        }).validate(),
      /policyTypes must be array/,
    );
  });
});
