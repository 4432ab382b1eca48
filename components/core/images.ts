/**
 * Every image the platform runs (its built-in Kubernetes objects and every Helm release), pulled
 * through the stack's ECR pull-through cache: `<account>.dkr.ecr.<region>.amazonaws.com/<upstream>/<repo>`,
 * or, for a registry no cache rule can reach, copied by CI into `<host>/mirror/<repo>`.
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

/**
 * ECR repository prefix of the images CI copies into the stack's own registry
 * (.github/workflows/mirror-images.yml): those of a registry no pull-through cache rule can reach.
 */
export const MIRROR_PREFIX = "mirror";

interface PinFields {
  /** Repository path in the upstream registry, and under the ECR prefix. */
  readonly repository: string;
  readonly tag: string;
  /** `sha256:...` as the upstream publishes it for `tag`; absent where none could be confirmed. */
  readonly digest?: string;
}

/** An image the stack's pull-through cache fetches on first pull; `upstream` is the cache prefix. */
export interface CachedImagePin extends PinFields {
  readonly upstream: UpstreamName;
  readonly source?: never;
}

/** An image CI copies from `source` into `mirror/<repository>` of the stack's registry. */
export interface MirroredImagePin extends PinFields {
  readonly upstream: typeof MIRROR_PREFIX;
  /** Registry host the image is copied from, e.g. `nvcr.io`. */
  readonly source: string;
}

/** `upstream` is the ECR prefix of the image's repository either way. */
export type ImagePin = CachedImagePin | MirroredImagePin;

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
  // Observability: every image the observability releases run. Each tag is what the chart runs by
  // default at the version CHARTS pins (its appVersion or values default), each upstream the
  // registry the chart's values.yaml names unless said otherwise; read from the charts' tags:
  // - prometheus-community/helm-charts kube-prometheus-stack-88.5.3 (ea930ba, 2026-08-21):
  //   operator v0.93.1 (appVersion; the config reloader defaults to it), Prometheus
  //   v3.14.0-distroless, Alertmanager v0.34.0, kube-webhook-certgen 1.8.7, Thanos v0.42.4 (the
  //   Operator's default Thanos sidecar image, an argument of its Deployment); subcharts
  //   kube-state-metrics-8.4.0 (1982f1c: v2.20.0) and prometheus-node-exporter-4.56.1 (8b8e639:
  //   v1.12.1; kube-prometheus-stack sets `image.distroless`, which appends `-distroless`);
  //   prometheus-blackbox-exporter-11.17.2 (a66a3d5: v0.28.0)
  // - grafana-community/helm-charts grafana-12.11.1 (864f779: Grafana 13.2.0, k8s-sidecar 2.10.1 on
  //   quay.io, curl 8.21.0), loki-18.11.0 (3386a11: Loki 3.7.6, memcached 1.6.45-alpine,
  //   memcached-exporter v0.17.0), tempo-distributed-2.9.0 (f87fee7: appVersion 2.10.3; Tempo
  //   is pinned to 2.10.8 instead, the newest 2.10 patch, the monolithic tempo-2.2.4 chart's
  //   appVersion at 3386a11: same minor line and configuration, later fixes)
  // - open-telemetry/opentelemetry-helm-charts opentelemetry-collector-0.170.0 (f5178cb: 0.158.0);
  //   the contrib distribution from Docker Hub's `otel/` organisation, where the chart's values.yaml
  //   comment points for the core image (`otel/opentelemetry-collector`)
  // - fluent/helm-charts fluent-bit-0.58.1 (22a564d: 5.1.1); the chart's default registry,
  //   cr.fluentbit.io, has no cache rule: Fluent Bit's images are on Docker Hub as fluent/fluent-bit
  //   (docs.fluentbit.io/manual/5.0/installation/downloads/docker, read 2026-12-06).
  prometheus: { upstream: "quay", repository: "prometheus/prometheus", tag: "v3.14.0-distroless" },
  alertmanager: { upstream: "quay", repository: "prometheus/alertmanager", tag: "v0.34.0" },
  prometheusOperator: {
    upstream: "quay",
    repository: "prometheus-operator/prometheus-operator",
    tag: "v0.93.1",
  },
  prometheusConfigReloader: {
    upstream: "quay",
    repository: "prometheus-operator/prometheus-config-reloader",
    tag: "v0.93.1",
  },
  admissionWebhookCertgen: {
    upstream: "ghcr",
    repository: "jkroepke/kube-webhook-certgen",
    tag: "1.8.7",
  },
  thanos: { upstream: "quay", repository: "thanos/thanos", tag: "v0.42.4" },
  kubeStateMetrics: {
    upstream: "k8s",
    repository: "kube-state-metrics/kube-state-metrics",
    tag: "v2.20.0",
  },
  /** The distroless variant kube-prometheus-stack selects, its suffix written out here. */
  nodeExporter: {
    upstream: "quay",
    repository: "prometheus/node-exporter",
    tag: "v1.12.1-distroless",
  },
  blackboxExporter: {
    upstream: "quay",
    repository: "prometheus/blackbox-exporter",
    tag: "v0.28.0",
  },
  grafana: { upstream: "docker-hub", repository: "grafana/grafana", tag: "13.2.0" },
  k8sSidecar: { upstream: "quay", repository: "kiwigrid/k8s-sidecar", tag: "2.10.1" },
  curl: { upstream: "docker-hub", repository: "curlimages/curl", tag: "8.21.0" },
  loki: { upstream: "docker-hub", repository: "grafana/loki", tag: "3.7.6" },
  // The Docker official image, through ECR Public's docker/library mirror like busybox above.
  memcached: {
    upstream: "ecr-public",
    repository: "docker/library/memcached",
    tag: "1.6.45-alpine",
  },
  memcachedExporter: {
    upstream: "docker-hub",
    repository: "prom/memcached-exporter",
    tag: "v0.17.0",
  },
  tempo: { upstream: "docker-hub", repository: "grafana/tempo", tag: "2.10.8" },
  otelCollectorContrib: {
    upstream: "docker-hub",
    repository: "otel/opentelemetry-collector-contrib",
    tag: "0.158.0",
  },
  fluentBit: { upstream: "docker-hub", repository: "fluent/fluent-bit", tag: "5.1.1" },

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
  // NVIDIA/k8s-device-plugin@v0.20.0 deployments/helm/nvidia-device-plugin: values.yaml
  // image.repository nvcr.io/nvidia/k8s-device-plugin, tag "" = `v` + appVersion 0.20.0
  // (templates/_helpers.tpl "nvidia-device-plugin.fullimage"). ECR's pull-through cache cannot
  // reach nvcr.io, so CI mirrors the release image (.github/workflows/mirror-images.yml) rather
  // than run NVIDIA's ghcr.io staging build of the commit, which NVIDIA keeps no promise for.
  nvidiaDevicePlugin: {
    upstream: MIRROR_PREFIX,
    source: "nvcr.io",
    repository: "nvidia/k8s-device-plugin",
    tag: "v0.20.0",
  },
  // NVIDIA/dcgm-exporter@4.5.3-4.8.2 (691c927, 2026-05-06) deployment/values.yaml: image.repository
  // nvcr.io/nvidia/k8s/dcgm-exporter, image.tag 4.5.3-4.8.2-distroless (chart 4.8.2). ECR's
  // pull-through cache cannot reach nvcr.io (docs/components/registry.md) and no copy on a cached
  // registry was found, so CI mirrors it (.github/workflows/mirror-images.yml).
  dcgmExporter: {
    upstream: MIRROR_PREFIX,
    source: "nvcr.io",
    repository: "nvidia/k8s/dcgm-exporter",
    tag: "4.5.3-4.8.2-distroless",
  },
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

/** The image's repository in the stack's registry, cache or mirror (a chart's `image.repository`). */
export function imageRepository(host: string, pin: ImagePin): string {
  return `${host}/${pin.upstream}/${pin.repository}`;
}

/** A chart's image block where the chart joins `repository:tag` (no `registry` key). */
export function repositoryImage(host: string, pin: ImagePin): { repository: string; tag: string } {
  return { repository: imageRepository(host, pin), tag: pin.tag };
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

/** The table's images CI copies into `mirror/<repository>`: one ECR repository each. */
export function mirroredImages(
  images: Record<string, ImagePin> = IMAGES,
): readonly MirroredImagePin[] {
  return Object.values(images).filter(
    (pin): pin is MirroredImagePin => pin.upstream === MIRROR_PREFIX,
  );
}

/** `repository:tag`, plus `@digest` when the table pins one (the runtime then pulls by digest). */
export function imageReference(host: string, pin: ImagePin): string {
  return `${imageRepository(host, pin)}:${pin.tag}${pin.digest ? `@${pin.digest}` : ""}`;
}
