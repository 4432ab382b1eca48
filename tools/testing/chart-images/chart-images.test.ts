import * as assert from "assert";
import { CHARTS } from "@platform/core";
import { imagesInValues, isImageNode } from "@platform/model";
import { keyTree, readManifest, renderedImages, unknownValueKeys } from "./manifest";

describe("chart image manifests", () => {
  it("finds image objects and image strings, and nothing that only looks like one", () => {
    const values = {
      image: { registry: "quay.io", repository: "prometheus/prometheus", tag: "v3.14.0" },
      sidecar: { image: { repository: "kiwigrid/k8s-sidecar", sha: "" } },
      kubectlImage: "registry.k8s.io/kubectl:v1.35.0",
      extraContainers: [
        { name: "proxy", image: "ghcr.io/acme/proxy:1.0@sha256:" + "a".repeat(64) },
      ],
      // A chart's Git repository, a description mentioning images and a template are not images.
      source: { repository: "https://github.com/acme/chart" },
      imageNote: "the image is pulled on start",
      templatedImage: "{{ .Values.registry }}/x:1",
    };
    assert.deepStrictEqual(imagesInValues(values), [
      { path: "image", registry: "quay.io", repository: "prometheus/prometheus", tag: "v3.14.0" },
      { path: "sidecar.image", repository: "kiwigrid/k8s-sidecar", digest: "" },
      { path: "kubectlImage", reference: "registry.k8s.io/kubectl:v1.35.0" },
      {
        path: "extraContainers[0].image",
        reference: "ghcr.io/acme/proxy:1.0@sha256:" + "a".repeat(64),
      },
    ]);
    assert.strictEqual(isImageNode("repository", { repository: "x" }), false);
  });

  const manifest = {
    chart: "demo",
    version: "1.0.0",
    sources: [],
    keys: "*" as const,
    images: [
      { path: "image", registry: "quay.io", repository: "demo/app" },
      { path: "gateway.image", registry: "docker.io", repository: "nginxinc/nginx", tag: "1.29" },
      { path: "hook.image", reference: "docker.io/library/busybox:latest" },
    ],
  };

  it("renders the chart's defaults where the release sets nothing", () => {
    assert.deepStrictEqual(
      renderedImages(manifest, {}, {}).map((i) => i.reference),
      ["quay.io/demo/app", "docker.io/nginxinc/nginx:1.29", "docker.io/library/busybox:latest"],
    );
  });

  it("takes an empty registry as none, not as the chart's default", () => {
    const values = {
      image: {
        registry: "",
        repository: "123456789012.dkr.ecr.us-west-2.amazonaws.com/quay/demo/app",
        tag: "2.0",
      },
    };
    assert.strictEqual(
      renderedImages(manifest, {}, values)[0].reference,
      "123456789012.dkr.ecr.us-west-2.amazonaws.com/quay/demo/app:2.0",
    );
  });

  it("applies the release's fields, whole strings, a global registry and extra images", () => {
    const host = "123456789012.dkr.ecr.us-west-2.amazonaws.com";
    const values = {
      global: { imageRegistry: `${host}/quay` },
      image: { tag: "2.0" },
      gateway: { image: { registry: `${host}/docker-hub`, tag: "1.29.1" } },
      hook: { image: `${host}/ecr-public/docker/library/busybox:1.37.0` },
      extraContainers: [{ image: `${host}/ghcr/acme/proxy:1.0` }],
    };
    assert.deepStrictEqual(
      renderedImages(manifest, { globalRegistry: ["global.imageRegistry"] }, values),
      [
        // The global registry wins over each image's own, as charts with one render it.
        { path: "image", reference: `${host}/quay/demo/app:2.0` },
        { path: "gateway.image", reference: `${host}/quay/nginxinc/nginx:1.29.1` },
        { path: "hook.image", reference: `${host}/ecr-public/docker/library/busybox:1.37.0` },
        { path: "extraContainers[0].image", reference: `${host}/ghcr/acme/proxy:1.0` },
      ],
    );
  });

  it("skips a component's images only when the release turns the component off explicitly", () => {
    const rules = { renderedWhen: { "gateway.": "gateway.enabled" } };
    const paths = (values: Record<string, unknown>) =>
      renderedImages(manifest, rules, values).map((i) => i.path);
    assert.deepStrictEqual(paths({}), ["image", "gateway.image", "hook.image"]);
    assert.deepStrictEqual(paths({ gateway: { enabled: false } }), ["image", "hook.image"]);
  });

  it("reads a values file's keys, free-form where the chart defaults to nothing", () => {
    assert.deepStrictEqual(
      keyTree({ replicas: 1, podAnnotations: {}, extraArgs: [], config: null, image: { tag: "" } }),
      { replicas: 1, podAnnotations: "*", extraArgs: "*", config: "*", image: { tag: 1 } },
    );
  });

  it("reports the keys a release sets that its chart neither defaults nor reads", () => {
    const chart = {
      chart: "demo",
      version: "1.0.0",
      sources: [],
      images: [],
      keys: keyTree({
        replicas: 1,
        podAnnotations: {},
        securityContext: { runAsUser: 1000 },
        server: { port: 80 },
      }),
    };
    const values = {
      replicas: 2,
      replica: 3, // misspelt: never takes effect
      podAnnotations: { team: "platform" },
      // Kubernetes' own fields below a pass-through object are the API's, not the chart's.
      securityContext: { runAsNonRoot: true },
      server: { port: 8080, prot: 1 },
      priorityClassName: "platform-critical",
    };
    assert.deepStrictEqual(unknownValueKeys(chart, {}, values), [
      "replica",
      "server.prot",
      "priorityClassName",
    ]);
    assert.deepStrictEqual(
      unknownValueKeys(
        chart,
        { templateKeys: { priorityClassName: "templates/deployment.yaml" } },
        values,
      ),
      ["replica", "server.prot"],
    );
  });

  it("has a manifest for every pinned chart at its pinned version", () => {
    const missing = Object.entries(CHARTS)
      .filter(([, pin]) => readManifest(pin.chart, pin.version) === undefined)
      .map(([key, pin]) => `${key}: ${pin.chart} ${pin.version}`);
    assert.deepStrictEqual(missing, [], "re-vendor (tools/testing/chart-images/README.md)");
  });
});
