/**
 * `Workload`: how an application team deploys a service on the platform. One call gives a
 * Deployment (or an Argo Rollout) with the restricted security context, requests and limits,
 * probes, zone spread, a PodDisruptionBudget, an HPA, a VPA in recommendation mode, a ServiceAccount
 * with optional IRSA, a NetworkPolicy admitting only the named sources on the service port, and an
 * optional Ingress on the platform's ALB (TLS, WAF and security headers come from its class).
 */
import { PRIORITY_CLASSES } from "@platform/cluster";
import { Problems, serviceAccountRole } from "@platform/core";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { INGRESS_CLASS } from "./ingress";
import {
  networkPolicySpec,
  RESTRICTED_CONTAINER_SECURITY,
  TrafficRule,
  zoneSpread,
} from "./placement";
import { blueGreenStrategy, canaryStrategy } from "./rollouts";

export type DeliveryStrategy = "deployment" | "canary" | "blue-green";

export interface ResourceQuantities {
  readonly cpu: string;
  readonly memory: string;
}

export interface WorkloadArgs {
  readonly namespace: string;
  /**
   * Container image pinned to a tag other than `latest` or to a digest
   * (`registry/repo:1.4.2` or `registry/repo@sha256:<64 hex>`).
   */
  readonly image: string;
  /** Container and Service port, 1024 to 65535 (the container runs as non-root). */
  readonly port: number;
  /** Requests and limits of the container; requests must not exceed limits. */
  readonly resources: {
    readonly requests: ResourceQuantities;
    readonly limits: ResourceQuantities;
  };
  /**
   * Replica range the HPA keeps the workload in; at least 2 so the PDB lets nodes drain.
   * @default { min: 3, max: 10 } - one replica per zone at least
   */
  readonly replicas?: { readonly min: number; readonly max: number };
  /**
   * HPA targets, in percent of the requests.
   * @default { cpuPercent: 60, memoryPercent: 70 }
   */
  readonly autoscaling?: { readonly cpuPercent?: number; readonly memoryPercent?: number };
  /**
   * HTTP paths of the probes on `port`.
   * @default { livenessPath: "/healthz", readinessPath: "/ready" }
   */
  readonly probes?: { readonly livenessPath?: string; readonly readinessPath?: string };
  /** Plain environment variables; secrets belong in a Secret or in AWS Secrets Manager via IRSA. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Who may connect to `port`: pods of these namespaces and these address blocks. Prometheus in
   * `monitoring` is always admitted, for metrics and the canary analysis.
   * @default {} - nobody else (an `ingress` adds the ALB's subnets)
   */
  readonly allowFrom?: {
    readonly namespaces?: readonly string[];
    readonly cidrs?: readonly string[];
  };
  /**
   * Egress beyond DNS, which the namespace already allows.
   * @default [] - none
   */
  readonly egress?: readonly TrafficRule[];
  /** An IAM role for the service account (IRSA) with this inline policy. */
  readonly iam?: {
    readonly oidcProviderArn: pulumi.Input<string>;
    readonly oidcProviderUrl: pulumi.Input<string>;
    readonly policy: pulumi.Input<string>;
  };
  /**
   * `deployment`, or an Argo Rollout: `canary` (10/25/50/100% with the SLO gate between steps) or
   * `blue-green` (SLO gate on the preview before promotion).
   * @default "deployment"
   */
  readonly delivery?: DeliveryStrategy;
  /** Public HTTPS on the platform's shared ALB, at `host`. */
  readonly ingress?: {
    readonly host: string;
    /** @default "/" */
    readonly path?: string;
    /** Subnets the ALB's nodes sit in (target type `ip`: the ALB connects to the pods directly). */
    readonly albSourceCidrs: readonly string[];
  };
  /**
   * UID and GID the container runs as.
   * @default 10001
   */
  readonly runAsUser?: number;
  /**
   * Mount a Kubernetes API token into the pods. Only for workloads that call the API.
   * @default false
   */
  readonly kubernetesApiAccess?: boolean;
  /**
   * Run only on on-demand capacity (Karpenter's `on-demand` NodePool), for workloads that cannot
   * take a two-minute spot interruption notice.
   * @default false - spot first, on-demand when spot is short
   */
  readonly onDemandOnly?: boolean;
  /**
   * Publish VPA recommendations (updateMode "Off": nothing is changed automatically).
   * @default true
   */
  readonly verticalPodAutoscaler?: boolean;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const HOST = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/(\d|[12]\d|3[0-2])$/;
const MONITORING_NAMESPACE = "monitoring";

/** True when the image names a digest, or a tag other than `latest`. */
export function isPinnedImage(image: string): boolean {
  const at = image.indexOf("@");
  if (at >= 0) return /^sha256:[a-f0-9]{64}$/.test(image.slice(at + 1)) && at > 0;
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const colon = lastSegment.lastIndexOf(":");
  if (colon <= 0) return false;
  const tag = lastSegment.slice(colon + 1);
  return /^[\w][\w.-]{0,127}$/.test(tag) && tag !== "latest";
}

/** CPU quantity in millicores, or undefined when it is not one (`250m`, `1`, `1.5`). */
export function cpuMillis(quantity: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(m?)$/.exec(quantity);
  if (!match) return undefined;
  return match[2] === "m" ? Number(match[1]) : Number(match[1]) * 1000;
}

const MEMORY_UNITS: Record<string, number> = {
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** Memory quantity in bytes, or undefined when it is not one (`128Mi`, `1Gi`, `500M`). */
export function memoryBytes(quantity: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(quantity);
  if (!match) return undefined;
  return Number(match[1]) * MEMORY_UNITS[match[2] ?? ""];
}

export function validateWorkloadArgs(name: string, args: WorkloadArgs): void {
  const problems = new Problems();
  problems.check(
    DNS_LABEL.test(name) && name.length <= 50,
    "name",
    name,
    "be a DNS-1123 label of at most 50 characters (room for pod name suffixes)",
  );
  problems.check(
    DNS_LABEL.test(args.namespace) &&
      args.namespace !== "default" &&
      !args.namespace.startsWith("kube-"),
    "args.namespace",
    args.namespace,
    "be an application namespace (a DNS-1123 label, not default or kube-*)",
  );
  problems.check(
    isPinnedImage(args.image),
    "args.image",
    args.image,
    'be pinned to a tag other than "latest" or to a digest (repo:1.4.2 or repo@sha256:<64 hex>)',
  );
  problems.integerInRange("args.port", args.port, 1024, 65535);

  for (const kind of ["requests", "limits"] as const) {
    const q = args.resources[kind];
    problems.check(
      cpuMillis(q.cpu) !== undefined && cpuMillis(q.cpu)! > 0,
      `args.resources.${kind}.cpu`,
      q.cpu,
      'be a positive CPU quantity such as "250m" or "1"',
    );
    problems.check(
      memoryBytes(q.memory) !== undefined && memoryBytes(q.memory)! > 0,
      `args.resources.${kind}.memory`,
      q.memory,
      'be a positive memory quantity such as "256Mi" or "1Gi"',
    );
  }
  const { requests, limits } = args.resources;
  const [reqCpu, limCpu] = [cpuMillis(requests.cpu), cpuMillis(limits.cpu)];
  if (reqCpu !== undefined && limCpu !== undefined) {
    problems.check(
      reqCpu <= limCpu,
      "args.resources.requests.cpu",
      requests.cpu,
      `not exceed the CPU limit (${limits.cpu})`,
    );
  }
  const [reqMem, limMem] = [memoryBytes(requests.memory), memoryBytes(limits.memory)];
  if (reqMem !== undefined && limMem !== undefined) {
    problems.check(
      reqMem <= limMem,
      "args.resources.requests.memory",
      requests.memory,
      `not exceed the memory limit (${limits.memory})`,
    );
  }

  const replicas = args.replicas ?? { min: 3, max: 10 };
  const minOk = problems.integerInRange("args.replicas.min", replicas.min, 2, 1000);
  const maxOk = problems.integerInRange("args.replicas.max", replicas.max, 2, 1000);
  if (minOk && maxOk) {
    problems.check(
      replicas.min <= replicas.max,
      "args.replicas.min",
      replicas.min,
      `not exceed args.replicas.max (${replicas.max})`,
    );
  }
  problems.integerInRange(
    "args.autoscaling.cpuPercent",
    args.autoscaling?.cpuPercent ?? 60,
    1,
    100,
  );
  problems.integerInRange(
    "args.autoscaling.memoryPercent",
    args.autoscaling?.memoryPercent ?? 70,
    1,
    100,
  );
  for (const probe of ["livenessPath", "readinessPath"] as const) {
    const path = args.probes?.[probe];
    if (path !== undefined) {
      problems.check(path.startsWith("/"), `args.probes.${probe}`, path, 'start with "/"');
    }
  }
  for (const key of Object.keys(args.env ?? {})) {
    problems.check(
      ENV_NAME.test(key),
      "args.env",
      key,
      "use variable names of letters, digits and _",
    );
  }
  for (const ns of args.allowFrom?.namespaces ?? []) {
    problems.check(DNS_LABEL.test(ns), "args.allowFrom.namespaces", ns, "contain namespace names");
  }
  const cidrLists = [
    ["args.allowFrom.cidrs", args.allowFrom?.cidrs ?? []],
    ["args.ingress.albSourceCidrs", args.ingress?.albSourceCidrs ?? []],
  ] as const;
  for (const [path, cidrs] of cidrLists) {
    for (const cidr of cidrs) {
      problems.check(
        CIDR.test(cidr) && !cidr.endsWith("/0"),
        path,
        cidr,
        "contain IPv4 CIDRs narrower than 0.0.0.0/0 (no workload is open to everything)",
      );
    }
  }
  problems.oneOf("args.delivery", args.delivery ?? "deployment", [
    "deployment",
    "canary",
    "blue-green",
  ]);
  if (args.ingress) {
    problems.check(
      HOST.test(args.ingress.host),
      "args.ingress.host",
      args.ingress.host,
      "be a DNS name",
    );
    problems.check(
      args.ingress.albSourceCidrs.length > 0,
      "args.ingress.albSourceCidrs",
      args.ingress.albSourceCidrs,
      "list the subnets the ALB connects from",
    );
    problems.check(
      (args.ingress.path ?? "/").startsWith("/"),
      "args.ingress.path",
      args.ingress.path,
      'start with "/"',
    );
  }
  problems.integerInRange("args.runAsUser", args.runAsUser ?? 10001, 1000, 2_147_483_647);
  problems.throwIfAny(`Workload ${name}`);
}

/** The pod template every delivery strategy shares. */
export function podTemplate(name: string, args: WorkloadArgs) {
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
export function workloadNetworkPolicySpec(name: string, args: WorkloadArgs) {
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

export function hpaSpec(name: string, args: WorkloadArgs) {
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
