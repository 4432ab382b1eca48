/** Data tier settings: PostgreSQL on RDS, Valkey on ElastiCache, and the workloads that use them. */
import {
  CACHE_DEFAULTS,
  CacheArgs,
  checkCache,
  checkConsumers,
  checkPostgres,
  DataConsumer,
  isKnownPostgresVersion,
  POSTGRES_DEFAULTS,
  PostgresArgs,
  supportedPostgresVersions,
} from "@platform/data-tier";
import type { Problems } from "@platform/core";
import { isOffered, isOfferedAnywhere, OFFERINGS_SOURCE } from "@platform/model/aws/offerings";
import { ConfigSection, configKey } from "./schema";

export interface DataTierConfig {
  readonly postgres: Required<PostgresArgs>;
  readonly cache: Required<CacheArgs>;
  readonly consumers: readonly DataConsumer[];
}

const POSTGRES_KEYS: Record<keyof PostgresArgs & string, string | undefined> = {
  version: "postgresVersion",
  instanceClass: "postgresInstanceClass",
  allocatedStorageGiB: "postgresAllocatedStorageGiB",
  maxAllocatedStorageGiB: "postgresMaxAllocatedStorageGiB",
  backupRetentionDays: "postgresBackupRetentionDays",
  readReplicas: "postgresReadReplicas",
  proxy: "postgresProxy",
  slowQueryMs: "postgresSlowQueryMs",
  multiAz: "postgresMultiAz",
  // Fixed by the component; not stack settings.
  databaseName: undefined,
  masterUsername: undefined,
  monitoringIntervalSeconds: undefined,
};

const CACHE_KEYS: Record<keyof CacheArgs & string, string> = {
  engineVersion: "cacheEngineVersion",
  nodeType: "cacheNodeType",
  shards: "cacheShards",
  replicasPerShard: "cacheReplicasPerShard",
  snapshotRetentionDays: "cacheSnapshotRetentionDays",
};

/** Logical name of the stack's DataTier component (it prefixes the consumers' IRSA role names). */
export const DATA_TIER_NAME = "data";

/** `namespace/serviceAccount:dbUser:bucketPrefix`, e.g. `payments/ledger-api:ledger:ledger`. */
const CONSUMER = /^([^/:\s]+)\/([^/:\s]+):([^:\s]+):([^:\s]+)$/;

export function parseConsumer(text: string): DataConsumer | undefined {
  const m = CONSUMER.exec(text);
  return m
    ? { namespace: m[1], serviceAccount: m[2], dbUser: m[3], bucketPrefix: m[4] }
    : undefined;
}

const OFFERED_KIND: Record<"rdsPostgres" | "elasticache", string> = {
  rdsPostgres: 'an RDS for PostgreSQL instance class such as "db.r7g.large"',
  elasticache: 'an ElastiCache node type such as "cache.r7g.large"',
};

/** A class or node type AWS offers in every region that runs it (else `pulumi up` fails at AWS). */
function checkOffered(
  problems: Problems,
  service: "rdsPostgres" | "elasticache",
  name: string,
  type: string,
  regions: readonly string[],
): void {
  const source = `checked against ${OFFERINGS_SOURCE.regionOfferings}`;
  if (!isOfferedAnywhere(service, type)) {
    problems.add(configKey(name), type, `be ${OFFERED_KIND[service]} (${source})`);
    return;
  }
  for (const region of new Set(regions)) {
    problems.check(
      isOffered(service, region, type),
      configKey(name),
      type,
      `be offered in ${region} (${source})`,
    );
  }
}

export const dataTier: ConfigSection<DataTierConfig> = {
  keys: {
    postgresVersion: {
      type: "string",
      default: POSTGRES_DEFAULTS.version,
      description:
        'PostgreSQL major ("18") or minor ("18.3") version in RDS standard support; a major alone takes the newest minor.',
    },
    postgresInstanceClass: {
      type: "string",
      default: POSTGRES_DEFAULTS.instanceClass,
      description: "RDS instance class of the primary and its read replicas.",
    },
    postgresAllocatedStorageGiB: {
      type: "integer",
      default: POSTGRES_DEFAULTS.allocatedStorageGiB,
      description: "Initial gp3 storage of each PostgreSQL instance, in GiB (20 to 65536).",
    },
    postgresMaxAllocatedStorageGiB: {
      type: "integer",
      default: POSTGRES_DEFAULTS.maxAllocatedStorageGiB,
      description:
        "Storage autoscaling ceiling, in GiB; at least 10% above postgresAllocatedStorageGiB.",
    },
    postgresBackupRetentionDays: {
      type: "integer",
      default: POSTGRES_DEFAULTS.backupRetentionDays,
      description: "Days of automated backups (point-in-time recovery) kept, 7 to 35.",
    },
    postgresReadReplicas: {
      type: "integer",
      default: POSTGRES_DEFAULTS.readReplicas,
      description: "Read replicas of the primary in the stack's region (0 to 15).",
    },
    postgresProxy: {
      type: "boolean",
      default: POSTGRES_DEFAULTS.proxy,
      description: "RDS Proxy (TLS and IAM authentication required) in front of the primary.",
    },
    postgresSlowQueryMs: {
      type: "integer",
      default: POSTGRES_DEFAULTS.slowQueryMs,
      description: "Statements slower than this many milliseconds are logged.",
    },
    postgresMultiAz: {
      type: "boolean",
      default: POSTGRES_DEFAULTS.multiAz,
      description: "Synchronous standby of the primary in a second AZ; required in production.",
    },
    cacheEngineVersion: {
      type: "string",
      default: CACHE_DEFAULTS.engineVersion,
      description: "Valkey version of the ElastiCache replication group.",
    },
    cacheNodeType: {
      type: "string",
      default: CACHE_DEFAULTS.nodeType,
      description: "ElastiCache node type (non-burstable).",
    },
    cacheShards: {
      type: "integer",
      default: CACHE_DEFAULTS.shards,
      description: "Shards (node groups) of the cluster-mode replication group.",
    },
    cacheReplicasPerShard: {
      type: "integer",
      default: CACHE_DEFAULTS.replicasPerShard,
      description: "Replicas per shard, 1 to 5 (automatic failover needs one).",
    },
    cacheSnapshotRetentionDays: {
      type: "integer",
      default: CACHE_DEFAULTS.snapshotRetentionDays,
      description: "Days of daily cache snapshots kept (1 to 35).",
    },
    dataConsumers: {
      type: "array",
      items: "string",
      default: [],
      description:
        "Workloads given an IRSA role, each namespace/serviceAccount:dbUser:bucketPrefix (e.g. payments/ledger-api:ledger:ledger).",
    },
  },

  build(values, problems, context): DataTierConfig {
    const postgres = {
      ...POSTGRES_DEFAULTS,
      version: values.postgresVersion as string,
      instanceClass: values.postgresInstanceClass as string,
      allocatedStorageGiB: values.postgresAllocatedStorageGiB as number,
      maxAllocatedStorageGiB: values.postgresMaxAllocatedStorageGiB as number,
      backupRetentionDays: values.postgresBackupRetentionDays as number,
      readReplicas: values.postgresReadReplicas as number,
      proxy: values.postgresProxy as boolean,
      slowQueryMs: values.postgresSlowQueryMs as number,
      multiAz: values.postgresMultiAz as boolean,
    };
    const postgresPath = (field: keyof PostgresArgs & string) =>
      configKey(POSTGRES_KEYS[field] ?? field);
    checkPostgres(problems, postgres, postgresPath);
    if (isKnownPostgresVersion(postgres.version)) {
      const supported = supportedPostgresVersions(context.today);
      problems.check(
        supported.includes(postgres.version),
        configKey("postgresVersion"),
        postgres.version,
        `be in RDS standard support on ${context.today} (${supported.join(", ") || "none: update components/data-tier/versions.ts"})`,
      );
    }
    if (values.environment === "prod") {
      problems.check(
        postgres.multiAz,
        configKey("postgresMultiAz"),
        postgres.multiAz,
        "be true in production (a standby in a second AZ takes over in about a minute)",
      );
    }

    const cache: Required<CacheArgs> = {
      engineVersion: values.cacheEngineVersion as string,
      nodeType: values.cacheNodeType as string,
      shards: values.cacheShards as number,
      replicasPerShard: values.cacheReplicasPerShard as number,
      snapshotRetentionDays: values.cacheSnapshotRetentionDays as number,
    };
    checkCache(problems, cache, (field) => configKey(CACHE_KEYS[field]));
    // The cross-region replica runs the primary's class in the DR region.
    checkOffered(problems, "rdsPostgres", "postgresInstanceClass", postgres.instanceClass, [
      context.region,
      values.drRegion as string,
    ]);
    checkOffered(problems, "elasticache", "cacheNodeType", cache.nodeType, [context.region]);

    const key = configKey("dataConsumers");
    const consumers: DataConsumer[] = [];
    for (const text of values.dataConsumers as string[]) {
      const consumer = parseConsumer(text);
      if (
        problems.check(
          consumer !== undefined,
          key,
          text,
          'contain entries namespace/serviceAccount:dbUser:bucketPrefix, e.g. "payments/ledger-api:ledger:ledger"',
        )
      ) {
        consumers.push(consumer!);
      }
    }
    checkConsumers(problems, consumers, key, postgres.masterUsername, DATA_TIER_NAME);
    const namespaces = values.applicationNamespaces as string[];
    for (const c of consumers) {
      problems.check(
        namespaces.includes(c.namespace),
        key,
        `${c.namespace}/${c.serviceAccount}`,
        `name a namespace listed in ${configKey("applicationNamespaces")} (${namespaces.join(", ")})`,
      );
    }
    return { postgres, cache, consumers };
  },
};
