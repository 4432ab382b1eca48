import * as assert from "assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { IMAGES, type ImagePin } from "@platform/core";
import { copyLines, mirrorTargets } from "./list";

const ROLE = "arn:aws:iam::111122223333:role/platform-mirror";

describe("mirror-images list", () => {
  it("lists each mirrored image of the table, from its source to mirror/ by tag", () => {
    const table: Record<string, ImagePin> = {
      cached: { upstream: "quay", repository: "prometheus/prometheus", tag: "v1" },
      byTag: { upstream: "mirror", source: "nvcr.io", repository: "nvidia/a", tag: "1.0" },
      byDigest: {
        upstream: "mirror",
        source: "registry.example.com",
        repository: "b",
        tag: "2.0",
        digest: "sha256:abc",
      },
    };
    assert.deepStrictEqual(copyLines(table), [
      "nvcr.io/nvidia/a:1.0 mirror/nvidia/a:1.0",
      "registry.example.com/b@sha256:abc mirror/b:2.0",
    ]);
  });

  it("lists the table's NVIDIA images, the device plugin and the DCGM exporter", () => {
    assert.deepStrictEqual(copyLines().sort(), [
      `nvcr.io/nvidia/k8s-device-plugin:${IMAGES.nvidiaDevicePlugin.tag} mirror/nvidia/k8s-device-plugin:${IMAGES.nvidiaDevicePlugin.tag}`,
      `nvcr.io/nvidia/k8s/dcgm-exporter:${IMAGES.dcgmExporter.tag} mirror/nvidia/k8s/dcgm-exporter:${IMAGES.dcgmExporter.tag}`,
    ]);
  });

  describe("targets", () => {
    let dir: string;
    const stackFile = (stack: string, body: string) =>
      fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), body);
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "mirror-"));
      stackFile(
        "prod-us-west-2",
        'config:\n  aws:region: us-west-2\n  platform:accountId: "111122223333"\n',
      );
      stackFile(
        "prod-us-east-1",
        'config:\n  aws:region: us-east-1\n  platform:accountId: "111122223333"\n  platform:role: standby\n',
      );
      stackFile(
        "prod-eu-west-1",
        'config:\n  aws:region: eu-west-1\n  platform:accountId: "111122223333"\n',
      );
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("copies into each primary with a role, never into a standby", () => {
      const vars = {
        AWS_MIRROR_ROLE_ARN_PROD_US_WEST_2: ROLE,
        AWS_MIRROR_ROLE_ARN_PROD_US_EAST_1: ROLE,
      };
      assert.deepStrictEqual(mirrorTargets(dir, vars), {
        include: [
          {
            stack: "prod-us-west-2",
            region: "us-west-2",
            accountId: "111122223333",
            roleArn: ROLE,
          },
        ],
        skipped: [
          "prod-eu-west-1: repository variable AWS_MIRROR_ROLE_ARN_PROD_EU_WEST_1 is not set",
          "prod-us-east-1: a standby, its mirror arrives by replication",
        ],
      });
    });

    it("rejects a role variable that is not a role ARN and a stack without an account", () => {
      assert.throws(
        () => mirrorTargets(dir, { AWS_MIRROR_ROLE_ARN_PROD_EU_WEST_1: "AKIA123" }),
        /AWS_MIRROR_ROLE_ARN_PROD_EU_WEST_1 must be an IAM role ARN \(got AKIA123\)/,
      );
      stackFile("prod-eu-west-1", "config:\n  aws:region: eu-west-1\n");
      assert.throws(
        () => mirrorTargets(dir, { AWS_MIRROR_ROLE_ARN_PROD_EU_WEST_1: ROLE }),
        /Pulumi\.prod-eu-west-1\.yaml must set platform:accountId under config \(got none\)/,
      );
    });

    it("writes the matrix as step outputs from the command line", () => {
      const outputs = path.join(dir, "outputs");
      const run = spawnSync(
        process.execPath,
        [
          "-r",
          require.resolve("../testing/register.js"),
          path.join(__dirname, "list.ts"),
          "matrix",
        ],
        {
          cwd: dir,
          encoding: "utf8",
          env: {
            ...process.env,
            GITHUB_OUTPUT: outputs,
            VARS_JSON: JSON.stringify({ AWS_MIRROR_ROLE_ARN_PROD_EU_WEST_1: ROLE }),
          },
        },
      );
      assert.strictEqual(run.status, 0, run.stderr);
      assert.strictEqual(
        fs.readFileSync(outputs, "utf8"),
        `matrix={"include":[{"stack":"prod-eu-west-1","region":"eu-west-1","accountId":"111122223333","roleArn":"${ROLE}"}]}\ncount=1\n`,
      );
    });
  });
});
