/**
 * Every image the platform's built-in Kubernetes objects and the Velero chart run, pulled through
 * the stack's ECR pull-through cache: `<account>.dkr.ecr.<region>.amazonaws.com/<upstream>/<repo>`.
 * One table so that an image upgrade is one reviewed line, and no reference names a public registry.
 *
 * Digests: none is pinned yet. A digest must be the one the upstream publishes for the tag (read
 * from its registry manifest or release notes), and none could be confirmed from here (no registry
 * access, 2026-12-05); the repositories the cache creates have immutable tags, so the first image
 * pulled for a tag is the one every later pull gets.
 */

/** ECR repository prefix of each upstream's pull-through cache rule (components/registry). */
export type UpstreamName = "docker-hub" | "quay" | "ghcr" | "k8s" | "ecr-public";

export interface ImagePin {
  readonly upstream: UpstreamName;
  /** Repository path in the upstream registry. */
  readonly repository: string;
  readonly tag: string;
  /** `sha256:...` as the upstream publishes it for `tag`; absent where none could be confirmed. */
  readonly digest?: string;
}

export const IMAGES = {
  // Velero chart 12.1.0 ships Velero v1.18.1; the AWS plugin for 1.18 is v1.14.0 (Velero's
  // upgrade-to-1.18 guide). Docker Hub only: needs the Docker Hub cache rule (its credential).
  velero: { upstream: "docker-hub", repository: "velero/velero", tag: "v1.18.1" },
  veleroPluginForAws: {
    upstream: "docker-hub",
    repository: "velero/velero-plugin-for-aws",
    tag: "v1.14.0",
  },
  kubectl: { upstream: "k8s", repository: "kubectl", tag: "v1.35.0" },
  // Docker's official images are mirrored on ECR Public under docker/library.
  busybox: { upstream: "ecr-public", repository: "docker/library/busybox", tag: "1.37.0" },
  // psql for Grafana's database setup: the data tier's PostgreSQL major (18); tag from
  // docker-library/official-images@37079fb library/postgres (2026-08-21): 18.6-alpine3.24.
  postgresClient: {
    upstream: "ecr-public",
    repository: "docker/library/postgres",
    tag: "18.6-alpine3.24",
  },
  // The AWS CLI's official image (AWS CLI user guide, "Run the AWS CLI from the official Amazon
  // ECR Public or Docker images": tags are CLI versions). 2.32.2 is a released CLI version (seen
  // as the base of a third-party image built 2025-11-21); its ECR Public tag was not confirmed
  // from here (no registry access, 2026-12-05).
  awsCli: { upstream: "ecr-public", repository: "aws-cli/aws-cli", tag: "2.32.2" },

  // Kyverno chart 3.9.0 (app v1.19.0): every image its templates run (charts/kyverno/values.yaml
  // at kyverno/kyverno v1.19.0, ee97ce0). The release workflow (.github/workflows/release.yaml)
  // publishes each with ko to ghcr.io/kyverno/<name> (Makefile REGISTRY ?= ghcr.io, REPO_*), tagged
  // with the release version (KO_TAGS) for every platform of the base image (PLATFORMS := all, so
  // arm64 for the Graviton system nodes); the chart's default registry reg.kyverno.io is not used.
  kyvernoAdmissionController: { upstream: "ghcr", repository: "kyverno/kyverno", tag: "v1.19.0" },
  kyvernoInit: { upstream: "ghcr", repository: "kyverno/kyvernopre", tag: "v1.19.0" },
  kyvernoBackgroundController: {
    upstream: "ghcr",
    repository: "kyverno/background-controller",
    tag: "v1.19.0",
  },
  kyvernoCleanupController: {
    upstream: "ghcr",
    repository: "kyverno/cleanup-controller",
    tag: "v1.19.0",
  },
  kyvernoReportsController: {
    upstream: "ghcr",
    repository: "kyverno/reports-controller",
    tag: "v1.19.0",
  },
  kyvernoCli: { upstream: "ghcr", repository: "kyverno/kyverno-cli", tag: "v1.19.0" },
  kyvernoReadinessChecker: {
    upstream: "ghcr",
    repository: "kyverno/readiness-checker",
    tag: "v1.19.0",
  },
} as const satisfies Record<string, ImagePin>;

/** `<account>.dkr.ecr.<region>.amazonaws.com`. */
export function registryHost(accountId: string, region: string): string {
  return `${accountId}.dkr.ecr.${region}.amazonaws.com`;
}

/** The image's repository in the stack's pull-through cache (a chart's `image.repository`). */
export function imageRepository(host: string, pin: ImagePin): string {
  return `${host}/${pin.upstream}/${pin.repository}`;
}

/** `repository:tag`, plus `@digest` when the table pins one (the runtime then pulls by digest). */
export function imageReference(host: string, pin: ImagePin): string {
  return `${imageRepository(host, pin)}:${pin.tag}${pin.digest ? `@${pin.digest}` : ""}`;
}
