/** The cluster's add-ons (`ClusterAddons`) and how application teams deploy on them (`Workload`). */
export { ClusterAddons } from "./cluster-addons";
export { GpuTelemetry } from "./gpu";
export { SPIKE_BEHAVIOR, Workload } from "./workload";
export type {
  ClusterAddonsArgs,
  DeliveryStrategy,
  EventScaling,
  EventTrigger,
  ResourceQuantities,
  ScalingBehavior,
  ScalingRules,
  VpaUpdateMode,
  WorkloadArgs,
  WorkloadVolume,
} from "./args";
export type { GpuPool, GpuSizing } from "./gpu";
export type { Gp3Performance, WorkloadStorageClass } from "./storage";
export type { OriginLockdown, RateLimits } from "./ingress";
export type { KarpenterSizing } from "./karpenter";
export type { TrafficRule } from "./placement";
export type { SloGateArgs } from "./rollouts";
// Limits the stack config checks before the component is built.
export { WAF_EVALUATION_WINDOWS, WAF_RATE_LIMIT_RANGE } from "./ingress";
// The rate-limit and managed rules, which the edge web ACL (@platform/edge) applies too.
export { ORIGIN_VERIFY_HEADER, webAclRules } from "./ingress";
export { KEDA_SCALERS, parsePrometheusUrl } from "./validation";
export { checkGp3Performance, GP3_LIMITS, minimumGp3SizeGiB } from "./storage";
// The NodePools Karpenter may launch, which the model-data generators price and check.
export { nodePoolSpec, poolLimits } from "./karpenter";
export { gpuNodePoolSpec } from "./gpu";
// IAM documents, which the stack tests compare with the deployed role policies.
export {
  awsLoadBalancerControllerPolicy,
  certManagerDns01Policy,
  externalDnsPolicy,
} from "./ingress-iam";
export { karpenterControllerPolicy } from "./karpenter-iam";
