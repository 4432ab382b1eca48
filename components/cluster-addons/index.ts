/** The cluster's add-ons (`ClusterAddons`) and how application teams deploy on them (`Workload`). */
export { ClusterAddons } from "./cluster-addons";
export { Workload } from "./workload";
export type { ClusterAddonsArgs, DeliveryStrategy, ResourceQuantities, WorkloadArgs } from "./args";
export type { RateLimits } from "./ingress";
export type { KarpenterSizing } from "./karpenter";
export type { TrafficRule } from "./placement";
export type { SloGateArgs } from "./rollouts";
// Limits the stack config checks before the component is built.
export { WAF_EVALUATION_WINDOWS, WAF_RATE_LIMIT_RANGE } from "./ingress";
// The rate-limit and managed rules, which the edge web ACL (@platform/edge) applies too.
export { webAclRules } from "./ingress";
export { parsePrometheusUrl } from "./validation";
// The NodePools Karpenter may launch, which the model-data generators price and check.
export { nodePoolSpec, poolLimits } from "./karpenter";
// IAM documents, which the stack tests compare with the deployed role policies.
export {
  awsLoadBalancerControllerPolicy,
  certManagerDns01Policy,
  externalDnsPolicy,
} from "./ingress-iam";
export { karpenterControllerPolicy } from "./karpenter-iam";
