/**
 * The registry of one region. A primary creates its own and mirror repositories and replicates them
 * to its DR peer. A standby is that peer: it creates no own repositories (they arrive by replication, shaped
 * by its REPLICATION template) and replicates nowhere (it must work with the primary's region gone,
 * and after failover it is the only region). Both run their own pull-through cache, scanning and
 * templates, so the standby's cluster pulls from its own region when the primary's is down.
 */
import { imagesFrom, mirroredImages } from "@platform/core";
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
  // ECR refuses a Docker Hub or ghcr.io cache rule without a credential: say which images wait for it.
  const credentialKeys = [
    ["docker-hub", settings.dockerHubCredential, "platform:registryDockerHubCredential"],
    ["ghcr", settings.githubCredential, "platform:registryGithubCredential"],
  ] as const;
  for (const [upstream, credential, key] of credentialKeys) {
    const waiting = imagesFrom(upstream);
    if (!credential && waiting.length > 0)
      void pulumi.log.warn(
        `${key} is unset: no ${upstream} pull-through cache rule, so ${waiting.length} images cannot be pulled (${waiting.join(", ")}); set it (pulumi config set --secret) before deploying.`,
      );
  }
  const registry = new Registry(
    "registry",
    {
      accountId: foundation.accountId,
      region: foundation.region,
      repositoryPrefix: settings.repositoryPrefix,
      repositories,
      // CI copies these into the primary's mirror (.github/workflows/mirror-images.yml).
      mirroredRepositories: [...new Set(mirroredImages().map((pin) => pin.repository))],
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
      registryMirrorRepositoryUrls: registry.mirrorRepositories.map((r) => r.repositoryUrl),
      registryPullThroughCachePrefixes: registry.pullThroughCacheRules.map(
        (r) => r.ecrRepositoryPrefix,
      ),
    },
  };
}
