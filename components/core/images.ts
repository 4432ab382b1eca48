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
