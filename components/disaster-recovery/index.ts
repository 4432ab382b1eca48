/** Recovery of one region in its peer region: backups, replicas, failover and restore drills. */
export { DisasterRecovery } from "./disaster-recovery";
export type { DisasterRecoveryArgs } from "./args";
export type { DatabaseDrStrategy, ImmutabilityMode } from "./types";
export type { ProtectedDatabase } from "./databases";
export type { RetentionDays } from "./documents";
export type { FailoverArgs } from "./failover";
export type { ReplicationSource } from "./storage";
// The posture the stack exports, which `npm run dr:plan` reads.
export type { DrPosture } from "./posture";
export { StandbyRecovery } from "./standby";
export type { StandbyRecoveryArgs, StandbyState } from "./standby";
export { replicaIdentifier, replicaSubnetGroupName } from "./databases";
