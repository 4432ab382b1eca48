import { promqlSyntaxErrors } from "@platform/observability";
import * as assert from "assert";
import {
  certificateNames,
  clusterIssuerSpec,
  ingressClassParamsSpec,
  ORIGIN_VERIFY_HEADER,
  originVerifyRule,
  regionalEndpointIngress,
  requestsPerWindow,
  SECURITY_HEADERS,
  webAclRules,
} from "./ingress";
import { ec2NodeClassSpec, nodePoolSpec, poolLimits } from "./karpenter";
import {
  blueGreenStrategy,
  canaryStrategy,
  errorRateQuery,
  p95LatencyQuery,
  sloGateSpec,
} from "./rollouts";

const SIZING = {
  nodeCeiling: 1000,
  onDemandPercent: 20,
  architectures: ["amd64"],
  amiAlias: "al2023@latest",
  volumeSizeGiB: 100,
};
const LIMITS = {
  globalRps: 1000,
  apiRps: 500,
  apiPathPrefix: "/api/",
  perClientRps: 100,
  windowSeconds: 60,
};

describe("Karpenter specs", () => {
  it("turns the 1,000-node ceiling into CPU limits of 4 vCPU per node, split 80/20", () => {
    assert.deepStrictEqual(poolLimits(SIZING), {
      spot: { cpu: "3200", memory: "25600Gi", maxNodes: 800 },
      onDemand: { cpu: "800", memory: "6400Gi", maxNodes: 200 },
    });
    const { spot, onDemand } = poolLimits({ ...SIZING, nodeCeiling: 7, onDemandPercent: 50 });
    assert.strictEqual(spot.maxNodes + onDemand.maxNodes, 7);
  });

  it("launches only nodes of at least 4 vCPU, so the CPU limit bounds the node count", () => {
    const spec = nodePoolSpec("spot", poolLimits(SIZING).spot, ["amd64"]);
    const cpu = spec.template.spec.requirements.find(
      (r) => r.key === "karpenter.k8s.aws/instance-cpu",
    )!;
    assert.ok(cpu.values.every((v) => Number(v) >= 4));
  });

  it("diversifies spot over c, m and r families of generation 6 or newer, with consolidation", () => {
    const spec = nodePoolSpec("spot", poolLimits(SIZING).spot, ["amd64", "arm64"]);
    assert.deepStrictEqual(spec.template.spec.requirements, [
      { key: "karpenter.sh/capacity-type", operator: "In", values: ["spot"] },
      { key: "kubernetes.io/arch", operator: "In", values: ["amd64", "arm64"] },
      { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
      { key: "karpenter.k8s.aws/instance-category", operator: "In", values: ["c", "m", "r"] },
      { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: ["5"] },
      { key: "karpenter.k8s.aws/instance-cpu", operator: "In", values: ["4", "8", "16"] },
    ]);
    assert.deepStrictEqual(spec.disruption, {
      consolidationPolicy: "WhenEmptyOrUnderutilized",
      consolidateAfter: "1m",
      budgets: [{ nodes: "10%" }],
    });
    assert.deepStrictEqual(spec.limits, { cpu: "3200", memory: "25600Gi" });
    assert.strictEqual(spec.weight, 100);
    assert.strictEqual(
      nodePoolSpec("on-demand", poolLimits(SIZING).onDemand, ["amd64"]).weight,
      10,
    );
  });

  it("requires IMDSv2 with hop limit 1 and encrypts gp3 volumes with the cluster's key", () => {
    const spec = ec2NodeClassSpec({
      clusterName: "platform-prod-us-west-2",
      nodeRoleName: "karpenter-node",
      securityGroupId: "sg-1",
      volumeKeyArn: "arn:aws:kms:us-west-2:123456789012:key/v",
      amiAlias: "al2023@latest",
      volumeSizeGiB: 100,
      tags: { "platform:stack": "prod-us-west-2" },
    });
    assert.deepStrictEqual(spec.metadataOptions, {
      httpEndpoint: "enabled",
      httpProtocolIPv6: "disabled",
      httpPutResponseHopLimit: 1,
      httpTokens: "required",
    });
    assert.deepStrictEqual(spec.blockDeviceMappings[0].ebs, {
      volumeSize: "100Gi",
      volumeType: "gp3",
      iops: 3000,
      throughput: 125,
      encrypted: true,
      kmsKeyID: "arn:aws:kms:us-west-2:123456789012:key/v",
      deleteOnTermination: true,
    });
    assert.deepStrictEqual(spec.subnetSelectorTerms, [
      { tags: { "karpenter.sh/discovery": "platform-prod-us-west-2" } },
    ]);
    assert.deepStrictEqual(spec.securityGroupSelectorTerms, [{ id: "sg-1" }]);
    assert.deepStrictEqual(spec.tags, { "platform:stack": "prod-us-west-2" });
  });
});

describe("ingress specs", () => {
  it("converts requests per second into WAF's per-window limits", () => {
    assert.strictEqual(requestsPerWindow(1000, 60), 60_000);
    assert.strictEqual(requestsPerWindow(500, 300), 150_000);
    const rules = webAclRules(LIMITS);
    const rate = (name: string) => rules.find((r) => r.name === name)!.statement;
    assert.deepStrictEqual(rate("api-rate-limit"), {
      rateBasedStatement: {
        aggregateKeyType: "CONSTANT",
        evaluationWindowSec: 60,
        limit: 30_000,
        scopeDownStatement: {
          byteMatchStatement: {
            fieldToMatch: { uriPath: {} },
            positionalConstraint: "STARTS_WITH",
            searchString: "/api/",
            textTransformations: [{ priority: 0, type: "NONE" }],
          },
        },
      },
    });
    assert.deepStrictEqual(rate("global-rate-limit"), {
      rateBasedStatement: {
        aggregateKeyType: "CONSTANT",
        evaluationWindowSec: 60,
        limit: 60_000,
        scopeDownStatement: {
          byteMatchStatement: {
            fieldToMatch: { uriPath: {} },
            positionalConstraint: "STARTS_WITH",
            searchString: "/",
            textTransformations: [{ priority: 0, type: "NONE" }],
          },
        },
      },
    });
    assert.deepStrictEqual(rate("per-client-rate-limit"), {
      rateBasedStatement: { aggregateKeyType: "IP", evaluationWindowSec: 60, limit: 6_000 },
    });
  });

  it("blocks over-limit requests with 429 and evaluates the API limit first", () => {
    const rules = webAclRules(LIMITS);
    assert.deepStrictEqual(
      rules.map((r) => [r.name, r.priority]),
      [
        ["api-rate-limit", 0],
        ["global-rate-limit", 1],
        ["per-client-rate-limit", 2],
        ["AWSManagedRulesAmazonIpReputationList", 10],
        ["AWSManagedRulesCommonRuleSet", 11],
        ["AWSManagedRulesKnownBadInputsRuleSet", 12],
      ],
    );
    for (const rule of rules.slice(0, 3)) {
      assert.deepStrictEqual(rule.action, { block: { customResponse: { responseCode: 429 } } });
    }
  });

  it("behind CloudFront: the origin header first, then the rate limits without the per-client one", () => {
    const origin = originVerifyRule("generated-value", "/healthz");
    assert.strictEqual(origin.priority, 0);
    assert.deepStrictEqual(origin.action, { block: {} });
    assert.deepStrictEqual(origin.statement, {
      notStatement: {
        statement: {
          orStatement: {
            statements: [
              {
                byteMatchStatement: {
                  fieldToMatch: { singleHeader: { name: ORIGIN_VERIFY_HEADER } },
                  positionalConstraint: "EXACTLY",
                  searchString: "generated-value",
                  textTransformations: [{ priority: 0, type: "NONE" }],
                },
              },
              {
                byteMatchStatement: {
                  fieldToMatch: { uriPath: {} },
                  positionalConstraint: "EXACTLY",
                  searchString: "/healthz",
                  textTransformations: [{ priority: 0, type: "NONE" }],
                },
              },
            ],
          },
        },
      },
    });
    const rules = webAclRules(LIMITS, { firstPriority: 1, perClientLimit: false });
    assert.deepStrictEqual(
      rules.map((r) => [r.name, r.priority]),
      [
        ["api-rate-limit", 1],
        ["global-rate-limit", 2],
        ["AWSManagedRulesAmazonIpReputationList", 10],
        ["AWSManagedRulesCommonRuleSet", 11],
        ["AWSManagedRulesKnownBadInputsRuleSet", 12],
      ],
    );
  });

  it("admits only the given prefix lists and CIDRs on the class's ALBs behind CloudFront", () => {
    const open = ingressClassParamsSpec({
      certificateArn: "arn:cert",
      webAclArn: "arn:acl",
      groupName: "platform-prod-us-west-2",
    });
    assert.ok(!("prefixListsIDs" in open) && !("inboundCIDRs" in open));
    const locked = ingressClassParamsSpec({
      certificateArn: "arn:cert",
      webAclArn: "arn:acl",
      groupName: "platform-prod-us-west-2",
      lockdown: {
        prefixListIds: ["pl-cloudfront", "pl-route53"],
        inboundCidrs: ["203.0.113.7/32"],
      },
    });
    assert.deepStrictEqual(
      { prefixListsIDs: locked.prefixListsIDs, inboundCIDRs: locked.inboundCIDRs },
      { prefixListsIDs: ["pl-cloudfront", "pl-route53"], inboundCIDRs: ["203.0.113.7/32"] },
    );
  });

  it("puts TLS 1.2+, WAF and the security headers on the class every Ingress uses", () => {
    const spec = ingressClassParamsSpec({
      certificateArn: "arn:cert",
      webAclArn: "arn:acl",
      groupName: "platform-prod-us-west-2",
    });
    assert.strictEqual(spec.sslPolicy, "ELBSecurityPolicy-TLS13-1-2-2021-06");
    assert.strictEqual(spec.wafv2AclArn, "arn:acl");
    assert.deepStrictEqual(spec.certificateArn, ["arn:cert"]);
    assert.strictEqual(spec.targetType, "ip");
    assert.deepStrictEqual(spec.listeners, [
      {
        protocol: "HTTPS",
        port: 443,
        listenerAttributes: [
          {
            key: "routing.http.response.strict_transport_security.header_value",
            value: "max-age=31536000; includeSubDomains",
          },
          { key: "routing.http.response.x_content_type_options.header_value", value: "nosniff" },
          { key: "routing.http.response.x_frame_options.header_value", value: "DENY" },
          {
            key: "routing.http.response.content_security_policy.header_value",
            value: SECURITY_HEADERS["routing.http.response.content_security_policy.header_value"],
          },
          { key: "routing.http.response.server.enabled", value: "false" },
        ],
      },
    ]);
    assert.ok(
      spec.loadBalancerAttributes.some(
        (a) => a.key === "routing.http.drop_invalid_header_fields.enabled" && a.value === "true",
      ),
    );
  });

  it("answers the DR health check for the region's name at the ALB, behind any team's rule", () => {
    const ingress = regionalEndpointIngress("us-west-2.platform.example.com", "/healthz");
    assert.strictEqual(ingress.spec.ingressClassName, "alb");
    assert.deepStrictEqual(ingress.spec.rules, [
      {
        host: "us-west-2.platform.example.com",
        http: {
          paths: [
            {
              path: "/healthz",
              pathType: "Exact",
              backend: { service: { name: "edge-health", port: { name: "use-annotation" } } },
            },
          ],
        },
      },
    ]);
    const annotations = ingress.metadata.annotations;
    assert.deepStrictEqual(
      JSON.parse(annotations["alb.ingress.kubernetes.io/actions.edge-health"]),
      {
        type: "fixed-response",
        fixedResponseConfig: { contentType: "text/plain", statusCode: "200", messageBody: "ok" },
      },
    );
    assert.strictEqual(annotations["alb.ingress.kubernetes.io/listen-ports"], '[{"HTTPS":443}]');
    assert.strictEqual(annotations["alb.ingress.kubernetes.io/group.order"], "1000");
  });

  it("certifies the failover names and this region's names", () => {
    assert.deepStrictEqual(
      certificateNames({ domainName: "platform.example.com", region: "eu-west-1" }),
      {
        domainName: "*.platform.example.com",
        sans: ["*.eu-west-1.platform.example.com"],
      },
    );
  });

  it("issues Let's Encrypt certificates through Route 53 DNS-01 in the stack's zone", () => {
    assert.deepStrictEqual(
      clusterIssuerSpec({
        email: "platform-team@example.com",
        region: "us-west-2",
        hostedZoneId: "Z0123456789ABCDEFGHIJ",
        domainName: "platform.example.com",
      }),
      {
        acme: {
          server: "https://acme-v02.api.letsencrypt.org/directory",
          email: "platform-team@example.com",
          privateKeySecretRef: { name: "letsencrypt-account-key" },
          solvers: [
            {
              selector: { dnsZones: ["platform.example.com"] },
              dns01: { route53: { region: "us-west-2", hostedZoneID: "Z0123456789ABCDEFGHIJ" } },
            },
          ],
        },
      },
    );
  });
});

describe("progressive delivery specs", () => {
  it("gates on a 0.1% error rate and a 100 ms p95 of the canary's pods, failing on the first miss", () => {
    const spec = sloGateSpec({
      prometheusUrl: "http://kube-prometheus-stack-prometheus.monitoring.svc:9090",
      maxErrorRatio: 0.001,
      maxP95Seconds: 0.1,
    });
    assert.deepStrictEqual(
      spec.metrics.map((m) => [m.name, m.successCondition, m.failureLimit, m.count]),
      [
        ["error-rate", "isNaN(result[0]) || result[0] < 0.001", 0, 3],
        ["p95-latency", "isNaN(result[0]) || result[0] < 0.1", 0, 3],
      ],
    );
    assert.ok(
      spec.metrics.every(
        (m) =>
          m.provider.prometheus.address ===
          "http://kube-prometheus-stack-prometheus.monitoring.svc:9090",
      ),
    );
    assert.strictEqual(
      errorRateQuery(),
      '(sum(rate(http_server_request_duration_seconds_count{namespace="{{args.namespace}}",pod=~"{{args.service}}-{{args.canary-hash}}-.*",http_response_status_code=~"5.."}[2m])) or vector(0)) / sum(rate(http_server_request_duration_seconds_count{namespace="{{args.namespace}}",pod=~"{{args.service}}-{{args.canary-hash}}-.*"}[2m]))',
    );
    assert.strictEqual(
      p95LatencyQuery(),
      'histogram_quantile(0.95, sum by (le) (rate(http_server_request_duration_seconds_bucket{namespace="{{args.namespace}}",pod=~"{{args.service}}-{{args.canary-hash}}-.*"}[2m])))',
    );
  });

  it("writes analysis queries that parse as PromQL", () => {
    for (const query of [errorRateQuery(), p95LatencyQuery()]) {
      assert.deepStrictEqual(promqlSyntaxErrors(query), [], query);
    }
    assert.notDeepStrictEqual(promqlSyntaxErrors("sum(rate(x[2m])"), []);
  });

  it("steps a canary through 10, 25, 50 and 100% with the gate after each partial step", () => {
    const steps = canaryStrategy("checkout").canary.steps;
    assert.deepStrictEqual(
      steps.map((s) => ("setWeight" in s ? `w${s.setWeight}` : "gate")),
      ["w10", "gate", "w25", "gate", "w50", "gate", "w100"],
    );
    const gate = steps[1].analysis as { templates: unknown[]; args: { name: string }[] };
    assert.deepStrictEqual(gate.templates, [{ templateName: "slo-gate", clusterScope: true }]);
    assert.deepStrictEqual(
      gate.args.map((a) => a.name),
      ["service", "namespace", "canary-hash"],
    );
  });

  it("gates blue-green promotion on the same template", () => {
    const bg = blueGreenStrategy("checkout", "checkout-preview").blueGreen;
    assert.strictEqual(bg.activeService, "checkout");
    assert.strictEqual(bg.previewService, "checkout-preview");
    assert.deepStrictEqual(bg.prePromotionAnalysis.templates, [
      { templateName: "slo-gate", clusterScope: true },
    ]);
  });
});
