/** Violating and passing cases of the data services (RDS and Aurora, ElastiCache, S3, KMS) policies. */
import { type Case, exercising, passes, stackCase, violates } from "../test/case";
import { ACCOUNT, change, policyDocument, urn, withDeps } from "../test/builders";
import { happy } from "../test/fixtures";
import { UNKNOWN } from "@platform/model";

export const cases: Case[] = [
  passes("rds-instance-encrypted-cmk", "customer key", happy.rdsInstance()),
  violates(
    "rds-instance-encrypted-cmk",
    "no customer key",
    change(happy.rdsInstance(), "kmsKeyId", undefined),
  ),
  passes("rds-cluster-encrypted-cmk", "customer key", happy.rdsCluster()),
  exercising(
    ["CKV_AWS_96", "CKV_AWS_327", "AVD-AWS-0079"],
    violates(
      "rds-cluster-encrypted-cmk",
      "unencrypted",
      change(happy.rdsCluster(), "storageEncrypted", false),
    ),
  ),
  passes("rds-instance-multi-az", "Multi-AZ", happy.rdsInstance()),
  exercising(
    ["CKV_AWS_157"],
    violates("rds-instance-multi-az", "single AZ", change(happy.rdsInstance(), "multiAz", false)),
  ),
  passes("rds-cluster-multi-az", "Aurora (replicas checked by the stack)", happy.rdsCluster()),
  violates(
    "rds-cluster-multi-az",
    "Multi-AZ DB cluster without an instance class",
    change(happy.rdsCluster(), "engine", "postgres"),
  ),
  passes("rds-instance-backup-retention", "14 days", happy.rdsInstance()),
  exercising(
    ["AVD-AWS-0077"],
    violates(
      "rds-instance-backup-retention",
      "1 day",
      change(happy.rdsInstance(), "backupRetentionPeriod", 1),
    ),
  ),
  violates("rds-instance-backup-retention", "14 days under a 30-day minimum", happy.rdsInstance(), {
    "rds-instance-backup-retention": { minDays: 30 },
  }),
  passes("rds-cluster-backup-retention", "14 days", happy.rdsCluster()),
  exercising(
    ["AVD-AWS-0077"],
    violates(
      "rds-cluster-backup-retention",
      "default retention",
      change(happy.rdsCluster(), "backupRetentionPeriod", undefined),
    ),
  ),
  passes("rds-instance-deletion-protection", "protected", happy.rdsInstance()),
  exercising(
    ["CKV_AWS_293"],
    violates(
      "rds-instance-deletion-protection",
      "unprotected",
      change(happy.rdsInstance(), "deletionProtection", false),
    ),
  ),
  passes("rds-cluster-deletion-protection", "protected", happy.rdsCluster()),
  exercising(
    ["CKV_AWS_139"],
    violates(
      "rds-cluster-deletion-protection",
      "unprotected",
      change(happy.rdsCluster(), "deletionProtection", undefined),
    ),
  ),
  passes("rds-instance-final-snapshot", "final snapshot", happy.rdsInstance()),
  passes(
    "rds-instance-final-snapshot",
    "read replica (RDS cannot snapshot it on deletion)",
    change(
      change(happy.rdsInstance(), "replicateSourceDb", "orders"),
      "finalSnapshotIdentifier",
      undefined,
    ),
  ),
  violates(
    "rds-instance-final-snapshot",
    "skips the final snapshot",
    change(happy.rdsInstance(), "skipFinalSnapshot", true),
  ),
  passes("rds-cluster-final-snapshot", "final snapshot", happy.rdsCluster()),
  violates(
    "rds-cluster-final-snapshot",
    "no snapshot identifier",
    change(happy.rdsCluster(), "finalSnapshotIdentifier", undefined),
  ),
  passes("rds-instance-iam-authentication", "IAM auth", happy.rdsInstance()),
  passes(
    "rds-instance-iam-authentication",
    "engine without IAM auth",
    change(
      change(happy.rdsInstance(), "engine", "sqlserver-se"),
      "iamDatabaseAuthenticationEnabled",
      false,
    ),
  ),
  exercising(
    ["CKV_AWS_161"],
    violates(
      "rds-instance-iam-authentication",
      "password only",
      change(happy.rdsInstance(), "iamDatabaseAuthenticationEnabled", false),
    ),
  ),
  passes("rds-cluster-iam-authentication", "IAM auth", happy.rdsCluster()),
  exercising(
    ["CKV_AWS_162"],
    violates(
      "rds-cluster-iam-authentication",
      "password only",
      change(happy.rdsCluster(), "iamDatabaseAuthenticationEnabled", undefined),
    ),
  ),
  passes("rds-instance-performance-insights", "enabled with a key", happy.rdsInstance()),
  exercising(
    ["CKV_AWS_353"],
    violates(
      "rds-instance-performance-insights",
      "disabled",
      change(happy.rdsInstance(), "performanceInsightsEnabled", false),
    ),
  ),
  passes(
    "rds-cluster-instance-performance-insights",
    "enabled with a key",
    happy.rdsClusterInstance(),
  ),
  exercising(
    ["CKV_AWS_354"],
    violates(
      "rds-cluster-instance-performance-insights",
      "no key",
      change(happy.rdsClusterInstance(), "performanceInsightsKmsKeyId", undefined),
    ),
  ),
  passes("rds-instance-not-public", "private", happy.rdsInstance()),
  exercising(
    ["CKV_AWS_17", "AVD-AWS-0180"],
    violates(
      "rds-instance-not-public",
      "public",
      change(happy.rdsInstance(), "publiclyAccessible", true),
    ),
  ),
  passes("rds-cluster-instance-not-public", "private", happy.rdsClusterInstance()),
  exercising(
    ["CKV_AWS_17", "AVD-AWS-0180"],
    violates(
      "rds-cluster-instance-not-public",
      "public",
      change(happy.rdsClusterInstance(), "publiclyAccessible", true),
    ),
  ),
  passes("elasticache-at-rest-encryption", "customer key", happy.replicationGroup()),
  exercising(
    ["CKV_AWS_29", "CKV_AWS_191", "AVD-AWS-0045"],
    violates(
      "elasticache-at-rest-encryption",
      "unencrypted",
      change(happy.replicationGroup(), "atRestEncryptionEnabled", false),
    ),
  ),
  passes("elasticache-in-transit-encryption", "TLS", happy.replicationGroup()),
  exercising(
    ["CKV_AWS_30", "AVD-AWS-0051"],
    violates(
      "elasticache-in-transit-encryption",
      "plain text",
      change(happy.replicationGroup(), "transitEncryptionEnabled", undefined),
    ),
  ),
  violates(
    "elasticache-in-transit-encryption",
    "TLS preferred only",
    change(happy.replicationGroup(), "transitEncryptionMode", "preferred"),
  ),
  passes("elasticache-auth", "RBAC user group", happy.replicationGroup()),
  passes(
    "elasticache-auth",
    "AUTH token",
    change(
      change(happy.replicationGroup(), "userGroupIds", undefined),
      "authToken",
      "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    ),
  ),
  exercising(
    ["CKV_AWS_31"],
    violates(
      "elasticache-auth",
      "no authentication",
      change(happy.replicationGroup(), "userGroupIds", undefined),
    ),
  ),
  passes("elasticache-automatic-failover", "failover", happy.replicationGroup()),
  exercising(
    ["CKV2_AWS_50"],
    violates(
      "elasticache-automatic-failover",
      "single zone",
      change(happy.replicationGroup(), "multiAzEnabled", false),
    ),
  ),
  passes("elasticache-snapshots", "7 days", happy.replicationGroup()),
  violates(
    "elasticache-snapshots",
    "no snapshots",
    change(happy.replicationGroup(), "snapshotRetentionLimit", undefined),
  ),
  passes("s3-public-access-block", "all four flags", happy.publicAccessBlock()),
  exercising(
    ["CKV_AWS_54", "AVD-AWS-0087"],
    violates(
      "s3-public-access-block",
      "public policies allowed",
      change(happy.publicAccessBlock(), "blockPublicPolicy", false),
    ),
  ),
  passes("s3-sse-kms", "SSE-KMS with a key", happy.sseConfiguration()),
  passes(
    "s3-sse-kms",
    "SSE-S3, judged with the bucket's role by s3-bucket-companions",
    change(happy.sseConfiguration(), "rules.0.applyServerSideEncryptionByDefault", {
      sseAlgorithm: "AES256",
    }),
  ),
  exercising(
    ["AVD-AWS-0132"],
    violates(
      "s3-sse-kms",
      "KMS with the AWS-managed key",
      change(happy.sseConfiguration(), "rules.0.applyServerSideEncryptionByDefault", {
        sseAlgorithm: "aws:kms",
      }),
    ),
  ),
  exercising(
    ["CKV_AWS_19", "CKV_AWS_145", "AVD-AWS-0088", "AVD-AWS-0132"],
    violates("s3-sse-kms", "no rules", change(happy.sseConfiguration(), "rules", [])),
  ),
  passes("s3-versioning-enabled", "enabled", happy.versioning()),
  exercising(
    ["CKV_AWS_21", "AVD-AWS-0090"],
    violates(
      "s3-versioning-enabled",
      "suspended",
      change(happy.versioning(), "versioningConfiguration.status", "Suspended"),
    ),
  ),
  passes("s3-acl-not-public", "private", happy.bucketAcl()),
  exercising(
    ["CKV_AWS_20", "AVD-AWS-0092"],
    violates("s3-acl-not-public", "public-read", change(happy.bucketAcl(), "acl", "public-read")),
  ),
  violates(
    "s3-acl-not-public",
    "grant to AllUsers",
    change(change(happy.bucketAcl(), "acl", undefined), "accessControlPolicy", {
      owner: { id: "abc" },
      grants: [
        {
          permission: "READ",
          grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" },
        },
      ],
    }),
  ),
  passes("s3-bucket-no-public-acl", "no ACL", happy.bucket()),
  exercising(
    ["CKV_AWS_20", "CKV_AWS_57", "AVD-AWS-0092"],
    violates(
      "s3-bucket-no-public-acl",
      "public-read-write",
      change(happy.bucket(), "acl", "public-read-write"),
    ),
  ),
  passes("s3-bucket-policy-not-public", "named principal", happy.bucketPolicy()),
  exercising(
    ["CKV_AWS_70"],
    violates(
      "s3-bucket-policy-not-public",
      "Principal * allowed",
      change(
        happy.bucketPolicy(),
        "policy",
        policyDocument([
          {
            Effect: "Allow",
            Principal: "*",
            Action: "s3:GetObject",
            Resource: "arn:aws:s3:::platform-logs/*",
          },
          {
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: "*",
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ]),
      ),
    ),
  ),
  passes("s3-bucket-policy-tls-only", "denies HTTP", happy.bucketPolicy()),
  violates(
    "s3-bucket-policy-tls-only",
    "no TLS statement",
    change(
      happy.bucketPolicy(),
      "policy",
      policyDocument([
        {
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111122223333:role/x" },
          Action: "s3:GetObject",
          Resource: "arn:aws:s3:::platform-logs/*",
        },
      ]),
    ),
  ),
  passes("s3-bucket-no-force-destroy", "kept with its objects", happy.bucket()),
  violates(
    "s3-bucket-no-force-destroy",
    "force destroy",
    change(happy.bucket(), "forceDestroy", true),
  ),
  passes("kms-key-rotation", "rotating", happy.kmsKey()),
  passes(
    "kms-key-rotation",
    "asymmetric signing key",
    change(
      change(happy.kmsKey(), "enableKeyRotation", false),
      "customerMasterKeySpec",
      "ECC_NIST_P256",
    ),
  ),
  exercising(
    ["CKV_AWS_7", "AVD-AWS-0065"],
    violates(
      "kms-key-rotation",
      "not rotating",
      change(happy.kmsKey(), "enableKeyRotation", false),
    ),
  ),
  passes("kms-key-policy-no-wildcard-principal", "account root", happy.kmsKey()),
  exercising(
    ["CKV_AWS_33"],
    violates(
      "kms-key-policy-no-wildcard-principal",
      "anyone",
      change(
        happy.kmsKey(),
        "policy",
        policyDocument([
          { Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" },
        ]),
      ),
    ),
  ),
  stackCase("s3-bucket-companions", "bucket with all companions", "passes"),
  stackCase("s3-bucket-companions", "companions matched by bucket name", "passes", (s) => {
    s.companions = s.companions.map((c) => ({ ...c, propertyDependencies: {} }));
  }),
  // Its flags are s3-public-access-block's to report, once; here only the block's absence counts.
  stackCase(
    "s3-bucket-companions",
    "a public access block with a flag off (reported by s3-public-access-block)",
    "passes",
    (s) => {
      s.companions = s.companions.map((c) =>
        c.type.includes("PublicAccessBlock") ? change(c, "restrictPublicBuckets", false) : c,
      );
    },
  ),
  exercising(
    ["CKV_AWS_21"],
    stackCase("s3-bucket-companions", "bucket without versioning", "violates", (s) => {
      s.companions = s.companions.filter((c) => !c.type.includes("Versioning"));
    }),
  ),
  stackCase("s3-bucket-companions", "deprecated V2 encryption with SSE-S3", "violates", (s) => {
    s.companions = s.companions.map((c) =>
      c.type.includes("ServerSideEncryption")
        ? change(
            {
              ...c,
              type: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
            },
            "rules.0.applyServerSideEncryptionByDefault",
            { sseAlgorithm: "AES256" },
          )
        : c,
    );
  }),
  exercising(
    ["CKV_AWS_145"],
    stackCase(
      "s3-bucket-companions",
      "SSE-S3 on a bucket that is no log target",
      "violates",
      (s) => {
        s.companions = s.companions.map((c) =>
          c.type.includes("ServerSideEncryption")
            ? change(c, "rules.0.applyServerSideEncryptionByDefault", { sseAlgorithm: "AES256" })
            : c,
        );
      },
    ),
  ),
  stackCase("s3-bucket-companions", "SSE-S3 on a server access log target", "passes", (s) => {
    s.companions = s.companions.map((c) =>
      c.type.includes("ServerSideEncryption")
        ? change(c, "rules.0.applyServerSideEncryptionByDefault", { sseAlgorithm: "AES256" })
        : c,
    );
    const source = happy.bucket("assets");
    (s as Record<string, unknown>).logging = withDeps(
      {
        ...happy.bucket("assets"),
        type: "aws:s3/bucketLogging:BucketLogging",
        urn: urn("aws:s3/bucketLogging:BucketLogging", "assets-logging"),
        name: "assets-logging",
        properties: { targetPrefix: "assets/" },
        options: {},
      },
      { bucket: [source], targetBucket: [s.bucket] },
    );
    (s as Record<string, unknown>).assets = source;
    (s as Record<string, unknown>).assetsCompanions = [
      happy.publicAccessBlock("platform-assets"),
      happy.sseConfiguration("platform-assets"),
      happy.versioning("platform-assets"),
    ];
  }),
  stackCase(
    "s3-bucket-companions",
    "SSE-KMS on a log target, where delivery fails",
    "violates",
    (s) => {
      (s as Record<string, unknown>).logging = withDeps(
        {
          ...happy.bucket("assets"),
          type: "aws:s3/bucketLogging:BucketLogging",
          urn: urn("aws:s3/bucketLogging:BucketLogging", "self-logging"),
          name: "self-logging",
          properties: { targetPrefix: "self/" },
          options: {},
        },
        { targetBucket: [s.bucket] },
      );
    },
  ),
  stackCase(
    "s3-bucket-access-logging",
    "a bucket logging to the access-log bucket, which logs nowhere",
    "passes",
  ),
  exercising(
    ["CKV_AWS_18", "AVD-AWS-0089"],
    stackCase(
      "s3-bucket-access-logging",
      "a bucket without server access logging",
      "violates",
      (s) => {
        delete (s as Record<string, unknown>).bucketLogging;
      },
    ),
  ),
  stackCase(
    "s3-bucket-access-logging",
    "logging that names the bucket by its known name",
    "passes",
    (s) => {
      s.bucketLogging = withDeps(happy.bucketLogging(), { targetBucket: [s.accessLogBucket] });
    },
  ),
  stackCase(
    "s3-bucket-access-logging",
    "logging configured for another bucket only",
    "violates",
    (s) => {
      s.bucketLogging = withDeps(happy.bucketLogging("platform-other"), {
        targetBucket: [s.accessLogBucket],
      });
    },
  ),
  passes("rds-instance-enhanced-monitoring", "every 15 seconds", happy.rdsInstance()),
  exercising(
    ["CKV_AWS_118"],
    violates(
      "rds-instance-enhanced-monitoring",
      "a cross-region replica without enhanced monitoring",
      change(
        change(
          change(happy.rdsInstance(), "monitoringInterval", undefined),
          "monitoringRoleArn",
          undefined,
        ),
        "replicateSourceDb",
        `arn:aws:rds:us-west-2:${ACCOUNT}:db:orders`,
      ),
    ),
  ),
  violates(
    "rds-instance-enhanced-monitoring",
    "an in-region read replica with monitoring off (interval 0)",
    change(change(happy.rdsInstance(), "monitoringInterval", 0), "replicateSourceDb", "orders"),
  ),
  violates(
    "rds-instance-enhanced-monitoring",
    "an interval without a monitoring role",
    change(happy.rdsInstance(), "monitoringRoleArn", undefined),
  ),
  violates(
    "rds-instance-enhanced-monitoring",
    "60 seconds where the stack allows 15 at most",
    change(happy.rdsInstance(), "monitoringInterval", 60),
    { "rds-instance-enhanced-monitoring": { maxIntervalSeconds: 15 } },
  ),
  stackCase("secretsmanager-secret-rotation", "a secret rotated every 30 days", "passes"),
  exercising(
    ["CKV2_AWS_57"],
    stackCase("secretsmanager-secret-rotation", "a secret that never rotates", "violates", (s) => {
      delete (s as Record<string, unknown>).secretRotation;
    }),
  ),
  exercising(
    ["CKV_AWS_304"],
    stackCase(
      "secretsmanager-secret-rotation",
      "a rotation once a year, past the 90-day maximum",
      "violates",
      (s) => {
        s.secretRotation = withDeps(
          change(happy.secretRotation(), "rotationRules.automaticallyAfterDays", 365),
          { secretId: [s.secret] },
        );
      },
    ),
  ),
  stackCase(
    "secretsmanager-secret-rotation",
    "a rotation that names the secret by its known name",
    "passes",
    (s) => {
      s.secretRotation = change(happy.secretRotation(), "secretId", "platform/cache/auth-token");
    },
  ),
  stackCase("rds-master-password-not-plaintext", "managed password", "passes"),
  stackCase("rds-master-password-not-plaintext", "generated password", "passes", (s) => {
    const pw = {
      urn: urn("random:index/randomPassword:RandomPassword", "orders"),
      type: "random:index/randomPassword:RandomPassword",
      name: "orders",
      properties: { length: 32 },
    };
    s.rdsInstance = withDeps(
      change(
        change(s.rdsInstance, "manageMasterUserPassword", undefined),
        "password",
        "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
      ),
      { password: [pw] },
    );
    (s as Record<string, unknown>).password = pw;
  }),
  stackCase(
    "rds-master-password-not-plaintext",
    "password written in the program",
    "violates",
    (s) => {
      s.rdsInstance = change(
        change(s.rdsInstance, "manageMasterUserPassword", undefined),
        "password",
        "hunter2hunter2",
      );
    },
  ),
  stackCase("aurora-cluster-multi-az-instances", "writer and reader", "passes"),
  stackCase("aurora-cluster-multi-az-instances", "writer only", "violates", (s) => {
    s.clusterInstances = s.clusterInstances.slice(0, 1);
  }),
  exercising(
    ["CKV_AWS_16", "AVD-AWS-0080"],
    violates(
      "rds-instance-encrypted-cmk",
      "unencrypted",
      change(change(happy.rdsInstance(), "storageEncrypted", false), "kmsKeyId", undefined),
    ),
  ),
  exercising(
    ["CKV_AWS_133", "AVD-AWS-0077"],
    violates(
      "rds-instance-backup-retention",
      "automated backups off",
      change(happy.rdsInstance(), "backupRetentionPeriod", 0),
    ),
  ),
  exercising(
    ["CKV_AWS_133", "AVD-AWS-0077"],
    violates(
      "rds-cluster-backup-retention",
      "automated backups off",
      change(happy.rdsCluster(), "backupRetentionPeriod", 0),
    ),
  ),
  exercising(
    ["CKV_AWS_354"],
    violates(
      "rds-instance-performance-insights",
      "no key",
      change(happy.rdsInstance(), "performanceInsightsKmsKeyId", undefined),
    ),
  ),
  exercising(
    ["CKV_AWS_353"],
    violates(
      "rds-cluster-instance-performance-insights",
      "disabled",
      change(happy.rdsClusterInstance(), "performanceInsightsEnabled", false),
    ),
  ),
  exercising(
    ["CKV_AWS_53", "AVD-AWS-0086"],
    violates(
      "s3-public-access-block",
      "public ACLs allowed",
      change(happy.publicAccessBlock(), "blockPublicAcls", false),
    ),
  ),
  exercising(
    ["CKV_AWS_55", "AVD-AWS-0091"],
    violates(
      "s3-public-access-block",
      "public ACLs honoured",
      change(happy.publicAccessBlock(), "ignorePublicAcls", false),
    ),
  ),
  exercising(
    ["CKV_AWS_56", "AVD-AWS-0093"],
    violates(
      "s3-public-access-block",
      "public buckets not restricted",
      change(happy.publicAccessBlock(), "restrictPublicBuckets", false),
    ),
  ),
  exercising(
    ["CKV_AWS_20", "CKV_AWS_57", "AVD-AWS-0092"],
    violates(
      "s3-acl-not-public",
      "public-read-write",
      change(happy.bucketAcl(), "acl", "public-read-write"),
    ),
  ),
  exercising(
    ["CKV2_AWS_6", "AVD-AWS-0094"],
    stackCase("s3-bucket-companions", "bucket without a public access block", "violates", (s) => {
      s.companions = s.companions.filter((c) => !c.type.includes("PublicAccessBlock"));
    }),
  ),
  passes("rds-instance-log-exports", "PostgreSQL logs exported", happy.rdsInstance()),
  exercising(
    ["CKV_AWS_129"],
    violates(
      "rds-instance-log-exports",
      "no log exports",
      change(happy.rdsInstance(), "enabledCloudwatchLogsExports", undefined),
    ),
  ),
  passes("rds-instance-current-ca", "rds-ca-rsa2048-g1", happy.rdsInstance()),
  exercising(
    ["CKV_AWS_211"],
    violates(
      "rds-instance-current-ca",
      "the expired rds-ca-2019",
      change(happy.rdsInstance(), "caCertIdentifier", "rds-ca-2019"),
    ),
  ),
  passes("rds-backup-replication-cmk", "customer key", happy.automatedBackupsReplication()),
  exercising(
    ["CKV_AWS_245"],
    violates(
      "rds-backup-replication-cmk",
      "no key",
      change(happy.automatedBackupsReplication(), "kmsKeyId", undefined),
    ),
  ),
  passes("amp-workspace-cmk", "customer key", happy.ampWorkspace()),
  violates(
    "amp-workspace-cmk",
    "AWS-owned key",
    change(happy.ampWorkspace(), "kmsKeyArn", undefined),
  ),
  violates(
    "amp-workspace-cmk",
    "an alias/aws/ key",
    change(happy.ampWorkspace(), "kmsKeyArn", "alias/aws/aps"),
  ),
  passes("amp-workspace-logging", "logs to a log group", happy.ampWorkspace()),
  passes(
    "amp-workspace-logging",
    "a log group created in the same update (unknown until apply)",
    change(happy.ampWorkspace(), "loggingConfiguration", UNKNOWN),
  ),
  violates(
    "amp-workspace-logging",
    "no logging configuration",
    change(happy.ampWorkspace(), "loggingConfiguration", undefined),
  ),
  violates(
    "amp-workspace-logging",
    "a log group ARN without the :* suffix",
    change(
      happy.ampWorkspace(),
      "loggingConfiguration.logGroupArn",
      `arn:aws:logs:us-west-2:${ACCOUNT}:log-group:/aws/vendedlogs/prometheus/platform`,
    ),
  ),
  passes("secretsmanager-secret-cmk", "customer key", happy.secret()),
  exercising(
    ["CKV_AWS_149", "AVD-AWS-0098"],
    violates(
      "secretsmanager-secret-cmk",
      "AWS-managed key",
      change(happy.secret(), "kmsKeyId", undefined),
    ),
  ),
  passes("ssm-secure-string-cmk", "customer key", happy.secureParameter()),
  passes(
    "ssm-secure-string-cmk",
    "a plain String parameter",
    change(change(happy.secureParameter(), "type", "String"), "keyId", undefined),
  ),
  exercising(
    ["CKV_AWS_337"],
    violates(
      "ssm-secure-string-cmk",
      "alias/aws/ssm",
      change(happy.secureParameter(), "keyId", "alias/aws/ssm"),
    ),
  ),
  passes("backup-vault-cmk", "customer key", happy.backupVault()),
  exercising(
    ["CKV_AWS_166"],
    violates(
      "backup-vault-cmk",
      "AWS-managed key",
      change(happy.backupVault(), "kmsKeyArn", undefined),
    ),
  ),
  passes("efs-file-system-cmk", "customer key", happy.efsFileSystem()),
  exercising(
    ["CKV_AWS_42", "AVD-AWS-0037"],
    violates(
      "efs-file-system-cmk",
      "unencrypted",
      change(change(happy.efsFileSystem(), "encrypted", false), "kmsKeyId", undefined),
    ),
  ),
  exercising(
    ["CKV_AWS_184"],
    violates(
      "efs-file-system-cmk",
      "AWS-managed key",
      change(happy.efsFileSystem(), "kmsKeyId", undefined),
    ),
  ),
  passes("s3-ownership-acls-disabled", "BucketOwnerEnforced", happy.ownershipControls()),
  exercising(
    ["CKV2_AWS_65"],
    violates(
      "s3-ownership-acls-disabled",
      "ACLs re-enabled",
      change(happy.ownershipControls(), "rule.objectOwnership", "ObjectWriter"),
    ),
  ),
];
