/**
 * Every image the platform's built-in Kubernetes objects and the Velero chart run, pulled through
 * the stack's ECR pull-through cache: `<account>.dkr.ecr.<region>.amazonaws.com/<upstream>/<repo>`.
 * One table so that an image upgrade is one reviewed line, and no reference names a public registry.
 *
 * Digests: only where a chart publishes one for its image at the pinned version (Karpenter,
 * OpenCost). A digest must be the one the upstream publishes for the tag (read from its registry
 * manifest, release notes or chart), and no other could be confirmed from here (no registry
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
  // Cluster add-ons, cost controls and Velero's own jobs: what each chart pinned in CHARTS runs by
  // default at its version (the chart's appVersion or values default, read at its release tag).
  // aws/karpenter-provider-aws@c88abbba (release-v1.14.1, "Stable Release updates Release v1.14.1",
  // 2026-08-21) charts/karpenter/values.yaml: tag and digest as the chart publishes them.
  karpenterController: {
    upstream: "ecr-public",
    repository: "karpenter/controller",
    tag: "1.14.1",
    digest: "sha256:445baefaaa689029cc12ac1f659b916b0b82fb14308ce536f8521fcf079116fa",
  },
  // kubernetes-sigs/aws-load-balancer-controller@v3.5.0 helm/aws-load-balancer-controller/values.yaml.
  awsLoadBalancerController: {
    upstream: "ecr-public",
    repository: "eks/aws-load-balancer-controller",
    tag: "v3.5.0",
  },
  // cert-manager/cert-manager@v1.21.1 deploy/charts/cert-manager/values.yaml: quay.io/jetstack/<name>
  // at the chart's appVersion, which its release tool sets to the release (v1.21.1).
  certManagerController: {
    upstream: "quay",
    repository: "jetstack/cert-manager-controller",
    tag: "v1.21.1",
  },
  certManagerWebhook: {
    upstream: "quay",
    repository: "jetstack/cert-manager-webhook",
    tag: "v1.21.1",
  },
  certManagerCainjector: {
    upstream: "quay",
    repository: "jetstack/cert-manager-cainjector",
    tag: "v1.21.1",
  },
  certManagerAcmesolver: {
    upstream: "quay",
    repository: "jetstack/cert-manager-acmesolver",
    tag: "v1.21.1",
  },
  certManagerStartupapicheck: {
    upstream: "quay",
    repository: "jetstack/cert-manager-startupapicheck",
    tag: "v1.21.1",
  },
  // kubernetes-sigs/external-dns@external-dns-helm-chart-1.21.1 charts/external-dns: appVersion 0.21.0,
  // rendered as v0.21.0 (templates/_helpers.tpl "external-dns.image").
  externalDns: { upstream: "k8s", repository: "external-dns/external-dns", tag: "v0.21.0" },
  // kedacore/charts@v2.20.2 keda/values.yaml: ghcr.io, tag the chart's appVersion 2.20.2.
  keda: { upstream: "ghcr", repository: "kedacore/keda", tag: "2.20.2" },
  kedaMetricsApiServer: {
    upstream: "ghcr",
    repository: "kedacore/keda-metrics-apiserver",
    tag: "2.20.2",
  },
  kedaAdmissionWebhooks: {
    upstream: "ghcr",
    repository: "kedacore/keda-admission-webhooks",
    tag: "2.20.2",
  },
  // kubernetes-sigs/metrics-server@metrics-server-helm-chart-3.13.1: appVersion 0.8.1, rendered v0.8.1.
  metricsServer: { upstream: "k8s", repository: "metrics-server/metrics-server", tag: "v0.8.1" },
  // argoproj/argo-helm@argo-rollouts-2.41.0 charts/argo-rollouts: quay.io, appVersion v1.9.0.
  argoRollouts: { upstream: "quay", repository: "argoproj/argo-rollouts", tag: "v1.9.0" },
  // kubernetes/autoscaler@vertical-pod-autoscaler-chart-0.11.0 vertical-pod-autoscaler/charts/
  // vertical-pod-autoscaler: appVersion "1.7.1" as the tag (templates/_helpers.tpl), and the
  // certgen Job's image from values.yaml.
  vpaRecommender: { upstream: "k8s", repository: "autoscaling/vpa-recommender", tag: "1.7.1" },
  vpaUpdater: { upstream: "k8s", repository: "autoscaling/vpa-updater", tag: "1.7.1" },
  vpaAdmissionController: {
    upstream: "k8s",
    repository: "autoscaling/vpa-admission-controller",
    tag: "1.7.1",
  },
  kubeWebhookCertgen: {
    upstream: "k8s",
    repository: "ingress-nginx/kube-webhook-certgen",
    tag: "v20231011-8b53cabe0",
  },
  // The chart's default is nvcr.io/nvidia/k8s-device-plugin:v0.20.0; ECR cannot cache nvcr.io. NVIDIA's
  // CI builds every commit into its "public staging registry" ghcr.io/nvidia, tagged with the commit's
  // 8-character SHA, and its release pipeline copies that very image (regctl image copy) to nvcr.io
  // (NVIDIA/k8s-device-plugin@v0.20.0 .github/workflows/image.yaml and variables.yaml, .nvidia-ci.yml
  // STAGING_REGISTRY and pull-images). v0.20.0 is commit 1b826acc. A staging tag, not a release tag:
  // NVIDIA documents no retention for it; not confirmed from here (no registry access, 2026-12-06).
  nvidiaDevicePlugin: { upstream: "ghcr", repository: "nvidia/k8s-device-plugin", tag: "1b826acc" },
  // opencost/opencost-helm-chart@opencost-2.5.17 charts/opencost/values.yaml: ghcr.io, tag and digest as
  // the chart publishes them (in its `tag` value, `1.120.1@sha256:...`).
  opencost: {
    upstream: "ghcr",
    repository: "opencost/opencost",
    tag: "1.120.1",
    digest: "sha256:b0701f9b54e43c9abee98f5784792a5b469ca8951e87da32b161c1fa539ab0e1",
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

/**
 * A chart's image block where the chart has a `registry` key beside `repository` and `tag`: the
 * cache prefix goes into `registry`, so a chart that joins `registry/repository` renders the same
 * reference as `imageReference`. Charts that name the digest otherwise (`sha`) map it themselves.
 */
export function chartImage(
  host: string,
  pin: ImagePin,
): { registry: string; repository: string; tag: string; digest?: string } {
  return {
    registry: `${host}/${pin.upstream}`,
    repository: pin.repository,
    tag: pin.tag,
    ...(pin.digest ? { digest: pin.digest } : {}),
  };
}

/** The table's images pulled through `upstream`'s cache rule (e.g. those a missing credential blocks). */
export function imagesFrom(upstream: UpstreamName): string[] {
  return Object.values(IMAGES as Record<string, ImagePin>)
    .filter((pin) => pin.upstream === upstream)
    .map((pin) => pin.repository);
}

/** `repository:tag`, plus `@digest` when the table pins one (the runtime then pulls by digest). */
export function imageReference(host: string, pin: ImagePin): string {
  return `${imageRepository(host, pin)}:${pin.tag}${pin.digest ? `@${pin.digest}` : ""}`;
}
