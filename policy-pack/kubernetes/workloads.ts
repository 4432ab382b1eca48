/**
 * Kubernetes workloads (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod): the Pod Security
 * Standards "restricted" profile (one policy, as admission applies it: no privilege, non-root,
 * capabilities dropped, seccomp, no host namespaces, ports or paths), read-only root filesystems,
 * requests and limits, pinned images, a namespace other than `default`, probes and service account
 * tokens; and a stack rule, a PodDisruptionBudget for every Deployment of more than one replica.
 */
import { isUnknown } from "@platform/model";
import { configProperty, resourcePolicy, stackPolicy, type ResourceContext } from "../lib/policy";
import { namespaceKey, StackIndex, type StackResource } from "../lib/stack-index";
import { asArray, isObject, label, raw, undecidable, type Props } from "../lib/values";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";

export const WORKLOAD_KINDS: Record<string, string> = {
  "kubernetes:apps/v1:Deployment": "Deployment",
  "kubernetes:apps/v1:StatefulSet": "StatefulSet",
  "kubernetes:apps/v1:DaemonSet": "DaemonSet",
  "kubernetes:batch/v1:Job": "Job",
  "kubernetes:batch/v1:CronJob": "CronJob",
  "kubernetes:core/v1:Pod": "Pod",
};
export const WORKLOAD_TYPES = Object.keys(WORKLOAD_KINDS);

const LONG_RUNNING = new Set(["Deployment", "StatefulSet", "DaemonSet", "Pod"]);

export interface Workload {
  readonly kind: string;
  readonly what: string;
  /** The pod spec, and the property path to it (for deferring on unknowns). */
  readonly pod: Props;
  readonly podPath: readonly string[];
  /** Regular, init and ephemeral containers, each with the path to it. */
  readonly containers: readonly {
    readonly c: Props;
    readonly path: readonly string[];
    readonly init: boolean;
  }[];
}

/** The pod template of a workload, wherever its kind keeps it. */
export function workloadOf(type: string, name: string, props: Props): Workload {
  const kind = WORKLOAD_KINDS[type];
  const podPath =
    kind === "Pod"
      ? ["spec"]
      : kind === "CronJob"
        ? ["spec", "jobTemplate", "spec", "template", "spec"]
        : ["spec", "template", "spec"];
  let pod: unknown = props;
  for (const k of podPath) pod = isObject(pod) ? pod[k] : undefined;
  const podSpec = isObject(pod) ? pod : {};
  const containers: Workload["containers"][number][] = [];
  for (const [field, init] of [
    ["containers", false],
    ["initContainers", true],
    ["ephemeralContainers", true],
  ] as const) {
    asArray<Props>(podSpec[field]).forEach((c, i) => {
      if (isObject(c)) containers.push({ c, path: [...podPath, field, String(i)], init });
    });
  }
  return { kind, what: label(kind, name), pod: podSpec, podPath, containers };
}

/** The object's namespace: its own, else its provider's default (undefined means "default"). */
export function namespaceOf(r: ResourceContext<unknown>): unknown {
  const ns = r.props.metadata?.namespace;
  if (ns !== undefined) return ns;
  const provider = r.args.provider ? raw(r.args.provider.props) : undefined;
  return provider?.namespace;
}

interface WorkloadRuleArgs<C> {
  readonly name: string;
  readonly description: string;
  readonly severity: "low" | "medium" | "high" | "critical";
  readonly enforcementLevel?: "advisory" | "mandatory";
  readonly controls: { checkov?: string[]; trivy?: string[]; cisEks?: string[] };
  readonly check: (w: Workload, r: ResourceContext<C>) => void;
}

/** A policy over every workload kind; namespaces listed in `exemptNamespaces` are skipped. */
function workloadPolicy(def: WorkloadRuleArgs<{ exemptNamespaces: string[] }>) {
  return resourcePolicy({
    name: def.name,
    description: def.description,
    enforcementLevel: def.enforcementLevel ?? "mandatory",
    severity: def.severity,
    resourceTypes: WORKLOAD_TYPES,
    controls: def.controls,
    config: {
      exemptNamespaces: configProperty.strings([], "Namespaces this rule does not apply to."),
    },
    validate: (r) => {
      const ns = namespaceOf(r);
      if (typeof ns === "string" && r.config.exemptNamespaces.includes(ns)) return;
      def.check(workloadOf(r.type, r.name, r.props), r);
    },
  });
}

/** Container field, falling back to the pod's securityContext where Kubernetes does. */
function effective(w: Workload, c: Props, field: string): unknown {
  const own = c.securityContext?.[field];
  return own !== undefined ? own : w.pod.securityContext?.[field];
}

const DANGEROUS_CAPABILITIES = [
  "ALL",
  "SYS_ADMIN",
  "NET_ADMIN",
  "NET_RAW",
  "SYS_PTRACE",
  "SYS_MODULE",
  "DAC_READ_SEARCH",
  "BPF",
  "PERFMON",
];

/** Capabilities PSS "restricted" allows a container to add back. */
const RESTRICTED_ADDABLE = ["NET_BIND_SERVICE"];

/**
 * The Pod Security Standards "restricted" profile, checked at preview time: the same profile the
 * platform's application namespaces enforce through their `pod-security.kubernetes.io/enforce`
 * label, so a workload that would be rejected at admission fails the pull request instead. One
 * policy for the profile (as Pod Security Admission applies it); each control reports on its own.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export const k8sPodSecurityRestricted = resourcePolicy({
  name: "k8s-pod-security-restricted",
  description:
    "Checks that workloads meet the Pod Security Standards restricted profile: not privileged, no privilege escalation, non-root, all capabilities dropped, seccomp, no host namespaces, ports or paths.",
  enforcementLevel: "mandatory",
  severity: "critical",
  resourceTypes: WORKLOAD_TYPES,
  controls: {
    checkov: [
      ...["CKV_K8S_16", "CKV_K8S_20", "CKV_K8S_23", "CKV_K8S_40", "CKV_K8S_37", "CKV_K8S_28"],
      ...["CKV_K8S_39", "CKV_K8S_31", "CKV_K8S_17", "CKV_K8S_18", "CKV_K8S_19", "CKV_K8S_26"],
      "CKV_K8S_27",
    ],
    trivy: [
      ...["KSV-0017", "KSV-0001", "KSV-0012", "KSV-0020", "KSV-0003", "KSV-0022", "KSV-0030"],
      ...["KSV-0008", "KSV-0009", "KSV-0010", "KSV-0024", "KSV-0023"],
      ...["KSV-0004", "KSV-0005", "KSV-0006", "KSV-0104", "KSV-0118", "KSV-0119", "KSV-0120"],
      "KSV-0121",
    ],
    cisEks: [
      "4.2.1",
      "4.2.2",
      "4.2.3",
      "4.2.4",
      "4.2.5",
      "4.2.6",
      "4.2.7",
      "4.2.8",
      "4.2.9",
      "4.6.2",
    ],
  },
  config: {
    exemptNamespaces: configProperty.strings([], "Namespaces the profile does not apply to."),
    allowedCapabilities: configProperty.strings(
      RESTRICTED_ADDABLE,
      "Capabilities a container may add back after dropping ALL.",
    ),
    allowedHostPaths: configProperty.strings(
      [],
      "Host paths that may be mounted (e.g. /var/log for a log shipper in an exempt namespace).",
    ),
  },
  validate: (r) => {
    const ns = namespaceOf(r);
    if (typeof ns === "string" && r.config.exemptNamespaces.includes(ns)) return;
    const w = workloadOf(r.type, r.name, r.props);
    const names = (list: readonly { c: Props }[]) => list.map(({ c }) => c.name).join(", ");

    const privileged = w.containers.filter(({ c }) => c.securityContext?.privileged === true);
    if (privileged.length) {
      r.report(
        `${w.what} must not run privileged containers (${names(privileged)}): remove securityContext.privileged.`,
      );
    }
    const escalating = w.containers.filter(
      ({ c }) => c.securityContext?.allowPrivilegeEscalation !== false,
    );
    if (escalating.length) {
      r.report(
        `${w.what} must forbid privilege escalation in ${names(escalating)}: set securityContext.allowPrivilegeEscalation: false.`,
      );
    }
    const root = w.containers.filter(
      ({ c }) => effective(w, c, "runAsNonRoot") !== true || effective(w, c, "runAsUser") === 0,
    );
    if (root.length) {
      r.report(
        `${w.what} must run ${names(root)} as non-root: set securityContext.runAsNonRoot: true and a runAsUser above 0 (pod or container level).`,
      );
    }
    for (const { c } of w.containers) {
      const caps = c.securityContext?.capabilities ?? {};
      if (!asArray<string>(caps.drop).includes("ALL")) {
        r.report(
          `${w.what} must drop all capabilities in ${c.name}: set securityContext.capabilities.drop: ["ALL"].`,
        );
      }
      const added = asArray<string>(caps.add).filter(
        (a) => !r.config.allowedCapabilities.includes(a) || DANGEROUS_CAPABILITIES.includes(a),
      );
      if (added.length) {
        r.report(
          `${w.what} must not add capabilities ${added.join(", ")} in ${c.name}: only ${r.config.allowedCapabilities.join(", ") || "none"} may be added back.`,
        );
      }
    }
    const seccompOk = (p: unknown) =>
      isObject(p) && (p.type === "RuntimeDefault" || p.type === "Localhost");
    const podSeccomp = seccompOk(w.pod.securityContext?.seccompProfile);
    const noSeccomp = w.containers.filter(({ c }) => {
      const own = c.securityContext?.seccompProfile;
      return own !== undefined ? !seccompOk(own) : !podSeccomp;
    });
    if (noSeccomp.length) {
      r.report(
        `${w.what} must use a seccomp profile in ${names(noSeccomp)}: set securityContext.seccompProfile.type: RuntimeDefault on the pod.`,
      );
    }
    const shared = ["hostNetwork", "hostPID", "hostIPC"].filter((f) => w.pod[f] === true);
    if (shared.length) {
      r.report(
        `${w.what} must not share host namespaces: remove ${shared.join(", ")} from the pod spec.`,
      );
    }
    const hostPorts = w.containers
      .flatMap(({ c }) => asArray<Props>(c.ports))
      .filter((p) => p.hostPort !== undefined && p.hostPort !== 0);
    if (hostPorts.length) {
      r.report(
        `${w.what} must not bind host ports (${hostPorts.map((p) => p.hostPort).join(", ")}): expose it through a Service.`,
      );
    }
    for (const v of asArray<Props>(w.pod.volumes)) {
      const path = v.hostPath?.path;
      if (path !== undefined && !r.config.allowedHostPaths.includes(path)) {
        r.report(
          `${w.what} must not mount the host path ${path} (volume ${v.name}): use a PersistentVolumeClaim, emptyDir or CSI volume.`,
        );
      }
    }
  },
});

export const k8sReadOnlyRootFs = workloadPolicy({
  name: "k8s-read-only-root-filesystem",
  description: "Checks that every container mounts its root filesystem read-only.",
  severity: "medium",
  controls: { checkov: ["CKV_K8S_22"], trivy: ["KSV-0014"] },
  check: (w, r) => {
    const bad = w.containers
      .filter(({ c }) => c.securityContext?.readOnlyRootFilesystem !== true)
      .map(({ c }) => c.name);
    if (bad.length)
      r.report(
        `${w.what} must mount the root filesystem read-only in ${bad.join(", ")}: set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where it writes.`,
      );
  },
});

export const k8sResources = resourcePolicy({
  name: "k8s-resource-requests-limits",
  description: "Checks that every container requests CPU and memory and limits memory.",
  enforcementLevel: "advisory",
  severity: "medium",
  resourceTypes: WORKLOAD_TYPES,
  controls: {
    checkov: ["CKV_K8S_10", "CKV_K8S_11", "CKV_K8S_12", "CKV_K8S_13"],
    trivy: ["KSV-0011", "KSV-0015", "KSV-0016", "KSV-0018"],
  },
  config: {
    // CPU limits throttle bursts without protecting neighbours (requests do that); off by default.
    requireCpuLimit: configProperty.boolean(false, "Also require resources.limits.cpu."),
  },
  validate: (r) => {
    const w = workloadOf(r.type, r.name, r.props);
    for (const { c } of w.containers) {
      const missing: string[] = [];
      const req = c.resources?.requests ?? {};
      const lim = c.resources?.limits ?? {};
      if (req.cpu === undefined) missing.push("requests.cpu");
      if (req.memory === undefined) missing.push("requests.memory");
      if (lim.memory === undefined) missing.push("limits.memory");
      if (r.config.requireCpuLimit && lim.cpu === undefined) missing.push("limits.cpu");
      if (missing.length)
        r.report(
          `${w.what} must size container ${c.name}: set resources.${missing.join(", resources.")}.`,
        );
    }
  },
});

/** An image reference pinned to a digest, or to a tag other than latest. */
export function imagePinProblem(image: string, requireDigest: boolean): string | undefined {
  if (image.includes("@sha256:")) return undefined;
  if (requireDigest) return "is not pinned to a digest (@sha256:...)";
  const lastSlash = image.lastIndexOf("/");
  const colon = image.indexOf(":", lastSlash + 1);
  if (colon < 0) return "has no tag";
  if (image.slice(colon + 1) === "latest") return "uses the latest tag";
  return undefined;
}

export const k8sPinnedImages = resourcePolicy({
  name: "k8s-pinned-images",
  description:
    "Checks that every container image is pinned to a version tag or digest (never latest or untagged).",
  enforcementLevel: "mandatory",
  severity: "medium",
  resourceTypes: WORKLOAD_TYPES,
  controls: { checkov: ["CKV_K8S_14", "CKV_K8S_43"], trivy: ["KSV-0013"] },
  config: {
    requireDigest: configProperty.boolean(false, "Require @sha256 digests instead of tags."),
    digestNamespaces: configProperty.strings(
      [],
      "Namespaces whose workloads must pin images by @sha256 digest (the stack's application namespaces, where admission denies a tag alone).",
    ),
  },
  validate: (r) => {
    const w = workloadOf(r.type, r.name, r.props);
    const ns = namespaceOf(r);
    if (isUnknown(ns) && r.config.digestNamespaces.length > 0)
      undecidable(r.args, ["metadata", "namespace"]);
    const requireDigest =
      r.config.requireDigest || (typeof ns === "string" && r.config.digestNamespaces.includes(ns));
    for (const { c, path } of w.containers) {
      if (isUnknown(c.image)) undecidable(r.args, [...path, "image"]);
      const problem =
        typeof c.image === "string" ? imagePinProblem(c.image, requireDigest) : "is missing";
      if (problem)
        r.report(
          `${w.what} must pin the image of ${c.name}: "${c.image}" ${problem}; ${
            requireDigest
              ? `${r.config.requireDigest ? "this pack requires" : `namespace ${String(ns)} requires`} a digest (<repository>:<tag>@sha256:<digest>, as admission does there).`
              : "use an immutable version tag or a digest."
          }`,
        );
    }
  },
});

export const k8sNotDefaultNamespace = resourcePolicy({
  name: "k8s-not-default-namespace",
  description: "Checks that workloads are placed in a namespace of their own, not default.",
  enforcementLevel: "advisory",
  severity: "low",
  resourceTypes: WORKLOAD_TYPES,
  controls: { checkov: ["CKV_K8S_21"], trivy: ["KSV-0110"], cisEks: ["4.5.2"] },
  validate: (r) => {
    const ns = namespaceOf(r);
    if (isUnknown(ns)) return; // a namespace created by the program, so not "default"
    if (ns === undefined || ns === "" || ns === "default") {
      r.report(
        `${label(WORKLOAD_KINDS[r.type], r.name)} must not run in the default namespace: set metadata.namespace.`,
      );
    }
  },
});

export const k8sProbes = resourcePolicy({
  name: "k8s-liveness-readiness-probes",
  description: "Checks that long-running containers declare liveness and readiness probes.",
  enforcementLevel: "advisory",
  severity: "low",
  resourceTypes: [
    "kubernetes:apps/v1:Deployment",
    "kubernetes:apps/v1:StatefulSet",
    "kubernetes:apps/v1:DaemonSet",
    "kubernetes:core/v1:Pod",
  ],
  controls: { checkov: ["CKV_K8S_8", "CKV_K8S_9"] },
  validate: (r) => {
    const w = workloadOf(r.type, r.name, r.props);
    if (!LONG_RUNNING.has(w.kind)) return;
    for (const { c, init } of w.containers) {
      if (init) continue;
      const missing = ["livenessProbe", "readinessProbe"].filter((p) => c[p] === undefined);
      if (missing.length)
        r.report(`${w.what} must declare ${missing.join(" and ")} for container ${c.name}.`);
    }
  },
});

export const k8sServiceAccountToken = resourcePolicy({
  name: "k8s-no-default-service-account-token",
  description:
    "Checks that pods either use a dedicated service account or do not mount an API token.",
  enforcementLevel: "advisory",
  severity: "low",
  resourceTypes: WORKLOAD_TYPES,
  controls: { checkov: ["CKV_K8S_38"], cisEks: ["4.1.6"] },
  validate: (r) => {
    const w = workloadOf(r.type, r.name, r.props);
    const sa = w.pod.serviceAccountName;
    const defaultSa = sa === undefined || sa === "" || sa === "default";
    if (defaultSa && w.pod.automountServiceAccountToken !== false) {
      r.report(
        `${w.what} must not mount the default service account's token: set serviceAccountName to a dedicated account, or automountServiceAccountToken: false.`,
      );
    }
  },
});

/** Containers' env entries and envFrom sources that take their value from a Secret. */
function secretEnv(c: Props): string[] {
  const vars = asArray<unknown>(c.env)
    .filter(isObject)
    .filter((e) => isObject(e.valueFrom) && e.valueFrom.secretKeyRef !== undefined)
    .map((e) => `env ${e.name}`);
  const sources = asArray<unknown>(c.envFrom)
    .filter(isObject)
    .filter((e) => e.secretRef !== undefined)
    .map((e) => `envFrom ${e.secretRef?.name ?? "secretRef"}`);
  return [...vars, ...sources];
}

/**
 * Secrets as files, not environment variables: a variable is inherited by every child process,
 * printed by crash handlers and debug endpoints, and not updated when the Secret rotates.
 * @see https://kubernetes.io/docs/concepts/security/secrets-good-practices/
 */
export const k8sNoSecretsInEnv = resourcePolicy({
  name: "k8s-no-secrets-in-env",
  description:
    "Checks that containers read Secrets from mounted files, not from environment variables (env valueFrom.secretKeyRef or envFrom secretRef).",
  enforcementLevel: "mandatory",
  severity: "medium",
  resourceTypes: WORKLOAD_TYPES,
  controls: { checkov: ["CKV_K8S_35"] },
  config: {
    exemptions: configProperty.exemptions(
      "Workloads (by resource name) this rule does not apply to, each with the reason, e.g. an image that reads a credential only from its environment.",
    ),
  },
  validate: (r) => {
    if (r.config.exemptions[r.name]) return;
    const w = workloadOf(r.type, r.name, r.props);
    for (const { c } of w.containers) {
      const found = secretEnv(c);
      if (found.length) {
        r.report(
          `${w.what} must mount Secrets as files in ${c.name}, not pass them as environment variables (${found.join(", ")}): use a secret volume and point the application at the file.`,
        );
      }
    }
  },
});

function templateLabels(d: StackResource): Props {
  const labels = d.props.spec?.template?.metadata?.labels;
  return isObject(labels) ? labels : {};
}

export const pdbForReplicatedDeployments = stackPolicy({
  name: "pdb-for-multi-replica-deployments",
  description:
    "Checks that every Deployment with more than one replica has a PodDisruptionBudget selecting its pods.",
  enforcementLevel: "advisory",
  severity: "medium",
  resourceTypes: [DEPLOYMENT, PDB],
  validate: ({ args, report }) => {
    const index = new StackIndex(args.resources);
    const deployments = index
      .of(DEPLOYMENT)
      .filter((d) => typeof d.props.spec?.replicas === "number" && d.props.spec.replicas > 1);
    if (deployments.length === 0) return;
    const pdbsByNamespace = new Map<string, Props[]>();
    for (const p of index.of(PDB)) {
      const match = p.props.spec?.selector?.matchLabels;
      if (!isObject(match)) continue;
      const key = namespaceKey(index, p);
      pdbsByNamespace.set(key, [...(pdbsByNamespace.get(key) ?? []), match]);
    }
    for (const d of deployments) {
      const labels = templateLabels(d);
      const candidates = pdbsByNamespace.get(namespaceKey(index, d)) ?? [];
      const covered = candidates.some((m) => Object.entries(m).every(([k, v]) => labels[k] === v));
      if (!covered) {
        report(
          `${label("Deployment", d.name)} must have a PodDisruptionBudget (it runs ${d.props.spec.replicas} replicas): create a policy/v1 PodDisruptionBudget in its namespace whose selector matches its pod labels, with maxUnavailable: 1.`,
          d.urn,
        );
      }
    }
  },
});

export const workloadPolicies = [
  k8sPodSecurityRestricted,
  k8sReadOnlyRootFs,
  k8sResources,
  k8sPinnedImages,
  k8sNotDefaultNamespace,
  k8sProbes,
  k8sServiceAccountToken,
  k8sNoSecretsInEnv,
  pdbForReplicatedDeployments,
];
