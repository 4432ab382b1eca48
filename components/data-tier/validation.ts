/**
 * Checks of the data tier's settings, shared by the component (paths like `args.postgres.shards`)
 * and the stack config loader (paths like `platform:cacheShards`): one rule, one message.
 */
import { Problems } from "@platform/core";
import {
  CACHE_DEFAULTS,
  CacheArgs,
  DataConsumer,
  DataTierArgs,
  POSTGRES_DEFAULTS,
  PostgresArgs,
  PostgresUserArgs,
} from "./args";
import { isKnownPostgresVersion, POSTGRES_MAJORS, VALKEY_VERSIONS } from "./versions";

/** Maps a setting's field name to the path a message names. */
export type PathOf<T> = (field: keyof T & string) => string;

const DB_INSTANCE_CLASS = /^db\.[a-z0-9-]+\.[a-z0-9]+$/;
const CACHE_NODE_TYPE = /^cache\.[a-z0-9-]+\.[a-z0-9]+$/;
const POSTGRES_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const BUCKET_PREFIX = /^[a-zA-Z0-9!_.*'()-]+(\/[a-zA-Z0-9!_.*'()-]+)*$/;
/** Roles RDS reserves or that mean something else in PostgreSQL. */
const RESERVED_DB_USERS = ["postgres", "rdsadmin", "rdsrepladmin", "rdsproxyadmin", "public"];
/** PostgreSQL identifiers are at most 63 bytes (NAMEDATALEN - 1): room for the `_clone` suffix. */
const POSTGRES_BASE_USER = /^[a-z_][a-z0-9_]{0,56}$/;
const MONITORING_INTERVALS = [1, 5, 10, 15, 30, 60];

export function checkPostgres(
  problems: Problems,
  settings: Required<PostgresArgs>,
  path: PathOf<PostgresArgs>,
): void {
  problems.check(
    isKnownPostgresVersion(settings.version),
    path("version"),
    settings.version,
    `be a PostgreSQL version RDS offers (${Object.entries(POSTGRES_MAJORS)
      .map(([m, { minors }]) => [m, ...minors].join(", "))
      .join("; ")})`,
  );
  problems.check(
    DB_INSTANCE_CLASS.test(settings.instanceClass),
    path("instanceClass"),
    settings.instanceClass,
    'be an RDS instance class such as "db.r7g.large"',
  );
  const allocatedOk = problems.integerInRange(
    path("allocatedStorageGiB"),
    settings.allocatedStorageGiB,
    20,
    65536,
  );
  const maxOk = problems.integerInRange(
    path("maxAllocatedStorageGiB"),
    settings.maxAllocatedStorageGiB,
    22,
    65536,
  );
  if (allocatedOk && maxOk) {
    const floor = Math.ceil(settings.allocatedStorageGiB * 1.1);
    problems.check(
      settings.maxAllocatedStorageGiB >= floor,
      path("maxAllocatedStorageGiB"),
      settings.maxAllocatedStorageGiB,
      `be at least 10% above ${path("allocatedStorageGiB")} (${settings.allocatedStorageGiB}), i.e. ${floor} or more, so storage can autoscale`,
    );
  }
  problems.integerInRange(path("backupRetentionDays"), settings.backupRetentionDays, 7, 35);
  problems.integerInRange(path("readReplicas"), settings.readReplicas, 0, 15);
  problems.integerInRange(path("slowQueryMs"), settings.slowQueryMs, 1, 600000);
  problems.check(
    POSTGRES_IDENTIFIER.test(settings.databaseName),
    path("databaseName"),
    settings.databaseName,
    "be a PostgreSQL identifier: a lowercase letter or _, then up to 62 lowercase letters, digits or _",
  );
  problems.check(
    POSTGRES_IDENTIFIER.test(settings.masterUsername) &&
      !RESERVED_DB_USERS.includes(settings.masterUsername) &&
      !settings.masterUsername.startsWith("rds"),
    path("masterUsername"),
    settings.masterUsername,
    "be a PostgreSQL identifier that RDS does not reserve (postgres, rds*)",
  );
  problems.oneOf(
    path("monitoringIntervalSeconds"),
    settings.monitoringIntervalSeconds,
    MONITORING_INTERVALS,
  );
}

export function checkCache(
  problems: Problems,
  settings: Required<CacheArgs>,
  path: PathOf<CacheArgs>,
): void {
  problems.oneOf(path("engineVersion"), settings.engineVersion, Object.keys(VALKEY_VERSIONS));
  problems.check(
    CACHE_NODE_TYPE.test(settings.nodeType) && !settings.nodeType.startsWith("cache.t"),
    path("nodeType"),
    settings.nodeType,
    'be a non-burstable ElastiCache node type such as "cache.r7g.large" (burstable types cannot hold a production cache steady)',
  );
  problems.integerInRange(path("shards"), settings.shards, 1, 500);
  // Automatic failover and Multi-AZ need a replica in every shard.
  problems.integerInRange(path("replicasPerShard"), settings.replicasPerShard, 1, 5);
  problems.integerInRange(path("snapshotRetentionDays"), settings.snapshotRetentionDays, 1, 35);
}

/** Consumers: valid Kubernetes names and PostgreSQL users, one role each, prefixes that never nest. */
export function checkConsumers(
  problems: Problems,
  consumers: readonly DataConsumer[],
  path: string,
  masterUsername: string,
  /** Logical name of the DataTier component, which prefixes the consumers' role names. */
  componentName: string,
): void {
  const seen = new Set<string>();
  const roleNames = new Set<string>();
  consumers.forEach((c, i) => {
    const id = `${c.namespace}/${c.serviceAccount}`;
    problems.check(
      DNS_LABEL.test(c.namespace),
      path,
      id,
      "name namespaces that are DNS-1123 labels",
    );
    problems.check(
      DNS_SUBDOMAIN.test(c.serviceAccount),
      path,
      id,
      "name service accounts that are DNS-1123 subdomains",
    );
    problems.check(
      POSTGRES_IDENTIFIER.test(c.dbUser) &&
        !RESERVED_DB_USERS.includes(c.dbUser) &&
        !c.dbUser.startsWith("rds") &&
        c.dbUser !== masterUsername,
      path,
      c.dbUser,
      "name database users that are lowercase PostgreSQL identifiers, not reserved (postgres, rds*) and not the master user",
    );
    problems.check(
      BUCKET_PREFIX.test(c.bucketPrefix) && !c.bucketPrefix.split("/").includes(".."),
      path,
      c.bucketPrefix,
      'name bucket prefixes such as "ledger" or "ledger/exports": no leading or trailing slash, no "..", S3 safe characters only',
    );
    problems.check(!seen.has(id), path, id, "give each service account one entry");
    seen.add(id);
    // IAM role names are at most 64 characters; Pulumi appends an 8-character suffix.
    const roleName = consumerRoleName(componentName, c);
    problems.check(
      roleName.length <= 56,
      path,
      id,
      `give a role name of at most 56 characters before Pulumi's suffix (${roleName} has ${roleName.length})`,
    );
    problems.check(
      !roleNames.has(roleName),
      path,
      id,
      `not share its role name ${roleName} with another consumer (rename the namespace or service account)`,
    );
    roleNames.add(roleName);
    consumers.slice(0, i).forEach((other) => {
      const a = `${c.bucketPrefix}/`;
      const b = `${other.bucketPrefix}/`;
      problems.check(
        !a.startsWith(b) && !b.startsWith(a),
        path,
        c.bucketPrefix,
        `not overlap another consumer's bucket prefix (${other.namespace}/${other.serviceAccount} has "${other.bucketPrefix}")`,
      );
    });
  });
}

/** Password users: identifiers with room for `_clone`, not reserved, one entry each. */
export function checkPostgresUsers(
  problems: Problems,
  users: readonly PostgresUserArgs[],
  path: string,
  masterUsername: string,
): void {
  const seen = new Set<string>();
  for (const user of users) {
    problems.check(
      POSTGRES_BASE_USER.test(user.name) &&
        !RESERVED_DB_USERS.includes(user.name) &&
        !user.name.startsWith("rds") &&
        !user.name.endsWith("_clone") &&
        user.name !== masterUsername,
      `${path}.name`,
      user.name,
      "be a lowercase PostgreSQL identifier of at most 57 characters (its alternate adds _clone to the 63-character limit), not reserved (postgres, rds*), not ending in _clone and not the master user",
    );
    problems.check(
      POSTGRES_IDENTIFIER.test(user.database),
      `${path}.database`,
      user.database,
      "be a PostgreSQL identifier: a lowercase letter or _, then up to 62 lowercase letters, digits or _",
    );
    problems.check(!seen.has(user.name), `${path}.name`, user.name, "name each user once");
    seen.add(user.name);
  }
}

export function validateDataTierArgs(name: string, args: DataTierArgs): void {
  const problems = new Problems();
  problems.check(
    /^[a-z][a-z0-9-]{0,29}$/.test(args.namePrefix) && !args.namePrefix.endsWith("-"),
    "args.namePrefix",
    args.namePrefix,
    "be 1 to 30 lowercase letters, digits and hyphens, starting with a letter (it prefixes 40-character ElastiCache IDs)",
  );
  problems.check(
    /^\d{12}$/.test(args.accountId),
    "args.accountId",
    args.accountId,
    "be a 12-digit AWS account ID",
  );
  problems.check(
    args.isolatedSubnetIds.length >= 2,
    "args.isolatedSubnetIds",
    args.isolatedSubnetIds.length,
    "list at least two subnets in different AZs (Multi-AZ needs them)",
  );
  problems.check(
    args.clientSecurityGroupIds.length > 0,
    "args.clientSecurityGroupIds",
    args.clientSecurityGroupIds.length,
    "list at least one client security group, or nothing could reach the data tier",
  );
  for (const cidr of args.clientEgress?.isolatedSubnetCidrs ?? []) {
    problems.check(
      /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/.test(cidr),
      "args.clientEgress.isolatedSubnetCidrs",
      cidr,
      'contain IPv4 CIDRs such as "10.10.224.0/21"',
    );
  }
  const postgres = { ...POSTGRES_DEFAULTS, ...args.postgres };
  checkPostgres(problems, postgres, (field) => `args.postgres.${field}`);
  checkCache(problems, { ...CACHE_DEFAULTS, ...args.cache }, (field) => `args.cache.${field}`);
  const consumers = args.consumers ?? [];
  checkConsumers(problems, consumers, "args.consumers", postgres.masterUsername, name);
  const users = args.postgresUsers ?? [];
  checkPostgresUsers(problems, users, "args.postgresUsers", postgres.masterUsername);
  problems.check(
    (args.rotationSubnetIds ?? []).length > 0,
    "args.rotationSubnetIds",
    (args.rotationSubnetIds ?? []).length,
    "list the subnets the rotation functions run in, with a route to AWS's APIs (the private subnets)",
  );
  problems.throwIfAny("DataTier arguments");
}

/** Logical name of a consumer's IRSA role. */
export function consumerRoleName(name: string, consumer: DataConsumer): string {
  return `${name}-${consumer.namespace}-${consumer.serviceAccount}`;
}
