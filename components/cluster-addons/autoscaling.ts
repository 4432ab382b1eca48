/**
 * Pod autoscaling: metrics-server (the resource metrics API the HPA reads), KEDA for event-driven
 * scaling, and the Vertical Pod Autoscaler (recommender, admission controller, updater).
 */
import { RestrictedNamespace } from "@platform/cluster";
import { CHARTS, pinnedRelease, serviceAccountRole } from "@platform/core";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { addonNetworkPolicy, HTTPS_ANYWHERE } from "./placement";
import { kedaValues, metricsServerValues, verticalPodAutoscalerValues } from "./values";

interface AutoscalingArgs {
  /** The stack's ECR registry, whose pull-through cache serves every image. */
  readonly registryHost: string;
  /** The VPC CIDR: the API server calls KEDA's metrics API and webhooks from its ENIs there. */
  readonly vpcCidr: string;
  readonly oidcProviderArn: pulumi.Input<string>;
  readonly oidcProviderUrl: pulumi.Input<string>;
}

interface AutoscalingResources {
  readonly metricsServer: k8s.helm.v3.Release;
  readonly keda: k8s.helm.v3.Release;
  readonly verticalPodAutoscaler: k8s.helm.v3.Release;
  readonly kedaOperatorRole: aws.iam.Role;
}

/** The KEDA operator's service account, which each workload's scaler role trusts (`Workload`). */
export const KEDA_OPERATOR = { namespace: "keda", serviceAccount: "keda-operator" } as const;

/** Ports of KEDA 2.20: metrics API server, admission webhooks, operator gRPC, operator metrics. */
const KEDA_PORTS = { metricsApi: 6443, webhooks: 9443, grpc: 9666, metrics: 8080 } as const;
const MONITORING_NAMESPACE = "monitoring";

export function createAutoscaling(
  name: string,
  args: AutoscalingArgs,
  parent: pulumi.Resource,
): AutoscalingResources {
  const opts = { parent };
  // kube-system: the APIService v1beta1.metrics.k8s.io conventionally lives there.
  const metricsServer = pinnedRelease(
    "metrics-server",
    {
      chart: CHARTS.metricsServer,
      namespace: "kube-system",
      values: metricsServerValues(args.registryHost),
    },
    opts,
  );

  // No permissions of its own: the role gives the operator a web identity token, with which KEDA
  // 2.20 assumes each workload's scaler role (TriggerAuthentication `podIdentity.roleArn`).
  const kedaOperatorRole = serviceAccountRole(
    `${name}-keda-operator`,
    {
      oidcProviderArn: args.oidcProviderArn,
      oidcIssuerUrl: args.oidcProviderUrl,
      ...KEDA_OPERATOR,
    },
    opts,
  );
  const kedaNamespace = new RestrictedNamespace(KEDA_OPERATOR.namespace, {}, opts);
  const keda = pinnedRelease(
    "keda",
    {
      chart: CHARTS.keda,
      namespace: kedaNamespace.name,
      values: kedaValues({
        registryHost: args.registryHost,
        operatorRoleArn: kedaOperatorRole.arn,
      }),
    },
    { ...opts, dependsOn: [kedaNamespace, metricsServer] },
  );
  const kedaOpts = { ...opts, dependsOn: [kedaNamespace] };
  addonNetworkPolicy(
    `${name}-keda-from-api-server`,
    "keda-from-api-server",
    {
      namespace: kedaNamespace.name,
      podSelector: {},
      ingress: [
        { ports: [KEDA_PORTS.metricsApi, KEDA_PORTS.webhooks], cidrs: [args.vpcCidr] },
        { ports: [KEDA_PORTS.grpc], namespaces: ["keda"] },
        { ports: [KEDA_PORTS.metrics], namespaces: [MONITORING_NAMESPACE] },
      ],
    },
    kedaOpts,
  );
  addonNetworkPolicy(
    `${name}-keda-egress`,
    "keda-egress",
    {
      namespace: kedaNamespace.name,
      podSelector: {},
      // Scalers query AWS APIs and Prometheus; the metrics server calls the operator over gRPC.
      egress: [
        HTTPS_ANYWHERE,
        { ports: [9090], namespaces: [MONITORING_NAMESPACE] },
        { ports: [KEDA_PORTS.grpc], namespaces: ["keda"] },
      ],
    },
    kedaOpts,
  );

  const vpaNamespace = new RestrictedNamespace("vertical-pod-autoscaler", {}, opts);
  const verticalPodAutoscaler = pinnedRelease(
    "vertical-pod-autoscaler",
    {
      chart: CHARTS.verticalPodAutoscaler,
      namespace: vpaNamespace.name,
      values: verticalPodAutoscalerValues(args.registryHost),
    },
    { ...opts, dependsOn: [vpaNamespace, metricsServer] },
  );
  addonNetworkPolicy(
    `${name}-vpa-traffic`,
    "vertical-pod-autoscaler",
    {
      namespace: vpaNamespace.name,
      podSelector: {},
      ingress: [
        { ports: [8942], namespaces: [MONITORING_NAMESPACE] },
        // The API server calls the admission controller's webhook (Service 443 -> pod 8000).
        { ports: [8000], cidrs: [args.vpcCidr] },
      ],
      egress: [HTTPS_ANYWHERE],
    },
    { ...opts, dependsOn: [vpaNamespace] },
  );
  return { metricsServer, keda, verticalPodAutoscaler, kedaOperatorRole };
}
