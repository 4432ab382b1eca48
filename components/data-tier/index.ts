/** The stateful tier of one region: PostgreSQL, Valkey and object storage. */
export { DataTier } from "./data-tier";
export type { CacheArgs, DataConsumer, DataTierArgs, PostgresArgs } from "./args";
export type { LifecycleTiering } from "./documents";
export type { CacheResources } from "./cache";
export type { PostgresResources } from "./postgres";
export type { StorageResources } from "./storage";
export type { SharedFilesResources } from "./shared-files";
// The defaults and checks the stack config applies to its keys: one rule, one message.
export { CACHE_DEFAULTS, POSTGRES_DEFAULTS } from "./args";
export { checkCache, checkConsumers, checkPostgres } from "./validation";
export type { PathOf } from "./validation";
export { isKnownPostgresVersion, supportedPostgresVersions } from "./versions";
