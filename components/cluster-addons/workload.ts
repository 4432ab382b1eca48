/**
 * `Workload`: how an application team deploys a service on the platform. One call gives a
 * Deployment (or an Argo Rollout) with the restricted security context, requests and limits,
 * probes, zone spread, a PodDisruptionBudget, an HPA, a VPA in recommendation mode, a ServiceAccount
 * with optional IRSA, a NetworkPolicy admitting only the named sources on the service port, and an
 * optional Ingress on the platform's ALB (TLS, WAF and security headers come from its class).
 */
import { PRIORITY_CLASSES } from "@platform/cluster";
import { serviceAccountRole } from "@platform/core";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { WorkloadArgs } from "./args";
import { INGRESS_CLASS } from "./ingress";
import {
  networkPolicySpec,
  RESTRICTED_CONTAINER_SECURITY,
  TrafficRule,
  zoneSpread,
} from "./placement";
import { blueGreenStrategy, canaryStrategy } from "./rollouts";
import { validateWorkloadArgs } from "./validation";

const MONITORING_NAMESPACE = "monitoring";

/** The pod template every delivery strategy shares. */
function podTemplate(name: string, args: WorkloadArgs) {
  const labels = { "app.kubernetes.io/name": name };
  const uid = args.runAsUser ?? 10001;
  const httpGet = (path: string) => ({ httpGet: { path, port: "http" } });
  return {
    metadata: { labels },
    spec: {
      serviceAccountName: name,
      automountServiceAccountToken: args.kubernetesApiAccess ?? false,
      priorityClassName: PRIORITY_CLASSES.application.name,
      nodeSelector: {
        "platform/node-pool": "workloads",
        ...(args.onDemandOnly ? { "karpenter.sh/capacity-type": "on-demand" } : {}),
      },
      topologySpreadConstraints: zoneSpread(labels),
      securityContext: {
        runAsNonRoot: true,
        runAsUser: uid,
        runAsGroup: uid,
        fsGroup: uid,
        seccompProfile: { type: "RuntimeDefault" },
      },
      terminationGracePeriodSeconds: 30,
      containers: [
        {
          name,
          image: args.image,
          imagePullPolicy: "IfNotPresent",
          ports: [{ name: "http", containerPort: args.port, protocol: "TCP" }],
          env: Object.entries(args.env ?? {}).map(([envName, value]) => ({ name: envName, value })),
          resources: {
            requests: { ...args.resources.requests },
            limits: { ...args.resources.limits },
          },
          securityContext: { ...RESTRICTED_CONTAINER_SECURITY },
          startupProbe: {
            ...httpGet(args.probes?.livenessPath ?? "/healthz"),
            periodSeconds: 5,
            failureThreshold: 30,
          },
          livenessProbe: {
            ...httpGet(args.probes?.livenessPath ?? "/healthz"),
            periodSeconds: 10,
            timeoutSeconds: 2,
            failureThreshold: 3,
          },
          readinessProbe: {
            ...httpGet(args.probes?.readinessPath ?? "/ready"),
            periodSeconds: 5,
            timeoutSeconds: 2,
            failureThreshold: 3,
          },
          // The load balancer stops sending before the process is asked to stop.
          lifecycle: { preStop: { sleep: { seconds: 10 } } },
          volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
        },
      ],
      // The root filesystem is read-only; scratch space is a bounded emptyDir.
      volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
    },
  };
}

/** Who may connect on the service port: named namespaces, the ALB's subnets, Prometheus. */
function workloadNetworkPolicySpec(name: string, args: WorkloadArgs) {
  const ingress: TrafficRule[] = [
    {
      ports: [args.port],
      namespaces: [MONITORING_NAMESPACE, ...(args.allowFrom?.namespaces ?? [])],
      cidrs: [...(args.allowFrom?.cidrs ?? []), ...(args.ingress?.albSourceCidrs ?? [])],
    },
  ];
  return networkPolicySpec({
    podSelector: { "app.kubernetes.io/name": name },
    ingress,
    egress: args.egress ?? [],
  });
}

function hpaSpec(name: string, args: WorkloadArgs) {
  const replicas = args.replicas ?? { min: 3, max: 10 };
  const isRollout = (args.delivery ?? "deployment") !== "deployment";
  const utilization = (resource: string, percent: number) => ({
    type: "Resource",
    resource: { name: resource, target: { type: "Utilization", averageUtilization: percent } },
  });
  return {
    scaleTargetRef: isRollout
      ? { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", name }
      : { apiVersion: "apps/v1", kind: "Deployment", name },
    minReplicas: replicas.min,
    maxReplicas: replicas.max,
    metrics: [
      utilization("cpu", args.autoscaling?.cpuPercent ?? 60),
      utilization("memory", args.autoscaling?.memoryPercent ?? 70),
    ],
    // Scale down slowly: five minutes of lower load before removing replicas.
    behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
  };
}

export class Workload extends pulumi.ComponentResource {
  public readonly serviceName: pulumi.Output<string>;
  public readonly serviceAccountName: pulumi.Output<string>;
  public readonly roleArn?: pulumi.Output<string>;
  /** The Deployment, or the Rollout when `delivery` is canary or blue-green. */
  public readonly workload: k8s.apps.v1.Deployment | k8s.apiextensions.CustomResource;

  constructor(name: string, args: WorkloadArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("platform:cluster-addons:Workload", name, {}, opts);
    validateWorkloadArgs(name, args);
    const childOpts = { parent: this };
    const namespace = args.namespace;
    const labels = { "app.kubernetes.io/name": name };
    const metadata = (suffix = "") => ({ name: `${name}${suffix}`, namespace, labels });
    const delivery = args.delivery ?? "deployment";

    let role: aws.iam.Role | undefined;
    if (args.iam) {
      role = serviceAccountRole(
        `${name}-role`,
        {
          oidcProviderArn: args.iam.oidcProviderArn,
          oidcIssuerUrl: args.iam.oidcProviderUrl,
          namespace,
          serviceAccount: name,
          policy: args.iam.policy,
        },
        childOpts,
      );
    }
    const serviceAccount = new k8s.core.v1.ServiceAccount(
      `${name}-service-account`,
      {
        metadata: {
          ...metadata(),
          ...(role ? { annotations: { "eks.amazonaws.com/role-arn": role.arn } } : {}),
        },
        automountServiceAccountToken: args.kubernetesApiAccess ?? false,
      },
      childOpts,
    );
    const service = (suffix: string) =>
      new k8s.core.v1.Service(
        `${name}${suffix}-service`,
        {
          metadata: metadata(suffix),
          spec: {
            type: "ClusterIP",
            selector: labels,
            ports: [{ name: "http", port: args.port, targetPort: "http", protocol: "TCP" }],
          },
        },
        childOpts,
      );
    const active = service("");
    const template = podTemplate(name, args);
    const selector = { matchLabels: labels };
    // No replica count: the HPA owns it (a declared count would fight the HPA on every update).
    if (delivery === "deployment") {
      this.workload = new k8s.apps.v1.Deployment(
        `${name}-deployment`,
        {
          metadata: metadata(),
          spec: {
            selector,
            revisionHistoryLimit: 5,
            strategy: {
              type: "RollingUpdate",
              rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" },
            },
            template,
          },
        },
        { ...childOpts, dependsOn: [serviceAccount] },
      );
    } else {
      if (delivery === "blue-green") service("-preview");
      const strategy =
        delivery === "canary" ? canaryStrategy(name) : blueGreenStrategy(name, `${name}-preview`);
      this.workload = new k8s.apiextensions.CustomResource(
        `${name}-rollout`,
        {
          apiVersion: "argoproj.io/v1alpha1",
          kind: "Rollout",
          metadata: metadata(),
          spec: { selector, revisionHistoryLimit: 5, template, strategy },
        },
        { ...childOpts, dependsOn: [serviceAccount] },
      );
    }
    new k8s.policy.v1.PodDisruptionBudget(
      `${name}-pdb`,
      {
        metadata: metadata(),
        spec: { selector, maxUnavailable: 1, unhealthyPodEvictionPolicy: "AlwaysAllow" },
      },
      childOpts,
    );
    new k8s.autoscaling.v2.HorizontalPodAutoscaler(
      `${name}-hpa`,
      { metadata: metadata(), spec: hpaSpec(name, args) },
      { ...childOpts, dependsOn: [this.workload] },
    );
    if (args.verticalPodAutoscaler ?? true) {
      const target = hpaSpec(name, args).scaleTargetRef;
      new k8s.apiextensions.CustomResource(
        `${name}-vpa`,
        {
          apiVersion: "autoscaling.k8s.io/v1",
          kind: "VerticalPodAutoscaler",
          metadata: metadata(),
          spec: { targetRef: target, updatePolicy: { updateMode: "Off" } },
        },
        { ...childOpts, dependsOn: [this.workload] },
      );
    }
    new k8s.networking.v1.NetworkPolicy(
      `${name}-network-policy`,
      { metadata: metadata(), spec: workloadNetworkPolicySpec(name, args) },
      childOpts,
    );
    if (args.ingress) {
      new k8s.networking.v1.Ingress(
        `${name}-ingress`,
        {
          metadata: {
            ...metadata(),
            annotations: {
              // The class's IngressClassParams attach TLS, WAF and headers; the listener is per Ingress.
              "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTPS: 443 }]),
              "alb.ingress.kubernetes.io/healthcheck-path": args.probes?.readinessPath ?? "/ready",
            },
          },
          spec: {
            ingressClassName: INGRESS_CLASS,
            rules: [
              {
                host: args.ingress.host,
                http: {
                  paths: [
                    {
                      path: args.ingress.path ?? "/",
                      pathType: "Prefix",
                      backend: { service: { name, port: { name: "http" } } },
                    },
                  ],
                },
              },
            ],
          },
        },
        { ...childOpts, dependsOn: [active] },
      );
    }
    this.serviceName = active.metadata.name;
    this.serviceAccountName = serviceAccount.metadata.name;
    this.roleArn = role?.arn;
    this.registerOutputs({
      serviceName: this.serviceName,
      serviceAccountName: this.serviceAccountName,
      roleArn: this.roleArn,
      workload: this.workload,
    });
  }
}
