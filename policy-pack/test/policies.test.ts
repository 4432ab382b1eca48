/**
 * Every policy against its violating and passing cases (each domain folder's cases.ts), through
 * the Analyzer protocol against the compiled pack (the engine's runtime path), plus the happy-path
 * resources and stack, which must raise nothing at all.
 */
import * as assert from "assert";
import type { PolicyPackSession, PolicyResult } from "../../tools/analyzer";
import { DOMAINS, policies } from "../catalog";
import type { Case } from "./case";
import { change } from "./builders";
import { happy, happyStack, stackResources } from "./fixtures";
import { packSession } from "../../tools/testing";

/** The cases of each domain, read from the folder the catalog names (`<domain>/cases.ts`). */
const casesByDomain = Object.keys(DOMAINS).map((domain) => ({
  domain,
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  cases: (require(`../${domain}/cases`) as { cases: readonly Case[] }).cases,
}));
const cases = casesByDomain.flatMap((d) => d.cases);

async function run(s: PolicyPackSession, c: Case): Promise<PolicyResult[]> {
  if (c.config) await s.configure(c.config);
  try {
    return c.stack ? await s.analyzeStack(c.resources) : await s.analyze(c.resources);
  } finally {
    if (c.config) await s.configure({});
  }
}

describe("policy pack layout", () => {
  it("takes each domain's policies from the folder named after the domain", () => {
    for (const [domain, list] of Object.entries(DOMAINS)) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const folder = require(`../${domain}`) as { policies: unknown };
      assert.strictEqual(
        folder.policies,
        list,
        `${domain}/index.ts must list the ${domain} policies`,
      );
    }
    for (const p of policies) assert.ok(p.meta.domain in DOMAINS, p.name);
  });

  it("keeps each case in the folder of its policy's domain", () => {
    const domainOf = new Map(policies.map((p) => [p.name, p.meta.domain]));
    const misplaced = casesByDomain.flatMap(({ domain, cases }) =>
      cases
        .filter((c) => domainOf.get(c.policy) !== domain)
        .map((c) => `${domain}/cases.ts: ${c.policy} (${domainOf.get(c.policy)})`),
    );
    assert.deepStrictEqual(misplaced, []);
  });
});

/** The control ids a policy claims, as its cases name them. */
function claimedIds(p: (typeof policies)[number]): string[] {
  const c = p.meta.controls;
  return [...(c.checkov ?? []), ...(c.trivy ?? []), ...(c.cisEks ?? []).map((s) => `CIS EKS ${s}`)];
}

describe("policy claims", () => {
  it("every control id a policy claims is exercised by one of its violating cases", () => {
    const unexercised = policies.flatMap((p) => {
      const exercised = new Set(
        cases
          .filter((c) => c.policy === p.name && c.expect === "violates")
          .flatMap((c) => c.controls ?? []),
      );
      return claimedIds(p)
        .filter((id) => !exercised.has(id))
        .map((id) => `${p.name}: ${id}`);
    });
    assert.deepStrictEqual(unexercised, []);
  });

  it("a case exercises only controls its policy claims, and only when it violates", () => {
    const byName = new Map(policies.map((p) => [p.name, new Set(claimedIds(p))]));
    const wrong = cases.flatMap((c) =>
      (c.controls ?? [])
        .filter((id) => c.expect !== "violates" || !byName.get(c.policy)?.has(id))
        .map((id) => `${c.policy} (${c.title}): ${id}`),
    );
    assert.deepStrictEqual(wrong, []);
  });
});

describe("policy pack", function () {
  let s: PolicyPackSession;
  before(async function () {
    this.timeout(120_000);
    s = await packSession();
  });

  it("serves at least 60 policies, each with a description starting 'Checks that'", () => {
    assert.ok(s.info.policies.length >= 60, `only ${s.info.policies.length} policies`);
    for (const p of s.info.policies) {
      assert.match(p.name, /^[a-z0-9]+(-[a-z0-9]+)*$/, `${p.name} is not kebab-case`);
      assert.ok(p.description.startsWith("Checks that"), `${p.name}: ${p.description}`);
    }
  });

  it("has a violating and a passing case for every registered policy", () => {
    const missing: string[] = [];
    for (const p of s.info.policies) {
      for (const expect of ["violates", "passes"] as const) {
        if (!cases.some((c) => c.policy === p.name && c.expect === expect))
          missing.push(`${p.name} (${expect})`);
      }
    }
    assert.deepStrictEqual(missing, []);
    const unknown = cases
      .filter((c) => !s.info.policies.some((p) => p.name === c.policy))
      .map((c) => c.policy);
    assert.deepStrictEqual(unknown, [], "cases name policies the pack does not serve");
  });

  it("raises nothing for the happy-path resources", async () => {
    const resources = Object.values(happy).map((make) => make());
    assert.deepStrictEqual(await s.analyze(resources), []);
  });

  it("raises nothing for the happy-path stack, per resource or as a stack", async () => {
    const resources = stackResources(happyStack());
    assert.deepStrictEqual(await s.analyze(resources), []);
    assert.deepStrictEqual(await s.analyzeStack(resources), []);
  });

  for (const c of cases) {
    it(`${c.policy}: ${c.expect} (${c.title})`, async () => {
      const results = (await run(s, c)).filter((r) => r.policy === c.policy);
      if (c.expect === "passes") {
        assert.deepStrictEqual(
          results.map((r) => r.message),
          [],
        );
        return;
      }
      assert.ok(results.length > 0, `expected a violation of ${c.policy}`);
      for (const r of results) {
        assert.ok(!r.message.includes("can't run"), r.message);
        const body = r.message.split("\n")[1] ?? "";
        assert.match(body, / must /, `message must say what the resource must do: ${r.message}`);
        assert.ok(
          c.resources.some((res) => res.urn === r.urn),
          `violation on unexpected urn ${r.urn}`,
        );
      }
    });
  }

  it("reports the configured enforcement level, and nothing when disabled", async () => {
    const bad = change(happy.bucket(), "forceDestroy", true);
    await s.configure({ "s3-bucket-no-force-destroy": "advisory" });
    try {
      const [r] = (await s.analyze([bad])).filter((x) => x.policy === "s3-bucket-no-force-destroy");
      assert.strictEqual(r.level, "advisory");
      await s.configure({ "s3-bucket-no-force-destroy": "disabled" });
      const none = (await s.analyze([bad])).filter(
        (x) => x.policy === "s3-bucket-no-force-destroy",
      );
      assert.deepStrictEqual(none, []);
    } finally {
      await s.configure({});
    }
  });

  it("defers to the runtime's preview advisory when a deciding value is unknown", async () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    const cluster = change(
      change(happy.eksCluster(), "vpcConfig.endpointPublicAccess", true),
      "vpcConfig.publicAccessCidrs",
      unknown,
    );
    const [r] = (await s.analyze([cluster])).filter(
      (x) => x.policy === "eks-endpoint-private-or-restricted",
    );
    assert.strictEqual(r.level, "advisory");
    assert.match(
      r.message,
      /can't run policy 'eks-endpoint-private-or-restricted' .* during preview/,
    );
  });

  it("decides without unknown values where it can", async () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    // Unknown tags on a resource whose provider supplies every required tag.
    const bucket = change(happy.bucket(), "tags", unknown);
    // An unknown source CIDR on a rule (a computed CIDR is never 0.0.0.0/0 written in code).
    const rule = change(happy.securityGroupRule(), "cidrBlocks", [unknown]);
    assert.deepStrictEqual(await s.analyze([bucket, rule]), []);
  });
});
