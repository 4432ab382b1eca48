import { encryptionKey, MIRROR_PREFIX, Problems, registryHost } from "@platform/core";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RegistryArgs, UpstreamName } from "./args";
import {
  creationRolePolicy,
  ecrServiceTrustPolicy,
  lifecyclePolicy,
  registryPolicy,
  repositoryPolicy,
  UPSTREAM_NAMES,
  UPSTREAMS,
} from "./documents";
import { checkRegistry, checkRepositoryNames } from "./validation";

export const REGISTRY_DEFAULTS = {
  repositoryPrefix: "platform",
  keepReleases: 30,
  untaggedExpiryDays: 7,
} as const;

/**
 * ECR of one region: the platform's own repositories (immutable tags, KMS, lifecycle, a policy),
 * the same for CI's mirror of images no cache rule reaches (`mirror/...`), pull-through cache rules
 * for the public registries the charts use, creation templates so that cache and replica
 * repositories are encrypted, immutable and expire like the own ones, Inspector enhanced scanning of
 * the whole registry, and replication of the own and mirror repositories to the DR peer.
 */
export class Registry extends pulumi.ComponentResource {
  /** `<account>.dkr.ecr.<region>.amazonaws.com`. */
  public readonly host: string;
  public readonly key: aws.kms.Key;
  public readonly repositories: aws.ecr.Repository[];
  /** `mirror/<path>` of each mirrored image; none on a standby (they arrive by replication). */
  public readonly mirrorRepositories: aws.ecr.Repository[];
  public readonly pullThroughCacheRules: aws.ecr.PullThroughCacheRule[];
  public readonly creationTemplates: aws.ecr.RepositoryCreationTemplate[];
  public readonly scanning: aws.ecr.RegistryScanningConfiguration;
  public readonly replication?: aws.ecr.ReplicationConfiguration;

  constructor(name: string, args: RegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:registry:Registry", name, {}, opts);
    const settings = {
      repositoryPrefix: args.repositoryPrefix ?? REGISTRY_DEFAULTS.repositoryPrefix,
      repositories: args.repositories,
      keepReleases: args.keepReleases ?? REGISTRY_DEFAULTS.keepReleases,
      untaggedExpiryDays: args.untaggedExpiryDays ?? REGISTRY_DEFAULTS.untaggedExpiryDays,
    };
    const mirrored = args.mirroredRepositories ?? [];
    const problems = new Problems();
    checkRegistry(problems, settings, (field) => `args.${field}`);
    checkRepositoryNames(problems, mirrored, "args.mirroredRepositories");
    problems.throwIfAny(`Registry "${name}"`);

    const child = { parent: this };
    this.host = registryHost(args.accountId, args.region);
    this.key = encryptionKey(
      `${name}-key`,
      {
        description: `ECR repositories, cache and replicas in ${args.region}`,
        accountId: args.accountId,
        region: args.region,
        alias: `${name}-ecr`,
      },
      { ...child, protect: true },
    );
    const lifecycle = lifecyclePolicy(settings);
    const pullers = pulumi.all(args.pullerRoleArns);

    // Own and mirror repositories alike: immutable, encrypted, expiring, pulled by the nodes only.
    const repositoriesUnder = (prefix: string, names: readonly string[], resourcePrefix: string) =>
      args.ownRepositories === false
        ? []
        : names.map((repo) =>
            createRepository(`${resourcePrefix}${repo.replace(/\//g, "-")}`, {
              repositoryName: `${prefix}/${repo}`,
              keyArn: this.key.arn,
              lifecycle,
              pullers,
              opts: child,
            }),
          );
    this.repositories = repositoriesUnder(
      settings.repositoryPrefix,
      settings.repositories,
      `${name}-`,
    );
    this.mirrorRepositories = repositoriesUnder(
      MIRROR_PREFIX,
      mirrored,
      `${name}-${MIRROR_PREFIX}-`,
    );

    const upstreams = UPSTREAM_NAMES.filter(
      (u) => !UPSTREAMS[u].requiresCredential || args.upstreamCredentials?.[u] !== undefined,
    );
    this.pullThroughCacheRules = upstreams.map((upstream) =>
      createCacheRule(name, upstream, args.upstreamCredentials?.[upstream], this.key, child),
    );
    new aws.ecr.RegistryPolicy(
      `${name}-registry-policy`,
      {
        policy: pullers.apply((arns) =>
          JSON.stringify(registryPolicy(args.accountId, args.region, arns, upstreams)),
        ),
      },
      child,
    );

    const creationRole = new aws.iam.Role(
      `${name}-creation`,
      {
        description: "ECR creates cache and replica repositories from the templates",
        assumeRolePolicy: JSON.stringify(ecrServiceTrustPolicy()),
      },
      child,
    );
    new aws.iam.RolePolicy(
      `${name}-creation`,
      {
        role: creationRole.id,
        policy: this.key.arn.apply((arn) =>
          JSON.stringify(
            creationRolePolicy(
              args.accountId,
              args.region,
              [...upstreams, settings.repositoryPrefix, MIRROR_PREFIX],
              arn,
            ),
          ),
        ),
      },
      child,
    );
    const template = (prefix: string, appliedFor: string, description: string) =>
      new aws.ecr.RepositoryCreationTemplate(
        `${name}-template-${prefix}`,
        {
          prefix,
          appliedFors: [appliedFor],
          description,
          customRoleArn: creationRole.arn,
          // Immutable cache repositories keep the first image pulled for a tag: a tag moved
          // upstream never changes what the cluster runs (the image table pins digests anyway).
          imageTagMutability: "IMMUTABLE",
          encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: this.key.arn }],
          lifecyclePolicy: lifecycle,
          repositoryPolicy: pullers.apply((arns) => JSON.stringify(repositoryPolicy(arns))),
        },
        child,
      );
    this.creationTemplates = [
      ...upstreams.map((u) =>
        template(u, "PULL_THROUGH_CACHE", `Cache of ${UPSTREAMS[u].url}: encrypted, immutable`),
      ),
      // The peer's replicas of the own and mirror repositories land here when this region is
      // the DR peer.
      template(
        settings.repositoryPrefix,
        "REPLICATION",
        "Replicas of the platform's own repositories: encrypted, immutable",
      ),
      template(
        MIRROR_PREFIX,
        "REPLICATION",
        "Replicas of the images CI mirrors from registries without a cache rule: encrypted, immutable",
      ),
    ];

    this.scanning = new aws.ecr.RegistryScanningConfiguration(
      `${name}-scanning`,
      {
        // Amazon Inspector scans every repository on push and again when new CVEs are published.
        scanType: "ENHANCED",
        rules: [
          {
            scanFrequency: "CONTINUOUS_SCAN",
            repositoryFilters: [{ filter: "*", filterType: "WILDCARD" }],
          },
        ],
      },
      child,
    );

    if (args.replicaRegion) {
      this.replication = new aws.ecr.ReplicationConfiguration(
        `${name}-replication`,
        {
          replicationConfiguration: {
            rules: [
              {
                destinations: [{ region: args.replicaRegion, registryId: args.accountId }],
                // The own and mirror repositories (CI fills the primary's mirror only); each
                // region fills its own pull-through cache.
                repositoryFilters: [settings.repositoryPrefix, MIRROR_PREFIX].map((filter) => ({
                  filter,
                  filterType: "PREFIX_MATCH",
                })),
              },
            ],
          },
        },
        child,
      );
    }

    this.registerOutputs({
      host: this.host,
      key: this.key,
      repositories: this.repositories,
      mirrorRepositories: this.mirrorRepositories,
      pullThroughCacheRules: this.pullThroughCacheRules,
      creationTemplates: this.creationTemplates,
      scanning: this.scanning,
      replication: this.replication,
    });
  }
}

interface RepositorySpec {
  readonly repositoryName: string;
  readonly keyArn: pulumi.Input<string>;
  readonly lifecycle: string;
  readonly pullers: pulumi.Output<string[]>;
  readonly opts: pulumi.CustomResourceOptions;
}

function createRepository(name: string, spec: RepositorySpec): aws.ecr.Repository {
  const repository = new aws.ecr.Repository(
    name,
    {
      name: spec.repositoryName,
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: spec.keyArn }],
      forceDelete: false,
    },
    { ...spec.opts, protect: true, retainOnDelete: true },
  );
  new aws.ecr.LifecyclePolicy(
    name,
    { repository: repository.name, policy: spec.lifecycle },
    spec.opts,
  );
  new aws.ecr.RepositoryPolicy(
    name,
    {
      repository: repository.name,
      policy: spec.pullers.apply((arns) => JSON.stringify(repositoryPolicy(arns))),
    },
    spec.opts,
  );
  return repository;
}

function createCacheRule(
  name: string,
  upstream: UpstreamName,
  credential: pulumi.Input<string> | undefined,
  key: aws.kms.Key,
  opts: pulumi.CustomResourceOptions,
): aws.ecr.PullThroughCacheRule {
  let credentialArn: pulumi.Output<string> | undefined;
  if (credential !== undefined) {
    // ECR only reads credentials from secrets named ecr-pullthroughcache/<...>.
    const secret = new aws.secretsmanager.Secret(
      `${name}-${upstream}-credential`,
      {
        name: `ecr-pullthroughcache/${name}-${upstream}`,
        description: `Credential ECR's pull-through cache uses for ${UPSTREAMS[upstream].url}`,
        kmsKeyId: key.arn,
      },
      { ...opts, protect: true },
    );
    new aws.secretsmanager.SecretVersion(
      `${name}-${upstream}-credential`,
      { secretId: secret.id, secretString: pulumi.secret(credential) },
      opts,
    );
    credentialArn = secret.arn;
  }
  return new aws.ecr.PullThroughCacheRule(
    `${name}-${upstream}`,
    {
      ecrRepositoryPrefix: upstream,
      upstreamRegistryUrl: UPSTREAMS[upstream].url,
      ...(credentialArn ? { credentialArn } : {}),
    },
    opts,
  );
}
