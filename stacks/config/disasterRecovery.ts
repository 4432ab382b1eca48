/**
 * Disaster recovery: how the stack's region is recovered in its peer (`platform:drRegion`), how long
 * copies are kept, how immutable they are, and the DNS failover that moves traffic without a human.
 */
import { Problems } from "@platform/core";
import type { DatabaseDrStrategy, ImmutabilityMode } from "@platform/disaster-recovery";
import { ConfigSection, configKey } from "./schema";

export type { DatabaseDrStrategy, ImmutabilityMode };

export interface DisasterRecoveryConfig {
  readonly peerRegion: string;
  readonly databaseStrategy: DatabaseDrStrategy;
  readonly retention: {
    readonly dailyDays: number;
    readonly weeklyDays: number;
    readonly monthlyDays: number;
    /** Replicated RDS automated backups: the point-in-time restore window in the peer region. */
    readonly replicatedAutomatedBackupsDays: number;
  };
  readonly immutability: ImmutabilityMode;
  readonly dns: {
    readonly hostedZoneId: string;
    readonly domainName: string;
    /**
     * Name clients use; a failover record set, primary here and secondary in the peer region.
     * Empty in a standby stack: its primary owns the record set.
     */
    readonly failoverRecordName: string;
    /** The region's own public endpoint (`<region>.<domainName>`), health-checked. */
    readonly primaryEndpoint: string;
    /** The peer region's endpoint (`<peer region>.<domainName>`), published by its standby stack. */
    readonly peerEndpoint: string;
    readonly healthCheckPath: string;
  };
}

const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
const DOMAIN_NAME = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const disasterRecovery: ConfigSection<DisasterRecoveryConfig> = {
  keys: {
    drDatabaseStrategy: {
      type: "string",
      default: "cross-region-replica",
      description:
        "cross-region-replica (promotable replica in drRegion) or backups-only (cheaper opt-in, not in prod).",
    },
    drDailyRetentionDays: {
      type: "integer",
      default: 14,
      description: "Days daily backups (Velero and AWS Backup) are kept.",
    },
    drWeeklyRetentionDays: {
      type: "integer",
      default: 56,
      description: "Days weekly backups are kept (default 8 weeks).",
    },
    drMonthlyRetentionDays: {
      type: "integer",
      default: 365,
      description: "Days monthly backups are kept (default 12 months).",
    },
    drReplicatedBackupRetentionDays: {
      type: "integer",
      default: 14,
      description:
        "Days of RDS automated backups replicated to drRegion (point-in-time restore window there).",
    },
    drImmutability: {
      type: "string",
      default: "compliance",
      description:
        "Object Lock and Vault Lock mode: compliance (nobody can shorten retention) or governance.",
    },
    hostedZoneId: {
      type: "string",
      description: "Route 53 public hosted zone of domainName (failover records, external-dns).",
    },
    domainName: {
      type: "string",
      description:
        "Domain of hostedZoneId; each region serves <region>.<domainName> (published by external-dns).",
    },
    failoverRecordName: {
      type: "string",
      default: "",
      description:
        "Name clients use, inside domainName: a failover record, this region first, drRegion second.",
    },
    healthCheckPath: {
      type: "string",
      default: "/healthz",
      description: "HTTPS path Route 53 health checkers request on <region>.<domainName>.",
    },
  },

  build(values, problems: Problems, context): DisasterRecoveryConfig {
    const environment = values.environment as string;
    const peerRegion = values.drRegion as string;
    const databaseStrategy = values.drDatabaseStrategy as DatabaseDrStrategy;
    if (
      problems.oneOf(configKey("drDatabaseStrategy"), databaseStrategy, [
        "cross-region-replica",
        "backups-only",
      ]) &&
      environment === "prod"
    ) {
      problems.check(
        databaseStrategy === "cross-region-replica",
        configKey("drDatabaseStrategy"),
        databaseStrategy,
        'be "cross-region-replica" in production (restoring from backups cannot meet the 30-minute RTO)',
      );
    }

    const daily = values.drDailyRetentionDays as number;
    const weekly = values.drWeeklyRetentionDays as number;
    const monthly = values.drMonthlyRetentionDays as number;
    const dailyOk = problems.integerInRange(configKey("drDailyRetentionDays"), daily, 7, 35);
    const weeklyOk = problems.integerInRange(configKey("drWeeklyRetentionDays"), weekly, 14, 366);
    // AWS Backup keeps a recovery point at most 100 years; a year or more is what audits ask for.
    const monthlyOk = problems.integerInRange(
      configKey("drMonthlyRetentionDays"),
      monthly,
      90,
      36500,
    );
    if (dailyOk && weeklyOk) {
      problems.check(
        weekly > daily,
        configKey("drWeeklyRetentionDays"),
        weekly,
        `exceed drDailyRetentionDays (${daily})`,
      );
    }
    if (weeklyOk && monthlyOk) {
      problems.check(
        monthly > weekly,
        configKey("drMonthlyRetentionDays"),
        monthly,
        `exceed drWeeklyRetentionDays (${weekly})`,
      );
    }
    const replicatedBackups = values.drReplicatedBackupRetentionDays as number;
    // RDS accepts 1 to 35 days for replicated automated backups.
    problems.integerInRange(configKey("drReplicatedBackupRetentionDays"), replicatedBackups, 1, 35);

    const immutability = values.drImmutability as ImmutabilityMode;
    problems.oneOf(configKey("drImmutability"), immutability, ["compliance", "governance"]);

    const hostedZoneId = values.hostedZoneId as string;
    problems.check(
      HOSTED_ZONE_ID.test(hostedZoneId),
      configKey("hostedZoneId"),
      hostedZoneId,
      'be a Route 53 hosted zone ID such as "Z0123456789ABCDEFGHIJ"',
    );
    const domainName = (values.domainName as string).replace(/\.$/, "");
    const domainOk = problems.check(
      DOMAIN_NAME.test(domainName),
      configKey("domainName"),
      values.domainName,
      'be a lower-case DNS name such as "platform.example.com"',
    );
    const failoverRecordName = (values.failoverRecordName as string).replace(/\.$/, "");
    const isStandby = values.role === "standby";
    if (isStandby) {
      problems.check(
        failoverRecordName === "",
        configKey("failoverRecordName"),
        failoverRecordName,
        "be unset in a standby stack (its primary's stack owns the failover record set)",
      );
    } else if (
      problems.check(
        DOMAIN_NAME.test(failoverRecordName),
        configKey("failoverRecordName"),
        values.failoverRecordName,
        'be a lower-case DNS name such as "us.platform.example.com"',
      ) &&
      domainOk
    ) {
      problems.check(
        failoverRecordName.endsWith(`.${domainName}`),
        configKey("failoverRecordName"),
        failoverRecordName,
        `be a name below domainName ${domainName} (a CNAME cannot sit at the zone apex)`,
      );
      for (const region of [context.region, peerRegion]) {
        problems.check(
          failoverRecordName !== `${region}.${domainName}`,
          configKey("failoverRecordName"),
          failoverRecordName,
          `differ from the regional endpoint ${region}.${domainName} it fails over between`,
        );
      }
      for (const other of context.otherStacks) {
        const otherName = other.config[configKey("failoverRecordName")];
        problems.check(
          typeof otherName !== "string" || otherName.replace(/\.$/, "") !== failoverRecordName,
          configKey("failoverRecordName"),
          failoverRecordName,
          `differ from stack ${other.stack}'s failoverRecordName (one failover record set per region)`,
        );
      }
    }
    const healthCheckPath = values.healthCheckPath as string;
    problems.check(
      /^\/[\x21-\x7e]{0,254}$/.test(healthCheckPath),
      configKey("healthCheckPath"),
      healthCheckPath,
      'be a URL path starting with "/", at most 255 printable characters',
    );

    return {
      peerRegion,
      databaseStrategy,
      retention: {
        dailyDays: daily,
        weeklyDays: weekly,
        monthlyDays: monthly,
        replicatedAutomatedBackupsDays: replicatedBackups,
      },
      immutability,
      dns: {
        hostedZoneId,
        domainName,
        failoverRecordName,
        primaryEndpoint: `${context.region}.${domainName}`,
        peerEndpoint: `${peerRegion}.${domainName}`,
        healthCheckPath,
      },
    };
  },
};
