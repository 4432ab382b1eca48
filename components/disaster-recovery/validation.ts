/** Checks of the disaster-recovery component's arguments, reporting every problem at once. */
import { Problems } from "@platform/core";
import { DEFAULT_RETENTION, DisasterRecoveryArgs } from "./args";

const NAME = /^[a-z][a-z0-9-]{0,20}$/;

export function validateDisasterRecoveryArgs(args: DisasterRecoveryArgs): void {
  const problems = new Problems();
  problems.check(
    /^\d{12}$/.test(args.accountId),
    "args.accountId",
    args.accountId,
    "be a 12-digit AWS account ID",
  );
  problems.check(
    args.peerRegion !== args.region,
    "args.peerRegion",
    args.peerRegion,
    `differ from args.region (${args.region})`,
  );
  problems.oneOf("args.databaseStrategy", args.databaseStrategy ?? "cross-region-replica", [
    "cross-region-replica",
    "backups-only",
  ]);
  problems.oneOf("args.immutability", args.immutability ?? "compliance", [
    "compliance",
    "governance",
  ]);
  const r = args.retention ?? DEFAULT_RETENTION;
  problems.integerInRange("args.retention.dailyDays", r.dailyDays, 7, 35);
  problems.check(
    r.weeklyDays > r.dailyDays,
    "args.retention.weeklyDays",
    r.weeklyDays,
    `exceed dailyDays (${r.dailyDays})`,
  );
  problems.check(
    r.monthlyDays > r.weeklyDays,
    "args.retention.monthlyDays",
    r.monthlyDays,
    `exceed weeklyDays (${r.weeklyDays})`,
  );
  problems.integerInRange(
    "args.replicatedBackupRetentionDays",
    args.replicatedBackupRetentionDays ?? 14,
    1,
    35,
  );
  if (args.standby) {
    problems.check(
      args.standby.region === args.peerRegion,
      "args.standby.region",
      args.standby.region,
      `be args.peerRegion (${args.peerRegion}): the failover record's SECONDARY points there`,
    );
  }
  for (const [what, list] of [
    ["databases", (args.databases ?? []).map((d) => d.name)],
    ["buckets", (args.buckets ?? []).map((b) => b.name)],
  ] as const) {
    list.forEach((n, i) =>
      problems.check(NAME.test(n), `args.${what}[${i}].name`, n, "be a short lower-case name"),
    );
    problems.check(new Set(list).size === list.length, `args.${what}`, list, "not repeat a name");
  }
  problems.check(
    !(args.buckets ?? []).some((b) => b.name === "velero"),
    "args.buckets",
    (args.buckets ?? []).map((b) => b.name),
    'not use the name "velero" (the component replicates Velero\'s bucket itself)',
  );
  problems.throwIfAny("DisasterRecovery arguments");
}
