/** Violating and passing cases of the Kubernetes policies. */
import { type Case, exercising, passes, stackCase, violates } from "../test/case";
import { change } from "../test/builders";
import { happy } from "../test/fixtures";

const container = "spec.template.spec.containers.0";
const podSec = "spec.template.spec.securityContext";

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
    ["CKV_K8S_37", "CKV_K8S_28", "KSV-0003", "CIS EKS 4.2.7", "CIS EKS 4.2.9"],
    violates(
      "k8s-pod-security-restricted",
      "drops nothing",
      change(happy.deployment(), `${container}.securityContext.capabilities`, undefined),
    ),
  ),
  exercising(
    ["CKV_K8S_39", "KSV-0022", "CIS EKS 4.2.8"],
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
  violates(
    "k8s-pod-security-restricted",
    "Unconfined container",
    change(happy.deployment(), `${container}.securityContext.seccompProfile`, {
      type: "Unconfined",
    }),
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
  exercising(
    ["CKV_K8S_8"],
    violates(
      "k8s-liveness-readiness-probes",
      "no liveness probe",
      change(happy.statefulSet(), `${container}.livenessProbe`, undefined),
    ),
  ),
];
