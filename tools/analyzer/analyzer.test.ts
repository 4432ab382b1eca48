import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { resolvePolicyConfig, startPolicyPack, type AnalyzerInfo, type AnalyzerResource } from ".";
import { ValidationError } from "../../components/core/validation";
import { decodeDiagnostics, pb } from "./wire";
import { packSession, PACK_DIR } from "../testing";

const info: AnalyzerInfo = {
  name: "test",
  displayName: "",
  version: "1.0.0",
  supportsConfig: true,
  initialConfig: {},
  policies: [
    {
      name: "min-days",
      displayName: "",
      description: "Checks that",
      enforcementLevel: "mandatory",
      type: "resource",
      severity: "",
      tags: [],
      configSchema: {
        properties: {
          minDays: { type: "integer", default: 7, minimum: 1 },
          names: { type: "array", items: { type: "string" }, default: [] },
        },
        required: [],
      },
    },
    {
      name: "plain",
      displayName: "",
      description: "Checks that",
      enforcementLevel: "advisory",
      type: "stack",
      severity: "",
      tags: [],
    },
  ],
};

describe("tools/analyzer response decoding", () => {
  it("reads the diagnostics the generated AnalyzeResponse serializer writes, skipping not-applicable entries", () => {
    const response = new pb.AnalyzeResponse();
    const diagnostic = new pb.AnalyzeDiagnostic();
    diagnostic.setPolicyname("s3-sse-kms");
    diagnostic.setMessage("Bucket must use SSE-KMS.");
    response.addDiagnostics(diagnostic);
    const notApplicable = new pb.PolicyNotApplicable();
    notApplicable.setPolicyName("eks-secrets-encryption");
    response.addNotApplicable(notApplicable);
    const decoded = decodeDiagnostics(Buffer.from(response.serializeBinary())).getDiagnosticsList();
    assert.deepStrictEqual(
      decoded.map((d) => [d.getPolicyname(), d.getMessage()]),
      [["s3-sse-kms", "Bucket must use SSE-KMS."]],
    );
  });
});

describe("tools/analyzer config resolution", () => {
  it("fills schema defaults and each policy's own level", () => {
    assert.deepStrictEqual(resolvePolicyConfig(info, {}), {
      "min-days": { enforcementLevel: "mandatory", properties: { minDays: 7, names: [] } },
      plain: { enforcementLevel: "advisory", properties: {} },
    });
  });

  it("applies all, then the policy's own entry", () => {
    const c = resolvePolicyConfig(info, {
      all: "disabled",
      "min-days": { enforcementLevel: "advisory", minDays: 30 },
    });
    assert.deepStrictEqual(c["min-days"], {
      enforcementLevel: "advisory",
      properties: { minDays: 30, names: [] },
    });
    assert.strictEqual(c.plain.enforcementLevel, "disabled");
  });

  it("reports every bad key at once", () => {
    assert.throws(
      () =>
        resolvePolicyConfig(info, {
          typo: "mandatory",
          "min-days": { minDays: 0, names: [3], extra: true },
          plain: "strict" as never,
        }),
      (e: unknown) => {
        assert.ok(ValidationError.isInstance(e));
        const text = (e as Error).message;
        for (const expected of [
          'typo must name a policy of the pack or be all (got "typo")',
          "min-days.minDays must be at least 1 (got 0)",
          "min-days.names[0] must be of type string (got 3)",
          "min-days.extra must be a property of the policy's configSchema (got true)",
          'plain.enforcementLevel must be one of "advisory", "mandatory", "remediate", "disabled" (got "strict")',
        ]) {
          assert.ok(text.includes(expected), `missing "${expected}" in:\n${text}`);
        }
        return true;
      },
    );
  });
});

describe("tools/analyzer against the policy pack", function () {
  this.timeout(120_000);

  it("refuses a pack directory whose compiled entry point is missing", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pack-"));
    fs.writeFileSync(
      path.join(dir, "package.json"),
      JSON.stringify({ name: "x", version: "1.0.0", main: "bin/index.js" }),
    );
    await assert.rejects(
      startPolicyPack({ packDir: dir }),
      /bin\/index\.js does not exist: build the pack first/,
    );
  });

  it("reads the pack's info and serves the per-stack config files", async () => {
    const s = await packSession();
    assert.strictEqual(s.info.name, "aws-platform");
    assert.strictEqual(
      s.info.version,
      JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")).version,
    );
    for (const file of fs.readdirSync(path.join(PACK_DIR, "config"))) {
      const config = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "config", file), "utf8"));
      const resolved = resolvePolicyConfig(s.info, config);
      const regions = resolved["allowed-regions"].properties.allowedRegions as string[];
      const eu = file.includes("-eu-");
      assert.ok(
        regions.length > 0 && regions.every((r) => r.startsWith("eu-") === eu),
        `${file}: ${regions}`,
      );
    }
  });

  it("returns results in input order with many requests in flight", async () => {
    const s = await packSession();
    const resources: AnalyzerResource[] = Array.from({ length: 200 }, (_, i) => ({
      urn: `urn:pulumi:prod::platform::aws:s3/bucket:Bucket::b${i}`,
      type: "aws:s3/bucket:Bucket",
      name: `b${i}`,
      properties: { bucket: `b${i}`, forceDestroy: i % 2 === 0 },
      options: { protect: true },
    }));
    const urns = (await s.analyze(resources))
      .filter((r) => r.policy === "s3-bucket-no-force-destroy")
      .map((r) => r.urn);
    assert.deepStrictEqual(
      urns,
      resources.filter((_, i) => i % 2 === 0).map((r) => r.urn),
    );
  });
});
