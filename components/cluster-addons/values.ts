/**
 * Helm values of every add-on release, as pure functions: the key names are the pinned charts' own
 * (checked against each chart's values.yaml at the pinned version). Every controller runs on the
 * system nodes at the platform-critical priority with the restricted security context, requests,
 * limits and at least two replicas where the chart supports leader election.
 */
import { chartImage, IMAGES, type ImagePin, repositoryImage } from "@platform/core";
import * as pulumi from "@pulumi/pulumi";
import {
  PLATFORM_CRITICAL,
  resources,
  RESTRICTED_CONTAINER_SECURITY,
  RESTRICTED_POD_SECURITY,
  SYSTEM_NODE_SELECTOR,
  SYSTEM_TOLERATIONS,
} from "./placement";

const IRSA_ANNOTATION = "eks.amazonaws.com/role-arn";
const system = { nodeSelector: { ...SYSTEM_NODE_SELECTOR }, tolerations: [...SYSTEM_TOLERATIONS] };

interface KarpenterValuesArgs {
  /** The stack's ECR registry, whose pull-through cache serves every image. */
  readonly registryHost: string;
  readonly clusterName: string;
  readonly interruptionQueueName: pulumi.Input<string>;
  readonly roleArn: pulumi.Input<string>;
}

/** karpenter 1.14.1 (charts/karpenter/values.yaml); its container context is restricted already. */
export function karpenterValues(args: KarpenterValuesArgs) {
  return {
    replicas: 2,
    priorityClassName: PLATFORM_CRITICAL,
    ...system,
    serviceAccount: { annotations: { [IRSA_ANNOTATION]: args.roleArn } },
    podSecurityContext: { fsGroup: 65532, ...RESTRICTED_POD_SECURITY },
    podDisruptionBudget: { name: "karpenter", maxUnavailable: 1 },
    controller: {
      // The chart renders `repository:tag@digest` (templates/_helpers.tpl "karpenter.controller.image").
      image: {
        ...repositoryImage(args.registryHost, IMAGES.karpenterController),
        digest: IMAGES.karpenterController.digest,
      },
      resources: resources("500m", "1Gi", "1", "1Gi"),
    },
    settings: {
      clusterName: args.clusterName,
      interruptionQueue: args.interruptionQueueName,
      featureGates: { spotToSpotConsolidation: true },
    },
  };
}

interface LoadBalancerControllerValuesArgs {
  readonly registryHost: string;
  readonly clusterName: string;
  readonly region: string;
  readonly vpcId: pulumi.Input<string>;
  readonly roleArn: pulumi.Input<string>;
}

/**
 * aws-load-balancer-controller 3.5.0. Region and VPC are explicit: with the nodes' IMDS hop limit of
 * 1 the controller's pod cannot read them from instance metadata.
 */
export function loadBalancerControllerValues(args: LoadBalancerControllerValuesArgs) {
  return {
    image: repositoryImage(args.registryHost, IMAGES.awsLoadBalancerController),
    clusterName: args.clusterName,
    region: args.region,
    vpcId: args.vpcId,
    replicaCount: 2,
    priorityClassName: PLATFORM_CRITICAL,
    ...system,
    serviceAccount: {
      create: true,
      name: "aws-load-balancer-controller",
      annotations: { [IRSA_ANNOTATION]: args.roleArn },
    },
    podSecurityContext: { fsGroup: 65534, ...RESTRICTED_POD_SECURITY },
    securityContext: { ...RESTRICTED_CONTAINER_SECURITY },
    resources: resources("100m", "256Mi", "500m", "512Mi"),
    podDisruptionBudget: { maxUnavailable: 1 },
    // The platform's IngressClass and IngressClassParams are declared explicitly (ingress.ts).
    createIngressClassResource: false,
    enableServiceMutatorWebhook: false,
  };
}

interface ExternalDnsValuesArgs {
  readonly registryHost: string;
  readonly roleArn: pulumi.Input<string>;
  readonly region: string;
  readonly hostedZoneId: string;
  readonly domainFilters: readonly string[];
  /** Distinguishes this stack's records from the peer region's in the shared zone. */
  readonly txtOwnerId: string;
}

/** external-dns 1.21.1; its chart's schema rejects unknown keys, so only documented ones are set. */
export function externalDnsValues(args: ExternalDnsValuesArgs) {
  return {
    image: repositoryImage(args.registryHost, IMAGES.externalDns),
    provider: { name: "aws" },
    policy: "upsert-only",
    registry: "txt",
    txtOwnerId: args.txtOwnerId,
    txtPrefix: "edns-",
    domainFilters: [...args.domainFilters],
    sources: ["service", "ingress"],
    extraArgs: [`--zone-id-filter=${args.hostedZoneId}`, "--aws-zone-type=public"],
    env: [{ name: "AWS_DEFAULT_REGION", value: args.region }],
    serviceAccount: { annotations: { [IRSA_ANNOTATION]: args.roleArn } },
    priorityClassName: PLATFORM_CRITICAL,
    ...system,
    podSecurityContext: { fsGroup: 65534, ...RESTRICTED_POD_SECURITY },
    securityContext: {
      ...RESTRICTED_CONTAINER_SECURITY,
      privileged: false,
      runAsUser: 65532,
      runAsGroup: 65532,
    },
    resources: resources("50m", "128Mi", "200m", "256Mi"),
  };
}

interface CertManagerValuesArgs {
  readonly registryHost: string;
  readonly roleArn: pulumi.Input<string>;
  /** Webhook port; the API server reaches it from the VPC (NetworkPolicy in ingress.ts). */
  readonly webhookPort: number;
}

/**
 * cert-manager v1.21.1: CRDs with the release, two replicas of each part, ambient IRSA credentials.
 * Each image's `repository` takes precedence over `imageRegistry`/`imageNamespace`/`name`
 * (templates/_helpers.tpl "cert-manager.image").
 */
export function certManagerValues(args: CertManagerValuesArgs) {
  const image = (pin: ImagePin) => repositoryImage(args.registryHost, pin);
  const part = (cpu: string, memory: string) => ({
    replicaCount: 2,
    podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
    ...system,
    securityContext: { ...RESTRICTED_POD_SECURITY },
    containerSecurityContext: { ...RESTRICTED_CONTAINER_SECURITY },
    resources: resources(cpu, memory, "500m", "512Mi"),
  });
  return {
    crds: { enabled: true, keep: true },
    global: { priorityClassName: PLATFORM_CRITICAL },
    ...part("50m", "128Mi"),
    image: image(IMAGES.certManagerController),
    serviceAccount: { annotations: { [IRSA_ANNOTATION]: args.roleArn } },
    // Check DNS-01 propagation against public resolvers over DNS-over-HTTPS (port 443 only).
    dns01RecursiveNameservers: "https://1.1.1.1/dns-query,https://8.8.8.8/dns-query",
    dns01RecursiveNameserversOnly: true,
    webhook: {
      ...part("25m", "64Mi"),
      image: image(IMAGES.certManagerWebhook),
      securePort: args.webhookPort,
    },
    cainjector: { ...part("25m", "128Mi"), image: image(IMAGES.certManagerCainjector) },
    // The HTTP-01 solver pods the controller starts (the platform issues by DNS-01; pinned anyway).
    acmesolver: { image: image(IMAGES.certManagerAcmesolver) },
    startupapicheck: {
      image: image(IMAGES.certManagerStartupapicheck),
      ...system,
      securityContext: { ...RESTRICTED_POD_SECURITY },
      containerSecurityContext: { ...RESTRICTED_CONTAINER_SECURITY },
      resources: resources("10m", "32Mi", "100m", "64Mi"),
    },
  };
}

/** metrics-server 3.13.1, highly available: the HPA and VPA read every pod's usage through it. */
export function metricsServerValues(registryHost: string) {
  return {
    image: repositoryImage(registryHost, IMAGES.metricsServer),
    // The addon-resizer sidecar is off by default; explicit, as its image is not in the cache table.
    addonResizer: { enabled: false },
    replicas: 2,
    podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
    priorityClassName: PLATFORM_CRITICAL,
    ...system,
    podSecurityContext: { ...RESTRICTED_POD_SECURITY },
    securityContext: { ...RESTRICTED_CONTAINER_SECURITY, runAsUser: 1000 },
    resources: resources("100m", "200Mi", "500m", "400Mi"),
  };
}

/**
 * KEDA 2.20.2: operator, metrics API server and admission webhooks, two of each.
 * `podIdentity.aws.irsa` (kedacore/charts@v2.20.2 keda/values.yaml) annotates the
 * operator's service account with its role, so the operator gets a web identity token.
 */
export function kedaValues(args: {
  readonly registryHost: string;
  readonly operatorRoleArn: pulumi.Input<string>;
}) {
  const parts = { operator: {}, metricServer: {}, webhooks: {} };
  const each = <T>(value: T) =>
    Object.fromEntries(Object.keys(parts).map((k) => [k, value])) as Record<keyof typeof parts, T>;
  return {
    // The chart renders `registry/repository:tag` (templates/manager/deployment.yaml and siblings).
    image: {
      keda: chartImage(args.registryHost, IMAGES.keda),
      metricsApiServer: chartImage(args.registryHost, IMAGES.kedaMetricsApiServer),
      webhooks: chartImage(args.registryHost, IMAGES.kedaAdmissionWebhooks),
    },
    priorityClassName: PLATFORM_CRITICAL,
    ...system,
    operator: { replicaCount: 2 },
    metricsServer: { replicaCount: 2 },
    webhooks: { replicaCount: 2 },
    podDisruptionBudget: each({ maxUnavailable: 1 }),
    podSecurityContext: each({ ...RESTRICTED_POD_SECURITY }),
    securityContext: each({ ...RESTRICTED_CONTAINER_SECURITY }),
    resources: each(resources("100m", "128Mi", "1", "1000Mi")),
    podIdentity: { aws: { irsa: { enabled: true, roleArn: args.operatorRoleArn } } },
  };
}

/**
 * vertical-pod-autoscaler 0.11.0 (kubernetes/autoscaler tag vertical-pod-autoscaler-chart-0.11.0,
 * vertical-pod-autoscaler/charts/vertical-pod-autoscaler/values.yaml): the recommender, the
 * admission controller (sets requests at pod creation: `Initial` and `Auto`) and the updater
 * (evicts pods whose requests drifted: `Auto`). A VPA in mode `Off`, the `Workload` default, only
 * publishes recommendations; the updater and the webhook touch only pods of `Initial`/`Auto` VPAs.
 */
export function verticalPodAutoscalerValues(registryHost: string) {
  const controller = (pin: ImagePin, cpuRequest: string, memoryRequest: string) => ({
    enabled: true,
    image: repositoryImage(registryHost, pin),
    replicas: 2,
    priorityClassName: PLATFORM_CRITICAL,
    ...system,
    resources: resources(cpuRequest, memoryRequest, "500m", "1Gi"),
    podDisruptionBudget: { enabled: true, minAvailable: 1 },
  });
  return {
    podSecurityContext: { ...RESTRICTED_POD_SECURITY, runAsUser: 65534 },
    containerSecurityContext: { ...RESTRICTED_CONTAINER_SECURITY },
    recommender: controller(IMAGES.vpaRecommender, "50m", "500Mi"),
    admissionController: {
      ...controller(IMAGES.vpaAdmissionController, "50m", "200Mi"),
      // The chart's job that creates the webhook's certificate runs on the system nodes too.
      certGen: { image: repositoryImage(registryHost, IMAGES.kubeWebhookCertgen), ...system },
    },
    updater: controller(IMAGES.vpaUpdater, "50m", "200Mi"),
  };
}

/** argo-rollouts 2.41.0: the controller only; the dashboard stays off (no unauthenticated UI). */
export function argoRolloutsValues(registryHost: string) {
  return {
    controller: {
      // The chart renders `registry/repository:tag` (templates/controller/deployment.yaml).
      image: chartImage(registryHost, IMAGES.argoRollouts),
      replicas: 2,
      priorityClassName: PLATFORM_CRITICAL,
      ...system,
      resources: resources("100m", "256Mi", "1", "1Gi"),
      pdb: { enabled: true, maxUnavailable: 1 },
      metrics: { enabled: true },
    },
    podSecurityContext: { ...RESTRICTED_POD_SECURITY },
    containerSecurityContext: { ...RESTRICTED_CONTAINER_SECURITY },
    dashboard: { enabled: false },
  };
}
