/**
 * Admission verification under the mock engine: both a primary and its standby install the pinned
 * Kyverno release with every image from their own ECR's ghcr cache, HA on the system nodes, and
 * the image policies failing closed for their application namespaces; a signing key adds the
 * signature policies, valid against Kyverno's CRD schema.
 */
import * as assert from "assert";
import { parse } from "@bufbuild/cel";
import { CHARTS, IMAGES, registryHost } from "@platform/core";
import { displayValue, RecordedResource } from "../tools/mock-engine";
import {
  assertRejected,
  customResourceProblems,
  ofType,
  runStack,
  StackRun,
} from "../tools/testing";
import { TEST_SIGNING_PUBLIC_KEY } from "../tools/testing";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const VALIDATING = "kubernetes:policies.kyverno.io/v1:ValidatingPolicy";
const IMAGE_VALIDATING = "kubernetes:policies.kyverno.io/v1:ImageValidatingPolicy";
const PEM = TEST_SIGNING_PUBLIC_KEY;

function kyverno(run: StackRun): RecordedResource {
  const found = ofType(run, RELEASE).filter((r) => r.inputs.chart === CHARTS.kyverno.chart);
  assert.strictEqual(found.length, 1, "one Kyverno release");
  return found[0];
}

/** Every `{registry, repository, tag}` image block in the chart values. */
function imageBlocks(value: unknown): { registry: string; repository: string; tag: string }[] {
  if (Array.isArray(value)) return value.flatMap(imageBlocks);
  if (value === null || typeof value !== "object") return [];
  const obj = value as Record<string, unknown>;
  const here =
    typeof obj.repository === "string"
      ? [obj as { registry: string; repository: string; tag: string }]
      : [];
  return [...here, ...Object.values(obj).flatMap(imageBlocks)];
}

describe("admission verification (Kyverno)", function () {
  this.timeout(900_000);
  const stacks = [
    { stack: "prod-us-west-2", account: "123456789012", region: "us-west-2" },
    { stack: "prod-us-east-1", account: "123456789012", region: "us-east-1" },
  ];
  const runs: Record<string, StackRun> = {};
  before(async () => {
    for (const { stack } of stacks) runs[stack] = await runStack({ stack });
  });

  for (const { stack, account, region } of stacks) {
    describe(stack, () => {
      const host = registryHost(account, region);

      it("installs the pinned chart in the kyverno namespace", () => {
        const release = kyverno(runs[stack]);
        assert.strictEqual(release.inputs.version, CHARTS.kyverno.version);
        assert.strictEqual(release.inputs.namespace, "kyverno");
        assert.deepStrictEqual(release.inputs.repositoryOpts, {
          repo: CHARTS.kyverno.repository,
        });
      });

      it("pulls every Kyverno image from the stack's ghcr cache with an explicit tag", () => {
        const values = displayValue(kyverno(runs[stack]).inputs.values) as Record<string, unknown>;
        const blocks = imageBlocks(values);
        const kyvernoPins = Object.values(IMAGES).filter((pin) =>
          pin.repository.startsWith("kyverno/"),
        );
        assert.deepStrictEqual(
          [...new Set(blocks.map((b) => b.repository))].sort(),
          kyvernoPins.map((pin) => `ghcr/${pin.repository}`).sort(),
        );
        for (const block of blocks) {
          assert.strictEqual(block.registry, host, block.repository);
          assert.match(block.tag, /^v\d+\.\d+\.\d+$/, block.repository);
        }
        assert.deepStrictEqual((values.global as Record<string, unknown>).image, {
          registry: host,
        });
      });

      it("runs the admission controller HA on the system nodes, out of kube-system and kyverno", () => {
        const values = displayValue(kyverno(runs[stack]).inputs.values) as Record<
          string,
          Record<string, unknown>
        >;
        const admission = values.admissionController;
        assert.strictEqual(admission.replicas, 3);
        assert.deepStrictEqual(admission.podDisruptionBudget, {
          enabled: true,
          maxUnavailable: 1,
        });
        const spread = admission.topologySpreadConstraints as Record<string, unknown>[];
        assert.strictEqual(spread[0].topologyKey, "topology.kubernetes.io/zone");
        assert.strictEqual(spread[0].whenUnsatisfiable, "DoNotSchedule");
        assert.strictEqual(admission.priorityClassName, "platform-critical");
        assert.deepStrictEqual(admission.nodeSelector, { "platform/node-pool": "system" });
        const container = admission.container as Record<string, Record<string, unknown>>;
        assert.strictEqual(container.securityContext.allowPrivilegeEscalation, false);
        assert.ok(container.resources.limits, "limits");
        assert.deepStrictEqual(values.config.webhooks, {
          namespaceSelector: {
            matchExpressions: [
              {
                key: "kubernetes.io/metadata.name",
                operator: "NotIn",
                values: ["kube-system", "kyverno"],
              },
            ],
          },
        });
        assert.strictEqual(values.config.excludeKyvernoNamespace, true);
      });

      it("fails closed for the application namespaces and open (still denying) for the platform's", () => {
        const policies = ofType(runs[stack], VALIDATING);
        const spec = (name: string) =>
          policies.find((p) => (p.inputs.metadata as { name: string }).name === name)?.inputs
            .spec as Record<string, unknown> & {
            matchConstraints: { namespaceSelector: { matchExpressions: { values: string[] }[] } };
            validations: { expression: string }[];
          };
        assert.strictEqual(policies.length, 5);
        for (const rule of [
          "images-from-stack-registry",
          "images-pinned-not-latest",
          "images-by-digest",
        ]) {
          const app = spec(`${rule}-application`);
          assert.strictEqual(app.failurePolicy, "Fail", rule);
          assert.deepStrictEqual(app.validationActions, ["Deny"], rule);
          assert.deepStrictEqual(
            app.matchConstraints.namespaceSelector.matchExpressions[0].values,
            ["apps", "payments"],
          );
        }
        const platform = spec("images-from-stack-registry-platform");
        assert.strictEqual(platform.failurePolicy, "Ignore");
        assert.deepStrictEqual(platform.validationActions, ["Deny"]);
        assert.ok(
          spec("images-from-stack-registry-application").validations[0].expression.includes(
            `'${host}/'`,
          ),
          "the registry rule names the stack's own host",
        );
        // No signing key in the committed stacks: no signature policy (the stack warns).
        assert.strictEqual(ofType(runs[stack], IMAGE_VALIDATING).length, 0);
        assert.deepStrictEqual(customResourceProblems(runs[stack].resources).problems, []);
      });

      it("is scraped by Prometheus, which pages when the admission controller is down", () => {
        const release = kyverno(runs[stack]);
        const values = release.inputs.values as {
          admissionController: { serviceMonitor: { enabled: boolean } };
        };
        assert.strictEqual(values.admissionController.serviceMonitor.enabled, true);
        // The ServiceMonitor needs the Prometheus Operator's CRDs: the release waits for them.
        const prometheus = ofType(runs[stack], RELEASE).find(
          (r) => r.inputs.chart === CHARTS.kubePrometheusStack.chart,
        );
        assert.ok(prometheus && release.dependencies.includes(prometheus.urn));
        const [rule] = ofType(
          runs[stack],
          "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
        ).filter((r) => (r.inputs.metadata as { namespace: string }).namespace === "kyverno");
        const alerts = (rule.inputs.spec as { groups: { rules: { alert: string }[] }[] }).groups[0]
          .rules;
        assert.deepStrictEqual(
          alerts.map((a) => a.alert),
          ["KyvernoAdmissionUnavailable"],
        );
        const scrape = ofType(runs[stack], "kubernetes:networking.k8s.io/v1:NetworkPolicy").find(
          (r) => (r.inputs.metadata as { name: string }).name === "kyverno-from-prometheus",
        );
        const ingress = (scrape?.inputs.spec as { ingress: { ports: { port: number }[] }[] })
          .ingress;
        assert.deepStrictEqual(ingress[0].ports, [{ protocol: "TCP", port: 8000 }]);
      });
    });
  }

  it("verifies signatures of the own repositories when a key is configured", async () => {
    const subject =
      "^https://github\\.com/acme/[^/]+/\\.github/workflows/release\\.yml@refs/heads/main$";
    const run = await runStack({
      stack: "prod-us-west-2",
      overrides: {
        "platform:imageSigningPublicKey": PEM,
        "platform:imageSigningKeylessIssuer": "https://token.actions.githubusercontent.com",
        "platform:imageSigningKeylessSubject": subject,
      },
    });
    const policies = ofType(run, IMAGE_VALIDATING);
    assert.deepStrictEqual(
      policies.map((p) => (p.inputs.metadata as { name: string }).name).sort(),
      ["own-images-signed-application", "own-images-signed-platform"],
    );
    const spec = policies[0].inputs.spec as Record<string, unknown>;
    assert.deepStrictEqual(spec.matchImageReferences, [
      { glob: `${registryHost("123456789012", "us-west-2")}/platform/*` },
    ]);
    // Keyless: every workflow whose identity matches the anchored pattern (each team's repository).
    const [, keyless] = spec.attestors as { cosign: { keyless?: { identities: unknown[] } } }[];
    assert.deepStrictEqual(keyless.cosign.keyless?.identities, [
      { issuer: "https://token.actions.githubusercontent.com", subjectRegExp: subject },
    ]);
    const { checked, problems } = customResourceProblems(run.resources);
    assert.deepStrictEqual(problems, []);
    assert.strictEqual(checked.ImageValidatingPolicy, 2);
    // The CRD schema does not check CEL: every declared expression must at least parse.
    const expressions = [...ofType(run, VALIDATING), ...policies].flatMap((policy) => {
      const spec = policy.inputs.spec as {
        variables?: { expression: string }[];
        validations: { expression: string }[];
      };
      return [...(spec.variables ?? []), ...spec.validations].map((e) => e.expression);
    });
    assert.strictEqual(expressions.length, 5 * 2 + 2);
    for (const expression of expressions) assert.doesNotThrow(() => parse(expression), expression);
  });

  it("rejects a signing key that is not a PEM public key, naming the key", () => {
    assertRejected(
      { overrides: { "platform:imageSigningPublicKey": "awskms:///alias/signing" } },
      "platform:imageSigningPublicKey must be one PEM public key",
    );
    assertRejected(
      {
        overrides: {
          "platform:imageSigningKeylessIssuer": "https://token.actions.githubusercontent.com",
        },
      },
      "platform:imageSigningKeylessSubject must be set together with platform:imageSigningKeylessIssuer",
    );
    assertRejected(
      { overrides: { "platform:admissionReplicas": "1" } },
      "platform:admissionReplicas must be a whole number between 3 and 10",
    );
  });
});
