/** The stack's recovery posture: what `npm run dr:plan` and a person recovering need to know. */
import * as pulumi from "@pulumi/pulumi";
import { BackupPlan } from "./backup";
import { DRILL, BackupTier } from "./documents";
import { DatabaseRecovery, PeerNetwork, ProtectedDatabase } from "./databases";
import { Failover } from "./failover";
import { ReplicatedPair } from "./storage";
import { DatabaseDrStrategy, ImmutabilityMode } from "./types";
import { STORAGE_LOCATION, VELERO_NAMESPACE } from "./cluster";

/** The recovery objectives this design is built to (issue 7); exported with the stack's posture. */
const OBJECTIVES = {
  databaseRpoMinutes: 5,
  objectStorageRpoMinutes: 15,
  clusterStateRpoHours: 24,
  rtoMinutes: 30,
} as const;

/** What a recovery needs to know, exported by the stack and read by `npm run dr:plan`. */
export interface DrPosture {
  readonly region: string;
  readonly peerRegion: string;
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
    readonly replicaIdentifier?: string;
    readonly replicaArn?: string;
    readonly automatedBackupsReplicationArn: string;
    readonly replicatedBackupRetentionDays: number;
    readonly peerSubnetGroup: string;
    readonly peerSecurityGroupId: string;
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
  /** Present whenever there is a database. */
  readonly peerNetwork?: PeerNetwork;
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
  const network = inputs.peerNetwork;
  const databasePosture = pulumi.all(
    inputs.databases.map((db, i) => {
      const recovery = inputs.recoveries[i];
      return pulumi
        .all([
          db.instanceArn,
          db.instanceIdentifier,
          recovery.replica?.identifier,
          recovery.replica?.arn,
          recovery.automatedBackups.id,
          network!.subnetGroup.name,
          network!.databaseSecurityGroup.id,
        ])
        .apply(
          ([
            primaryArn,
            primaryIdentifier,
            replicaIdentifier,
            replicaArn,
            backupsArn,
            subnetGroup,
            sg,
          ]) => ({
            name: db.name,
            primaryArn,
            primaryIdentifier,
            ...(replicaIdentifier ? { replicaIdentifier, replicaArn } : {}),
            automatedBackupsReplicationArn: backupsArn,
            replicatedBackupRetentionDays: inputs.replicatedBackupRetentionDays,
            peerSubnetGroup: subnetGroup,
            peerSecurityGroupId: sg,
          }),
        );
    }),
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
    ])
    .apply(([dbs, buckets, vault, peerVault, peerVaultArn, planId, healthCheckId]): DrPosture => {
      const veleroPair = buckets.find((b) => b.name === "velero")!;
      return {
        region: inputs.region,
        peerRegion: inputs.peerRegion,
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
    });
}
