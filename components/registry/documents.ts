/**
 * Pure documents of the registry: the upstream table, lifecycle rules, repository and registry
 * policies, the creation role's policy. Tested without mocks.
 */
import { PolicyDocument, policyDocument } from "@platform/core";
import type { UpstreamName } from "./args";

export interface Upstream {
  /** `upstreamRegistryUrl` as ECR spells it. */
  readonly url: string;
  /** Whether ECR requires a Secrets Manager credential for this upstream. */
  readonly requiresCredential: boolean;
}

/**
 * The public registries the platform's charts pull from, keyed by the ECR repository prefix of
 * their cache. URLs and authentication from the ECR user guide (pull-through-cache.html and
 * CreatePullThroughCacheRule's upstreamRegistryUrl, read 2026-12-05): Docker Hub and GitHub
 * Container Registry require a Secrets Manager secret; quay.io, registry.k8s.io and ECR Public do not.
 */
export const UPSTREAMS: Readonly<Record<UpstreamName, Upstream>> = {
  "docker-hub": { url: "registry-1.docker.io", requiresCredential: true },
  quay: { url: "quay.io", requiresCredential: false },
  ghcr: { url: "ghcr.io", requiresCredential: true },
  k8s: { url: "registry.k8s.io", requiresCredential: false },
  "ecr-public": { url: "public.ecr.aws", requiresCredential: false },
};

export const UPSTREAM_NAMES = Object.keys(UPSTREAMS) as UpstreamName[];

export interface LifecycleRules {
  readonly keepReleases: number;
  readonly untaggedExpiryDays: number;
}

/**
 * Untagged images expire after N days; of tagged images the newest `keepReleases` stay.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html
 */
export function lifecyclePolicy(rules: LifecycleRules): string {
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: `Untagged images expire after ${rules.untaggedExpiryDays} days`,
        selection: {
          tagStatus: "untagged",
          countType: "sinceImagePushed",
          countUnit: "days",
          countNumber: rules.untaggedExpiryDays,
        },
        action: { type: "expire" },
      },
      {
        rulePriority: 2,
        description: `Keep the last ${rules.keepReleases} tagged releases`,
        selection: {
          tagStatus: "any",
          countType: "imageCountMoreThan",
          countNumber: rules.keepReleases,
        },
        action: { type: "expire" },
      },
    ],
  });
}

const PULL_ACTIONS = [
  "ecr:BatchGetImage",
  "ecr:GetDownloadUrlForLayer",
  "ecr:BatchCheckLayerAvailability",
];

/** Repository policy: the named roles pull; nobody outside the account does anything. */
export function repositoryPolicy(pullerRoleArns: readonly string[]): PolicyDocument {
  return policyDocument([
    {
      Sid: "NodesPull",
      Effect: "Allow",
      Principal: { AWS: [...pullerRoleArns] },
      Action: PULL_ACTIONS,
    },
  ]);
}

/**
 * Registry policy: the node roles may import upstream images into the cache prefixes and create
 * the cache repository on first pull (ecr:BatchImportUpstreamImage, ecr:CreateRepository).
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-iam.html
 */
export function registryPolicy(
  accountId: string,
  region: string,
  pullerRoleArns: readonly string[],
  cachePrefixes: readonly string[],
): PolicyDocument {
  return policyDocument([
    {
      Sid: "NodesFillThePullThroughCache",
      Effect: "Allow",
      Principal: { AWS: [...pullerRoleArns] },
      Action: ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"],
      Resource: cachePrefixes.map(
        (prefix) => `arn:aws:ecr:${region}:${accountId}:repository/${prefix}/*`,
      ),
    },
  ]);
}

/**
 * What ECR does with the creation templates' role: create (and tag) cache and replica
 * repositories, replicate, and use the registry key.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates-custom.html
 */
export function creationRolePolicy(
  accountId: string,
  region: string,
  templatePrefixes: readonly string[],
  keyArn: string,
): PolicyDocument {
  return policyDocument([
    {
      Sid: "CreateRepositoriesUnderTheTemplates",
      Effect: "Allow",
      Action: ["ecr:CreateRepository", "ecr:ReplicateImage", "ecr:TagResource"],
      Resource: templatePrefixes.map(
        (prefix) => `arn:aws:ecr:${region}:${accountId}:repository/${prefix}/*`,
      ),
    },
    {
      Sid: "UseTheRegistryKey",
      Effect: "Allow",
      Action: ["kms:CreateGrant", "kms:RetireGrant", "kms:DescribeKey"],
      Resource: keyArn,
    },
  ]);
}

export function ecrServiceTrustPolicy(): PolicyDocument {
  return policyDocument([
    {
      Effect: "Allow",
      Principal: { Service: "ecr.amazonaws.com" },
      Action: "sts:AssumeRole",
    },
  ]);
}
