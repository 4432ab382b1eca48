/** Violating and passing cases of the Kubernetes policies. */
import { type Case, passes, stackCase, violates } from "../test/case";
import { change } from "../test/builders";
import { happy } from "../test/fixtures";

const container = "spec.template.spec.containers.0";
const podSec = "spec.template.spec.securityContext";

export const cases: Case[] = [
  passes("k8s-pod-security-restricted", "restricted Deployment", happy.deployment()),
  violates(
    "k8s-pod-security-restricted",
    "privileged DaemonSet",
    change(happy.daemonSet(), `${container}.securityContext.privileged`, true),
  ),
  passes("k8s-pod-security-restricted", "restricted StatefulSet", happy.statefulSet()),
  violates(
    "k8s-pod-security-restricted",
    "escalation not forbidden",
    change(happy.deployment(), `${container}.securityContext.allowPrivilegeEscalation`, undefined),
  ),
  passes("k8s-pod-security-restricted", "non-root Job", happy.job()),
  violates(
    "k8s-pod-security-restricted",
    "container runs as UID 0",
    change(happy.deployment(), `${container}.securityContext.runAsUser`, 0),
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
  violates(
    "k8s-read-only-root-filesystem",
    "writable root in a Pod",
    change(happy.pod(), "spec.containers.0.securityContext.readOnlyRootFilesystem", false),
  ),
  passes("k8s-pod-security-restricted", "drops ALL", happy.deployment()),
  passes(
    "k8s-pod-security-restricted",
    "adds back NET_BIND_SERVICE",
    change(happy.deployment(), `${container}.securityContext.capabilities.add`, [
      "NET_BIND_SERVICE",
    ]),
  ),
  violates(
    "k8s-pod-security-restricted",
    "drops nothing",
    change(happy.deployment(), `${container}.securityContext.capabilities`, undefined),
  ),
  violates(
    "k8s-pod-security-restricted",
    "adds SYS_ADMIN",
    change(happy.deployment(), `${container}.securityContext.capabilities.add`, ["SYS_ADMIN"]),
  ),
  passes("k8s-resource-requests-limits", "sized", happy.deployment()),
  violates(
    "k8s-resource-requests-limits",
    "no memory limit",
    change(happy.deployment(), `${container}.resources.limits`, undefined),
  ),
  violates("k8s-resource-requests-limits", "no CPU limit when required", happy.deployment(), {
    "k8s-resource-requests-limits": { requireCpuLimit: true },
  }),
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
  violates(
    "k8s-pinned-images",
    "latest",
    change(happy.deployment(), `${container}.image`, "ghcr.io/acme/api:latest"),
  ),
  violates(
    "k8s-pinned-images",
    "untagged image behind a registry port",
    change(happy.deployment(), `${container}.image`, "registry.internal:5000/api"),
  ),
  passes("k8s-pod-security-restricted", "isolated", happy.daemonSet()),
  violates(
    "k8s-pod-security-restricted",
    "host network",
    change(happy.daemonSet(), "spec.template.spec.hostNetwork", true),
  ),
  violates(
    "k8s-pod-security-restricted",
    "host port",
    change(happy.deployment(), `${container}.ports.0.hostPort`, 8080),
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
  violates(
    "k8s-pod-security-restricted",
    "container runtime socket",
    change(happy.daemonSet(), "spec.template.spec.volumes", [
      { name: "sock", hostPath: { path: "/run/containerd/containerd.sock" } },
    ]),
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
  violates(
    "k8s-not-default-namespace",
    "default namespace",
    change(happy.job(), "metadata.namespace", "default"),
  ),
  passes("k8s-liveness-readiness-probes", "probed", happy.deployment()),
  passes("k8s-liveness-readiness-probes", "Jobs need no probes", happy.job()),
  violates(
    "k8s-liveness-readiness-probes",
    "no readiness probe",
    change(happy.statefulSet(), `${container}.readinessProbe`, undefined),
  ),
  passes("k8s-pod-security-restricted", "RuntimeDefault", happy.deployment()),
  violates(
    "k8s-pod-security-restricted",
    "no seccomp profile",
    change(happy.deployment(), `${podSec}.seccompProfile`, undefined),
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
  violates(
    "k8s-no-default-service-account-token",
    "default account with a token",
    change(happy.deployment(), "spec.template.spec.serviceAccountName", undefined),
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
  violates(
    "k8s-no-cluster-admin-for-broad-groups",
    "cluster-admin for system:authenticated",
    change(
      change(happy.clusterRoleBinding(), "roleRef.name", "cluster-admin"),
      "subjects.0.name",
      "system:authenticated",
    ),
  ),
  passes("k8s-no-namespace-admin-for-broad-groups", "edit for a named group", {
    ...change(happy.clusterRoleBinding(), "roleRef.name", "edit"),
    type: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
  }),
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
  stackCase("namespace-default-deny-network-policy", "only an allow policy", "violates", (s) => {
    s.defaultDeny = change(s.defaultDeny, "spec.ingress", [{ from: [{ podSelector: {} }] }]);
  }),
  stackCase(
    "namespace-default-deny-network-policy",
    "egress required but only ingress denied",
    "violates",
    (s) => {
      s.defaultDeny = change(s.defaultDeny, "spec.policyTypes", ["Ingress"]);
    },
    { "namespace-default-deny-network-policy": { requireEgress: true } },
  ),
];
