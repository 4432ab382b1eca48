/** What the engines derive from the configured shape, known before deployment. Pure functions. */

/** GiB of memory per vCPU of the RDS instance families the platform uses. */
const MEMORY_PER_VCPU_GIB: Readonly<Record<string, number>> = { r: 8, m: 4, x: 16 };

/**
 * PostgreSQL's default max_connections on RDS is LEAST({DBInstanceClassMemory/9531392}, 5000)
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.MaxConnections).
 * `large` has 2 vCPUs, `xlarge` 4 and `Nxlarge` 4N; unknown classes get a conservative 100.
 */
export function postgresMaxConnections(instanceClass: string): number {
  const match = /^db\.([a-z])\d+[a-z]*\.(\d*)(x?large)$/.exec(instanceClass);
  const perVcpu = match ? MEMORY_PER_VCPU_GIB[match[1]] : undefined;
  if (!match || perVcpu === undefined) return 100;
  const vcpus = match[3] === "large" ? 2 : 4 * Number(match[2] || 1);
  return Math.min(Math.floor((vcpus * perVcpu * 1024 ** 3) / 9531392), 5000);
}

/**
 * Node IDs of a cluster-mode replication group: `<group>-<shard, 4 digits>-<node, 3 digits>`
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.html), shard by shard, the
 * primary's slot first.
 */
export function cacheNodeIds(
  replicationGroupId: string,
  shards: number,
  replicasPerShard: number,
): string[] {
  const ids: string[] = [];
  for (let shard = 1; shard <= shards; shard++) {
    for (let node = 1; node <= 1 + replicasPerShard; node++) {
      ids.push(
        `${replicationGroupId}-${String(shard).padStart(4, "0")}-${String(node).padStart(3, "0")}`,
      );
    }
  }
  return ids;
}
