/**
 * The edge under the mock engine: the US stack's committed distribution (origin group failing over
 * on 5xx to the standby's ingress, TLS 1.2+, HTTP/2 and 3, the web ACL, certificate and log
 * delivery in us-east-1, alias records), the EU stack's (origins and logs in the EU, only
 * CloudFront's control plane in us-east-1), the ALB lockdown of both pairs. A standby may not have
 * one.
 */
import * as assert from "assert";
import { FAILOVER_STATUS_CODES, MANAGED_POLICY_IDS } from "@platform/edge";
import {
  displayValue,
  mockPrefixListId,
  RecordedResource,
  SECRET_PLACEHOLDER,
} from "../tools/mock-engine";
import { assertRejected, named, ofType, runStack, StackRun } from "../tools/testing";

const EU_REGIONS = new Set(["eu-west-1", "eu-central-1"]);
const EU_FAILOVER_NAME = "eu.platform.example.com";

function only(run: StackRun, type: string): RecordedResource {
  const found = ofType(run, type);
  assert.strictEqual(found.length, 1, `expected one ${type}, got ${found.length}`);
  return found[0];
}

/** Region of the explicit provider a resource was created with. */
function providerRegion(run: StackRun, resource: RecordedResource): string | undefined {
  const urn = String(resource.provider ?? "").replace(/::[^:]*$/, "");
  const provider = run.resources.find((r) => r.urn === urn);
  return provider?.inputs.region as string | undefined;
}

type Origin = { originId: string; domainName: string; customOriginConfig: Record<string, unknown> };

describe("the edge", function () {
  this.timeout(600_000);
  let us: StackRun;
  let eu: StackRun;

  before(async () => {
    us = await runStack({ stack: "prod-us-west-2" });
    eu = await runStack({ stack: "prod-eu-west-1" });
  });

  it("puts a distribution with an origin group failing over on 5xx to the standby's ingress in front of us-west-2", () => {
    const distribution = only(us, "aws:cloudfront/distribution:Distribution");
    const inputs = distribution.inputs;
    const origins = inputs.origins as Origin[];
    assert.deepStrictEqual(
      origins.map((o) => [o.originId, o.domainName]),
      [
        ["primary", "us-west-2.platform.example.com"],
        ["secondary", "us-east-1.platform.example.com"],
        ["failover", "us.platform.example.com"],
      ],
    );
    for (const origin of origins) {
      assert.strictEqual(origin.customOriginConfig.originProtocolPolicy, "https-only");
      assert.deepStrictEqual(origin.customOriginConfig.originSslProtocols, ["TLSv1.2"]);
    }
    assert.deepStrictEqual(inputs.originGroups, [
      {
        originId: "regional-failover",
        failoverCriteria: { statusCodes: [...FAILOVER_STATUS_CODES] },
        members: [{ originId: "primary" }, { originId: "secondary" }],
      },
    ]);
    assert.deepStrictEqual([...FAILOVER_STATUS_CODES], [500, 502, 503, 504]);
    assert.deepStrictEqual(inputs.aliases, ["platform.example.com", "www.platform.example.com"]);
    assert.strictEqual(inputs.httpVersion, "http2and3");
    const certificate = inputs.viewerCertificate as Record<string, unknown>;
    assert.strictEqual(certificate.minimumProtocolVersion, "TLSv1.2_2021");
    assert.strictEqual(certificate.sslSupportMethod, "sni-only");
  });

  it("caches static paths through the origin group and never caches API paths or the rest", () => {
    const inputs = only(us, "aws:cloudfront/distribution:Distribution").inputs;
    const byPattern = Object.fromEntries(
      (inputs.orderedCacheBehaviors as Record<string, unknown>[]).map((b) => [b.pathPattern, b]),
    );
    assert.deepStrictEqual(Object.keys(byPattern), ["/api/*", "/static/*", "/assets/*"]);
    const fallback = inputs.defaultCacheBehavior as Record<string, unknown>;
    for (const dynamic of [byPattern["/api/*"], fallback]) {
      assert.strictEqual(dynamic.targetOriginId, "failover");
      assert.strictEqual(dynamic.cachePolicyId, MANAGED_POLICY_IDS.cachingDisabled);
      assert.strictEqual(dynamic.viewerProtocolPolicy, "redirect-to-https");
    }
    for (const pattern of ["/static/*", "/assets/*"]) {
      const cached = byPattern[pattern];
      assert.strictEqual(cached.targetOriginId, "regional-failover");
      assert.deepStrictEqual(cached.allowedMethods, ["GET", "HEAD", "OPTIONS"]);
      assert.strictEqual(cached.compress, true);
      assert.notStrictEqual(cached.cachePolicyId, MANAGED_POLICY_IDS.cachingDisabled);
    }
  });

  it("creates the web ACL (CLOUDFRONT scope, the regional rate limits), certificate and log delivery in us-east-1", () => {
    const acls = ofType(us, "aws:wafv2/webAcl:WebAcl");
    const edgeAcl = acls.find((a) => a.inputs.scope === "CLOUDFRONT")!;
    const regionalAcl = acls.find((a) => a.inputs.scope === "REGIONAL")!;
    assert.ok(edgeAcl && regionalAcl);
    assert.strictEqual(providerRegion(us, edgeAcl), "us-east-1");
    // The same rules from the same config keys as the regional web ACL: 1,000 / 500 / 100 RPS;
    // the regional web ACL evaluates the origin header first.
    type Rule = { name: string; statement: unknown };
    const shape = (rules: unknown) =>
      (displayValue(rules) as Rule[]).map((r) => ({ name: r.name, statement: r.statement }));
    // Behind CloudFront the per-client limit counts viewers at the edge only: at the ALB every
    // request comes from a CloudFront address.
    const [originRule, ...regionalRules] = shape(regionalAcl.inputs.rules);
    assert.strictEqual(originRule.name, "origin-verify");
    const edgeRules = shape(edgeAcl.inputs.rules);
    assert.ok(edgeRules.some((r) => r.name === "per-client-rate-limit"));
    assert.ok(!regionalRules.some((r) => r.name === "per-client-rate-limit"));
    assert.deepStrictEqual(
      edgeRules.filter((r) => r.name !== "per-client-rate-limit"),
      regionalRules,
    );
    const edgeCert = ofType(us, "aws:acm/certificate:Certificate").find(
      (c) => c.inputs.domainName === "platform.example.com",
    )!;
    assert.strictEqual(providerRegion(us, edgeCert), "us-east-1");
    assert.strictEqual(edgeCert.inputs.validationMethod, "DNS");
    const source = only(us, "aws:cloudwatch/logDeliverySource:LogDeliverySource");
    assert.strictEqual(source.inputs.logType, "ACCESS_LOGS");
    assert.strictEqual(providerRegion(us, source), "us-east-1");
    // WAF logs (us-east-1 only for a CLOUDFRONT web ACL) in the US pair, which may hold data there.
    const logGroups = ofType(us, "aws:cloudwatch/logGroup:LogGroup").filter(
      (g) => providerRegion(us, g) === "us-east-1",
    );
    assert.deepStrictEqual(
      logGroups.map((g) => g.inputs.name),
      ["aws-waf-logs-platform-us-west-2-edge"],
    );
    assert.strictEqual(logGroups[0].inputs.retentionInDays, 365);
    assert.ok(
      logGroups[0].inputs.kmsKeyId,
      "the WAF log group must be encrypted with a customer key",
    );
    assert.strictEqual(ofType(us, "aws:shield/protection:Protection").length, 0);
  });

  it("admits only CloudFront, Route 53's health checkers and the NAT gateways at the ALBs of both pairs", async () => {
    const standby = await runStack({ stack: "prod-us-east-1" });
    const euStandby = await runStack({ stack: "prod-eu-central-1" });
    for (const [run, region] of [
      [us, "us-west-2"],
      [standby, "us-east-1"],
      [eu, "eu-west-1"],
      [euStandby, "eu-central-1"],
    ] as const) {
      const params = ofType(run, "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams")[0];
      const spec = params.inputs.spec as Record<string, unknown>;
      assert.deepStrictEqual(spec.prefixListsIDs, [
        mockPrefixListId("com.amazonaws.global.cloudfront.origin-facing"),
        mockPrefixListId(`com.amazonaws.${region}.route53-healthchecks`),
      ]);
      const natIps = ofType(run, "aws:ec2/natGateway:NatGateway").map((n) => n.outputs?.publicIp);
      assert.deepStrictEqual(
        spec.inboundCIDRs,
        natIps.map((ip) => `${ip}/32`),
      );
      assert.ok(!(spec.inboundCIDRs as string[]).includes("0.0.0.0/0"));
    }
  });

  it("sends a generated origin header the web ACLs of the primary and its standby require, never in plaintext", async () => {
    const standby = await runStack({ stack: "prod-us-east-1" });
    const [primaryRule, standbyRule] = [us, standby].map((run) => {
      const acl = ofType(run, "aws:wafv2/webAcl:WebAcl").find(
        (a) => a.inputs.scope === "REGIONAL",
      )!;
      return JSON.stringify((displayValue(acl.inputs.rules) as unknown[])[0]);
    });
    // The standby reads the value from the primary's secret stack output: the same rule, masked.
    assert.strictEqual(standbyRule, primaryRule);
    const regionalAcl = ofType(us, "aws:wafv2/webAcl:WebAcl").find(
      (a) => a.inputs.scope === "REGIONAL",
    )!;
    type Match = { byteMatchStatement: { fieldToMatch: unknown; searchString: string } };
    type Rule = {
      priority: number;
      action: unknown;
      statement: { notStatement: { statement: { orStatement: { statements: Match[] } } } };
    };
    const [first] = displayValue(regionalAcl.inputs.rules) as Rule[];
    assert.strictEqual(first.priority, 0);
    assert.deepStrictEqual(first.action, { block: {} });
    const [header, healthPath] = first.statement.notStatement.statement.orStatement.statements;
    assert.deepStrictEqual(header.byteMatchStatement.fieldToMatch, {
      singleHeader: { name: "x-origin-verify" },
    });
    assert.strictEqual(header.byteMatchStatement.searchString, SECRET_PLACEHOLDER);
    assert.strictEqual(healthPath.byteMatchStatement.searchString, "/healthz");
    const origins = displayValue(
      only(us, "aws:cloudfront/distribution:Distribution").inputs.origins,
    ) as { customHeaders: unknown }[];
    for (const origin of origins) {
      assert.deepStrictEqual(origin.customHeaders, [
        { name: "x-origin-verify", value: SECRET_PLACEHOLDER },
      ]);
    }
    const token = named(us, "edge-origin-verify");
    assert.strictEqual(token.type, "random:index/randomPassword:RandomPassword");
    assert.ok((token.inputs.length as number) >= 32);
    const logging = ofType(us, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration")
      .map((l) => JSON.stringify(l.inputs.redactedFields))
      .filter((f) => f.includes("x-origin-verify"));
    assert.strictEqual(logging.length, 1, "the regional WAF log must redact the origin header");
  });

  it("answers each viewer name with A and AAAA aliases to the distribution", () => {
    const records = ofType(us, "aws:route53/record:Record").filter((r) =>
      ["platform.example.com", "www.platform.example.com"].includes(r.inputs.name as string),
    );
    assert.deepStrictEqual(records.map((r) => `${r.inputs.name} ${r.inputs.type}`).sort(), [
      "platform.example.com A",
      "platform.example.com AAAA",
      "www.platform.example.com A",
      "www.platform.example.com AAAA",
    ]);
  });

  it("keeps the EU distribution's origins, its origin group's secondary included, in the EU", () => {
    const inputs = only(eu, "aws:cloudfront/distribution:Distribution").inputs;
    const origins = inputs.origins as Origin[];
    assert.strictEqual(origins.length, 3);
    for (const origin of origins) {
      const region = origin.domainName.split(".")[0];
      assert.ok(
        EU_REGIONS.has(region) || origin.domainName === EU_FAILOVER_NAME,
        `${origin.originId} ${origin.domainName} is not an EU origin`,
      );
    }
    const secondary = origins.find((o) => o.originId === "secondary")!;
    assert.strictEqual(secondary.domainName, "eu-central-1.platform.example.com");
  });

  it("delivers access logs to a bucket in the stack's own region and keeps the EU's WAF logs out of us-east-1", () => {
    for (const [run, region] of [
      [us, "us-west-2"],
      [eu, "eu-west-1"],
    ] as const) {
      const bucket = named(run, "edge-access-logs");
      assert.strictEqual(providerRegion(run, bucket), region);
      const destination = only(run, "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination");
      assert.strictEqual(providerRegion(run, destination), "us-east-1");
      const config = destination.inputs.deliveryDestinationConfiguration as Record<string, string>;
      assert.strictEqual(config.destinationResourceArn, bucket.outputs?.arn);
      const key = named(run, "edge-access-logs-key");
      assert.strictEqual(providerRegion(run, key), region);
      assert.ok(String(key.inputs.policy).includes("delivery.logs.amazonaws.com"));
    }
    assert.strictEqual(
      ofType(eu, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration").filter(
        (l) => providerRegion(eu, l) === "us-east-1",
      ).length,
      0,
    );
    // What the EU stack creates in us-east-1: CloudFront's control plane only.
    const inUsEast1 = eu.resources
      .filter((r) => r.custom && providerRegion(eu, r) === "us-east-1")
      .map((r) => r.type);
    assert.deepStrictEqual([...new Set(inUsEast1)].sort(), [
      "aws:acm/certificate:Certificate",
      "aws:acm/certificateValidation:CertificateValidation",
      "aws:cloudwatch/logDelivery:LogDelivery",
      "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
      "aws:cloudwatch/logDeliverySource:LogDeliverySource",
      "aws:wafv2/webAcl:WebAcl",
    ]);
  });

  it("redirects European viewers from the US edge's uncached paths to the EU edge's name, and not the other way", () => {
    const fn = only(us, "aws:cloudfront/function:Function");
    assert.strictEqual(fn.inputs.runtime, "cloudfront-js-2.0");
    assert.strictEqual(fn.inputs.publish, true);
    assert.ok(fn.outputs?.arn, "the mock gives the function an ARN to compare with");
    assert.strictEqual(providerRegion(us, fn), "us-east-1");
    assert.ok(String(fn.inputs.code).includes('"https://europe.platform.example.com"'));
    const inputs = only(us, "aws:cloudfront/distribution:Distribution").inputs;
    const behaviors = [
      inputs.defaultCacheBehavior,
      ...(inputs.orderedCacheBehaviors as unknown[]),
    ] as Record<string, unknown>[];
    for (const b of behaviors) {
      const associations = (b.functionAssociations ?? []) as Record<string, unknown>[];
      const uncached = b.cachePolicyId === MANAGED_POLICY_IDS.cachingDisabled;
      assert.deepStrictEqual(
        associations.map((a) => [a.eventType, a.functionArn]),
        uncached ? [["viewer-request", fn.outputs?.arn]] : [],
        String(b.pathPattern ?? "default"),
      );
    }
    assert.strictEqual(ofType(eu, "aws:cloudfront/function:Function").length, 0);
  });

  it("rejects edge names on a standby and a name another stack's distribution has", () => {
    const names = (list: string[]) => ({ "platform:edgeDomainNames": JSON.stringify(list) });
    assertRejected(
      {
        stack: "prod-eu-west-1",
        overrides: { ...names(["europe.platform.example.com"]), "platform:role": "standby" },
      },
      "platform:edgeDomainNames must be empty on a standby",
    );
    assertRejected(
      { stack: "prod-eu-west-1", overrides: names(["platform.example.com"]) },
      "platform:edgeDomainNames must differ from stack prod-us-west-2's edgeDomainNames",
    );
  });
});
