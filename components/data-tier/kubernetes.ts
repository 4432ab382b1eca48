/**
 * The Kubernetes side of the data tier: the baseline denies all egress but DNS, so each consumer
 * namespace gets a NetworkPolicy that lets its opted-in pods reach the isolated subnets on the
 * PostgreSQL and Valkey ports, and nothing else.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CACHE_PORT, POSTGRES_PORT } from "./args";

/** Pods carrying this label (value "true") may open connections to the data tier. */
const DATA_CLIENT_LABEL = "platform/data-tier-client";
const DATA_EGRESS_POLICY_NAME = "allow-data-tier-egress";

/** Egress to the isolated subnets on 5432 and 6379 for labelled pods only. */
function dataTierEgressSpec(isolatedSubnetCidrs: readonly string[]) {
  return {
    podSelector: { matchLabels: { [DATA_CLIENT_LABEL]: "true" } },
    policyTypes: ["Egress"],
    egress: [
      {
        to: isolatedSubnetCidrs.map((cidr) => ({ ipBlock: { cidr } })),
        ports: [
          { protocol: "TCP", port: POSTGRES_PORT },
          { protocol: "TCP", port: CACHE_PORT },
        ],
      },
    ],
  };
}

export function dataTierEgressPolicies(
  name: string,
  namespaces: readonly string[],
  isolatedSubnetCidrs: readonly string[],
  opts: pulumi.CustomResourceOptions,
): k8s.networking.v1.NetworkPolicy[] {
  return [...new Set(namespaces)].sort().map(
    (namespace) =>
      new k8s.networking.v1.NetworkPolicy(
        `${name}-egress-${namespace}`,
        {
          metadata: { name: DATA_EGRESS_POLICY_NAME, namespace },
          spec: dataTierEgressSpec(isolatedSubnetCidrs),
        },
        opts,
      ),
  );
}
