/**
 * Pod security and placement shared by every chart's values: the Kubernetes "restricted" Pod
 * Security Standard (non-root, no privilege escalation, all capabilities dropped, RuntimeDefault
 * seccomp) plus a read-only root filesystem, and explicit requests and limits.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
import { PRIORITY_CLASSES } from "@platform/cluster";

export const RUNTIME_DEFAULT_SECCOMP = { type: "RuntimeDefault" } as const;

/** Container securityContext of every workload in the restricted `monitoring` namespace. */
export const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  privileged: false,
  capabilities: { drop: ["ALL"] },
  seccompProfile: RUNTIME_DEFAULT_SECCOMP,
} as const;

/** Pod securityContext for a non-root user (the image's own UID, so file ownership matches). */
export function restrictedPod(uid: number): Record<string, unknown> {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    seccompProfile: RUNTIME_DEFAULT_SECCOMP,
  };
}

interface ResourceSizes {
  readonly cpu: string;
  readonly memory: string;
  readonly cpuLimit: string;
  readonly memoryLimit: string;
}

export function resources(sizes: ResourceSizes): Record<string, Record<string, string>> {
  return {
    requests: { cpu: sizes.cpu, memory: sizes.memory },
    limits: { cpu: sizes.cpuLimit, memory: sizes.memoryLimit },
  };
}

/** On-demand system nodes, tainted CriticalAddonsOnly (components/cluster/cluster.ts). */
export const SYSTEM_NODE_SELECTOR = { "platform/node-pool": "system" } as const;
export const SYSTEM_TOLERATIONS = [
  { key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" },
] as const;

/** Node agents run on every node, whatever its taints. */
export const EVERY_NODE_TOLERATIONS = [{ operator: "Exists" }] as const;

export const PLATFORM_CRITICAL = PRIORITY_CLASSES.platformCritical.name;
