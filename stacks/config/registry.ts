/**
 * The registry: the platform's own ECR repositories, their lifecycle, and the credentials of the
 * upstream registries whose pull-through cache rules need one (Docker Hub, GitHub).
 */
import { checkRegistry, REGISTRY_DEFAULTS, RegistrySettings } from "@platform/registry";
import { Problems } from "@platform/core";
import * as pulumi from "@pulumi/pulumi";
import { ConfigSection, configKey } from "./schema";

export interface RegistryConfig extends RegistrySettings {
  readonly dockerHubCredential?: pulumi.Output<string>;
  readonly githubCredential?: pulumi.Output<string>;
}

const FIELD_KEYS: Readonly<Record<keyof RegistrySettings, string>> = {
  repositoryPrefix: "registryRepositoryPrefix",
  repositories: "registryRepositories",
  keepReleases: "registryKeepReleases",
  untaggedExpiryDays: "registryUntaggedExpiryDays",
};

/** `{"username": "...", "accessToken": "..."}`: what ECR reads from a pull-through cache secret. */
function isUpstreamCredential(value: string): boolean {
  try {
    const parsed = JSON.parse(value) as Record<string, unknown>;
    return typeof parsed.username === "string" && typeof parsed.accessToken === "string";
  } catch {
    return false;
  }
}

const CREDENTIAL_FORMAT = {
  test: isUpstreamCredential,
  allowed: 'be JSON {"username": "...", "accessToken": "..."}',
};

export const registry: ConfigSection<RegistryConfig> = {
  keys: {
    registryRepositoryPrefix: {
      type: "string",
      default: REGISTRY_DEFAULTS.repositoryPrefix,
      description:
        "Prefix of the platform's own ECR repositories (<prefix>/<name>); replicated to the DR peer.",
    },
    registryRepositories: {
      type: "array",
      items: "string",
      default: [],
      description:
        "The platform's own ECR repositories under registryRepositoryPrefix; empty means one per application namespace.",
    },
    registryKeepReleases: {
      type: "integer",
      default: REGISTRY_DEFAULTS.keepReleases,
      description: "Tagged images kept per own repository; older ones expire.",
    },
    registryUntaggedExpiryDays: {
      type: "integer",
      default: REGISTRY_DEFAULTS.untaggedExpiryDays,
      description: "Days after which untagged images expire.",
    },
    registryDockerHubCredential: {
      type: "string",
      secret: true,
      optional: true,
      format: CREDENTIAL_FORMAT,
      description:
        'Secret. Docker Hub credential {"username","accessToken"} for the pull-through cache; unset leaves Docker Hub without a cache rule.',
    },
    registryGithubCredential: {
      type: "string",
      secret: true,
      optional: true,
      format: CREDENTIAL_FORMAT,
      description:
        'Secret. GitHub credential {"username","accessToken"} (a PAT with read:packages) for the ghcr.io cache; unset leaves ghcr.io without a cache rule.',
    },
  },
  build(values, problems: Problems, context): RegistryConfig {
    const settings: RegistrySettings = {
      repositoryPrefix: values.registryRepositoryPrefix as string,
      repositories: values.registryRepositories as string[],
      keepReleases: values.registryKeepReleases as number,
      untaggedExpiryDays: values.registryUntaggedExpiryDays as number,
    };
    checkRegistry(problems, settings, (field) => configKey(FIELD_KEYS[field]));
    const dockerHubCredential = context.secret("registryDockerHubCredential");
    const githubCredential = context.secret("registryGithubCredential");
    return {
      ...settings,
      ...(dockerHubCredential ? { dockerHubCredential } : {}),
      ...(githubCredential ? { githubCredential } : {}),
    };
  },
};
