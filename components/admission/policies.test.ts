import * as assert from "assert";
import { isCelError, parse, run } from "@bufbuild/cel";
import { Problems } from "@platform/core";
import { promqlSyntaxErrors, validatePrometheusRule } from "@platform/observability";
import { ADMISSION_RUNBOOK, admissionPrometheusRule } from "./alerts";
import {
  imagePolicies,
  imageValidatingRule,
  ImageRuleName,
  PolicyScope,
  KYVERNO_NAMESPACE,
  signaturePolicy,
} from "./policies";
import { checkAdmission, isPemPublicKey } from "./validation";
import { kyvernoValues } from "./values";
import { signatureReaderPolicy } from "./documents";
import { TEST_SIGNING_PUBLIC_KEY } from "../../tools/testing/keys";

const HOST = "123456789012.dkr.ecr.us-west-2.amazonaws.com";
const SETTINGS = { registryHost: HOST, applicationNamespaces: ["checkout", "catalog"] };
const DIGEST = `@sha256:${"ab".repeat(32)}`;
const PEM = TEST_SIGNING_PUBLIC_KEY;

/** JSON as CEL sees it: objects as maps. */
function toCel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toCel);
  if (value !== null && typeof value === "object") {
    return new Map(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  }
  return value;
}

/** Evaluates a ValidatingPolicy's variables then its validation on a Pod, as Kyverno does. */
function admits(rule: ImageRuleName, pod: object): boolean {
  const { spec } = imageValidatingRule(rule, "application", SETTINGS);
  const object = toCel(pod) as never;
  const variables = new Map(
    spec.variables.map((v) => {
      const value = run(v.expression, { object });
      if (isCelError(value)) throw new Error(value.message);
      return [v.name, value];
    }),
  );
  const result = run(spec.validations[0].expression, { object, variables: variables as never });
  if (isCelError(result)) throw new Error(result.message);
  return result === true;
}

function pod(...images: string[]) {
  return { spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } };
}

describe("admission policies", () => {
  it("never match kube-system or kyverno, in either scope", () => {
    for (const policy of imagePolicies(SETTINGS)) {
      const expressions = policy.spec.matchConstraints.namespaceSelector.matchExpressions;
      const excluded = expressions.filter((e) => e.operator === "NotIn").flatMap((e) => e.values);
      assert.ok(excluded.includes("kube-system"), `${policy.metadata.name} excludes kube-system`);
      assert.ok(excluded.includes("kyverno"), `${policy.metadata.name} excludes kyverno`);
    }
  });

  it("fail closed and deny in the application namespaces, audit only elsewhere", () => {
    const byScope = (scope: PolicyScope) =>
      imagePolicies(SETTINGS).filter((p) => p.metadata.name.endsWith(`-${scope}`));
    for (const policy of byScope("application")) {
      assert.strictEqual(policy.spec.failurePolicy, "Fail");
      assert.deepStrictEqual(policy.spec.validationActions, ["Deny"]);
      assert.deepStrictEqual(policy.spec.matchConstraints.namespaceSelector.matchExpressions[0], {
        key: "kubernetes.io/metadata.name",
        operator: "In",
        values: ["checkout", "catalog"],
      });
    }
    for (const policy of byScope("platform")) {
      assert.strictEqual(policy.spec.failurePolicy, "Ignore");
      assert.deepStrictEqual(policy.spec.validationActions, ["Deny"]);
      assert.deepStrictEqual(policy.spec.matchConstraints.namespaceSelector.matchExpressions, [
        {
          key: "kubernetes.io/metadata.name",
          operator: "NotIn",
          values: ["checkout", "catalog", "kube-system", "kyverno"],
        },
      ]);
    }
    assert.deepStrictEqual(
      imagePolicies(SETTINGS).map((p) => p.metadata.name),
      [
        "images-from-stack-registry-application",
        "images-pinned-not-latest-application",
        "images-by-digest-application",
        "images-from-stack-registry-platform",
        "images-pinned-not-latest-platform",
      ],
    );
  });

  it("cover pods and, through autogen, every pod controller", () => {
    for (const policy of imagePolicies(SETTINGS)) {
      // Kyverno generates controller rules only for a single `pods` rule (pkg/cel/autogen).
      assert.deepStrictEqual(policy.spec.matchConstraints.resourceRules, [
        {
          apiGroups: [""],
          apiVersions: ["v1"],
          operations: ["CREATE", "UPDATE"],
          resources: ["pods"],
        },
      ]);
      assert.deepStrictEqual(policy.spec.autogen.podControllers.controllers, [
        "deployments",
        "statefulsets",
        "daemonsets",
        "jobs",
        "cronjobs",
      ]);
    }
  });

  it("admit only images of the stack's own ECR host", () => {
    assert.strictEqual(admits("registry", pod(`${HOST}/platform/checkout:1.2.3`)), true);
    assert.strictEqual(admits("registry", pod(`${HOST}/quay/prometheus/prometheus:v3`)), true);
    assert.strictEqual(admits("registry", pod("quay.io/prometheus/prometheus:v3")), false);
    // The DR peer's ECR is not this stack's: a failed region must not be needed to start pods.
    assert.strictEqual(
      admits("registry", pod("123456789012.dkr.ecr.us-east-1.amazonaws.com/platform/x:1")),
      false,
    );
    // A look-alike host that merely starts with the stack's host.
    assert.strictEqual(admits("registry", pod(`${HOST}.evil.example/x:1`)), false);
    // Init containers count too.
    assert.strictEqual(
      admits("registry", {
        spec: {
          containers: [{ name: "a", image: `${HOST}/platform/a:1` }],
          initContainers: [{ name: "b", image: "docker.io/library/busybox:1" }],
        },
      }),
      false,
    );
  });

  it("reject :latest and untagged images, admit tags and digests", () => {
    const cases: [string, boolean][] = [
      [`${HOST}/platform/checkout:1.2.3`, true],
      [`${HOST}/platform/checkout${DIGEST}`, true],
      [`${HOST}/platform/checkout:1.2.3${DIGEST}`, true],
      [`${HOST}/platform/checkout:latest`, false],
      [`${HOST}/platform/checkout:latest${DIGEST}`, false],
      [`${HOST}/platform/checkout`, false],
      ["localhost:5000/checkout", false],
      ["localhost:5000/checkout:2", true],
    ];
    for (const [image, expected] of cases) {
      assert.strictEqual(admits("tag", pod(image)), expected, image);
    }
  });

  it("require a digest in the application namespaces", () => {
    assert.strictEqual(admits("digest", pod(`${HOST}/platform/checkout:1.2.3${DIGEST}`)), true);
    assert.strictEqual(admits("digest", pod(`${HOST}/platform/checkout:1.2.3`)), false);
    assert.strictEqual(
      admits("digest", pod(`${HOST}/platform/a:1${DIGEST}`, `${HOST}/platform/b:1`)),
      false,
    );
    assert.ok(
      !imagePolicies(SETTINGS).some((p) => p.metadata.name === "images-by-digest-platform"),
      "no digest rule outside the application namespaces",
    );
  });

  describe("signature policy", () => {
    const signed = { ...SETTINGS, repositoryPrefix: "platform" };

    it("is absent without a key or a keyless signer", () => {
      assert.strictEqual(signaturePolicy("application", signed), undefined);
    });

    it("verifies the own repositories with every configured attestor", () => {
      const policy = signaturePolicy("application", {
        ...signed,
        publicKey: PEM,
        keyless: { issuer: "https://token.actions.githubusercontent.com", subject: "^ci$" },
      })!;
      assert.strictEqual(policy.kind, "ImageValidatingPolicy");
      assert.strictEqual(policy.spec.failurePolicy, "Fail");
      assert.deepStrictEqual(policy.spec.matchImageReferences, [{ glob: `${HOST}/platform/*` }]);
      assert.deepStrictEqual(policy.spec.credentials, { providers: ["amazon"] });
      assert.deepStrictEqual(
        policy.spec.attestors.map((a) => a.name),
        ["signingkey", "keyless"],
      );
      assert.strictEqual(policy.spec.attestors[0].cosign.key?.data, PEM);
      assert.match(
        policy.spec.validations[0].expression,
        /\.filter\(image, image\.startsWith\('[^']+\/platform\/'\)\)\.map\(image, verifyImageSignatures\(image, \[attestors\.signingkey, attestors\.keyless\]\)\)\.all\(e, e > 0\)$/,
      );
    });

    it("admits only images a signer verified, and ignores other repositories", () => {
      const policy = signaturePolicy("application", { ...signed, publicKey: PEM })!;
      // Stand-in for Kyverno's verifyImageSignatures: 1 when the image is in the signed set.
      const signedImages = new Set([`${HOST}/platform/checkout:1`]);
      const evaluate = (images: string[]) => {
        const expression = policy.spec.validations[0].expression.replace(
          /verifyImageSignatures\(image, \[[^\]]+\]\)/,
          "(image in signed ? 1 : 0)",
        );
        const result = run(expression, {
          images: toCel({ containers: images, initContainers: [], ephemeralContainers: [] }),
          signed: [...signedImages],
        } as never);
        if (isCelError(result)) throw new Error(result.message);
        return result;
      };
      assert.strictEqual(evaluate([`${HOST}/platform/checkout:1`]), true);
      assert.strictEqual(evaluate([`${HOST}/platform/unsigned:1`]), false);
      assert.strictEqual(evaluate([`${HOST}/quay/prometheus/prometheus:v3`]), true);
    });
  });

  it("use CEL that parses", () => {
    const policies = [
      ...imagePolicies(SETTINGS),
      signaturePolicy("platform", { ...SETTINGS, repositoryPrefix: "platform", publicKey: PEM })!,
    ];
    for (const policy of policies) {
      const spec = policy.spec as {
        variables?: { expression: string }[];
        validations: { expression: string }[];
      };
      for (const { expression } of [...(spec.variables ?? []), ...spec.validations]) {
        assert.doesNotThrow(() => parse(expression), expression);
      }
    }
  });
});

describe("admission settings", () => {
  const path = (field: string) => `platform:${field}`;
  const problems = (settings: Partial<Parameters<typeof checkAdmission>[1]>) => {
    const p = new Problems();
    checkAdmission(
      p,
      { admissionReplicas: 3, applicationNamespaces: ["checkout"], ...settings },
      path,
    );
    return p.list.map((x) => `${x.path} must ${x.allowed}`);
  };

  it("accepts a PEM public key and a complete keyless signer", () => {
    assert.ok(isPemPublicKey(PEM));
    assert.deepStrictEqual(
      problems({
        publicKey: PEM,
        keylessIssuer: "https://token.actions.githubusercontent.com",
        keylessSubject:
          "^https://github\\.com/org/[^/]+/\\.github/workflows/release\\.yml@refs/heads/main$",
      }),
      [],
    );
  });

  const rejections: [string, Partial<Parameters<typeof checkAdmission>[1]>, string][] = [
    [
      "a private key",
      { publicKey: PEM.replace(/PUBLIC/g, "PRIVATE") },
      "platform:publicKey must be one PEM public key",
    ],
    [
      "a KMS URI instead of the key",
      { publicKey: "awskms:///arn:aws:kms:us-west-2:1:key/x" },
      "platform:publicKey must be one PEM public key",
    ],
    [
      "an issuer without a subject",
      { keylessIssuer: "https://token.actions.githubusercontent.com" },
      "platform:keylessSubject must be set together with platform:keylessIssuer",
    ],
    [
      "a plain-http issuer",
      { keylessIssuer: "http://issuer.example", keylessSubject: "^ci$" },
      "platform:keylessIssuer must be the OIDC issuer URL",
    ],
    [
      "an unanchored subject pattern",
      {
        keylessIssuer: "https://token.actions.githubusercontent.com",
        keylessSubject: "https://github\\.com/org/",
      },
      "platform:keylessSubject must be a regular expression of the signers' identity",
    ],
    [
      "a subject pattern that does not compile",
      {
        keylessIssuer: "https://token.actions.githubusercontent.com",
        keylessSubject: "^https://github\\.com/org/(unclosed$",
      },
      "platform:keylessSubject must be a regular expression of the signers' identity",
    ],
    [
      "two replicas",
      { admissionReplicas: 2 },
      "platform:admissionReplicas must be a whole number between 3 and 10",
    ],
    [
      "kube-system as an application namespace",
      { applicationNamespaces: ["kube-system"] },
      "platform:applicationNamespaces must not include kube-system or kyverno",
    ],
  ];
  for (const [label, settings, expected] of rejections) {
    it(`rejects ${label}`, () => {
      const found = problems(settings);
      assert.ok(
        found.some((p) => p.startsWith(expected)),
        `expected "${expected}", got:\n${found.join("\n")}`,
      );
    });
  }
});

describe("admission controller IAM", () => {
  it("reads only the own repositories", () => {
    assert.deepStrictEqual(
      signatureReaderPolicy("123456789012", "us-west-2", "platform").Statement,
      [
        { Sid: "EcrToken", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
        {
          Sid: "ReadOwnRepositories",
          Effect: "Allow",
          Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:DescribeImages"],
          Resource: ["arn:aws:ecr:us-west-2:123456789012:repository/platform/*"],
        },
      ],
    );
  });
});

describe("admission alert", () => {
  it("pages on the admission controller's scrape job, in Kyverno's namespace, with a runbook", () => {
    const rule = admissionPrometheusRule();
    const [alert] = rule.spec.groups[0].rules;
    assert.strictEqual(alert.alert, "KyvernoAdmissionUnavailable");
    assert.strictEqual(alert.labels.severity, "critical");
    assert.deepStrictEqual(promqlSyntaxErrors(alert.expr), []);
    assert.deepStrictEqual(validatePrometheusRule(rule), []);
    // The job is the chart's metrics Service of the release: `<release>-svc-metrics`.
    assert.match(alert.expr, /up\{namespace="kyverno",job="kyverno-svc-metrics"\}/);
    assert.strictEqual(alert.annotations.runbook_url, ADMISSION_RUNBOOK);
    assert.strictEqual(rule.metadata.namespace, KYVERNO_NAMESPACE);
  });

  it("creates the ServiceMonitor only when monitored", () => {
    const values = (serviceMonitor?: boolean) =>
      kyvernoValues({
        registryHost: "123456789012.dkr.ecr.us-west-2.amazonaws.com",
        admissionReplicas: 3,
        admissionRoleArn: "arn:aws:iam::123456789012:role/kyverno",
        serviceMonitor,
      }).admissionController.serviceMonitor.enabled;
    assert.strictEqual(values(), false);
    assert.strictEqual(values(true), true);
  });
});
