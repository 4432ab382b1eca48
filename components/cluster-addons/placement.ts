/**
 * What every add-on's pods share: the system node group, the platform-critical priority class, the
 * restricted Pod Security Standard, and NetworkPolicies for the traffic they need.
 */
import { PRIORITY_CLASSES } from "@platform/cluster";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** Controllers run on the on-demand system nodes, which carry the CriticalAddonsOnly taint. */
export const SYSTEM_NODE_SELECTOR = { "platform/node-pool": "system" } as const;
export const SYSTEM_TOLERATIONS = [
  { key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" },
] as const;
export const PLATFORM_CRITICAL = PRIORITY_CLASSES.platformCritical.name;

/** Pod-level half of the restricted Pod Security Standard. */
export const RESTRICTED_POD_SECURITY = {
  runAsNonRoot: true,
  seccompProfile: { type: "RuntimeDefault" },
};

/** Container-level half of the restricted Pod Security Standard. */
export const RESTRICTED_CONTAINER_SECURITY = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

export function resources(
  cpuRequest: string,
  memoryRequest: string,
  cpuLimit: string,
  memoryLimit: string,
) {
  return {
    requests: { cpu: cpuRequest, memory: memoryRequest },
    limits: { cpu: cpuLimit, memory: memoryLimit },
  };
}

/** Spread replicas over zones (hard) and nodes (soft), so one zone's loss leaves the others serving. */
export function zoneSpread(matchLabels: Record<string, string>) {
  return [
    {
      maxSkew: 1,
      topologyKey: "topology.kubernetes.io/zone",
      whenUnsatisfiable: "DoNotSchedule",
      labelSelector: { matchLabels },
    },
    {
      maxSkew: 1,
      topologyKey: "kubernetes.io/hostname",
      whenUnsatisfiable: "ScheduleAnyway",
      labelSelector: { matchLabels },
    },
  ];
}

export interface TrafficRule {
  readonly ports: readonly number[];
  /** Pods in these namespaces (by `kubernetes.io/metadata.name`). */
  readonly namespaces?: readonly string[];
  /** Address blocks, e.g. the VPC for the EKS control plane's ENIs. */
  readonly cidrs?: readonly string[];
}

interface AddonNetworkPolicyArgs {
  readonly namespace: pulumi.Input<string>;
  /** Pods the policy applies to; `{}` selects every pod of the namespace. */
  readonly podSelector: Record<string, string>;
  readonly ingress?: readonly TrafficRule[];
  readonly egress?: readonly TrafficRule[];
}

/** The NetworkPolicy spec allowing exactly the listed traffic (the namespace denies the rest). */
export function networkPolicySpec(args: Omit<AddonNetworkPolicyArgs, "namespace">) {
  const peers = (rule: TrafficRule) => [
    ...(rule.namespaces ?? []).map((ns) => ({
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } },
    })),
    ...(rule.cidrs ?? []).map((cidr) => ({ ipBlock: { cidr } })),
  ];
  const ports = (rule: TrafficRule) => rule.ports.map((port) => ({ protocol: "TCP", port }));
  const policyTypes = [
    ...(args.ingress?.length ? ["Ingress"] : []),
    ...(args.egress?.length ? ["Egress"] : []),
  ];
  return {
    podSelector: { matchLabels: args.podSelector },
    policyTypes,
    ...(args.ingress?.length
      ? { ingress: args.ingress.map((r) => ({ from: peers(r), ports: ports(r) })) }
      : {}),
    ...(args.egress?.length
      ? { egress: args.egress.map((r) => ({ to: peers(r), ports: ports(r) })) }
      : {}),
  };
}

export function addonNetworkPolicy(
  name: string,
  policyName: string,
  args: AddonNetworkPolicyArgs,
  opts: pulumi.CustomResourceOptions,
): k8s.networking.v1.NetworkPolicy {
  return new k8s.networking.v1.NetworkPolicy(
    name,
    {
      metadata: { name: policyName, namespace: args.namespace },
      spec: networkPolicySpec(args),
    },
    opts,
  );
}

/** HTTPS anywhere: AWS APIs (no VPC endpoint for Route 53, WAF, pricing), ACME, the API server. */
export const HTTPS_ANYWHERE: TrafficRule = { ports: [443], cidrs: ["0.0.0.0/0"] };
