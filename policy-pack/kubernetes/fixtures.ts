/** Happy-path Kubernetes resources: each a correct production resource that passes every policy. */
import { k8s, type Props, PROTECT, withOptions } from "../test/builders";

export const happyKubernetes = {
  deployment: () => k8s("kubernetes:apps/v1:Deployment", "api", workload({ replicas: 3 })),
  statefulSet: () =>
    k8s("kubernetes:apps/v1:StatefulSet", "queue", workload({ replicas: 3, serviceName: "queue" })),
  daemonSet: () => k8s("kubernetes:apps/v1:DaemonSet", "agent", workload({})),
  job: () => k8s("kubernetes:batch/v1:Job", "migrate", workload({ backoffLimit: 2 }, false)),
  cronJob: () =>
    k8s("kubernetes:batch/v1:CronJob", "report", {
      metadata: { name: "report", namespace: "payments" },
      spec: { schedule: "0 3 * * *", jobTemplate: { spec: workload({}, false).spec } },
    }),
  pod: () =>
    k8s("kubernetes:core/v1:Pod", "debug", {
      metadata: { name: "debug", namespace: "payments", labels: { app: "debug" } },
      spec: podSpec(true),
    }),
  clusterRoleBinding: () =>
    k8s("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", "viewers", {
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
      subjects: [
        { kind: "Group", name: "platform-viewers", apiGroup: "rbac.authorization.k8s.io" },
      ],
    }),
  k8sRole: () =>
    k8s("kubernetes:rbac.authorization.k8s.io/v1:Role", "api-config-reader", {
      metadata: { name: "api-config-reader", namespace: "payments" },
      rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] }],
    }),
  k8sRoleBinding: () =>
    k8s("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "api-config-reader", {
      metadata: { name: "api-config-reader", namespace: "payments" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "api-config-reader" },
      subjects: [{ kind: "ServiceAccount", name: "api", namespace: "payments" }],
    }),
  k8sClusterRole: () =>
    k8s("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", "scratch-cleaner", {
      metadata: { name: "scratch-cleaner" },
      rules: [
        {
          apiGroups: [""],
          resources: ["namespaces"],
          resourceNames: ["scratch"],
          verbs: ["get", "delete"],
        },
      ],
    }),
  k8sServiceAccount: () =>
    k8s("kubernetes:core/v1:ServiceAccount", "api", {
      metadata: { name: "api", namespace: "payments" },
      automountServiceAccountToken: false,
    }),
  ingress: () =>
    k8s("kubernetes:networking.k8s.io/v1:Ingress", "api", {
      metadata: { name: "api", namespace: "payments" },
      spec: {
        ingressClassName: "alb",
        rules: [
          {
            host: "api.example.com",
            http: {
              paths: [
                {
                  path: "/",
                  pathType: "Prefix",
                  backend: { service: { name: "api", port: { name: "http" } } },
                },
              ],
            },
          },
        ],
      },
    }),
  helmRelease: () =>
    k8s("kubernetes:helm.sh/v3:Release", "monitoring", {
      name: "kube-prometheus-stack",
      chart: "kube-prometheus-stack",
      version: "88.5.3",
      repositoryOpts: { repo: "https://prometheus-community.github.io/helm-charts" },
      namespace: "monitoring",
      values: {
        prometheusOperator: {
          image: {
            registry: "111122223333.dkr.ecr.us-west-2.amazonaws.com/quay",
            repository: "prometheus-operator/prometheus-operator",
            tag: "v0.93.1",
          },
        },
        prometheus: { prometheusSpec: { image: { tag: "v3.14.0-distroless" } } },
      },
    }),
  persistentVolumeClaim: () =>
    withOptions(
      k8s("kubernetes:core/v1:PersistentVolumeClaim", "queue-data", {
        metadata: { name: "queue-data", namespace: "payments" },
        spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "20Gi" } } },
      }),
      PROTECT,
    ),
};

/** A restricted pod spec: non-root, read-only, no capabilities, seccomp, sized, probed. */
function podSpec(longRunning: boolean): Props {
  return {
    serviceAccountName: "api",
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 10001,
      seccompProfile: { type: "RuntimeDefault" },
    },
    ...(longRunning ? {} : { restartPolicy: "OnFailure" }),
    containers: [
      {
        name: "app",
        image: "111122223333.dkr.ecr.us-west-2.amazonaws.com/platform/payments:1.4.2",
        ports: [{ containerPort: 8080 }],
        securityContext: {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ["ALL"] },
        },
        resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { memory: "256Mi" } },
        ...(longRunning
          ? {
              livenessProbe: { httpGet: { path: "/healthz", port: 8080 } },
              readinessProbe: { httpGet: { path: "/ready", port: 8080 } },
            }
          : {}),
      },
    ],
  };
}

function workload(extraSpec: Props, longRunning = true): Props {
  return {
    metadata: { name: "api", namespace: "payments" },
    spec: {
      ...extraSpec,
      // Jobs get their selector from the API server.
      ...(longRunning ? { selector: { matchLabels: { app: "api" } } } : {}),
      template: { metadata: { labels: { app: "api" } }, spec: podSpec(longRunning) },
    },
  };
}
