import * as assert from "assert";
import { assertRejected, CommittedStack, loadConfig } from "../../tools/testing";

describe("disaster recovery config", () => {
  it("gives both stacks production-safe defaults and derives the regional endpoints", () => {
    const us = loadConfig({ stack: "prod-us-west-2" }).disasterRecovery;
    assert.strictEqual(us.peerRegion, "us-east-1");
    assert.strictEqual(us.databaseStrategy, "cross-region-replica");
    assert.strictEqual(us.immutability, "compliance");
    assert.deepStrictEqual(us.retention, {
      dailyDays: 14,
      weeklyDays: 56,
      monthlyDays: 365,
      replicatedAutomatedBackupsDays: 14,
    });
    assert.deepStrictEqual(us.dns, {
      hostedZoneId: "Z0123456789ABCDEFGHIJ",
      domainName: "platform.example.com",
      failoverRecordName: "us.platform.example.com",
      primaryEndpoint: "us-west-2.platform.example.com",
      peerEndpoint: "us-east-1.platform.example.com",
      healthCheckPath: "/healthz",
    });
    const eu = loadConfig({ stack: "prod-eu-west-1" }).disasterRecovery;
    assert.strictEqual(eu.peerRegion, "eu-central-1");
    assert.strictEqual(eu.dns.peerEndpoint, "eu-central-1.platform.example.com");
  });

  it("accepts the backups-only opt-in outside production", () => {
    const staging = loadConfig({
      stack: "prod-us-west-2",
      overrides: {
        "platform:environment": "staging",
        "platform:drDatabaseStrategy": "backups-only",
      },
    });
    assert.strictEqual(staging.disasterRecovery.databaseStrategy, "backups-only");
  });

  const rejections: [string, CommittedStack, Record<string, string | undefined>, string][] = [
    [
      "EU data sent to a US peer region",
      "prod-eu-west-1",
      { "platform:drRegion": "us-east-1" },
      "platform:drRegion must be an EU region",
    ],
    [
      "EU data sent to London, outside the EU",
      "prod-eu-west-1",
      { "platform:drRegion": "eu-west-2" },
      "platform:drRegion must be an EU region",
    ],
    [
      "backups-only in production",
      "prod-us-west-2",
      { "platform:drDatabaseStrategy": "backups-only" },
      'platform:drDatabaseStrategy must be "cross-region-replica" in production',
    ],
    [
      "an unknown strategy",
      "prod-us-west-2",
      { "platform:drDatabaseStrategy": "pilot-light" },
      "platform:drDatabaseStrategy must be one of",
    ],
    [
      "daily retention under a week",
      "prod-us-west-2",
      { "platform:drDailyRetentionDays": "3" },
      "platform:drDailyRetentionDays must be a whole number between 7 and 35",
    ],
    [
      "weekly retention not longer than daily",
      "prod-us-west-2",
      { "platform:drWeeklyRetentionDays": "14" },
      "platform:drWeeklyRetentionDays must exceed drDailyRetentionDays",
    ],
    [
      "monthly retention not longer than weekly",
      "prod-us-west-2",
      { "platform:drWeeklyRetentionDays": "120", "platform:drMonthlyRetentionDays": "100" },
      "platform:drMonthlyRetentionDays must exceed drWeeklyRetentionDays",
    ],
    [
      "replicated automated backups beyond RDS's 35 days",
      "prod-us-west-2",
      { "platform:drReplicatedBackupRetentionDays": "36" },
      "platform:drReplicatedBackupRetentionDays must be a whole number between 1 and 35",
    ],
    [
      "an unknown immutability mode",
      "prod-us-west-2",
      { "platform:drImmutability": "none" },
      "platform:drImmutability must be one of",
    ],
    [
      "the retired DR VPC key (the standby's VPC replaces it)",
      "prod-us-west-2",
      { "platform:drVpcCidr": "10.110.0.0/22" },
      "platform:drVpcCidr must be a known key",
    ],
    [
      "a primary without a failover record",
      "prod-us-west-2",
      { "platform:failoverRecordName": undefined },
      "platform:failoverRecordName must be a lower-case DNS name",
    ],
    [
      "a malformed hosted zone ID",
      "prod-us-west-2",
      { "platform:hostedZoneId": "zone-1" },
      "platform:hostedZoneId must be a Route 53 hosted zone ID",
    ],
    [
      "a malformed domain",
      "prod-us-west-2",
      { "platform:domainName": "Platform_Example" },
      "platform:domainName must be a lower-case DNS name",
    ],
    [
      "a failover name outside the domain",
      "prod-us-west-2",
      { "platform:failoverRecordName": "us.other.example.org" },
      "platform:failoverRecordName must be a name below domainName platform.example.com",
    ],
    [
      "a failover name at the zone apex",
      "prod-us-west-2",
      { "platform:failoverRecordName": "platform.example.com" },
      "platform:failoverRecordName must be a name below domainName",
    ],
    [
      "a failover name equal to a regional endpoint",
      "prod-us-west-2",
      { "platform:failoverRecordName": "us-east-1.platform.example.com" },
      "platform:failoverRecordName must differ from the regional endpoint us-east-1.platform.example.com",
    ],
    [
      "the other stack's failover name",
      "prod-us-west-2",
      { "platform:failoverRecordName": "eu.platform.example.com" },
      "platform:failoverRecordName must differ from stack prod-eu-west-1's failoverRecordName",
    ],
    [
      "a health check path without a leading slash",
      "prod-us-west-2",
      { "platform:healthCheckPath": "healthz" },
      "platform:healthCheckPath must be a URL path",
    ],
    [
      "a missing hosted zone",
      "prod-us-west-2",
      { "platform:hostedZoneId": undefined },
      "platform:hostedZoneId must be set",
    ],
  ];
  for (const [what, stack, overrides, expected] of rejections) {
    it(`rejects ${what}, naming the key`, () => {
      assertRejected({ stack, overrides }, expected);
    });
  }
});
