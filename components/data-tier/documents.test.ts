import * as assert from "assert";
import {
  consumerPolicy,
  dbUserArn,
  lifecycleRules,
  postgresParameters,
  proxyConnectPolicy,
  proxyResourceId,
  serviceTrustPolicy,
} from "./documents";
import {
  isKnownPostgresVersion,
  postgresFamily,
  supportedPostgresVersions,
  VALKEY_VERSIONS,
} from "./versions";

const BUCKET = "arn:aws:s3:::platform-prod-us-west-2-assets-123456789012";
const KEY = "arn:aws:kms:us-west-2:123456789012:key/1111";
const SECRET = "arn:aws:secretsmanager:us-west-2:123456789012:secret:cache-AbCdEf";

describe("data-tier documents", () => {
  it("grants a consumer exactly its own DB user, its own prefix and the keys through their services", () => {
    const doc = consumerPolicy({
      region: "us-west-2",
      accountId: "123456789012",
      dbUser: "ledger",
      connectResourceIds: ["prx-abc", "db-REPLICA1"],
      bucketArn: BUCKET,
      bucketPrefix: "ledger",
      dataKeyArn: KEY,
      cacheAuthSecretArn: SECRET,
    });
    assert.deepStrictEqual(doc, {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ConnectAsOwnDatabaseUser",
          Effect: "Allow",
          Action: "rds-db:connect",
          Resource: [
            "arn:aws:rds-db:us-west-2:123456789012:dbuser:prx-abc/ledger",
            "arn:aws:rds-db:us-west-2:123456789012:dbuser:db-REPLICA1/ledger",
          ],
        },
        {
          Sid: "ListOwnPrefix",
          Effect: "Allow",
          Action: "s3:ListBucket",
          Resource: BUCKET,
          Condition: { StringLike: { "s3:prefix": ["ledger/", "ledger/*"] } },
        },
        {
          Sid: "ReadWriteOwnPrefix",
          Effect: "Allow",
          Action: [
            "s3:GetObject",
            "s3:GetObjectVersion",
            "s3:PutObject",
            "s3:DeleteObject",
            "s3:AbortMultipartUpload",
            "s3:ListMultipartUploadParts",
          ],
          Resource: `${BUCKET}/ledger/*`,
        },
        {
          Sid: "UseBucketKeyThroughS3",
          Effect: "Allow",
          Action: ["kms:Decrypt", "kms:GenerateDataKey"],
          Resource: KEY,
          Condition: {
            StringEquals: {
              "kms:ViaService": "s3.us-west-2.amazonaws.com",
              "kms:EncryptionContext:aws:s3:arn": BUCKET,
            },
          },
        },
        {
          Sid: "ReadCacheAuthToken",
          Effect: "Allow",
          Action: "secretsmanager:GetSecretValue",
          Resource: SECRET,
        },
        {
          Sid: "DecryptCacheAuthTokenThroughSecretsManager",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: KEY,
          Condition: {
            StringEquals: {
              "kms:ViaService": "secretsmanager.us-west-2.amazonaws.com",
              "kms:EncryptionContext:SecretARN": SECRET,
            },
          },
        },
      ],
    });
    const text = JSON.stringify(doc);
    assert.ok(!/"\*"/.test(text), "no wildcard action or resource");
  });

  it("lets the proxy connect to the primary as each consumer user once, sorted", () => {
    assert.deepStrictEqual(
      proxyConnectPolicy({
        region: "eu-west-1",
        accountId: "123456789012",
        instanceResourceId: "db-PRIMARY",
        dbUsers: ["web", "ledger", "web"],
      }).Statement,
      [
        {
          Sid: "ConnectToPrimaryAsConsumerUsers",
          Effect: "Allow",
          Action: "rds-db:connect",
          Resource: [
            "arn:aws:rds-db:eu-west-1:123456789012:dbuser:db-PRIMARY/ledger",
            "arn:aws:rds-db:eu-west-1:123456789012:dbuser:db-PRIMARY/web",
          ],
        },
      ],
    );
  });

  it("reads the proxy resource id from its ARN and builds dbuser ARNs", () => {
    assert.strictEqual(
      proxyResourceId("arn:aws:rds:us-west-2:123456789012:db-proxy:prx-0123abcd"),
      "prx-0123abcd",
    );
    assert.strictEqual(
      dbUserArn("us-west-2", "123456789012", "prx-1", "app"),
      "arn:aws:rds-db:us-west-2:123456789012:dbuser:prx-1/app",
    );
  });

  it("trusts only the named service, on behalf of this account only", () => {
    assert.deepStrictEqual(serviceTrustPolicy("rds.amazonaws.com", "123456789012").Statement, [
      {
        Effect: "Allow",
        Principal: { Service: "rds.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
      },
    ]);
  });

  it("forces TLS and logs slow statements in the PostgreSQL parameter group", () => {
    assert.deepStrictEqual(postgresParameters(250), [
      { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
      { name: "ssl_min_protocol_version", value: "TLSv1.2", applyMethod: "pending-reboot" },
      { name: "log_min_duration_statement", value: "250", applyMethod: "immediate" },
      { name: "log_lock_waits", value: "1", applyMethod: "immediate" },
    ]);
  });

  it("tiers Standard -> IA (30 d) -> Glacier (90 d) -> Deep Archive (365 d) and cleans up", () => {
    assert.deepStrictEqual(lifecycleRules(), [
      {
        id: "tiering-and-cleanup",
        status: "Enabled",
        filter: {},
        transitions: [
          { days: 30, storageClass: "STANDARD_IA" },
          { days: 90, storageClass: "GLACIER" },
          { days: 365, storageClass: "DEEP_ARCHIVE" },
        ],
        noncurrentVersionExpiration: { noncurrentDays: 90 },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        expiration: { expiredObjectDeleteMarker: true },
      },
    ]);
    assert.deepStrictEqual(
      lifecycleRules({ noncurrentVersionDays: 30 })[0].noncurrentVersionExpiration,
      { noncurrentDays: 30 },
    );
  });

  it("offers PostgreSQL majors and listed minors only while in standard support", () => {
    assert.ok(isKnownPostgresVersion("18"));
    assert.ok(isKnownPostgresVersion("18.3"));
    assert.ok(!isKnownPostgresVersion("18.9"));
    assert.ok(!isKnownPostgresVersion("13"));
    assert.strictEqual(postgresFamily("18.3"), "postgres18");
    assert.deepStrictEqual(supportedPostgresVersions("2026-11-23").slice(0, 4), [
      "18",
      "18.1",
      "18.2",
      "18.3",
    ]);
    assert.ok(!supportedPostgresVersions("2028-03-01").includes("15"));
    assert.ok(supportedPostgresVersions("2028-03-01").includes("16"));
    assert.deepStrictEqual([...new Set(Object.values(VALKEY_VERSIONS))].sort(), [
      "valkey7",
      "valkey8",
    ]);
  });
});
