import { encryptionKey, serviceAccountRole } from "@platform/core";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DataConsumer, DataTierArgs, POSTGRES_PORT, CACHE_PORT } from "./args";
import { CacheResources, cacheSettings, createCache } from "./cache";
import { cacheNodeIds, postgresMaxConnections } from "./capacity";
import { consumerPolicy } from "./documents";
import {
  createPostgres,
  PostgresResources,
  postgresSettings,
  proxyConnectResourceId,
} from "./postgres";
import { dataTierEgressPolicies } from "./kubernetes";
import { createPostgresUsers, PostgresUserResources } from "./postgres-users";
import { createSharedFiles, SHARED_STORAGE_CLASS, SharedFilesResources } from "./shared-files";
import { createStorage, StorageResources } from "./storage";
import { consumerRoleName, validateDataTierArgs } from "./validation";

/**
 * The stateful tier of one region: PostgreSQL on RDS (Multi-AZ primary, read replicas, RDS Proxy),
 * Valkey on ElastiCache (cluster mode), and assets, backups and access-log buckets, all private
 * and encrypted with one customer-managed data key, an EFS file system for shared files, plus an
 * IRSA role per consuming workload.
 */
export class DataTier extends pulumi.ComponentResource {
  /** Customer-managed key of the databases, cache, secrets and buckets. */
  public readonly dataKey: aws.kms.Key;
  public readonly dataKeyArn: pulumi.Output<string>;

  public readonly postgres: PostgresResources;
  public readonly postgresPrimaryArn: pulumi.Output<string>;
  public readonly postgresPrimaryIdentifier: pulumi.Output<string>;
  /** Host name of the primary (writer) instance. */
  public readonly postgresPrimaryAddress: pulumi.Output<string>;
  public readonly postgresReplicaIdentifiers: pulumi.Output<string>[];
  public readonly postgresReplicaArns: pulumi.Output<string>[];
  public readonly postgresReplicaAddresses: pulumi.Output<string>[];
  /** The proxy's endpoint; undefined when the proxy is turned off. */
  public readonly postgresProxyEndpoint?: pulumi.Output<string>;
  public readonly postgresProxyArn?: pulumi.Output<string>;
  /** Secrets Manager secret of the master user, managed and rotated by RDS. */
  public readonly postgresMasterSecretArn: pulumi.Output<string>;
  public readonly postgresPort: number;
  public readonly postgresSecurityGroupId: pulumi.Output<string>;
  /** Storage each instance starts with (autoscaling may grow it). */
  public readonly postgresAllocatedStorageGiB: number;
  /** RDS's default `max_connections` for the instance class, which the parameter group keeps. */
  public readonly postgresMaxConnections: number;
  /** The password users' secrets and their rotation; undefined without `postgresUsers`. */
  public readonly postgresUsers?: PostgresUserResources;
  /** ARN of each password user's secret, keyed by user name. */
  public readonly postgresUserSecretArns: Readonly<Record<string, pulumi.Output<string>>>;

  public readonly cache: CacheResources;
  public readonly cacheReplicationGroupId: pulumi.Output<string>;
  public readonly cacheReplicationGroupArn: pulumi.Output<string>;
  /** Cluster-mode configuration endpoint (TLS). */
  public readonly cacheConfigurationEndpoint: pulumi.Output<string>;
  /** Node (cache cluster) IDs: the `CacheClusterId` dimension of ElastiCache metrics. */
  public readonly cacheMemberClusters: pulumi.Output<string[]>;
  /**
   * The same node IDs, one output each, derived from the configured shards and replicas so that
   * their number is known before deployment (e.g. to declare an alarm per node).
   */
  public readonly cacheNodeIds: pulumi.Output<string>[];
  public readonly cacheAuthTokenSecretArn: pulumi.Output<string>;
  /** Name of each Secrets Manager rotation function, keyed by what it rotates: for alarms. */
  public readonly rotationFunctionNames: Readonly<Record<string, pulumi.Output<string>>>;
  public readonly cachePort: number;
  public readonly cacheSecurityGroupId: pulumi.Output<string>;

  public readonly storage: StorageResources;
  public readonly assetsBucketName: string;
  public readonly assetsBucketArn: string;
  public readonly backupsBucketName: string;
  public readonly backupsBucketArn: string;
  public readonly accessLogsBucketName: string;
  public readonly accessLogsBucketArn: string;

  /** The EFS file system and its mount targets; undefined when `sharedFiles` is false. */
  public readonly sharedFiles?: SharedFilesResources;
  public readonly sharedFileSystemId?: pulumi.Output<string>;
  public readonly sharedFileSystemArn?: pulumi.Output<string>;
  /** What a `Workload` volume names as `storageClass` for a read-write-many volume. */
  public readonly sharedStorageClass?: {
    readonly name: string;
    readonly accessMode: "ReadWriteMany";
    readonly recoveredOutsideCluster: string;
  };

  /** IRSA role ARN of each consumer, keyed `<namespace>/<serviceAccount>`. */
  public readonly consumerRoleArns: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: DataTierArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("platform:data:DataTier", name, {}, opts);
    validateDataTierArgs(name, args);
    const childOpts = { parent: this };

    this.dataKey = encryptionKey(
      `${name}-key`,
      {
        description: `Data tier of ${args.namePrefix}: RDS, ElastiCache, Secrets Manager, S3`,
        accountId: args.accountId,
        region: args.region,
        alias: `${args.namePrefix}-data`,
      },
      { ...childOpts, protect: true },
    );
    this.dataKeyArn = this.dataKey.arn;

    this.postgres = createPostgres(name, args, this.dataKey, childOpts);
    const { primary, replicas, proxy } = this.postgres;
    this.postgresPrimaryArn = primary.arn;
    this.postgresPrimaryIdentifier = primary.identifier;
    this.postgresPrimaryAddress = primary.address;
    this.postgresReplicaIdentifiers = replicas.map((r) => r.identifier);
    this.postgresReplicaArns = replicas.map((r) => r.arn);
    this.postgresReplicaAddresses = replicas.map((r) => r.address);
    this.postgresProxyEndpoint = proxy?.endpoint;
    this.postgresProxyArn = proxy?.arn;
    this.postgresMasterSecretArn = this.postgres.masterSecretArn;
    this.postgresPort = POSTGRES_PORT;
    this.postgresSecurityGroupId = this.postgres.securityGroup.id;
    const postgres = postgresSettings(args);
    this.postgresAllocatedStorageGiB = postgres.allocatedStorageGiB;
    this.postgresMaxConnections = postgresMaxConnections(postgres.instanceClass);
    const users = args.postgresUsers ?? [];
    if (users.length > 0) {
      this.postgresUsers = createPostgresUsers(
        name,
        args,
        users,
        this.postgres,
        this.dataKey,
        childOpts,
      );
    }
    this.postgresUserSecretArns = Object.fromEntries(
      Object.entries(this.postgresUsers?.secrets ?? {}).map(([user, secret]) => [user, secret.arn]),
    );

    this.cache = createCache(name, args, this.dataKey, childOpts);
    const group = this.cache.replicationGroup;
    this.cacheReplicationGroupId = group.replicationGroupId;
    this.cacheReplicationGroupArn = group.arn;
    this.cacheConfigurationEndpoint = group.configurationEndpointAddress;
    this.cacheMemberClusters = group.memberClusters;
    const cache = cacheSettings(args);
    const nodeCount = cache.shards * (1 + cache.replicasPerShard);
    this.cacheNodeIds = Array.from({ length: nodeCount }, (_, i) =>
      group.replicationGroupId.apply(
        (id) => cacheNodeIds(id, cache.shards, cache.replicasPerShard)[i],
      ),
    );
    this.cacheAuthTokenSecretArn = this.cache.authTokenSecret.arn;
    this.rotationFunctionNames = {
      "cache-auth-token": this.cache.authTokenRotationFunction.name,
      ...(this.postgresUsers ? { "postgres-users": this.postgresUsers.rotationFunction.name } : {}),
    };
    this.cachePort = CACHE_PORT;
    this.cacheSecurityGroupId = this.cache.securityGroup.id;

    this.storage = createStorage(name, args, this.dataKey, childOpts);
    this.assetsBucketName = this.storage.assets.name;
    this.assetsBucketArn = this.storage.assets.arn;
    this.backupsBucketName = this.storage.backups.name;
    this.backupsBucketArn = this.storage.backups.arn;
    this.accessLogsBucketName = this.storage.accessLogs.name;
    this.accessLogsBucketArn = this.storage.accessLogs.arn;

    if (args.sharedFiles ?? true) {
      this.sharedFiles = createSharedFiles(name, args, this.dataKey, childOpts);
      this.sharedFileSystemId = this.sharedFiles.fileSystem.id;
      this.sharedFileSystemArn = this.sharedFiles.fileSystem.arn;
      this.sharedStorageClass = {
        name: SHARED_STORAGE_CLASS,
        accessMode: "ReadWriteMany",
        // The file system is in the AWS Backup plan and replicated by EFS, not copied by Velero.
        recoveredOutsideCluster: "efs-aws-backup-and-replication",
      };
    }

    // Through the proxy for writes when there is one, straight to each replica for reads.
    const connectResourceIds = pulumi.all([
      proxy ? proxyConnectResourceId(proxy) : primary.resourceId,
      ...replicas.map((r) => r.resourceId),
    ]);
    const roles: Record<string, pulumi.Output<string>> = {};
    for (const consumer of args.consumers ?? []) {
      roles[`${consumer.namespace}/${consumer.serviceAccount}`] = this.consumerRole(
        name,
        args,
        consumer,
        connectResourceIds,
      ).arn;
    }
    this.consumerRoleArns = roles;

    if (args.clientEgress !== undefined) {
      dataTierEgressPolicies(
        name,
        (args.consumers ?? []).map((c) => c.namespace),
        args.clientEgress.isolatedSubnetCidrs,
        { parent: this, dependsOn: args.clientEgress.dependsOn },
      );
    }

    this.registerOutputs({
      dataKeyArn: this.dataKeyArn,
      postgresPrimaryArn: this.postgresPrimaryArn,
      postgresPrimaryIdentifier: this.postgresPrimaryIdentifier,
      postgresPrimaryAddress: this.postgresPrimaryAddress,
      postgresReplicaIdentifiers: this.postgresReplicaIdentifiers,
      postgresReplicaArns: this.postgresReplicaArns,
      postgresReplicaAddresses: this.postgresReplicaAddresses,
      postgresProxyEndpoint: this.postgresProxyEndpoint,
      postgresProxyArn: this.postgresProxyArn,
      postgresMasterSecretArn: this.postgresMasterSecretArn,
      postgresPort: this.postgresPort,
      postgresSecurityGroupId: this.postgresSecurityGroupId,
      postgresAllocatedStorageGiB: this.postgresAllocatedStorageGiB,
      postgresMaxConnections: this.postgresMaxConnections,
      postgresUserSecretArns: this.postgresUserSecretArns,
      cacheReplicationGroupId: this.cacheReplicationGroupId,
      cacheReplicationGroupArn: this.cacheReplicationGroupArn,
      cacheConfigurationEndpoint: this.cacheConfigurationEndpoint,
      cacheMemberClusters: this.cacheMemberClusters,
      cacheNodeIds: this.cacheNodeIds,
      cacheAuthTokenSecretArn: this.cacheAuthTokenSecretArn,
      rotationFunctionNames: this.rotationFunctionNames,
      cachePort: this.cachePort,
      cacheSecurityGroupId: this.cacheSecurityGroupId,
      assetsBucketName: this.assetsBucketName,
      assetsBucketArn: this.assetsBucketArn,
      backupsBucketName: this.backupsBucketName,
      backupsBucketArn: this.backupsBucketArn,
      accessLogsBucketName: this.accessLogsBucketName,
      accessLogsBucketArn: this.accessLogsBucketArn,
      consumerRoleArns: this.consumerRoleArns,
      sharedFileSystemId: this.sharedFileSystemId,
      sharedFileSystemArn: this.sharedFileSystemArn,
      sharedStorageClass: this.sharedStorageClass,
    });
  }

  private consumerRole(
    name: string,
    args: DataTierArgs,
    consumer: DataConsumer,
    connectResourceIds: pulumi.Output<string[]>,
  ): aws.iam.Role {
    const policy = pulumi
      .all([connectResourceIds, this.dataKey.arn, this.cache.authTokenSecret.arn])
      .apply(([ids, dataKeyArn, cacheAuthSecretArn]) =>
        JSON.stringify(
          consumerPolicy({
            region: args.region,
            accountId: args.accountId,
            dbUser: consumer.dbUser,
            connectResourceIds: ids,
            bucketArn: this.storage.assets.arn,
            bucketPrefix: consumer.bucketPrefix,
            dataKeyArn,
            cacheAuthSecretArn,
          }),
        ),
      );
    return serviceAccountRole(
      consumerRoleName(name, consumer),
      {
        oidcProviderArn: args.oidcProviderArn,
        oidcIssuerUrl: args.oidcProviderUrl,
        namespace: consumer.namespace,
        serviceAccount: consumer.serviceAccount,
        policy,
      },
      { parent: this },
    );
  }
}
