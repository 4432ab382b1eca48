import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export interface NamespaceQuota {
  /** @default "16" - total CPU requests */
  readonly requestsCpu?: string;
  /** @default "32Gi" */
  readonly requestsMemory?: string;
  /** @default "32" */
  readonly limitsCpu?: string;
  /** @default "64Gi" */
  readonly limitsMemory?: string;
  /** @default "200" */
  readonly pods?: string;
  /** @default "20" */
  readonly persistentVolumeClaims?: string;
}

export interface RestrictedNamespaceArgs {
  /** @default {} - the defaults of `NamespaceQuota` */
  readonly quota?: NamespaceQuota;
  /**
   * Pod Security Admission level enforced in the namespace. Only platform namespaces whose agents
   * need host access (node exporters, log collectors) may lower it, by name.
   * @default "restricted"
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   */
  readonly podSecurity?: "restricted" | "baseline" | "privileged";
  /** Extra labels, e.g. for NetworkPolicy namespace selectors. */
  readonly labels?: Record<string, string>;
}

export const PRIORITY_CLASSES = {
  platformCritical: { name: "platform-critical", value: 900_000_000 },
  application: { name: "application", value: 1_000 },
} as const;

/**
 * A namespace that obeys the baseline: Pod Security Admission labels, a default-deny NetworkPolicy
 * for both directions plus DNS egress to CoreDNS, a ResourceQuota and a LimitRange.
 */
export class RestrictedNamespace extends pulumi.ComponentResource {
  public readonly namespace: k8s.core.v1.Namespace;
  public readonly name: pulumi.Output<string>;

  constructor(
    name: string,
    args: RestrictedNamespaceArgs = {},
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    super("platform:cluster:RestrictedNamespace", name, {}, opts);
    const childOpts = { parent: this };
    const level = args.podSecurity ?? "restricted";
    const quota = args.quota ?? {};
    this.namespace = new k8s.core.v1.Namespace(
      name,
      {
        metadata: {
          name,
          labels: {
            "pod-security.kubernetes.io/enforce": level,
            "pod-security.kubernetes.io/enforce-version": "latest",
            "pod-security.kubernetes.io/audit": "restricted",
            "pod-security.kubernetes.io/warn": "restricted",
            ...args.labels,
          },
        },
      },
      childOpts,
    );
    const namespace = this.namespace.metadata.name;
    const nsOpts = { parent: this, dependsOn: [this.namespace] };
    new k8s.networking.v1.NetworkPolicy(
      `${name}-default-deny`,
      {
        metadata: { name: "default-deny", namespace },
        spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
      },
      nsOpts,
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-allow-dns`,
      {
        metadata: { name: "allow-dns-egress", namespace },
        spec: {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [
            {
              to: [
                {
                  namespaceSelector: {
                    matchLabels: { "kubernetes.io/metadata.name": "kube-system" },
                  },
                  podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                },
              ],
              ports: [
                { protocol: "UDP", port: 53 },
                { protocol: "TCP", port: 53 },
              ],
            },
          ],
        },
      },
      nsOpts,
    );
    new k8s.core.v1.ResourceQuota(
      `${name}-quota`,
      {
        metadata: { name: "compute", namespace },
        spec: {
          hard: {
            "requests.cpu": quota.requestsCpu ?? "16",
            "requests.memory": quota.requestsMemory ?? "32Gi",
            "limits.cpu": quota.limitsCpu ?? "32",
            "limits.memory": quota.limitsMemory ?? "64Gi",
            pods: quota.pods ?? "200",
            persistentvolumeclaims: quota.persistentVolumeClaims ?? "20",
            // Load balancers come through the ingress path, not per-namespace Services.
            "services.loadbalancers": "0",
            "services.nodeports": "0",
          },
        },
      },
      nsOpts,
    );
    new k8s.core.v1.LimitRange(
      `${name}-limits`,
      {
        metadata: { name: "container-defaults", namespace },
        spec: {
          limits: [
            {
              type: "Container",
              defaultRequest: { cpu: "100m", memory: "128Mi" },
              default: { cpu: "500m", memory: "512Mi" },
              max: { cpu: "8", memory: "32Gi" },
            },
          ],
        },
      },
      nsOpts,
    );
    this.name = namespace;
    this.registerOutputs({ namespace: this.namespace, name: this.name });
  }
}

export interface KubernetesBaselineArgs {
  readonly applicationNamespaces: readonly string[];
  /** @default {} - the defaults of `NamespaceQuota` */
  readonly quota?: NamespaceQuota;
}

/** Application namespaces and the priority classes every workload chooses from. */
export class KubernetesBaseline extends pulumi.ComponentResource {
  public readonly namespaces: readonly RestrictedNamespace[];

  constructor(
    name: string,
    args: KubernetesBaselineArgs,
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    super("platform:cluster:KubernetesBaseline", name, {}, opts);
    const childOpts = { parent: this };
    new k8s.scheduling.v1.PriorityClass(
      `${name}-${PRIORITY_CLASSES.platformCritical.name}`,
      {
        metadata: { name: PRIORITY_CLASSES.platformCritical.name },
        value: PRIORITY_CLASSES.platformCritical.value,
        globalDefault: false,
        preemptionPolicy: "PreemptLowerPriority",
        description:
          "Platform add-ons that applications depend on (ingress, DNS, autoscaling, observability).",
      },
      childOpts,
    );
    new k8s.scheduling.v1.PriorityClass(
      `${name}-${PRIORITY_CLASSES.application.name}`,
      {
        metadata: { name: PRIORITY_CLASSES.application.name },
        value: PRIORITY_CLASSES.application.value,
        globalDefault: true,
        preemptionPolicy: "PreemptLowerPriority",
        description: "Application workloads; the default for pods that name no class.",
      },
      childOpts,
    );
    this.namespaces = args.applicationNamespaces.map(
      (ns) =>
        new RestrictedNamespace(
          ns,
          {
            quota: args.quota,
            // The AWS Load Balancer Controller holds a rollout until the ALB sees new pods healthy.
            labels: { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" },
          },
          childOpts,
        ),
    );
    this.registerOutputs({ namespaces: this.namespaces });
  }
}
