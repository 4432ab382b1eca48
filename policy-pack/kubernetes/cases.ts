/** Violating and passing cases of the Kubernetes policies. */
import type { AnalyzerResource, PolicyPackConfig } from "../../tools/analyzer";
import { type Case, exercising, passes, stackCase, violates } from "../test/case";
import { change, k8s, type Props } from "../test/builders";
import { happy } from "../test/fixtures";

const container = "spec.template.spec.containers.0";
const podSec = "spec.template.spec.securityContext";

const RBAC = "rbac.authorization.k8s.io";
const KINDS = [
  { kind: "Role", prefix: "k8s-role", make: () => happy.k8sRole() },
  { kind: "ClusterRole", prefix: "k8s-cluster-role", make: () => happy.k8sClusterRole() },
] as const;

/** A rule granting everything on everything: the shape of cluster-admin. */
const ALL = { apiGroups: ["*"], resources: ["*"], verbs: ["*"] };
const SECRET_READ = { apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "watch"] };
const BIND_BINDINGS = {
  apiGroups: [RBAC],
  resources: ["rolebindings", "clusterrolebindings"],
  verbs: ["bind"],
};
const ESCALATE_ROLES = {
  apiGroups: [RBAC],
  resources: ["roles", "clusterroles"],
  verbs: ["escalate"],
};
const POD_EXEC = { apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] };
const WEBHOOK_UPDATE = {
  apiGroups: ["admissionregistration.k8s.io"],
  resources: ["validatingwebhookconfigurations"],
  verbs: ["get", "update"],
};

const withRules = (r: AnalyzerResource, rules: readonly Props[]) => change(r, "rules", rules);

export const cases: Case[] = [
  passes("k8s-pod-security-restricted", "restricted Deployment", happy.deployment()),
  exercising(
    ["CKV_K8S_16", "KSV-0017", "CIS EKS 4.2.1"],
    violates(
      "k8s-pod-security-restricted",
      "privileged DaemonSet",
      change(happy.daemonSet(), `${container}.securityContext.privileged`, true),
    ),
  ),
  passes("k8s-pod-security-restricted", "restricted StatefulSet", happy.statefulSet()),
  exercising(
    ["CKV_K8S_20", "KSV-0001", "CIS EKS 4.2.5"],
    violates(
      "k8s-pod-security-restricted",
      "escalation not forbidden",
      change(
        happy.deployment(),
        `${container}.securityContext.allowPrivilegeEscalation`,
        undefined,
      ),
    ),
  ),
  passes("k8s-pod-security-restricted", "non-root Job", happy.job()),
  exercising(
    ["CKV_K8S_23", "CKV_K8S_40", "KSV-0012", "KSV-0020", "CIS EKS 4.2.6"],
    violates(
      "k8s-pod-security-restricted",
      "container runs as UID 0",
      change(happy.deployment(), `${container}.securityContext.runAsUser`, 0),
    ),
  ),
  violates(
    "k8s-pod-security-restricted",
    "no runAsNonRoot in a CronJob",
    change(
      happy.cronJob(),
      "spec.jobTemplate.spec.template.spec.securityContext.runAsNonRoot",
      undefined,
    ),
  ),
  passes("k8s-read-only-root-filesystem", "read-only CronJob", happy.cronJob()),
  exercising(
    ["CKV_K8S_22", "KSV-0014"],
    violates(
      "k8s-read-only-root-filesystem",
      "writable root in a Pod",
      change(happy.pod(), "spec.containers.0.securityContext.readOnlyRootFilesystem", false),
    ),
  ),
  passes("k8s-pod-security-restricted", "drops ALL", happy.deployment()),
  passes(
    "k8s-pod-security-restricted",
    "adds back NET_BIND_SERVICE",
    change(happy.deployment(), `${container}.securityContext.capabilities.add`, [
      "NET_BIND_SERVICE",
    ]),
  ),
  exercising(
    ["CKV_K8S_37", "CKV_K8S_28", "KSV-0003", "KSV-0004", "CIS EKS 4.2.7", "CIS EKS 4.2.9"],
    violates(
      "k8s-pod-security-restricted",
      "drops nothing",
      change(happy.deployment(), `${container}.securityContext.capabilities`, undefined),
    ),
  ),
  exercising(
    ["CKV_K8S_39", "KSV-0005", "KSV-0022", "CIS EKS 4.2.8"],
    violates(
      "k8s-pod-security-restricted",
      "adds SYS_ADMIN",
      change(happy.deployment(), `${container}.securityContext.capabilities.add`, ["SYS_ADMIN"]),
    ),
  ),
  passes("k8s-resource-requests-limits", "sized", happy.deployment()),
  exercising(
    ["CKV_K8S_13", "KSV-0018"],
    violates(
      "k8s-resource-requests-limits",
      "no memory limit",
      change(happy.deployment(), `${container}.resources.limits`, undefined),
    ),
  ),
  exercising(
    ["CKV_K8S_11", "KSV-0011"],
    violates("k8s-resource-requests-limits", "no CPU limit when required", happy.deployment(), {
      "k8s-resource-requests-limits": { requireCpuLimit: true },
    }),
  ),
  passes("k8s-pinned-images", "version tag", happy.deployment()),
  passes(
    "k8s-pinned-images",
    "registry with a port and a digest",
    change(
      happy.deployment(),
      `${container}.image`,
      "registry.internal:5000/api@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ),
  ),
  exercising(
    ["CKV_K8S_14", "KSV-0013"],
    violates(
      "k8s-pinned-images",
      "latest",
      change(happy.deployment(), `${container}.image`, "ghcr.io/acme/api:latest"),
    ),
  ),
  violates(
    "k8s-pinned-images",
    "untagged image behind a registry port",
    change(happy.deployment(), `${container}.image`, "registry.internal:5000/api"),
  ),
  passes("k8s-pod-security-restricted", "isolated", happy.daemonSet()),
  exercising(
    ["CKV_K8S_19", "KSV-0009", "CIS EKS 4.2.4"],
    violates(
      "k8s-pod-security-restricted",
      "host network",
      change(happy.daemonSet(), "spec.template.spec.hostNetwork", true),
    ),
  ),
  exercising(
    ["CKV_K8S_26", "KSV-0024"],
    violates(
      "k8s-pod-security-restricted",
      "host port",
      change(happy.deployment(), `${container}.ports.0.hostPort`, 8080),
    ),
  ),
  passes(
    "k8s-pod-security-restricted",
    "exempt namespace",
    change(
      change(happy.daemonSet(), "spec.template.spec.hostPID", true),
      "metadata.namespace",
      "kube-system",
    ),
    { "k8s-pod-security-restricted": { exemptNamespaces: ["kube-system"] } },
  ),
  passes("k8s-pod-security-restricted", "no host path", happy.daemonSet()),
  exercising(
    ["CKV_K8S_27", "KSV-0023"],
    violates(
      "k8s-pod-security-restricted",
      "container runtime socket",
      change(happy.daemonSet(), "spec.template.spec.volumes", [
        { name: "sock", hostPath: { path: "/run/containerd/containerd.sock" } },
      ]),
    ),
  ),
  passes(
    "k8s-pod-security-restricted",
    "allowed log path",
    change(happy.daemonSet(), "spec.template.spec.volumes", [
      { name: "logs", hostPath: { path: "/var/log" } },
    ]),
    { "k8s-pod-security-restricted": { allowedHostPaths: ["/var/log"] } },
  ),
  passes("k8s-not-default-namespace", "own namespace", happy.deployment()),
  violates(
    "k8s-not-default-namespace",
    "no namespace",
    change(happy.deployment(), "metadata.namespace", undefined),
  ),
  exercising(
    ["CKV_K8S_21", "KSV-0110", "CIS EKS 4.5.2"],
    violates(
      "k8s-not-default-namespace",
      "default namespace",
      change(happy.job(), "metadata.namespace", "default"),
    ),
  ),
  passes("k8s-liveness-readiness-probes", "probed", happy.deployment()),
  passes("k8s-liveness-readiness-probes", "Jobs need no probes", happy.job()),
  exercising(
    ["CKV_K8S_9"],
    violates(
      "k8s-liveness-readiness-probes",
      "no readiness probe",
      change(happy.statefulSet(), `${container}.readinessProbe`, undefined),
    ),
  ),
  passes("k8s-pod-security-restricted", "RuntimeDefault", happy.deployment()),
  exercising(
    ["CKV_K8S_31", "KSV-0030", "CIS EKS 4.6.2"],
    violates(
      "k8s-pod-security-restricted",
      "no seccomp profile",
      change(happy.deployment(), `${podSec}.seccompProfile`, undefined),
    ),
  ),
  exercising(
    ["KSV-0104"],
    violates(
      "k8s-pod-security-restricted",
      "Unconfined container",
      change(happy.deployment(), `${container}.securityContext.seccompProfile`, {
        type: "Unconfined",
      }),
    ),
  ),
  exercising(
    ["KSV-0118"],
    violates(
      "k8s-pod-security-restricted",
      "no pod security context",
      change(happy.deployment(), podSec, undefined),
    ),
  ),
  exercising(
    ["KSV-0119"],
    violates(
      "k8s-pod-security-restricted",
      "adds NET_RAW",
      change(happy.deployment(), `${container}.securityContext.capabilities.add`, ["NET_RAW"]),
    ),
  ),
  exercising(
    ["KSV-0120"],
    violates(
      "k8s-pod-security-restricted",
      "adds SYS_MODULE",
      change(happy.deployment(), `${container}.securityContext.capabilities.add`, ["SYS_MODULE"]),
    ),
  ),
  exercising(
    ["KSV-0006"],
    violates(
      "k8s-pod-security-restricted",
      "Docker socket",
      change(happy.daemonSet(), "spec.template.spec.volumes", [
        { name: "docker", hostPath: { path: "/var/run/docker.sock" } },
      ]),
    ),
  ),
  exercising(
    ["KSV-0121"],
    violates(
      "k8s-pod-security-restricted",
      "host /etc",
      change(happy.daemonSet(), "spec.template.spec.volumes", [
        { name: "etc", hostPath: { path: "/etc" } },
      ]),
    ),
  ),
  passes("k8s-no-default-service-account-token", "dedicated service account", happy.deployment()),
  passes(
    "k8s-no-default-service-account-token",
    "default account without a token",
    change(
      change(happy.pod(), "spec.serviceAccountName", undefined),
      "spec.automountServiceAccountToken",
      false,
    ),
  ),
  exercising(
    ["CKV_K8S_38", "CIS EKS 4.1.6"],
    violates(
      "k8s-no-default-service-account-token",
      "default account with a token",
      change(happy.deployment(), "spec.template.spec.serviceAccountName", undefined),
    ),
  ),
  passes(
    "k8s-no-cluster-admin-for-broad-groups",
    "view for a named group",
    happy.clusterRoleBinding(),
  ),
  passes(
    "k8s-no-cluster-admin-for-broad-groups",
    "cluster-admin for one service account",
    change(change(happy.clusterRoleBinding(), "roleRef.name", "cluster-admin"), "subjects", [
      { kind: "ServiceAccount", name: "argocd", namespace: "argocd" },
    ]),
  ),
  exercising(
    ["KSV-0111", "CIS EKS 4.1.1"],
    violates(
      "k8s-no-cluster-admin-for-broad-groups",
      "cluster-admin for system:authenticated",
      change(
        change(happy.clusterRoleBinding(), "roleRef.name", "cluster-admin"),
        "subjects.0.name",
        "system:authenticated",
      ),
    ),
  ),
  passes("k8s-no-namespace-admin-for-broad-groups", "edit for a named group", {
    ...change(happy.clusterRoleBinding(), "roleRef.name", "edit"),
    type: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
  }),
  exercising(
    ["KSV-0111", "CIS EKS 4.1.1"],
    violates(
      "k8s-no-namespace-admin-for-broad-groups",
      "cluster-admin for all service accounts of a namespace",
      {
        ...change(
          change(happy.clusterRoleBinding(), "roleRef.name", "cluster-admin"),
          "subjects.0.name",
          "system:serviceaccounts:payments",
        ),
        type: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
      },
    ),
  ),
  passes("helm-release-pinned-chart", "https repository and exact version", happy.helmRelease()),
  passes(
    "helm-release-pinned-chart",
    "OCI chart",
    change(
      change(happy.helmRelease(), "chart", "oci://public.ecr.aws/karpenter/karpenter"),
      "repositoryOpts",
      undefined,
    ),
  ),
  violates(
    "helm-release-pinned-chart",
    "version range",
    change(happy.helmRelease(), "version", "^88.0.0"),
  ),
  violates(
    "helm-release-pinned-chart",
    "no version",
    change(happy.helmRelease(), "version", undefined),
  ),
  violates(
    "helm-release-pinned-chart",
    "http repository",
    change(happy.helmRelease(), "repositoryOpts.repo", "http://charts.example.com"),
  ),
  stackCase("pdb-for-multi-replica-deployments", "PDB selects the pods", "passes"),
  stackCase("pdb-for-multi-replica-deployments", "PDB selects other pods", "violates", (s) => {
    s.pdb = change(s.pdb, "spec.selector.matchLabels", { app: "worker" });
  }),
  stackCase("pdb-for-multi-replica-deployments", "single replica needs no PDB", "passes", (s) => {
    s.deployment = change(s.deployment, "spec.replicas", 1);
    s.pdb = s.bucket;
  }),
  stackCase("namespace-default-deny-network-policy", "default deny present", "passes"),
  stackCase(
    "namespace-default-deny-network-policy",
    "policy in a namespace known only by dependency",
    "passes",
    (s) => {
      s.defaultDeny = change(
        s.defaultDeny,
        "metadata.namespace",
        "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
      );
    },
  ),
  exercising(
    ["CIS EKS 4.3.2"],
    stackCase("namespace-default-deny-network-policy", "only an allow policy", "violates", (s) => {
      s.defaultDeny = change(s.defaultDeny, "spec.ingress", [{ from: [{ podSelector: {} }] }]);
    }),
  ),
  stackCase(
    "namespace-default-deny-network-policy",
    "egress required but only ingress denied",
    "violates",
    (s) => {
      s.defaultDeny = change(s.defaultDeny, "spec.policyTypes", ["Ingress"]);
    },
    { "namespace-default-deny-network-policy": { requireEgress: true } },
  ),
  exercising(
    ["CKV_K8S_17", "CKV_K8S_18", "KSV-0010", "KSV-0008", "CIS EKS 4.2.2", "CIS EKS 4.2.3"],
    violates(
      "k8s-pod-security-restricted",
      "host PID and IPC",
      change(
        change(happy.deployment(), "spec.template.spec.hostPID", true),
        "spec.template.spec.hostIPC",
        true,
      ),
    ),
  ),
  exercising(
    ["CKV_K8S_10", "CKV_K8S_12", "KSV-0015", "KSV-0016"],
    violates(
      "k8s-resource-requests-limits",
      "no requests",
      change(happy.deployment(), `${container}.resources.requests`, undefined),
    ),
  ),
  exercising(
    ["CKV_K8S_43"],
    violates(
      "k8s-pinned-images",
      "tag without a digest when digests are required",
      happy.deployment(),
      { "k8s-pinned-images": { requireDigest: true } },
    ),
  ),
  violates(
    "k8s-pinned-images",
    "tag without a digest in a namespace that requires digests",
    happy.deployment(),
    { "k8s-pinned-images": { digestNamespaces: ["payments"] } },
  ),
  passes(
    "k8s-pinned-images",
    "tag without a digest outside the namespaces that require digests",
    happy.deployment(),
    { "k8s-pinned-images": { digestNamespaces: ["apps"] } },
  ),
  exercising(
    ["CKV_K8S_8"],
    violates(
      "k8s-liveness-readiness-probes",
      "no liveness probe",
      change(happy.statefulSet(), `${container}.livenessProbe`, undefined),
    ),
  ),
  ...rbacCases(),
  ...serviceAccountCases(),
  ...secretEnvCases(),
  ...namespacedObjectCases(),
];

/** Role and ClusterRole rule contents, each rule for both kinds where the scanners read both. */
function rbacCases(): Case[] {
  return KINDS.flatMap(({ kind, prefix, make }) => {
    const cluster = kind === "ClusterRole";
    const p = (rule: string) => `${prefix}-${rule}`;
    const exempt = (rule: string): PolicyPackConfig => ({
      [p(rule)]: {
        exemptions: { [make().name]: "a controller that manages what it is named for" },
      },
    });
    return [
      passes(p("no-wildcards"), "named groups, resources and verbs", make()),
      passes(
        p("no-wildcards"),
        "exempted by name",
        withRules(make(), [ALL]),
        exempt("no-wildcards"),
      ),
      exercising(
        ["CKV_K8S_49", "KSV-0044", cluster ? "KSV-0046" : "KSV-0112", "CIS EKS 4.1.3"],
        violates(p("no-wildcards"), "every verb on every resource", withRules(make(), [ALL])),
      ),
      exercising(
        ["CKV_K8S_49", "KSV-0045"],
        violates(
          p("no-wildcards"),
          "every verb on deployments",
          withRules(make(), [{ apiGroups: ["apps"], resources: ["deployments"], verbs: ["*"] }]),
        ),
      ),
      exercising(
        [cluster ? "KSV-0046" : "KSV-0112"],
        violates(
          p("no-wildcards"),
          "every resource read, in the second rule (Checkov reads only the first)",
          withRules(make(), [
            { apiGroups: [""], resources: ["configmaps"], verbs: ["get"] },
            { apiGroups: [""], resources: ["*"], verbs: ["get", "list"] },
          ]),
        ),
      ),

      passes(p("no-secret-access"), "no secrets", make()),
      passes(
        p("no-secret-access"),
        "one Secret named in resourceNames",
        withRules(make(), [
          { apiGroups: [""], resources: ["secrets"], resourceNames: ["api-tls"], verbs: ["get"] },
        ]),
      ),
      passes(
        p("no-secret-access"),
        "exempted by name",
        withRules(make(), [SECRET_READ]),
        exempt("no-secret-access"),
      ),
      exercising(
        [cluster ? "KSV-0041" : "KSV-0113", "CIS EKS 4.1.2"],
        violates(p("no-secret-access"), "reads every Secret", withRules(make(), [SECRET_READ])),
      ),
      violates(
        p("no-secret-access"),
        "creates Secrets (resourceNames cannot narrow create)",
        withRules(make(), [
          {
            apiGroups: [""],
            resources: ["secrets"],
            resourceNames: ["api-tls"],
            verbs: ["create"],
          },
        ]),
      ),

      passes(p("no-rbac-escalation"), "no RBAC verbs", make()),
      passes(
        p("no-rbac-escalation"),
        "reads roles and bindings",
        withRules(make(), [
          { apiGroups: [RBAC], resources: ["roles", "rolebindings"], verbs: ["get", "list"] },
        ]),
      ),
      exercising(
        ["CKV_K8S_157", "KSV-0050", "CIS EKS 4.1.8"],
        violates(p("no-rbac-escalation"), "bind on bindings", withRules(make(), [BIND_BINDINGS])),
      ),
      exercising(
        ["CKV_K8S_158", "KSV-0050"],
        violates(p("no-rbac-escalation"), "escalate on roles", withRules(make(), [ESCALATE_ROLES])),
      ),
      exercising(
        ["KSV-0043"],
        violates(
          p("no-rbac-escalation"),
          "impersonates groups",
          withRules(make(), [{ apiGroups: ["*"], resources: ["groups"], verbs: ["impersonate"] }]),
        ),
      ),
      exercising(
        ["KSV-0051", "KSV-0052"],
        violates(
          p("no-rbac-escalation"),
          "creates bindings to any role",
          withRules(make(), [
            {
              apiGroups: [RBAC],
              resources: ["rolebindings", "clusterrolebindings"],
              verbs: ["create"],
            },
            {
              apiGroups: [RBAC],
              resources: ["clusterroles", "roles"],
              verbs: ["bind"],
              resourceNames: ["*"],
            },
          ]),
        ),
      ),

      passes(
        p("no-pod-exec-or-node-proxy"),
        "reads pods and their logs",
        withRules(make(), [
          { apiGroups: [""], resources: ["pods", "pods/log"], verbs: ["get", "list"] },
        ]),
      ),
      exercising(
        ["KSV-0053"],
        violates(p("no-pod-exec-or-node-proxy"), "exec into pods", withRules(make(), [POD_EXEC])),
      ),
      exercising(
        ["KSV-0047"],
        violates(
          p("no-pod-exec-or-node-proxy"),
          "GET on nodes/proxy",
          withRules(make(), [{ apiGroups: [""], resources: ["nodes/proxy"], verbs: ["get"] }]),
        ),
      ),
      exercising(
        ["KSV-0054"],
        violates(
          p("no-pod-exec-or-node-proxy"),
          "attach to pods",
          withRules(make(), [
            { apiGroups: ["*"], resources: ["pods/attach"], verbs: ["create"] },
            { apiGroups: ["*"], resources: ["pods"], verbs: ["get"] },
          ]),
        ),
      ),

      passes(
        p("no-webhook-control"),
        "reads webhook configurations",
        withRules(make(), [{ ...WEBHOOK_UPDATE, verbs: ["get", "list", "watch"] }]),
      ),
      exercising(
        cluster ? ["CKV_K8S_155", "KSV-0114"] : ["KSV-0114"],
        violates(
          p("no-webhook-control"),
          "updates a webhook configuration",
          withRules(make(), [WEBHOOK_UPDATE]),
        ),
      ),
    ];
  }).concat(csrCases(), bindingCases());
}

function csrCases(): Case[] {
  const approval = {
    apiGroups: ["certificates.k8s.io"],
    resources: ["certificatesigningrequests/approval"],
    verbs: ["update"],
  };
  const signer = {
    apiGroups: ["certificates.k8s.io"],
    resources: ["signers"],
    resourceNames: ["example.com/internal"],
    verbs: ["approve"],
  };
  return [
    passes(
      "k8s-cluster-role-no-csr-approval",
      "updates approval without approving for a signer",
      withRules(happy.k8sClusterRole(), [approval]),
    ),
    exercising(
      ["CKV_K8S_156"],
      violates(
        "k8s-cluster-role-no-csr-approval",
        "approves for a signer",
        withRules(happy.k8sClusterRole(), [approval, signer]),
      ),
    ),
  ];
}

/** A stack of a service account, a role and the binding between them. */
function boundStack(
  policy: string,
  title: string,
  expect: Case["expect"],
  rules: readonly Props[],
  edit: (binding: AnalyzerResource) => AnalyzerResource = (b) => b,
  config?: PolicyPackConfig,
): Case {
  return {
    policy,
    title,
    expect,
    resources: [
      happy.k8sServiceAccount(),
      withRules(happy.k8sRole(), rules),
      edit(happy.k8sRoleBinding()),
    ],
    stack: true,
    config,
  };
}

function bindingCases(): Case[] {
  const policy = "k8s-service-account-bindings-least-privilege";
  return [
    boundStack(
      policy,
      "a service account that reads ConfigMaps",
      "passes",
      happy.k8sRole().properties.rules as Props[],
    ),
    boundStack(policy, "secret reads bound to a group", "passes", [SECRET_READ], (b) =>
      change(b, "subjects", [{ kind: "Group", name: "payments-oncall", apiGroup: RBAC }]),
    ),
    boundStack(policy, "exempted binding", "passes", [SECRET_READ], undefined, {
      [policy]: { exemptions: { "api-config-reader": "reads the TLS Secrets it serves" } },
    }),
    exercising(["CKV2_K8S_5"], boundStack(policy, "reads every Secret", "violates", [SECRET_READ])),
    exercising(["CKV2_K8S_1"], boundStack(policy, "binds bindings", "violates", [BIND_BINDINGS])),
    exercising(["CKV2_K8S_2"], boundStack(policy, "execs into pods", "violates", [POD_EXEC])),
    exercising(
      ["CKV2_K8S_3"],
      boundStack(policy, "impersonates service accounts", "violates", [
        { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["impersonate"] },
      ]),
    ),
    exercising(
      ["CKV2_K8S_4"],
      boundStack(policy, "patches services/status", "violates", [
        { apiGroups: [""], resources: ["services/status"], verbs: ["patch"] },
      ]),
    ),
    {
      policy,
      title: "service account bound to the built-in cluster-admin",
      expect: "violates",
      stack: true,
      resources: [
        happy.k8sServiceAccount(),
        change(change(happy.clusterRoleBinding(), "roleRef.name", "cluster-admin"), "subjects", [
          { kind: "ServiceAccount", name: "api", namespace: "payments" },
        ]),
      ],
    },
    passes(
      "k8s-role-binding-no-default-service-account",
      "a dedicated account",
      happy.k8sRoleBinding(),
    ),
    exercising(
      ["CKV_K8S_42", "CIS EKS 4.1.5"],
      violates(
        "k8s-role-binding-no-default-service-account",
        "binds the default account",
        change(happy.k8sRoleBinding(), "subjects", [
          { kind: "ServiceAccount", name: "default", namespace: "payments" },
        ]),
      ),
    ),
    passes(
      "k8s-cluster-role-binding-no-default-service-account",
      "a group",
      happy.clusterRoleBinding(),
    ),
    exercising(
      ["CKV_K8S_42", "CIS EKS 4.1.5"],
      violates(
        "k8s-cluster-role-binding-no-default-service-account",
        "binds the default account",
        change(happy.clusterRoleBinding(), "subjects", [
          { kind: "ServiceAccount", name: "default", namespace: "payments" },
        ]),
      ),
    ),
  ];
}

function serviceAccountCases(): Case[] {
  const policy = "k8s-default-service-account-no-token";
  const defaultAccount = change(happy.k8sServiceAccount(), "metadata.name", "default");
  return [
    passes(
      policy,
      "a dedicated account that mounts a token",
      change(happy.k8sServiceAccount(), "automountServiceAccountToken", true),
    ),
    passes(policy, "default account without a token", defaultAccount),
    exercising(
      ["CKV_K8S_41", "CIS EKS 4.1.5"],
      violates(
        policy,
        "default account left mounting tokens",
        change(defaultAccount, "automountServiceAccountToken", undefined),
      ),
    ),
  ];
}

function secretEnvCases(): Case[] {
  const policy = "k8s-no-secrets-in-env";
  const secretVar = {
    name: "DB_PASSWORD",
    valueFrom: { secretKeyRef: { name: "db", key: "password" } },
  };
  return [
    passes(policy, "no environment from Secrets", happy.deployment()),
    passes(
      policy,
      "a variable from a ConfigMap",
      change(happy.deployment(), `${container}.env`, [
        { name: "LOG_LEVEL", valueFrom: { configMapKeyRef: { name: "api", key: "logLevel" } } },
      ]),
    ),
    passes(
      policy,
      "exempted by name",
      change(happy.deployment(), `${container}.env`, [secretVar]),
      {
        [policy]: {
          exemptions: { api: "the vendor image reads its licence key only from the environment" },
        },
      },
    ),
    exercising(
      ["CKV_K8S_35"],
      violates(
        policy,
        "a variable from a Secret",
        change(happy.deployment(), `${container}.env`, [secretVar]),
      ),
    ),
    exercising(
      ["CKV_K8S_35"],
      violates(
        policy,
        "envFrom a Secret in a CronJob",
        change(happy.cronJob(), "spec.jobTemplate.spec.template.spec.containers.0.envFrom", [
          { secretRef: { name: "report-credentials" } },
        ]),
      ),
    ),
  ];
}

function namespacedObjectCases(): Case[] {
  const policy = "k8s-objects-not-default-namespace";
  const configMap = k8s("kubernetes:core/v1:ConfigMap", "api-config", {
    metadata: { name: "api-config" },
    data: { logLevel: "info" },
  });
  return [
    passes(policy, "Ingress in its workload's namespace", happy.ingress()),
    passes(policy, "ServiceAccount in its workload's namespace", happy.k8sServiceAccount()),
    exercising(
      ["CKV_K8S_21", "CIS EKS 4.5.2"],
      violates(
        policy,
        "Ingress in default",
        change(happy.ingress(), "metadata.namespace", "default"),
      ),
    ),
    violates(policy, "ConfigMap without a namespace", configMap),
  ];
}
