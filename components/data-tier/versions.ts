/**
 * Engine versions the data tier offers, each with what the AWS APIs need alongside it.
 *
 * PostgreSQL on RDS: a major version is offered while it is in RDS standard support (after that
 * RDS Extended Support is billed per vCPU-hour). Dates: "Release calendar for Amazon RDS for
 * PostgreSQL", https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html.
 * Minor versions listed are ones RDS has published for new instances (aws-cdk-lib
 * `PostgresEngineVersion` VER_18_1..VER_18_3 and VER_17_6..VER_17_9; 16.11 and 15.15 are the
 * targets RDS named when it retired 15.9-15.12 and 16.5-16.8 on 2026-05-31). Prefer a major
 * version alone: RDS then creates the newest minor and `autoMinorVersionUpgrade` keeps it current
 * without the program fighting the upgrades. Confirm a new one with
 * `aws rds describe-db-engine-versions --engine postgres --engine-version <v>` before adding it.
 *
 * Valkey on ElastiCache: versions and parameter-group families from "Engine versions and
 * upgrading in ElastiCache", https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html,
 * and "Engine specific parameters" (family `valkey8` for 8.0 to 8.2, `valkey7` for 7.2).
 */
interface PostgresMajor {
  /** Last day of RDS standard support (ISO date). */
  readonly standardSupportEnds: string;
  /** Minor versions RDS offers for new instances, oldest first. */
  readonly minors: readonly string[];
}

export const POSTGRES_MAJORS: Readonly<Record<string, PostgresMajor>> = {
  "18": { standardSupportEnds: "2031-02-28", minors: ["18.1", "18.2", "18.3"] },
  "17": { standardSupportEnds: "2030-02-28", minors: ["17.6", "17.7", "17.8", "17.9"] },
  "16": { standardSupportEnds: "2029-02-28", minors: ["16.11"] },
  "15": { standardSupportEnds: "2028-02-29", minors: ["15.15"] },
};

/** The parameter group family of a PostgreSQL version such as "18" or "18.3". */
export function postgresFamily(version: string): string {
  return `postgres${version.split(".")[0]}`;
}

/** True for a major version in the table, or one of its listed minors. */
export function isKnownPostgresVersion(version: string): boolean {
  const major = version.split(".")[0];
  const known = POSTGRES_MAJORS[major];
  return known !== undefined && (version === major || known.minors.includes(version));
}

/** PostgreSQL versions (majors, then their minors) in RDS standard support on `today`. */
export function supportedPostgresVersions(today: string): string[] {
  return Object.entries(POSTGRES_MAJORS)
    .filter(([, major]) => major.standardSupportEnds >= today)
    .sort(([a], [b]) => Number(b) - Number(a))
    .flatMap(([major, { minors }]) => [major, ...minors]);
}

export const CACHE_ENGINE = "valkey";

/** Valkey versions ElastiCache offers for node-based clusters, with their parameter group family. */
export const VALKEY_VERSIONS: Readonly<Record<string, string>> = {
  "8.2": "valkey8",
  "8.1": "valkey8",
  "8.0": "valkey8",
  "7.2": "valkey7",
};
