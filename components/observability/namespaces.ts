import { RestrictedNamespace } from "@platform/cluster";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ObservabilityArgs } from "./args";

/** The StorageClass the component creates when `args.storageClassName` names none. */
const STORAGE_CLASS = "gp3-encrypted";

export interface ObservabilityNamespaces {
  readonly monitoring: RestrictedNamespace;
  /** Node agents, whose host access needs the `privileged` Pod Security level. */
  readonly agents: RestrictedNamespace;
  readonly monitoringName: string;
  readonly agentsName: string;
  /** The StorageClass the stores' volumes use, and the one created for it, if any. */
  readonly storageClassName: string;
  readonly storageClasses: readonly k8s.storage.v1.StorageClass[];
}

/** Names of the monitoring and agents namespaces. */
export function namespaceNames(args: ObservabilityArgs): { monitoring: string; agents: string } {
  return {
    monitoring: args.namespace ?? "monitoring",
    agents: args.agentsNamespace ?? "monitoring-agents",
  };
}

export function createNamespaces(
  name: string,
  args: ObservabilityArgs,
  opts: pulumi.CustomResourceOptions,
): ObservabilityNamespaces {
  const { monitoring: monitoringName, agents: agentsName } = namespaceNames(args);
  const monitoring = new RestrictedNamespace(
    monitoringName,
    { labels: { "platform/role": "monitoring" } },
    opts,
  );
  const agents = new RestrictedNamespace(
    agentsName,
    { podSecurity: "privileged", labels: { "platform/role": "monitoring-agents" } },
    opts,
  );
  const storageClasses =
    args.storageClassName === undefined
      ? [
          new k8s.storage.v1.StorageClass(
            `${name}-${STORAGE_CLASS}`,
            {
              metadata: { name: STORAGE_CLASS },
              provisioner: "ebs.csi.aws.com",
              parameters: {
                type: "gp3",
                encrypted: "true",
                kmsKeyId: args.volumeKeyArn,
                "csi.storage.k8s.io/fstype": "ext4",
              },
              // A deleted claim keeps its volume: metrics and logs are not thrown away by accident.
              reclaimPolicy: "Retain",
              volumeBindingMode: "WaitForFirstConsumer",
              allowVolumeExpansion: true,
            },
            opts,
          ),
        ]
      : [];
  return {
    monitoring,
    agents,
    monitoringName,
    agentsName,
    storageClassName: args.storageClassName ?? STORAGE_CLASS,
    storageClasses,
  };
}
