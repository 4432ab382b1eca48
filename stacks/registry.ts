/**
 * The registry of one region. A primary creates its own repositories and replicates them to its DR
 * peer. A standby is that peer: it creates no own repositories (they arrive by replication, shaped
 * by its REPLICATION template) and replicates nowhere (it must work with the primary's region gone,
 * and after failover it is the only region). Both run their own pull-through cache, scanning and
 * templates, so the standby's cluster pulls from its own region when the primary's is down.
 */
import { Registry } from "@platform/registry";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformContext } from "./program";

interface RegistryDependencies {
  /** Karpenter's node role: its nodes pull images like the managed node groups'. */
  readonly karpenterNodeRoleArn: pulumi.Input<string>;
}

export function deployRegistry(
  context: PlatformContext,
  deps: RegistryDependencies,
): { registry: Registry; outputs: Record<string, unknown> } {
  const { foundation, registry: settings, standby } = context.config;
  const isStandby = standby.role === "standby";
  const repositories =
    settings.repositories.length > 0
      ? settings.repositories
      : foundation.cluster.applicationNamespaces;
  if (!settings.dockerHubCredential)
    // Velero's images live only on Docker Hub; ECR refuses a Docker Hub rule without a credential.
    void pulumi.log.warn(
      "platform:registryDockerHubCredential is unset: no Docker Hub pull-through cache rule, so Velero's images (docker-hub/velero/...) cannot be pulled; set it (pulumi config set --secret) before deploying.",
    );
  if (!settings.githubCredential)
    // Kyverno's images live on ghcr.io (components/core/images.ts); no credential, no ghcr rule.
    void pulumi.log.warn(
      "platform:registryGithubCredential is unset: no ghcr.io pull-through cache rule, so Kyverno's images (ghcr/kyverno/...) cannot be pulled and its Helm release (admission verification) cannot become ready; set it (pulumi config set --secret) before deploying.",
    );
  const registry = new Registry(
    "registry",
    {
      accountId: foundation.accountId,
      region: foundation.region,
      repositoryPrefix: settings.repositoryPrefix,
      repositories,
      ownRepositories: !isStandby,
      keepReleases: settings.keepReleases,
      untaggedExpiryDays: settings.untaggedExpiryDays,
      pullerRoleArns: [context.cluster.nodeRoleArn, deps.karpenterNodeRoleArn],
      replicaRegion: isStandby ? undefined : foundation.drRegion,
      upstreamCredentials: {
        ...(settings.dockerHubCredential ? { "docker-hub": settings.dockerHubCredential } : {}),
        ...(settings.githubCredential ? { ghcr: settings.githubCredential } : {}),
      },
    },
    { providers: { aws: context.aws } },
  );
  return {
    registry,
    outputs: {
      registryHost: registry.host,
      registryRepositoryUrls: registry.repositories.map((r) => r.repositoryUrl),
      registryPullThroughCachePrefixes: registry.pullThroughCacheRules.map(
        (r) => r.ecrRepositoryPrefix,
      ),
    },
  };
}
