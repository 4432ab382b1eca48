/**
 * The admission policies, as plain Kubernetes objects: Kyverno's CEL policy kinds of
 * policies.kyverno.io/v1 (served by the CRDs of Kyverno 1.19.0, which deprecates ClusterPolicy;
 * docs/components/admission.md gives the evidence). Each rule is written for Pods; Kyverno's
 * autogen rewrites `object.spec` to the pod template of each pod controller listed in
 * `POD_CONTROLLERS` (kyverno pkg/cel/autogen at v1.19.0), which needs exactly one `pods` resource
 * rule and no exclude rules, hence namespace selectors rather than exclusions.
 *
 * Every policy comes in two scopes, both denying: the application namespaces fail closed
 * (failurePolicy Fail); the platform's other namespaces fail open (failurePolicy Ignore), so a
 * Kyverno outage never blocks platform recovery, while a reachable Kyverno still refuses an image
 * from elsewhere (every platform chart pulls through the cache: test/supply-chain.test.ts).
 * kube-system and kyverno are excluded from both.
 */

export const KYVERNO_NAMESPACE = "kyverno";
/** Namespaces no policy (and no Kyverno webhook) may gate: the control plane's add-ons, Kyverno. */
export const PROTECTED_NAMESPACES: readonly string[] = ["kube-system", KYVERNO_NAMESPACE];
/** Pod controllers Kyverno generates rules for (resource names, pkg/cel/autogen/data.go). */
export const POD_CONTROLLERS = [
  "deployments",
  "statefulsets",
  "daemonsets",
  "jobs",
  "cronjobs",
] as const;

const NAMESPACE_LABEL = "kubernetes.io/metadata.name";
const POLICY_API_VERSION = "policies.kyverno.io/v1";

export type PolicyScope = "application" | "platform";

export interface PolicySettings {
  /** `<account>.dkr.ecr.<region>.amazonaws.com` */
  readonly registryHost: string;
  readonly applicationNamespaces: readonly string[];
}

export interface SignatureSettings extends PolicySettings {
  readonly repositoryPrefix: string;
  readonly publicKey?: string;
  readonly keyless?: { readonly issuer: string; readonly subject: string };
}

/** A CEL string literal (single quotes, escaped). */
function celString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** Pods in the scope's namespaces; never kube-system or kyverno. */
export function scopeSelector(scope: PolicyScope, applicationNamespaces: readonly string[]) {
  const protectedOnes = {
    key: NAMESPACE_LABEL,
    operator: "NotIn",
    values: [...PROTECTED_NAMESPACES],
  };
  return {
    matchExpressions:
      scope === "application"
        ? [
            { key: NAMESPACE_LABEL, operator: "In", values: [...applicationNamespaces] },
            protectedOnes,
          ]
        : [
            {
              key: NAMESPACE_LABEL,
              operator: "NotIn",
              values: [...applicationNamespaces, ...PROTECTED_NAMESPACES],
            },
          ],
  };
}

function enforcement(scope: PolicyScope) {
  return scope === "application"
    ? { failurePolicy: "Fail", validationActions: ["Deny"] }
    : { failurePolicy: "Ignore", validationActions: ["Deny"] };
}

function matchPods(scope: PolicyScope, applicationNamespaces: readonly string[]) {
  return {
    resourceRules: [
      {
        apiGroups: [""],
        apiVersions: ["v1"],
        operations: ["CREATE", "UPDATE"],
        resources: ["pods"],
      },
    ],
    namespaceSelector: scopeSelector(scope, applicationNamespaces),
  };
}

/** Every container of a pod: regular, init and ephemeral. */
const CONTAINERS_VARIABLE = {
  name: "containers",
  expression:
    "object.spec.containers" +
    " + (has(object.spec.initContainers) ? object.spec.initContainers : [])" +
    " + (has(object.spec.ephemeralContainers) ? object.spec.ephemeralContainers : [])",
};

/** A tag or a digest after the last path segment: `.../name:tag`, `.../name@sha256:...` or both. */
const TAG_OR_DIGEST = "^[^@]*/[^/@:]+(:[^/@:]+(@sha256:[0-9a-f]{64})?|@sha256:[0-9a-f]{64})$";
const LATEST = ":latest(@|$)";
const DIGEST = "@sha256:[0-9a-f]{64}$";

interface RuleSpec {
  readonly name: string;
  readonly description: string;
  readonly expression: string;
  readonly message: string;
}

/** The CEL validations, by rule: exported so that tests evaluate them on sample pods. */
export function imageRules(registryHost: string) {
  const host = celString(`${registryHost}/`);
  return {
    registry: {
      name: "images-from-stack-registry",
      description: `Images only from this stack's ECR (${registryHost}/): its own repositories and pull-through cache.`,
      expression: `variables.containers.all(c, c.image.startsWith(${host}))`,
      message: `every image must come from ${registryHost}/ (the stack's own ECR repositories or its pull-through cache <upstream>/...)`,
    },
    tag: {
      name: "images-pinned-not-latest",
      description: "No `:latest` and no untagged image: a tag or a digest pins what runs.",
      expression: `variables.containers.all(c, c.image.matches(${celString(TAG_OR_DIGEST)}) && !c.image.matches(${celString(LATEST)}))`,
      message: "every image must name a tag other than latest, or a digest (@sha256:...)",
    },
    digest: {
      name: "images-by-digest",
      description: "Digests required in the application (production) namespaces.",
      expression: `variables.containers.all(c, c.image.matches(${celString(DIGEST)}))`,
      message: "every image must be referenced by digest (<repository>:<tag>@sha256:<digest>)",
    },
  } satisfies Record<string, RuleSpec>;
}

export type ImageRuleName = keyof ReturnType<typeof imageRules>;

/** Rules per scope: the digest requirement applies to the application namespaces only. */
export const RULES_BY_SCOPE: Readonly<Record<PolicyScope, readonly ImageRuleName[]>> = {
  application: ["registry", "tag", "digest"],
  platform: ["registry", "tag"],
};

function metadata(name: string, description: string) {
  return {
    name,
    annotations: { "policies.kyverno.io/description": description },
    labels: { "app.kubernetes.io/part-of": "platform-admission" },
  };
}

/** One ValidatingPolicy: one image rule over the pods (and pod controllers) of one scope. */
export function imageValidatingRule(
  rule: ImageRuleName,
  scope: PolicyScope,
  settings: PolicySettings,
) {
  const spec = imageRules(settings.registryHost)[rule];
  return {
    apiVersion: POLICY_API_VERSION,
    kind: "ValidatingPolicy",
    metadata: metadata(`${spec.name}-${scope}`, spec.description),
    spec: {
      ...enforcement(scope),
      matchConstraints: matchPods(scope, settings.applicationNamespaces),
      autogen: { podControllers: { controllers: [...POD_CONTROLLERS] } },
      variables: [CONTAINERS_VARIABLE],
      validations: [{ expression: spec.expression, message: spec.message }],
    },
  };
}

/** Every ValidatingPolicy of the platform, both scopes. */
export function imagePolicies(settings: PolicySettings) {
  return (["application", "platform"] as const).flatMap((scope) =>
    RULES_BY_SCOPE[scope].map((rule) => imageValidatingRule(rule, scope, settings)),
  );
}

/** The attestor names `verifyImageSignatures` is given, in the order the policy lists them. */
export function attestors(settings: SignatureSettings) {
  return [
    ...(settings.publicKey
      ? [{ name: "signingkey", cosign: { key: { data: settings.publicKey.trim() } } }]
      : []),
    ...(settings.keyless
      ? [
          {
            name: "keyless",
            cosign: {
              keyless: {
                // Every signer whose identity matches (e.g. each team's release workflow).
                identities: [
                  { issuer: settings.keyless.issuer, subjectRegExp: settings.keyless.subject },
                ],
              },
            },
          },
        ]
      : []),
  ];
}

/**
 * The ImageValidatingPolicy verifying cosign signatures of the platform's own repositories
 * (`<host>/<prefix>/*`) with any configured attestor; undefined when none is configured. ECR
 * credentials come from the admission controller's IRSA role (`credentials.providers: amazon`).
 */
export function signaturePolicy(scope: PolicyScope, settings: SignatureSettings) {
  const signers = attestors(settings);
  if (signers.length === 0) return undefined;
  const list = `[${signers.map((a) => `attestors.${a.name}`).join(", ")}]`;
  const own = `${settings.registryHost}/${settings.repositoryPrefix}/`;
  return {
    apiVersion: POLICY_API_VERSION,
    kind: "ImageValidatingPolicy",
    metadata: metadata(
      `own-images-signed-${scope}`,
      `Cosign signatures verified for the platform's own repositories (${settings.registryHost}/${settings.repositoryPrefix}/*).`,
    ),
    spec: {
      ...enforcement(scope),
      matchConstraints: matchPods(scope, settings.applicationNamespaces),
      autogen: { podControllers: { controllers: [...POD_CONTROLLERS] } },
      matchImageReferences: [{ glob: `${own}*` }],
      credentials: { providers: ["amazon"] },
      attestors: signers,
      validations: [
        {
          // verifyImageSignatures counts 0 for an image outside matchImageReferences
          // (pkg/cel/libs/imageverify/impl.go at v1.19.0): only the own images are passed.
          expression: `(images.containers + images.initContainers + images.ephemeralContainers).filter(image, image.startsWith(${celString(own)})).map(image, verifyImageSignatures(image, ${list})).all(e, e > 0)`,
          message: `images of ${settings.registryHost}/${settings.repositoryPrefix}/ must carry a cosign signature by the platform's signing key or CI identity`,
        },
      ],
    },
  };
}
