/** The stack's recovery posture: what `npm run dr:plan` and a person recovering need to know. */
import * as pulumi from "@pulumi/pulumi";
import { BackupPlan } from "./backup";
import { DRILL, BackupTier } from "./documents";
import {
  DatabaseParameter,
  DatabaseRecovery,
  ProtectedDatabase,
  replicaIdentifier,
  replicaSubnetGroupName,
} from "./databases";
import { Failover } from "./failover";
import { ReplicatedPair } from "./storage";
import { DatabaseDrStrategy, ImmutabilityMode } from "./types";
import { STORAGE_LOCATION, VELERO_NAMESPACE } from "./cluster";

/**
 * The recovery objectives this design is built to (issues 7 and 15; docs/disaster-recovery.md gives
 * the figure behind each); exported with the stack's posture.
 */
export const OBJECTIVES = {
  databaseRpoMinutes: 5,
  objectStorageRpoMinutes: 15,
  clusterStateRpoHours: 1,
  rtoMinutes: 30,
} as const;

/** What a recovery needs to know, exported by the stack and read by `npm run dr:plan`. */
export interface DrPosture {
  readonly region: string;
  readonly peerRegion: string;
  /** The standby stack in peerRegion; absent when nothing serves the failover's SECONDARY. */
  readonly standbyStack?: string;
  /** The key of every copy in peerRegion (the standby's replica is encrypted with it). */
  readonly peerKeyArn: string;
  readonly objectives: typeof OBJECTIVES;
  readonly databaseStrategy: DatabaseDrStrategy;
  readonly immutability: ImmutabilityMode;
  readonly schedules: readonly {
    readonly name: string;
    readonly veleroCron: string;
    readonly awsBackupCron: string;
    readonly retentionDays: number;
  }[];
  readonly velero: {
    readonly namespace: string;
    readonly storageLocation: string;
    readonly bucket: string;
    readonly replicaBucket: string;
    readonly drill: {
      readonly schedule: string;
      readonly canaryNamespace: string;
      readonly scratchNamespace: string;
    };
  };
  readonly databases: readonly {
    readonly name: string;
    readonly primaryArn: string;
    readonly primaryIdentifier: string;
    readonly instanceClass: string;
    readonly port: number;
    /** The primary's parameter group family and parameters, which its replica's group repeats. */
    readonly parameterGroupFamily: string;
    readonly parameters: readonly DatabaseParameter[];
    /** The primary's enhanced monitoring interval (seconds), which its replica keeps too. */
    readonly monitoringIntervalSeconds: number;
    /** The standby's cross-region replica (cross-region-replica strategy with a standby). */
    readonly replicaIdentifier?: string;
    readonly automatedBackupsReplicationArn: string;
    readonly replicatedBackupRetentionDays: number;
    /** The standby's DB subnet group, for restores in peerRegion (with a standby). */
    readonly peerSubnetGroup?: string;
  }[];
  readonly buckets: readonly {
    readonly name: string;
    readonly source: string;
    readonly replica: string;
  }[];
  readonly awsBackup: {
    readonly vault: string;
    readonly peerVault: string;
    readonly peerVaultArn: string;
    readonly planId: string;
  };
  readonly failover: {
    readonly recordName: string;
    readonly primaryEndpoint: string;
    readonly peerEndpoint: string;
    readonly healthCheckId: string;
  };
}

/** Everything the posture reports, as the component built it. */
interface PostureInputs {
  readonly region: string;
  readonly peerRegion: string;
  readonly strategy: DatabaseDrStrategy;
  readonly immutability: ImmutabilityMode;
  readonly tiers: readonly BackupTier[];
  readonly replicatedBackupRetentionDays: number;
  readonly databases: readonly ProtectedDatabase[];
  /** One per database, in the same order. */
  readonly recoveries: readonly DatabaseRecovery[];
  readonly peerKeyArn: pulumi.Input<string>;
  readonly standby?: { readonly stack: string; readonly region: string };
  /** Velero's bucket (named `velero`) and the application buckets. */
  readonly buckets: readonly ReplicatedPair[];
  readonly backup: BackupPlan;
  readonly failover: Failover;
  readonly failoverNames: {
    readonly recordName: string;
    readonly primaryEndpoint: string;
    readonly peerEndpoint: string;
  };
}

export function recoveryPosture(inputs: PostureInputs): pulumi.Output<DrPosture> {
  const { backup } = inputs;
  const standby = inputs.standby;
  const databasePosture = pulumi.all(
    inputs.databases.map((db, i) =>
      pulumi
        .all([
          db.instanceArn,
          db.instanceIdentifier,
          db.instanceClass,
          inputs.recoveries[i].automatedBackups.id,
          db.parameterGroup.family,
          db.parameterGroup.parameters,
          db.monitoringIntervalSeconds,
        ])
        .apply(
          ([
            primaryArn,
            primaryIdentifier,
            instanceClass,
            backupsArn,
            parameterGroupFamily,
            parameters,
            monitoringIntervalSeconds,
          ]) => ({
            name: db.name,
            primaryArn,
            primaryIdentifier,
            instanceClass,
            port: db.port ?? 5432,
            parameterGroupFamily,
            parameters: parameters.map((p) => ({ ...p })),
            monitoringIntervalSeconds,
            ...(standby && inputs.strategy === "cross-region-replica"
              ? { replicaIdentifier: replicaIdentifier(primaryIdentifier) }
              : {}),
            automatedBackupsReplicationArn: backupsArn,
            replicatedBackupRetentionDays: inputs.replicatedBackupRetentionDays,
            ...(standby ? { peerSubnetGroup: replicaSubnetGroupName(standby.stack) } : {}),
          }),
        ),
    ),
  );
  const bucketPosture = pulumi.all(
    inputs.buckets.map((p) =>
      pulumi
        .all([p.sourceBucketName, p.replicaBucket.bucket])
        .apply(([source, replica]) => ({ name: p.name, source, replica })),
    ),
  );
  return pulumi
    .all([
      databasePosture,
      bucketPosture,
      backup.vault.name,
      backup.peerVault.name,
      backup.peerVault.arn,
      backup.plan.id,
      inputs.failover.healthCheck.id,
      inputs.peerKeyArn,
    ])
    .apply(
      ([
        dbs,
        buckets,
        vault,
        peerVault,
        peerVaultArn,
        planId,
        healthCheckId,
        peerKeyArn,
      ]): DrPosture => {
        const veleroPair = buckets.find((b) => b.name === "velero")!;
        return {
          region: inputs.region,
          peerRegion: inputs.peerRegion,
          ...(standby ? { standbyStack: standby.stack } : {}),
          peerKeyArn,
          objectives: OBJECTIVES,
          databaseStrategy: inputs.strategy,
          immutability: inputs.immutability,
          schedules: inputs.tiers.map((t) => ({
            name: t.name,
            veleroCron: t.cron,
            awsBackupCron: t.awsCron,
            retentionDays: t.retentionDays,
          })),
          velero: {
            namespace: VELERO_NAMESPACE,
            storageLocation: STORAGE_LOCATION,
            bucket: veleroPair.source,
            replicaBucket: veleroPair.replica,
            drill: {
              schedule: DRILL.schedule,
              canaryNamespace: DRILL.canaryNamespace,
              scratchNamespace: DRILL.scratchNamespace,
            },
          },
          databases: dbs,
          buckets: buckets.filter((b) => b.name !== "velero"),
          awsBackup: { vault, peerVault, peerVaultArn, planId },
          failover: { ...inputs.failoverNames, healthCheckId },
        };
      },
    );
}
