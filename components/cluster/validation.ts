/** Checks of the network's and the cluster's arguments, each reporting every problem at once. */
import { Problems } from "@platform/core";
import { ClusterArgs, NetworkArgs } from "./args";
import { parseCidr, VPC_PREFIX_RANGE } from "./cidr";
import { KUBERNETES_RELEASES } from "./versions";

export function validateNetworkArgs(args: NetworkArgs): void {
  const problems = new Problems();
  const vpc = parseCidr(args.cidr);
  if (
    problems.check(
      vpc !== undefined,
      "args.cidr",
      args.cidr,
      "be an IPv4 CIDR with no host bits set",
    )
  ) {
    problems.check(
      vpc!.prefix >= VPC_PREFIX_RANGE.min && vpc!.prefix <= VPC_PREFIX_RANGE.max,
      "args.cidr",
      args.cidr,
      `be between /${VPC_PREFIX_RANGE.min} and /${VPC_PREFIX_RANGE.max}`,
    );
  }
  problems.oneOf("args.natGateways", args.natGateways ?? "per-az", ["per-az", "single"]);
  problems.check(
    /^\d{12}$/.test(args.accountId),
    "args.accountId",
    args.accountId,
    "be a 12-digit AWS account ID",
  );
  problems.throwIfAny("Network arguments");
}

export function validateClusterArgs(args: ClusterArgs): void {
  const problems = new Problems();
  problems.check(
    args.kubernetesVersion in KUBERNETES_RELEASES,
    "args.kubernetesVersion",
    args.kubernetesVersion,
    `be one of ${Object.keys(KUBERNETES_RELEASES).join(", ")}`,
  );
  problems.check(
    /^[a-zA-Z][-a-zA-Z0-9]{0,99}$/.test(args.clusterName),
    "args.clusterName",
    args.clusterName,
    "be 1 to 100 letters, digits and hyphens, starting with a letter",
  );
  problems.check(
    args.adminRoleArns.length > 0,
    "args.adminRoleArns",
    args.adminRoleArns,
    "name at least one IAM role",
  );
  const cidrs = args.publicAccessCidrs ?? [];
  if (args.endpointPublicAccess) {
    problems.check(
      cidrs.length > 0,
      "args.publicAccessCidrs",
      cidrs,
      "list the allowed CIDRs when the endpoint is public",
    );
    problems.check(
      !cidrs.includes("0.0.0.0/0"),
      "args.publicAccessCidrs",
      cidrs,
      "not contain 0.0.0.0/0",
    );
  }
  for (const [poolName, pool] of [
    ["systemPool", args.systemPool],
    ["workloadPool", args.workloadPool],
  ] as const) {
    problems.check(
      pool.minSize <= pool.maxSize,
      `args.${poolName}.minSize`,
      pool.minSize,
      `not exceed maxSize (${pool.maxSize})`,
    );
    problems.check(
      pool.desiredSize >= pool.minSize && pool.desiredSize <= pool.maxSize,
      `args.${poolName}.desiredSize`,
      pool.desiredSize,
      `be between minSize and maxSize (${pool.minSize} to ${pool.maxSize})`,
    );
  }
  problems.check(
    new Set(args.workloadPool.instanceTypes).size >= 4,
    "args.workloadPool.instanceTypes",
    args.workloadPool.instanceTypes,
    "list at least four distinct instance types for spot diversity",
  );
  problems.throwIfAny("Cluster arguments");
}
