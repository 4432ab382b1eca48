/**
 * Checks of the registry's settings, shared by the component (paths like `args.keepReleases`) and
 * the stack config loader (paths like `platform:registryKeepReleases`): one rule, one message.
 */
import { MIRROR_PREFIX, Problems } from "@platform/core";
import { UPSTREAM_NAMES } from "./documents";

/** Maps a setting's field name to the path a message names. */
export type PathOf<T> = (field: keyof T & string) => string;

export interface RegistrySettings {
  readonly repositoryPrefix: string;
  readonly repositories: readonly string[];
  readonly keepReleases: number;
  readonly untaggedExpiryDays: number;
}

/**
 * ECR repository names: lowercase path components of letters, digits and `._-`.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html
 */
const REPOSITORY_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;

/**
 * Cache prefixes of the pull-through rules and the prefix of CI's mirror: an own prefix equal to
 * one would mix the two.
 */
export const RESERVED_PREFIXES: readonly string[] = [...UPSTREAM_NAMES, MIRROR_PREFIX];

export function checkRegistry(
  problems: Problems,
  settings: RegistrySettings,
  path: PathOf<RegistrySettings>,
): void {
  const prefixOk = problems.check(
    REPOSITORY_NAME.test(settings.repositoryPrefix) && settings.repositoryPrefix.length <= 30,
    path("repositoryPrefix"),
    settings.repositoryPrefix,
    'be lowercase letters, digits and ._-/ (at most 30 characters), e.g. "platform"',
  );
  if (prefixOk) {
    problems.check(
      !RESERVED_PREFIXES.includes(settings.repositoryPrefix.split("/")[0]),
      path("repositoryPrefix"),
      settings.repositoryPrefix,
      `not start with a pull-through cache or mirror prefix (${RESERVED_PREFIXES.join(", ")})`,
    );
  }
  checkRepositoryNames(problems, settings.repositories, path("repositories"));
  problems.integerInRange(path("keepReleases"), settings.keepReleases, 1, 1000);
  problems.integerInRange(path("untaggedExpiryDays"), settings.untaggedExpiryDays, 1, 365);
}

/** Names of repositories under one prefix: valid ECR names, each once. */
export function checkRepositoryNames(
  problems: Problems,
  names: readonly string[],
  path: string,
): void {
  names.forEach((name, i) =>
    problems.check(
      REPOSITORY_NAME.test(name) && name.length <= 200,
      `${path}[${i}]`,
      name,
      'be an ECR repository name: lowercase letters, digits and ._-/ (e.g. "checkout")',
    ),
  );
  const duplicates = names.filter((n, i) => names.indexOf(n) !== i);
  problems.check(duplicates.length === 0, path, duplicates, "name each repository once");
}
