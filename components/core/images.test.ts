import * as assert from "assert";
import {
  chartImage,
  IMAGES,
  type ImagePin,
  imageReference,
  imageRepository,
  MIRROR_PREFIX,
  mirroredImages,
} from "./images";

const HOST = "111122223333.dkr.ecr.us-west-2.amazonaws.com";

// The pin types: a mirror pin names its source registry, a cached pin never does (checked by tsc).
// @ts-expect-error a mirror pin without its source
export const mirrorWithoutSource: ImagePin = { upstream: "mirror", repository: "a", tag: "1" };
// @ts-expect-error a cached pin with a source
export const cachedWithSource: ImagePin = {
  upstream: "quay",
  source: "q",
  repository: "a",
  tag: "1",
};

describe("image table", () => {
  const mirrored: ImagePin = {
    upstream: MIRROR_PREFIX,
    source: "nvcr.io",
    repository: "nvidia/k8s/dcgm-exporter",
    tag: "4.5.3-4.8.2-distroless",
  };

  it("puts a mirrored image under the stack's mirror prefix, never its source registry", () => {
    assert.strictEqual(
      imageReference(HOST, mirrored),
      `${HOST}/mirror/nvidia/k8s/dcgm-exporter:4.5.3-4.8.2-distroless`,
    );
    assert.strictEqual(imageRepository(HOST, mirrored), `${HOST}/mirror/nvidia/k8s/dcgm-exporter`);
    assert.deepStrictEqual(chartImage(HOST, mirrored), {
      registry: `${HOST}/mirror`,
      repository: "nvidia/k8s/dcgm-exporter",
      tag: "4.5.3-4.8.2-distroless",
    });
  });

  it("lists the mirrored images only, the DCGM exporter among them", () => {
    const table: Record<string, ImagePin> = {
      cached: { upstream: "quay", repository: "a", tag: "1" },
      mirrored,
    };
    assert.deepStrictEqual(mirroredImages(table), [mirrored]);
    assert.ok(mirroredImages().includes(IMAGES.dcgmExporter));
  });
});
