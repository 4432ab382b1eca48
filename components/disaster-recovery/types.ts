/**
 * `cross-region-replica`: a promotable read replica in the peer region (RPO seconds, RTO minutes).
 * `backups-only`: the cheaper opt-in, recovering from replicated automated backups (RTO: a restore).
 */
export type DatabaseDrStrategy = "cross-region-replica" | "backups-only";

/**
 * S3 Object Lock and AWS Backup Vault Lock mode. `compliance`: nobody, root included, can shorten a
 * retention or delete a locked copy. `governance`: principals allowed to bypass governance can.
 */
export type ImmutabilityMode = "compliance" | "governance";
