/** Happy-path data services resources: each a correct production resource that passes every policy. */
import { ACCOUNT, aws, KEY_ARN, policyDocument, PROTECT } from "../test/builders";

export const happyData = {
  rdsInstance: () =>
    aws(
      "aws:rds/instance:Instance",
      "orders",
      {
        engine: "postgres",
        engineVersion: "17.6",
        instanceClass: "db.r7g.large",
        storageEncrypted: true,
        kmsKeyId: KEY_ARN,
        multiAz: true,
        backupRetentionPeriod: 14,
        deletionProtection: true,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: "orders-final",
        iamDatabaseAuthenticationEnabled: true,
        enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
        caCertIdentifier: "rds-ca-rsa2048-g1",
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: KEY_ARN,
        monitoringInterval: 15,
        monitoringRoleArn: `arn:aws:iam::${ACCOUNT}:role/orders-monitoring`,
        publiclyAccessible: false,
        manageMasterUserPassword: true,
        username: "platform",
      },
      PROTECT,
    ),
  rdsCluster: () =>
    aws(
      "aws:rds/cluster:Cluster",
      "ledger",
      {
        engine: "aurora-postgresql",
        clusterIdentifier: "ledger",
        storageEncrypted: true,
        kmsKeyId: KEY_ARN,
        backupRetentionPeriod: 14,
        deletionProtection: true,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: "ledger-final",
        iamDatabaseAuthenticationEnabled: true,
        manageMasterUserPassword: true,
        masterUsername: "platform",
      },
      PROTECT,
    ),
  rdsClusterInstance: (name = "ledger-1") =>
    aws("aws:rds/clusterInstance:ClusterInstance", name, {
      clusterIdentifier: "ledger",
      instanceClass: "db.r7g.large",
      engine: "aurora-postgresql",
      publiclyAccessible: false,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: KEY_ARN,
    }),
  replicationGroup: () =>
    aws(
      "aws:elasticache/replicationGroup:ReplicationGroup",
      "sessions",
      {
        description: "Session cache",
        engine: "valkey",
        nodeType: "cache.r7g.large",
        numCacheClusters: 2,
        atRestEncryptionEnabled: true,
        kmsKeyId: KEY_ARN,
        transitEncryptionEnabled: true,
        userGroupIds: ["sessions-users"],
        automaticFailoverEnabled: true,
        multiAzEnabled: true,
        snapshotRetentionLimit: 7,
      },
      PROTECT,
    ),
  bucket: (name = "logs") =>
    aws("aws:s3/bucket:Bucket", name, { bucket: `platform-${name}` }, PROTECT),
  publicAccessBlock: (bucket = "platform-logs") =>
    aws("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", `${bucket}-pab`, {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    }),
  sseConfiguration: (bucket = "platform-logs") =>
    aws(
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      `${bucket}-sse`,
      {
        bucket,
        rules: [
          {
            applyServerSideEncryptionByDefault: {
              sseAlgorithm: "aws:kms",
              kmsMasterKeyId: KEY_ARN,
            },
            bucketKeyEnabled: true,
          },
        ],
      },
    ),
  versioning: (bucket = "platform-logs") =>
    aws("aws:s3/bucketVersioning:BucketVersioning", `${bucket}-versioning`, {
      bucket,
      versioningConfiguration: { status: "Enabled" },
    }),
  bucketAcl: () =>
    aws("aws:s3/bucketAcl:BucketAcl", "logs-acl", { bucket: "platform-logs", acl: "private" }),
  bucketPolicy: () =>
    aws("aws:s3/bucketPolicy:BucketPolicy", "logs-policy", {
      bucket: "platform-logs",
      policy: policyDocument([
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: ["arn:aws:s3:::platform-logs", "arn:aws:s3:::platform-logs/*"],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/log-writer` },
          Action: "s3:PutObject",
          Resource: "arn:aws:s3:::platform-logs/*",
        },
      ]),
    }),
  kmsKey: () =>
    aws(
      "aws:kms/key:Key",
      "data",
      {
        description: "Data tier encryption",
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: policyDocument([
          {
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
            Action: "kms:*",
            Resource: "*",
          },
        ]),
      },
      PROTECT,
    ),
  automatedBackupsReplication: () =>
    aws(
      "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
      "postgres-backups-peer",
      {
        sourceDbInstanceArn: `arn:aws:rds:us-west-2:${ACCOUNT}:db:platform-postgres`,
        kmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f`,
        retentionPeriod: 14,
      },
    ),
  secret: () =>
    aws(
      "aws:secretsmanager/secret:Secret",
      "cache-auth-token",
      { name: "platform/cache/auth-token", kmsKeyId: KEY_ARN },
      PROTECT,
    ),
  secretRotation: () =>
    aws("aws:secretsmanager/secretRotation:SecretRotation", "cache-auth-token", {
      rotationLambdaArn: `arn:aws:lambda:us-west-2:${ACCOUNT}:function:cache-auth-token-rotation`,
      rotationRules: { automaticallyAfterDays: 30 },
    }),
  /** A bucket's server access logs, into `target` (a log bucket, SSE-S3). */
  bucketLogging: (bucket = "platform-logs", target = "platform-access-logs") =>
    aws("aws:s3/bucketLogging:BucketLogging", `${bucket}-access-logs`, {
      bucket,
      targetBucket: target,
      targetPrefix: `${bucket}/`,
    }),
  secureParameter: () =>
    aws("aws:ssm/parameter:Parameter", "platform-api-token", {
      name: "/platform/api-token",
      type: "SecureString",
      value: "[secret]",
      keyId: KEY_ARN,
    }),
  backupVault: () =>
    aws(
      "aws:backup/vault:Vault",
      "backup-vault",
      { name: "platform", kmsKeyArn: KEY_ARN },
      PROTECT,
    ),
  efsFileSystem: () =>
    aws(
      "aws:efs/fileSystem:FileSystem",
      "data-shared-files",
      { encrypted: true, kmsKeyId: KEY_ARN, performanceMode: "generalPurpose" },
      PROTECT,
    ),
  ownershipControls: () =>
    aws("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "platform-logs-ownership", {
      bucket: "platform-logs",
      rule: { objectOwnership: "BucketOwnerEnforced" },
    }),
};
