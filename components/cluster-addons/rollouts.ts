/**
 * Progressive delivery: Argo Rollouts and a cluster-wide analysis template that gates every canary
 * step (and every blue-green promotion) on the service's error-rate and p95-latency SLOs.
 */
import { RestrictedNamespace } from "@platform/cluster";
import { CHARTS, pinnedRelease } from "@platform/core";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { addonNetworkPolicy } from "./placement";
import { argoRolloutsValues } from "./values";

const SLO_GATE_TEMPLATE = "slo-gate";
const CANARY_WEIGHTS = [10, 25, 50, 100] as const;

export interface SloGateArgs {
  readonly prometheusUrl: string;
  /** Highest share of 5xx responses, e.g. 0.001 for 0.1%. */
  readonly maxErrorRatio: number;
  /** Highest p95 latency, in seconds. */
  readonly maxP95Seconds: number;
}

/**
 * The OpenTelemetry HTTP server duration histogram as Prometheus stores it
 * (`http.server.request.duration`, seconds, with `http_response_status_code`). Applications expose
 * it through the OpenTelemetry SDK or Collector; kube-prometheus-stack adds `namespace` and `pod`.
 */
const HTTP_DURATION_METRIC = "http_server_request_duration_seconds";

/** Only the new ReplicaSet's pods: `<rollout>-<pod-template-hash>-<suffix>`. */
const CANARY_PODS =
  'namespace="{{args.namespace}}",pod=~"{{args.service}}-{{args.canary-hash}}-.*"';

export function errorRateQuery(): string {
  const requests = (extra: string) =>
    `sum(rate(${HTTP_DURATION_METRIC}_count{${CANARY_PODS}${extra}}[2m]))`;
  // No 5xx series at all means no errors, not "no data".
  return `(${requests(',http_response_status_code=~"5.."')} or vector(0)) / ${requests("")}`;
}

export function p95LatencyQuery(): string {
  return `histogram_quantile(0.95, sum by (le) (rate(${HTTP_DURATION_METRIC}_bucket{${CANARY_PODS}}[2m])))`;
}

/**
 * ClusterAnalysisTemplate (argoproj.io/v1alpha1): three one-minute measurements per metric; a single
 * failed measurement fails the analysis, which aborts the rollout and returns traffic to the stable
 * version. NaN (no requests in the window) passes; a missing series errors and, after Argo's
 * consecutive-error limit, fails.
 */
export function sloGateSpec(args: SloGateArgs) {
  const metric = (name: string, query: string, threshold: number) => ({
    name,
    interval: "1m",
    count: 3,
    failureLimit: 0,
    successCondition: `isNaN(result[0]) || result[0] < ${threshold}`,
    provider: { prometheus: { address: args.prometheusUrl, query } },
  });
  return {
    args: [{ name: "service" }, { name: "namespace" }, { name: "canary-hash" }],
    metrics: [
      metric("error-rate", errorRateQuery(), args.maxErrorRatio),
      metric("p95-latency", p95LatencyQuery(), args.maxP95Seconds),
    ],
  };
}

/** Arguments every Rollout passes to the SLO gate. */
function sloGateArgs(service: string) {
  return [
    { name: "service", value: service },
    { name: "namespace", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
    { name: "canary-hash", valueFrom: { podTemplateHashValue: "Latest" } },
  ];
}

function gate(service: string) {
  return {
    templates: [{ templateName: SLO_GATE_TEMPLATE, clusterScope: true }],
    args: sloGateArgs(service),
  };
}

/** Canary: 10%, 25%, 50% each followed by the SLO gate, then 100%. */
export function canaryStrategy(service: string) {
  const steps: Record<string, unknown>[] = [];
  for (const weight of CANARY_WEIGHTS) {
    steps.push({ setWeight: weight });
    if (weight < 100) steps.push({ analysis: gate(service) });
  }
  return { canary: { steps, abortScaleDownDelaySeconds: 30 } };
}

/** Blue-green: the new version is gated through its preview Service before promotion. */
export function blueGreenStrategy(service: string, previewService: string) {
  return {
    blueGreen: {
      activeService: service,
      previewService,
      autoPromotionEnabled: true,
      prePromotionAnalysis: gate(service),
      scaleDownDelaySeconds: 30,
    },
  };
}

interface RolloutsArgs extends SloGateArgs {
  /** The stack's ECR registry, whose pull-through cache serves every image. */
  readonly registryHost: string;
  readonly prometheusNamespace: string;
  readonly prometheusPort: number;
}

export function createRollouts(
  name: string,
  args: RolloutsArgs,
  parent: pulumi.Resource,
): k8s.helm.v3.Release {
  const opts = { parent };
  const namespace = new RestrictedNamespace("argo-rollouts", {}, opts);
  const release = pinnedRelease(
    "argo-rollouts",
    {
      chart: CHARTS.argoRollouts,
      namespace: namespace.name,
      values: argoRolloutsValues(args.registryHost),
    },
    { ...opts, dependsOn: [namespace] },
  );
  addonNetworkPolicy(
    `${name}-argo-rollouts-traffic`,
    "argo-rollouts",
    {
      namespace: namespace.name,
      podSelector: {},
      ingress: [{ ports: [8090], namespaces: [args.prometheusNamespace] }],
      egress: [
        // The API server (behind the kubernetes Service) and Prometheus for analysis.
        { ports: [443], cidrs: ["0.0.0.0/0"] },
        { ports: [args.prometheusPort], namespaces: [args.prometheusNamespace] },
      ],
    },
    { ...opts, dependsOn: [namespace] },
  );
  new k8s.apiextensions.CustomResource(
    `${name}-slo-gate`,
    {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "ClusterAnalysisTemplate",
      metadata: { name: SLO_GATE_TEMPLATE },
      spec: sloGateSpec(args),
    },
    { ...opts, dependsOn: [release] },
  );
  return release;
}
