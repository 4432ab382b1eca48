/**
 * The registry of each stack and where its images come from: a primary (prod-us-west-2) has its own
 * repositories and replicates them to its DR peer; a standby (prod-us-east-1) receives them. Both
 * run the pull-through cache, creation templates and Inspector enhanced scanning, and every image
 * of a built-in workload or a Helm release points at the stack's own registry.
 */
import * as assert from "assert";
import { named, ofType, runStack, type StackRun } from "../tools/testing";
import {
  chartName,
  readManifest,
  renderedImages,
  unknownValueKeys,
} from "../tools/testing/chart-images/manifest";
import { CHART_IMAGE_RULES } from "../tools/testing/chart-images/rules";

const ACCOUNT = "123456789012";
const STACKS = [
  { stack: "prod-us-west-2", region: "us-west-2", peer: "us-east-1", role: "primary" },
  { stack: "prod-us-east-1", region: "us-east-1", peer: undefined, role: "standby" },
] as const;

/** Every `image` string anywhere in a value. */
function imagesIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => imagesIn(v, found));
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k === "image" && typeof v === "string") found.push(v);
      else imagesIn(v, found);
    }
  }
  return found;
}

for (const { stack, region, peer, role } of STACKS) {
  describe(`supply chain: ${stack} (${role})`, () => {
    let run: StackRun;
    before(async () => {
      run = await runStack({ stack });
    });

    it("caches the public registries that need no credential, each with a creation template", () => {
      const rules = ofType(run, "aws:ecr/pullThroughCacheRule:PullThroughCacheRule");
      assert.deepStrictEqual(
        rules.map((r) => [r.inputs.ecrRepositoryPrefix, r.inputs.upstreamRegistryUrl]).sort(),
        [
          ["ecr-public", "public.ecr.aws"],
          ["k8s", "registry.k8s.io"],
          ["quay", "quay.io"],
        ],
      );
      const templates = ofType(
        run,
        "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate",
      );
      for (const rule of rules) {
        const template = templates.find((t) => t.inputs.prefix === rule.inputs.ecrRepositoryPrefix);
        assert.ok(template, `no creation template for ${String(rule.inputs.ecrRepositoryPrefix)}`);
        assert.deepStrictEqual(template.inputs.appliedFors, ["PULL_THROUGH_CACHE"]);
        assert.strictEqual(template.inputs.imageTagMutability, "IMMUTABLE");
        const [encryption] = template.inputs.encryptionConfigurations as Record<string, unknown>[];
        assert.strictEqual(encryption.encryptionType, "KMS");
      }
      const replicas = templates.filter((t) =>
        (t.inputs.appliedFors as string[]).includes("REPLICATION"),
      );
      assert.deepStrictEqual(
        replicas.map((t) => t.inputs.prefix),
        ["platform", "mirror"],
      );
    });

    it("scans the whole registry with Inspector enhanced scanning", () => {
      const [scanning] = ofType(
        run,
        "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration",
      );
      assert.strictEqual(scanning.inputs.scanType, "ENHANCED");
      assert.deepStrictEqual(scanning.inputs.rules, [
        {
          scanFrequency: "CONTINUOUS_SCAN",
          repositoryFilters: [{ filter: "*", filterType: "WILDCARD" }],
        },
      ]);
    });

    it("lets the node roles fill the cache on first pull, and nobody else", () => {
      const policy = JSON.parse(named(run, "registry-registry-policy").inputs.policy as string) as {
        Statement: { Action: string[]; Resource: string[]; Principal: { AWS: string[] } }[];
      };
      const [statement] = policy.Statement;
      assert.deepStrictEqual(statement.Action, [
        "ecr:BatchImportUpstreamImage",
        "ecr:CreateRepository",
      ]);
      assert.deepStrictEqual(statement.Resource, [
        `arn:aws:ecr:${region}:${ACCOUNT}:repository/quay/*`,
        `arn:aws:ecr:${region}:${ACCOUNT}:repository/k8s/*`,
        `arn:aws:ecr:${region}:${ACCOUNT}:repository/ecr-public/*`,
      ]);
      assert.strictEqual(statement.Principal.AWS.length, 2);
    });

    if (peer) {
      it("owns immutable, encrypted, protected repositories and replicates them to the peer", () => {
        const repositories = ofType(run, "aws:ecr/repository:Repository");
        assert.ok(repositories.length > 0);
        for (const r of repositories) {
          assert.match(String(r.inputs.name), /^(platform|mirror)\//);
          assert.strictEqual(r.inputs.imageTagMutability, "IMMUTABLE");
          assert.strictEqual(r.options.protect, true);
        }
        const [replication] = ofType(
          run,
          "aws:ecr/replicationConfiguration:ReplicationConfiguration",
        );
        assert.deepStrictEqual(replication.inputs.replicationConfiguration, {
          rules: [
            {
              destinations: [{ region: peer, registryId: ACCOUNT }],
              repositoryFilters: [
                { filter: "platform", filterType: "PREFIX_MATCH" },
                { filter: "mirror", filterType: "PREFIX_MATCH" },
              ],
            },
          ],
        });
      });

      it("owns a mirror repository per mirrored image, set up like the own ones", () => {
        const mirrors = ofType(run, "aws:ecr/repository:Repository").filter((r) =>
          String(r.inputs.name).startsWith("mirror/"),
        );
        assert.deepStrictEqual(mirrors.map((r) => r.inputs.name).sort(), [
          "mirror/nvidia/k8s-device-plugin",
          "mirror/nvidia/k8s/dcgm-exporter",
        ]);
        const mirror = mirrors[0];
        const [own] = ofType(run, "aws:ecr/repository:Repository").filter((r) =>
          String(r.inputs.name).startsWith("platform/"),
        );
        assert.deepStrictEqual(
          mirror.inputs.encryptionConfigurations,
          own.inputs.encryptionConfigurations,
        );
        const [encryption] = mirror.inputs.encryptionConfigurations as Record<string, unknown>[];
        assert.strictEqual(encryption.encryptionType, "KMS");
        assert.deepStrictEqual(mirror.inputs.imageScanningConfiguration, { scanOnPush: true });
        assert.strictEqual(mirror.options.retainOnDelete, true);
        const attached = (type: string) =>
          ofType(run, type).filter((r) => r.name === mirror.name).length;
        assert.strictEqual(attached("aws:ecr/lifecyclePolicy:LifecyclePolicy"), 1);
        assert.strictEqual(attached("aws:ecr/repositoryPolicy:RepositoryPolicy"), 1);
      });
    } else {
      it("owns no repositories and replicates nowhere: the primary's arrive by replication", () => {
        assert.strictEqual(ofType(run, "aws:ecr/repository:Repository").length, 0);
        assert.strictEqual(
          ofType(run, "aws:ecr/replicationConfiguration:ReplicationConfiguration").length,
          0,
        );
      });
    }

    it("pulls every image of a built-in workload from the stack's own registry", () => {
      const host = `${ACCOUNT}.dkr.ecr.${region}.amazonaws.com/`;
      const workloads = run.resources.filter(
        (r) =>
          r.custom &&
          r.type.startsWith("kubernetes:") &&
          r.type !== "kubernetes:helm.sh/v3:Release",
      );
      const images = workloads.flatMap((r) => imagesIn(r.inputs).map((i) => `${r.name}: ${i}`));
      assert.ok(images.length > 0, "no workload images found");
      const elsewhere = images.filter((i) => !i.split(": ")[1].startsWith(host));
      assert.deepStrictEqual(elsewhere, [], `images not from ${host}`);
    });

    it("pulls every image of every Helm release from the stack's own registry, never latest", () => {
      const host = `${ACCOUNT}.dkr.ecr.${region}.amazonaws.com/`;
      const releases = ofType(run, "kubernetes:helm.sh/v3:Release");
      assert.ok(releases.length > 0, "no Helm releases found");
      const problems: string[] = [];
      for (const release of releases) {
        const chart = String(release.inputs.chart);
        const version = String(release.inputs.version);
        const manifest = readManifest(chart, version);
        if (!manifest) {
          problems.push(
            `${release.name}: no image manifest for ${chart} ${version} (tools/testing/chart-images/README.md)`,
          );
          continue;
        }
        const values = (release.inputs.values ?? {}) as Record<string, unknown>;
        const rules = CHART_IMAGE_RULES[chartName(chart)] ?? {};
        for (const { path, reference } of renderedImages(manifest, rules, values)) {
          if (!reference.startsWith(host) || /:latest(@|$)/.test(reference))
            problems.push(`${release.name} ${path}: ${reference}`);
        }
      }
      assert.deepStrictEqual(problems, [], `Helm release images not from ${host} or latest`);
    });

    it("sets only value keys its charts default or read (a misspelt key never takes effect)", () => {
      const unknown = ofType(run, "kubernetes:helm.sh/v3:Release").flatMap((release) => {
        const chart = String(release.inputs.chart);
        const manifest = readManifest(chart, String(release.inputs.version));
        if (!manifest) return [`${release.name}: no manifest`];
        const values = (release.inputs.values ?? {}) as Record<string, unknown>;
        return unknownValueKeys(manifest, CHART_IMAGE_RULES[chartName(chart)] ?? {}, values).map(
          (key) => `${release.name}: ${key}`,
        );
      });
      assert.deepStrictEqual(unknown, []);
    });
  });
}
