/**
 * Helm values of the Kyverno chart 3.9.0, as a pure function. Every key is the chart's own
 * (charts/kyverno/values.yaml at kyverno/kyverno v1.19.0, ee97ce0). Every image comes from the
 * stack's ghcr.io pull-through cache with an explicit tag; every controller runs on the system
 * nodes at the platform-critical priority with the restricted security context.
 */
import { PRIORITY_CLASSES } from "@platform/cluster";
import * as pulumi from "@pulumi/pulumi";
import { IMAGES, ImagePin } from "@platform/core";
import { PROTECTED_NAMESPACES } from "./policies";

/** The release's name: the chart's fullname, its labels and its service names derive from it. */
export const KYVERNO_RELEASE = "kyverno";
/** Named explicitly so that the IRSA role trusts exactly this service account. */
export const ADMISSION_SERVICE_ACCOUNT = "kyverno-admission-controller";
/** The webhook server's container port (admissionController.webhookServer.port). */
export const WEBHOOK_PORT = 9443;
/** The cleanup controller's webhook port (cleanupController.server.port). */
export const CLEANUP_WEBHOOK_PORT = 9443;
/** The admission controller's Prometheus endpoint (admissionController.metering.port, its default). */
export const METRICS_PORT = 8000;
/**
 * The scrape job of the admission controller's metrics: its ServiceMonitor's target Service,
 * `<fullname>-svc-metrics` (templates/admission-controller/service.yaml; fullname is the release
 * name, which contains the chart name).
 */
export const ADMISSION_METRICS_JOB = `${KYVERNO_RELEASE}-svc-metrics`;

/** Same placement as every platform add-on (components/cluster-addons/placement.ts). */
const SYSTEM_NODE_SELECTOR = { "platform/node-pool": "system" };
const SYSTEM_TOLERATIONS = [
  { key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" },
];
const PLATFORM_CRITICAL = PRIORITY_CLASSES.platformCritical.name;

const RESTRICTED_POD = { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } };
/** The chart's own default container context, restated so a chart change cannot loosen it. */
const RESTRICTED_CONTAINER = {
  runAsUser: 65534,
  runAsGroup: 65534,
  runAsNonRoot: true,
  privileged: false,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

function resources(cpu: string, memory: string, cpuLimit: string, memoryLimit: string) {
  return { requests: { cpu, memory }, limits: { cpu: cpuLimit, memory: memoryLimit } };
}

/**
 * `image` values for the chart's `kyverno.image` helper: `<registry>/<repository>:<tag>`. The
 * registry is set on every image, since a component's own `registry` (ghcr.io for the hook and
 * test images) overrides `global.image.registry`.
 */
function image(host: string, pin: ImagePin) {
  return { registry: host, repository: `${pin.upstream}/${pin.repository}`, tag: pin.tag };
}

/** Hard spread over zones, soft over nodes, for one controller's pods. */
function zoneSpread(component: string) {
  const labelSelector = {
    matchLabels: {
      "app.kubernetes.io/instance": KYVERNO_RELEASE,
      "app.kubernetes.io/component": component,
    },
  };
  return [
    {
      maxSkew: 1,
      topologyKey: "topology.kubernetes.io/zone",
      whenUnsatisfiable: "DoNotSchedule",
      labelSelector,
    },
    {
      maxSkew: 1,
      topologyKey: "kubernetes.io/hostname",
      whenUnsatisfiable: "ScheduleAnyway",
      labelSelector,
    },
  ];
}

/** Placement, security and disruption budget of one controller Deployment. */
function controller(component: string, replicas: number) {
  return {
    replicas,
    priorityClassName: PLATFORM_CRITICAL,
    nodeSelector: SYSTEM_NODE_SELECTOR,
    tolerations: SYSTEM_TOLERATIONS,
    topologySpreadConstraints: zoneSpread(component),
    podSecurityContext: RESTRICTED_POD,
    podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
  };
}

const hookPod = {
  nodeSelector: SYSTEM_NODE_SELECTOR,
  tolerations: SYSTEM_TOLERATIONS,
  podSecurityContext: RESTRICTED_POD,
  securityContext: RESTRICTED_CONTAINER,
};

export interface KyvernoValuesArgs {
  /** `<account>.dkr.ecr.<region>.amazonaws.com` */
  readonly registryHost: string;
  readonly admissionReplicas: number;
  /** IRSA role of the admission controller: reads signatures from the stack's ECR. */
  readonly admissionRoleArn: pulumi.Input<string>;
  /**
   * Create the admission controller's ServiceMonitor (needs the Prometheus Operator's CRDs).
   * @default false
   */
  readonly serviceMonitor?: boolean;
}

export function kyvernoValues(args: KyvernoValuesArgs) {
  const host = args.registryHost;
  return {
    global: {
      image: { registry: host },
      priorityClassName: PLATFORM_CRITICAL,
      nodeSelector: SYSTEM_NODE_SELECTOR,
      tolerations: SYSTEM_TOLERATIONS,
    },
    crds: {
      install: true,
      migration: { image: image(host, IMAGES.kyvernoCli), ...hookPod },
    },
    config: {
      // Kyverno's webhooks never see kube-system or kyverno (the chart adds kyverno's own
      // namespace to this selector while excludeKyvernoNamespace is true).
      webhooks: {
        namespaceSelector: {
          matchExpressions: [
            {
              key: "kubernetes.io/metadata.name",
              operator: "NotIn",
              values: [...PROTECTED_NAMESPACES],
            },
          ],
        },
      },
      excludeKyvernoNamespace: true,
    },
    admissionController: {
      ...controller("admission-controller", args.admissionReplicas),
      // Scraped through the metrics Service (`<release>-svc-metrics`, port 8000) when monitored.
      serviceMonitor: { enabled: args.serviceMonitor ?? false },
      rbac: {
        serviceAccount: {
          name: ADMISSION_SERVICE_ACCOUNT,
          annotations: { "eks.amazonaws.com/role-arn": args.admissionRoleArn },
        },
      },
      initContainer: {
        image: image(host, IMAGES.kyvernoInit),
        resources: resources("10m", "64Mi", "100m", "256Mi"),
        securityContext: RESTRICTED_CONTAINER,
      },
      container: {
        image: image(host, IMAGES.kyvernoAdmissionController),
        resources: resources("100m", "256Mi", "1", "768Mi"),
        securityContext: RESTRICTED_CONTAINER,
      },
    },
    backgroundController: {
      ...controller("background-controller", 2),
      image: image(host, IMAGES.kyvernoBackgroundController),
      resources: resources("100m", "128Mi", "500m", "256Mi"),
      securityContext: RESTRICTED_CONTAINER,
    },
    cleanupController: {
      ...controller("cleanup-controller", 2),
      image: image(host, IMAGES.kyvernoCleanupController),
      resources: resources("100m", "64Mi", "500m", "128Mi"),
      securityContext: RESTRICTED_CONTAINER,
    },
    reportsController: {
      ...controller("reports-controller", 2),
      image: image(host, IMAGES.kyvernoReportsController),
      resources: resources("100m", "128Mi", "500m", "256Mi"),
      securityContext: RESTRICTED_CONTAINER,
    },
    webhooksCleanup: { image: image(host, IMAGES.kyvernoReadinessChecker), ...hookPod },
    test: { image: image(host, IMAGES.kyvernoReadinessChecker) },
  };
}
