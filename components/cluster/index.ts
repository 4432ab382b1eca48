/** The region's network, its EKS cluster and the Kubernetes baseline every namespace follows. */
export { Network } from "./network";
export { Cluster } from "./cluster";
export { KubernetesBaseline, PRIORITY_CLASSES, RestrictedNamespace } from "./baseline";
export type { KubernetesBaselineArgs, NamespaceQuota, RestrictedNamespaceArgs } from "./baseline";
export type { ClusterArgs, NetworkArgs, NodePoolArgs } from "./args";
// The subnet plan, which the stack config checks CIDRs with before the network is built.
export {
  AVAILABILITY_ZONE_COUNT,
  cidrsOverlap,
  formatCidr,
  parseCidr,
  planSubnets,
  subnetOf,
  VPC_PREFIX_RANGE,
} from "./cidr";
export type { Cidr, SubnetPlan } from "./cidr";
export { KUBERNETES_RELEASES, MANAGED_ADDONS, supportedKubernetesVersions } from "./versions";
export type { ManagedAddonName } from "./versions";
export { CONTROL_PLANE_LOG_TYPES } from "./control-plane";
// For other VPCs and node roles of the platform (the DR VPC, Karpenter's nodes).
export { createFlowLog } from "./flow-logs";
export type { FlowLogArgs } from "./flow-logs";
export { nodeTrustPolicy } from "./documents";
export { NODE_MANAGED_POLICIES } from "./nodes";
