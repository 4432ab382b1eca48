/**
 * `Workload`: how an application team deploys a service on the platform. One call gives a
 * Deployment (an Argo Rollout, or a StatefulSet when each replica needs its own volume) with the
 * restricted security context, requests and limits, probes, zone spread, a PodDisruptionBudget, an
 * HPA with spike-absorbing behaviour (or a KEDA ScaledObject for event-driven scaling), a VPA, a
 * ServiceAccount with optional IRSA, optional GPUs and persistent volumes, a NetworkPolicy admitting
 * only the named sources on the service port, and an optional Ingress on the platform's ALB (TLS,
 * WAF and security headers come from its class).
 */
import { PRIORITY_CLASSES } from "@platform/cluster";
import { DR_EXEMPT_LABEL } from "@platform/model";
import { serviceAccountRole } from "@platform/core";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ScalingBehavior, ScalingRules, WorkloadArgs, WorkloadVolume } from "./args";
import { KEDA_OPERATOR } from "./autoscaling";
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

/**
 * Default HPA behaviour, for a 10x spike. Up: no stabilization, and every 15 s the larger of +100%
 * and +4 pods (3 -> 6 -> 12 -> 24 -> 30 replicas in about a minute); down: the highest
 * recommendation of the last 5 minutes, then at most 10% of the replicas a minute, so a dip between
 * two bursts does not remove the capacity the next one needs. Semantics: Kubernetes docs,
 * "Horizontal Pod Autoscaling", Configurable scaling behavior (stabilization window, policies,
 * selectPolicy; the up rule equals Kubernetes' own default), read 2026-12.
 * https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#configurable-scaling-behavior
 */
export const SPIKE_BEHAVIOR = {
  scaleUp: {
    stabilizationWindowSeconds: 0,
    selectPolicy: "Max",
    policies: [
      { type: "Percent", value: 100, periodSeconds: 15 },
      { type: "Pods", value: 4, periodSeconds: 15 },
    ],
  },
  scaleDown: {
    stabilizationWindowSeconds: 300,
    selectPolicy: "Max",
    policies: [{ type: "Percent", value: 10, periodSeconds: 60 }],
  },
} as const satisfies Required<ScalingBehavior>;

/** The HPA `behavior`: each direction's given fields over the spike defaults. */
export function scalingBehavior(behavior: ScalingBehavior = {}) {
  const merge = (defaults: ScalingRules, given: ScalingRules = {}) => ({
    stabilizationWindowSeconds:
      given.stabilizationWindowSeconds ?? defaults.stabilizationWindowSeconds,
    selectPolicy: given.selectPolicy ?? defaults.selectPolicy,
    policies: (given.policies ?? defaults.policies ?? []).map((p) => ({ ...p })),
  });
  return {
    scaleUp: merge(SPIKE_BEHAVIOR.scaleUp, behavior.scaleUp),
    scaleDown: merge(SPIKE_BEHAVIOR.scaleDown, behavior.scaleDown),
  };
}

/** Volumes every replica owns alone (StatefulSet claims) and volumes all replicas share. */
function splitVolumes(args: WorkloadArgs) {
  const volumes = args.volumes ?? [];
  return {
    perReplica: volumes.filter((v) => v.storageClass.accessMode === "ReadWriteOnce"),
    shared: volumes.filter((v) => v.storageClass.accessMode === "ReadWriteMany"),
  };
}

type WorkloadKind = "Deployment" | "Rollout" | "StatefulSet";

export function workloadKind(args: WorkloadArgs): WorkloadKind {
  if (splitVolumes(args).perReplica.length > 0) return "StatefulSet";
  return (args.delivery ?? "deployment") === "deployment" ? "Deployment" : "Rollout";
}

function scaleTargetRef(name: string, kind: WorkloadKind) {
  return kind === "Rollout"
    ? { apiVersion: "argoproj.io/v1alpha1", kind, name }
    : { apiVersion: "apps/v1", kind, name };
}

function sharedClaimName(name: string, volume: WorkloadVolume): string {
  return `${name}-${volume.name}`;
}

/** The pod template every delivery strategy shares. */
function podTemplate(name: string, args: WorkloadArgs) {
  const labels = { "app.kubernetes.io/name": name };
  const uid = args.runAsUser ?? 10001;
  const httpGet = (path: string) => ({ httpGet: { path, port: "http" } });
  const gpu = args.gpu;
  // Extended resources are requested through limits (the request defaults to the limit).
  const gpuLimit = gpu ? { [gpu.pool!.resourceName]: String(gpu.count) } : {};
  const { perReplica, shared } = splitVolumes(args);
  const mounts = [...perReplica, ...shared].map((v) => ({ name: v.name, mountPath: v.mountPath }));
  return {
    metadata: { labels },
    spec: {
      serviceAccountName: name,
      automountServiceAccountToken: args.kubernetesApiAccess ?? false,
      priorityClassName: PRIORITY_CLASSES.application.name,
      nodeSelector: {
        "platform/node-pool": gpu ? gpu.pool!.nodePoolName : "workloads",
        ...(args.onDemandOnly ? { "karpenter.sh/capacity-type": "on-demand" } : {}),
      },
      // GPU nodes are tainted: only pods that request GPUs tolerate them.
      ...(gpu ? { tolerations: [{ ...gpu.pool!.taint, operator: "Exists" }] } : {}),
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
            limits: { ...args.resources.limits, ...gpuLimit },
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
          volumeMounts: [{ name: "tmp", mountPath: "/tmp" }, ...mounts],
        },
      ],
      // The root filesystem is read-only; scratch space is a bounded emptyDir. Per-replica
      // volumes come from the StatefulSet's claim templates, shared ones from one claim.
      volumes: [
        { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
        ...shared.map((v) => ({
          name: v.name,
          persistentVolumeClaim: { claimName: sharedClaimName(name, v) },
        })),
      ],
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
  const utilization = (resource: string, percent: number) => ({
    type: "Resource",
    resource: { name: resource, target: { type: "Utilization", averageUtilization: percent } },
  });
  return {
    scaleTargetRef: scaleTargetRef(name, workloadKind(args)),
    minReplicas: replicas.min,
    maxReplicas: replicas.max,
    metrics: [
      utilization("cpu", args.autoscaling?.cpuPercent ?? 60),
      utilization("memory", args.autoscaling?.memoryPercent ?? 70),
    ],
    behavior: scalingBehavior(args.autoscaling?.behavior),
  };
}

/** KEDA's ScaledObject (keda.sh/v1alpha1): KEDA creates and owns the HPA, with our behaviour. */
export function scaledObjectSpec(
  name: string,
  args: WorkloadArgs,
  authenticationName: string | undefined,
) {
  const replicas = args.replicas ?? { min: 3, max: 10 };
  const events = args.autoscaling!.events!;
  return {
    scaleTargetRef: scaleTargetRef(name, workloadKind(args)),
    minReplicaCount: replicas.min,
    maxReplicaCount: replicas.max,
    pollingInterval: events.pollingIntervalSeconds ?? 30,
    advanced: {
      horizontalPodAutoscalerConfig: {
        name,
        behavior: scalingBehavior(args.autoscaling?.behavior),
      },
    },
    triggers: events.triggers.map((trigger) => ({
      type: trigger.type,
      metadata: { ...trigger.metadata },
      ...(trigger.type.startsWith("aws-") && authenticationName
        ? { authenticationRef: { name: authenticationName } }
        : {}),
    })),
  };
}

function volumeClaimSpec(volume: WorkloadVolume) {
  return {
    accessModes: [volume.storageClass.accessMode],
    storageClassName: volume.storageClass.name,
    resources: { requests: { storage: `${volume.sizeGiB}Gi` } },
  };
}

export class Workload extends pulumi.ComponentResource {
  public readonly serviceName: pulumi.Output<string>;
  public readonly serviceAccountName: pulumi.Output<string>;
  public readonly roleArn?: pulumi.Output<string>;
  /**
   * The Deployment; the Rollout when `delivery` is canary or blue-green; the StatefulSet when
   * each replica has its own volume.
   */
  public readonly workload:
    k8s.apps.v1.Deployment | k8s.apps.v1.StatefulSet | k8s.apiextensions.CustomResource;

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
    const kind = workloadKind(args);
    const { perReplica, shared } = splitVolumes(args);
    const claims = shared.map(
      (volume) =>
        new k8s.core.v1.PersistentVolumeClaim(
          `${name}-${volume.name}-claim`,
          {
            metadata: {
              ...metadata(),
              name: sharedClaimName(name, volume),
              labels: {
                ...labels,
                ...(volume.storageClass.recoveredOutsideCluster
                  ? { [DR_EXEMPT_LABEL]: volume.storageClass.recoveredOutsideCluster }
                  : {}),
              },
            },
            spec: volumeClaimSpec(volume),
          },
          // Shared data: never deleted by an update or a destroy of the workload.
          { ...childOpts, protect: true, retainOnDelete: true },
        ),
    );
    const workloadOpts = { ...childOpts, dependsOn: [serviceAccount, ...claims] };
    // No replica count: the HPA owns it (a declared count would fight the HPA on every update).
    if (kind === "StatefulSet") {
      // Stable network identities need a headless Service: <pod>.<name>-headless.<namespace>.svc.
      const headless = new k8s.core.v1.Service(
        `${name}-headless-service`,
        {
          metadata: metadata("-headless"),
          spec: {
            clusterIP: "None",
            selector: labels,
            ports: [{ name: "http", port: args.port, targetPort: "http", protocol: "TCP" }],
          },
        },
        childOpts,
      );
      this.workload = new k8s.apps.v1.StatefulSet(
        `${name}-statefulset`,
        {
          metadata: metadata(),
          spec: {
            selector,
            serviceName: `${name}-headless`,
            // Replicas are peers: scale-ups start every new pod at once, not one by one.
            podManagementPolicy: "Parallel",
            revisionHistoryLimit: 5,
            updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
            // Volumes outlive their pods and the StatefulSet: data is deleted deliberately only.
            persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
            template,
            volumeClaimTemplates: perReplica.map((volume) => ({
              metadata: { name: volume.name, labels },
              spec: volumeClaimSpec(volume),
            })),
          },
        },
        { ...workloadOpts, dependsOn: [serviceAccount, headless, ...claims] },
      );
    } else if (kind === "Deployment") {
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
        workloadOpts,
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
        workloadOpts,
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
    const events = args.autoscaling?.events;
    if (events) {
      let authentication: k8s.apiextensions.CustomResource | undefined;
      if (events.aws) {
        // KEDA's operator assumes this role with its own web identity token (provider `aws`;
        // `aws-eks` is deprecated in KEDA 2.20), so the role trusts the operator's account.
        const scalerRole = serviceAccountRole(
          `${name}-scaler-role`,
          {
            oidcProviderArn: events.aws.oidcProviderArn,
            oidcIssuerUrl: events.aws.oidcProviderUrl,
            ...KEDA_OPERATOR,
            policy: events.aws.policy,
          },
          childOpts,
        );
        authentication = new k8s.apiextensions.CustomResource(
          `${name}-trigger-auth`,
          {
            apiVersion: "keda.sh/v1alpha1",
            kind: "TriggerAuthentication",
            metadata: metadata("-aws"),
            spec: { podIdentity: { provider: "aws", roleArn: scalerRole.arn } },
          },
          childOpts,
        );
      }
      new k8s.apiextensions.CustomResource(
        `${name}-scaled-object`,
        {
          apiVersion: "keda.sh/v1alpha1",
          kind: "ScaledObject",
          metadata: metadata(),
          spec: scaledObjectSpec(name, args, authentication ? `${name}-aws` : undefined),
        },
        {
          ...childOpts,
          dependsOn: [this.workload, ...(authentication ? [authentication] : [])],
        },
      );
    } else {
      new k8s.autoscaling.v2.HorizontalPodAutoscaler(
        `${name}-hpa`,
        { metadata: metadata(), spec: hpaSpec(name, args) },
        { ...childOpts, dependsOn: [this.workload] },
      );
    }
    const vpaMode = args.verticalPodAutoscaler ?? "Off";
    if (vpaMode !== false) {
      new k8s.apiextensions.CustomResource(
        `${name}-vpa`,
        {
          apiVersion: "autoscaling.k8s.io/v1",
          kind: "VerticalPodAutoscaler",
          metadata: metadata(),
          spec: {
            targetRef: scaleTargetRef(name, kind),
            updatePolicy: { updateMode: vpaMode },
          },
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
