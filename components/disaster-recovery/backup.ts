/**
 * AWS Backup: a vault in each region (each encrypted with its region's key and locked), a plan with
 * daily, weekly and monthly rules whose every recovery point is copied into the peer vault, and a
 * selection of every resource tagged `platform:backup=true`.
 */
import { BACKUP_TAG } from "@platform/model";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  BACKUP_MANAGED_POLICIES,
  backupKeysPolicy,
  BackupTier,
  serviceTrustPolicy,
} from "./documents";
import { ImmutabilityMode } from "./types";

interface BackupPlanArgs {
  readonly accountId: string;
  readonly tiers: readonly BackupTier[];
  readonly localKeyArn: pulumi.Input<string>;
  readonly peerKeyArn: pulumi.Input<string>;
  readonly immutability: ImmutabilityMode;
  /**
   * Weekly AWS Backup restore tests of the newest RDS copy in the peer vault, restored into these
   * isolated subnets and deleted after validation: proof that the cross-region copies restore.
   * @default undefined - no restore testing (no database to test)
   */
  readonly restoreTesting?: { readonly dbSubnetGroupName: pulumi.Input<string> };
}

/** Restore testing names allow letters, digits and underscores only (1 to 50). */
export function restoreTestingName(name: string, suffix: string): string {
  return `${name.replace(/[^A-Za-z0-9]+/g, "_")}_${suffix}`.slice(0, 50);
}

export interface BackupPlan {
  readonly vault: aws.backup.Vault;
  readonly peerVault: aws.backup.Vault;
  readonly plan: aws.backup.Plan;
  readonly selection: aws.backup.Selection;
  readonly role: aws.iam.Role;
  readonly vaultLocks: readonly aws.backup.VaultLockConfiguration[];
  readonly restoreTestingPlan?: aws.backup.RestoreTestingPlan;
}

/**
 * Vault Lock bounds: no recovery point may be kept less than a week (so a compromised account
 * cannot expire copies early) or longer than the longest tier. Compliance mode becomes immutable
 * after a 3-day cooling-off period (`changeableForDays`); governance mode omits it.
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html
 */
export function vaultLockSettings(
  tiers: readonly BackupTier[],
  immutability: ImmutabilityMode,
): { minRetentionDays: number; maxRetentionDays: number; changeableForDays?: number } {
  const longest = Math.max(...tiers.map((t) => t.retentionDays));
  return {
    minRetentionDays: 7,
    maxRetentionDays: longest,
    ...(immutability === "compliance" ? { changeableForDays: 3 } : {}),
  };
}

export function createBackupPlan(
  name: string,
  args: BackupPlanArgs,
  opts: {
    readonly local: pulumi.CustomResourceOptions;
    readonly peer: pulumi.CustomResourceOptions;
  },
): BackupPlan {
  const vault = new aws.backup.Vault(
    `${name}-vault`,
    { kmsKeyArn: args.localKeyArn, forceDestroy: false },
    { ...opts.local, protect: true },
  );
  const peerVault = new aws.backup.Vault(
    `${name}-peer-vault`,
    { kmsKeyArn: args.peerKeyArn, forceDestroy: false },
    { ...opts.peer, protect: true },
  );
  const lock = vaultLockSettings(args.tiers, args.immutability);
  const vaultLocks = [
    new aws.backup.VaultLockConfiguration(
      `${name}-vault-lock`,
      { backupVaultName: vault.name, ...lock },
      { ...opts.local, protect: true },
    ),
    new aws.backup.VaultLockConfiguration(
      `${name}-peer-vault-lock`,
      { backupVaultName: peerVault.name, ...lock },
      { ...opts.peer, protect: true },
    ),
  ];

  const plan = new aws.backup.Plan(
    `${name}-plan`,
    {
      rules: args.tiers.map((tier) => ({
        ruleName: tier.name,
        targetVaultName: vault.name,
        schedule: tier.awsCron,
        scheduleExpressionTimezone: "Etc/UTC",
        startWindow: 60,
        completionWindow: 24 * 60,
        lifecycle: { deleteAfter: tier.retentionDays },
        recoveryPointTags: { "platform:backup-tier": tier.name },
        copyActions: [
          { destinationVaultArn: peerVault.arn, lifecycle: { deleteAfter: tier.retentionDays } },
        ],
      })),
    },
    opts.local,
  );

  const role = new aws.iam.Role(
    `${name}-role`,
    {
      assumeRolePolicy: JSON.stringify(serviceTrustPolicy("backup.amazonaws.com", args.accountId)),
      description: "AWS Backup: back up, copy and restore tagged resources",
      maxSessionDuration: 3600,
    },
    opts.local,
  );
  BACKUP_MANAGED_POLICIES.forEach((policyArn, i) => {
    new aws.iam.RolePolicyAttachment(
      `${name}-role-managed-${i}`,
      { role: role.name, policyArn },
      opts.local,
    );
  });
  new aws.iam.RolePolicy(
    `${name}-role-keys`,
    {
      role: role.name,
      policy: pulumi
        .all([args.localKeyArn, args.peerKeyArn])
        .apply((keys) => JSON.stringify(backupKeysPolicy(keys))),
    },
    opts.local,
  );
  const selection = new aws.backup.Selection(
    `${name}-selection`,
    {
      planId: plan.id,
      iamRoleArn: role.arn,
      // Tags alone: `resources` would be ORed with the tag conditions ("*" would select everything).
      selectionTags: [{ type: "STRINGEQUALS", key: BACKUP_TAG.key, value: BACKUP_TAG.value }],
    },
    opts.local,
  );
  let restoreTestingPlan: aws.backup.RestoreTestingPlan | undefined;
  if (args.restoreTesting) {
    restoreTestingPlan = new aws.backup.RestoreTestingPlan(
      `${name}-restore-testing`,
      {
        name: restoreTestingName(name, "peer_restore_test"),
        // Mondays 08:00 UTC: after Sunday's weekly backup has been copied to the peer vault.
        scheduleExpression: "cron(0 8 ? * MON *)",
        scheduleExpressionTimezone: "Etc/UTC",
        startWindowHours: 4,
        recoveryPointSelection: {
          algorithm: "LATEST_WITHIN_WINDOW",
          includeVaults: [peerVault.arn],
          recoveryPointTypes: ["SNAPSHOT"],
          selectionWindowDays: 7,
        },
      },
      opts.peer,
    );
    new aws.backup.RestoreTestingSelection(
      `${name}-restore-testing-rds`,
      {
        name: restoreTestingName(name, "rds"),
        restoreTestingPlanName: restoreTestingPlan.name,
        protectedResourceType: "RDS",
        protectedResourceArns: ["*"],
        iamRoleArn: role.arn,
        // The DR VPC's isolated subnets (and its locked default security group): never reachable.
        restoreMetadataOverrides: { dbsubnetgroupname: args.restoreTesting.dbSubnetGroupName },
        // The restored instance is deleted an hour after the restore succeeds.
        validationWindowHours: 1,
      },
      opts.peer,
    );
  }
  return { vault, peerVault, plan, selection, role, vaultLocks, restoreTestingPlan };
}
