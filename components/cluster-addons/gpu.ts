/**
 * GPU capacity: a Karpenter EC2NodeClass and NodePool for NVIDIA instances (0 nodes until a pod asks
 * for `nvidia.com/gpu`, at most `maxNodes`), tainted so that only such pods land there; the NVIDIA
 * device plugin, without which Karpenter never sees a GPU node as initialised and the scheduler
 * sees no `nvidia.com/gpu`; and the DCGM exporter, which publishes GPU metrics to Prometheus.
 *
 * Karpenter 1.14.1 docs (aws/karpenter-provider-aws@v1.14.1, website/content/en/docs/concepts/):
 * `limits.nodes` bounds a NodePool's node count (nodepools.md, "spec.limits"); a GPU pool is
 * tainted `nvidia.com/gpu` (nodepools.md, "Isolating Expensive Hardware"); with an AMI alias Karpenter picks
 * the accelerated variant for GPU instance types (nodeclasses.md, spec.amiSelectorTerms); GPU nodes need
 * the device plugin daemonset to be initialised (scheduling.md, "Accelerators/GPU Resources").
 */
import { RestrictedNamespace } from "@platform/cluster";
import { CHARTS, IMAGES, pinnedRelease, repositoryImage } from "@platform/core";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ec2NodeClassSpec } from "./karpenter";
import { addonNetworkPolicy, resources } from "./placement";

/** The extended resource the device plugin advertises, and the taint of GPU nodes. */
export const GPU_RESOURCE = "nvidia.com/gpu";
export const GPU_NODE_POOL = "gpu";
export const GPU_NAMESPACE = "nvidia-gpu";
const GPU_NODE_CLASS = "gpu";
/** DCGM exporter's metrics port (dcgm-exporter chart 4.8.2 values.yaml, `service.port`). */
const DCGM_PORT = 9400;
const MONITORING_NAMESPACE = "monitoring";

export interface GpuSizing {
  /** Most GPU nodes Karpenter may run; 0 leaves the pool out. */
  readonly maxNodes: number;
  /** EC2 instance families with NVIDIA GPUs, e.g. `g6`, `g5`, `p5` (x86 only). */
  readonly instanceFamilies: readonly string[];
  /** Root volume of a GPU node: CUDA images and model caches are large. */
  readonly volumeSizeGiB: number;
}

/**
 * What a `Workload` needs to place pods on the GPU pool: the pool's name, its taint and the
 * resource to request. `ClusterAddons.gpuPool` is undefined when the cluster has no GPU pool.
 */
export interface GpuPool {
  readonly nodePoolName: string;
  readonly resourceName: string;
  readonly taint: { readonly key: string; readonly effect: "NoSchedule" };
}

export function gpuPool(): GpuPool {
  return {
    nodePoolName: GPU_NODE_POOL,
    resourceName: GPU_RESOURCE,
    taint: { key: GPU_RESOURCE, effect: "NoSchedule" },
  };
}

/**
 * NodePool (karpenter.sh/v1) of GPU nodes: on-demand (a training step or an inference batch lost
 * to a two-minute spot notice costs more than the discount saves), the listed families only, and
 * `limits.nodes` so that the pool never exceeds `maxNodes`. Consolidation removes empty nodes after
 * five minutes, so an idle pool returns to zero nodes.
 */
export function gpuNodePoolSpec(sizing: GpuSizing) {
  return {
    template: {
      metadata: { labels: { "platform/node-pool": GPU_NODE_POOL } },
      spec: {
        nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: GPU_NODE_CLASS },
        requirements: [
          { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] },
          { key: "kubernetes.io/arch", operator: "In", values: ["amd64"] },
          { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
          {
            key: "karpenter.k8s.aws/instance-family",
            operator: "In",
            values: [...sizing.instanceFamilies],
          },
          {
            key: "karpenter.k8s.aws/instance-gpu-manufacturer",
            operator: "In",
            values: ["nvidia"],
          },
        ],
        taints: [{ key: GPU_RESOURCE, value: "true", effect: "NoSchedule" }],
        expireAfter: "720h",
        terminationGracePeriod: "24h",
      },
    },
    disruption: {
      // Only empty nodes are removed: a running job is never moved to a cheaper node mid-run.
      consolidationPolicy: "WhenEmpty",
      consolidateAfter: "5m",
      budgets: [{ nodes: "10%" }],
    },
    limits: { nodes: String(sizing.maxNodes) },
    weight: 50,
  };
}

/** nvidia-device-plugin 0.20.0 (NVIDIA/k8s-device-plugin@v0.20.0 deployments/helm/nvidia-device-plugin/values.yaml). */
export function nvidiaDevicePluginValues(registryHost: string) {
  return {
    // CI's copy of the release image in the stack's registry (mirror/...): ECR cannot cache
    // nvcr.io (IMAGES).
    image: repositoryImage(registryHost, IMAGES.nvidiaDevicePlugin),
    // The chart's default affinity needs node-feature-discovery labels; Karpenter labels GPU
    // nodes with their manufacturer, which is enough (a list replaces the chart's list).
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                {
                  key: "karpenter.k8s.aws/instance-gpu-manufacturer",
                  operator: "In",
                  values: ["nvidia"],
                },
              ],
            },
          ],
        },
      },
    },
    tolerations: [{ key: GPU_RESOURCE, operator: "Exists", effect: "NoSchedule" }],
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    },
    resources: resources("50m", "64Mi", "200m", "128Mi"),
    gfd: { enabled: false },
  };
}

/** dcgm-exporter 4.8.2 (NVIDIA/dcgm-exporter@4.5.3-4.8.2 deployment/values.yaml). */
export function dcgmExporterValues(registryHost: string) {
  return {
    // CI's copy in the stack's registry (mirror/...): ECR cannot cache nvcr.io (IMAGES). The chart
    // renders `image.repository:image.tag` (templates/daemonset.yaml).
    image: repositoryImage(registryHost, IMAGES.dcgmExporter),
    nodeSelector: { "platform/node-pool": GPU_NODE_POOL },
    tolerations: [{ key: GPU_RESOURCE, operator: "Exists", effect: "NoSchedule" }],
    // The chart's ServiceMonitor; Prometheus selects every monitor in the cluster.
    serviceMonitor: { enabled: true, interval: "30s" },
    resources: resources("100m", "128Mi", "200m", "512Mi"),
  };
}

interface GpuCapacityArgs {
  /** The stack's ECR registry, whose pull-through cache serves every image. */
  readonly registryHost: string;
  readonly clusterName: string;
  readonly nodeRoleName: pulumi.Input<string>;
  readonly securityGroupId: pulumi.Input<string>;
  readonly volumeKeyArn: pulumi.Input<string>;
  readonly amiAlias: string;
  readonly nodeTags: Record<string, string>;
  readonly sizing: GpuSizing;
  /** Karpenter's release: its CRDs and webhooks come first. */
  readonly karpenter: pulumi.Resource;
}

export interface GpuCapacity {
  readonly namespace: RestrictedNamespace;
  readonly nodePool: k8s.apiextensions.CustomResource;
  readonly devicePlugin: k8s.helm.v3.Release;
}

export function createGpuCapacity(
  name: string,
  args: GpuCapacityArgs,
  parent: pulumi.Resource,
): GpuCapacity {
  const opts = { parent };
  const crOpts = { parent, dependsOn: [args.karpenter] };
  const nodeClass = new k8s.apiextensions.CustomResource(
    `${name}-node-class`,
    {
      apiVersion: "karpenter.k8s.aws/v1",
      kind: "EC2NodeClass",
      metadata: { name: GPU_NODE_CLASS },
      spec: ec2NodeClassSpec({
        clusterName: args.clusterName,
        nodeRoleName: args.nodeRoleName,
        securityGroupId: args.securityGroupId,
        volumeKeyArn: args.volumeKeyArn,
        amiAlias: args.amiAlias,
        volumeSizeGiB: args.sizing.volumeSizeGiB,
        tags: args.nodeTags,
      }),
    },
    crOpts,
  );
  const nodePool = new k8s.apiextensions.CustomResource(
    `${name}-pool`,
    {
      apiVersion: "karpenter.sh/v1",
      kind: "NodePool",
      metadata: { name: GPU_NODE_POOL },
      spec: gpuNodePoolSpec(args.sizing),
    },
    { parent, dependsOn: [args.karpenter, nodeClass] },
  );
  // The device plugin mounts the kubelet's device-plugin socket directory (hostPath); DCGM needs
  // SYS_ADMIN for profiling counters: both need the privileged Pod Security level, here only.
  const namespace = new RestrictedNamespace(
    GPU_NAMESPACE,
    { podSecurity: "privileged", labels: { "platform/role": "gpu" } },
    opts,
  );
  const devicePlugin = pinnedRelease(
    "nvidia-device-plugin",
    {
      chart: CHARTS.nvidiaDevicePlugin,
      namespace: namespace.name,
      values: nvidiaDevicePluginValues(args.registryHost),
    },
    { ...opts, dependsOn: [namespace] },
  );
  return { namespace, nodePool, devicePlugin };
}

/**
 * GPU metrics: the DCGM exporter on every GPU node with its ServiceMonitor, and the NetworkPolicy
 * letting Prometheus scrape it. Separate from the capacity because the ServiceMonitor needs the
 * Prometheus Operator's CRDs, which the observability stack installs after the add-ons.
 */
export class GpuTelemetry extends pulumi.ComponentResource {
  public readonly release: k8s.helm.v3.Release;

  constructor(
    name: string,
    args: {
      /** The stack's ECR registry: the exporter's image is CI's mirror in it. */
      readonly registryHost: string;
      readonly prometheus: pulumi.Resource;
    },
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    super("platform:cluster-addons:GpuTelemetry", name, {}, opts);
    const childOpts = { parent: this };
    this.release = pinnedRelease(
      "dcgm-exporter",
      {
        chart: CHARTS.dcgmExporter,
        namespace: GPU_NAMESPACE,
        values: dcgmExporterValues(args.registryHost),
      },
      { ...childOpts, dependsOn: [args.prometheus] },
    );
    addonNetworkPolicy(
      `${name}-scrape`,
      "dcgm-exporter-scrape",
      {
        namespace: GPU_NAMESPACE,
        podSelector: { "app.kubernetes.io/name": "dcgm-exporter" },
        ingress: [{ ports: [DCGM_PORT], namespaces: [MONITORING_NAMESPACE] }],
      },
      childOpts,
    );
    this.registerOutputs({ release: this.release });
  }
}
