import type { UpstreamName } from "@platform/core";
import * as pulumi from "@pulumi/pulumi";

export type { UpstreamName };

/**
 * Credentials of an upstream that requires authentication: a JSON object
 * `{"username": "...", "accessToken": "..."}`, stored in Secrets Manager under the
 * `ecr-pullthroughcache/` prefix that ECR requires.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-creating-secret.html
 */
export type UpstreamCredential = pulumi.Input<string>;

export interface RegistryArgs {
  readonly accountId: string;
  readonly region: string;
  /**
   * Prefix of the platform's own repositories (`<prefix>/<name>`); replication and the admission
   * rules match on it.
   * @default "platform"
   */
  readonly repositoryPrefix?: string;
  /** Names of the platform's own repositories, under `repositoryPrefix`. */
  readonly repositories: readonly string[];
  /**
   * Repository paths of the images CI copies from registries no pull-through cache rule reaches
   * (`mirroredImages()` of the image table): each gets `mirror/<path>`, set up like an own
   * repository and replicated with them.
   * @default [] - no mirrored images
   */
  readonly mirroredRepositories?: readonly string[];
  /**
   * Whether this region creates the platform's own and mirror repositories. A DR standby does
   * not: they arrive by replication from the primary, created by the REPLICATION templates.
   * @default true
   */
  readonly ownRepositories?: boolean;
  /**
   * Tagged images kept per own repository; older ones expire.
   * @default 30
   */
  readonly keepReleases?: number;
  /**
   * Days after which untagged images (superseded layers of a build) expire.
   * @default 7
   */
  readonly untaggedExpiryDays?: number;
  /**
   * Roles that pull images (the node roles): granted pull, and on cache repositories the right to
   * import the upstream image and create the repository on first pull.
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-iam.html
   */
  readonly pullerRoleArns: pulumi.Input<string>[];
  /**
   * Region the own repositories replicate to (the DR peer).
   * @default undefined - no replication (a standby: it is the destination)
   */
  readonly replicaRegion?: string;
  /**
   * Credentials of the upstreams that require authentication (Docker Hub, GitHub). An upstream
   * without one gets no cache rule: ECR refuses the rule without a secret.
   * @default {} - only the unauthenticated upstreams (quay.io, registry.k8s.io, public ECR)
   */
  readonly upstreamCredentials?: Partial<Record<UpstreamName, UpstreamCredential>>;
}
