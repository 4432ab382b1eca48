import * as assert from "assert";
import { ValidationError } from "@platform/core";
import { ClusterAddonsArgs } from "./args";
import { parsePrometheusUrl, validateClusterAddonsArgs } from "./validation";

const ARGS: ClusterAddonsArgs = {
  clusterName: "platform-prod-us-west-2",
  region: "us-west-2",
  accountId: "123456789012",
  vpcId: "vpc-1",
  vpcCidr: "10.10.0.0/16",
  oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/x",
  oidcProviderUrl: "https://x",
  nodeSecurityGroupId: "sg-1",
  volumeKeyArn: "arn:aws:kms:us-west-2:123456789012:key/v",
  logsKeyArn: "arn:aws:kms:us-west-2:123456789012:key/l",
  nodeTags: {},
  karpenter: {
    nodeCeiling: 1000,
    onDemandPercent: 20,
    architectures: ["amd64"],
    amiAlias: "al2023@latest",
    volumeSizeGiB: 100,
  },
  dns: {
    hostedZoneId: "Z0123456789ABCDEFGHIJ",
    domainName: "platform.example.com",
    acmeEmail: "platform-team@example.com",
  },
  rateLimits: {
    globalRps: 1000,
    apiRps: 500,
    apiPathPrefix: "/api/",
    perClientRps: 100,
    windowSeconds: 60,
  },
  delivery: {
    prometheusUrl: "http://kube-prometheus-stack-prometheus.monitoring.svc:9090",
    maxErrorRatio: 0.001,
    maxP95Seconds: 0.1,
  },
};

function problemsOf(args: ClusterAddonsArgs): string[] {
  try {
    validateClusterAddonsArgs(args);
  } catch (err) {
    assert.ok(ValidationError.isInstance(err), String(err));
    return err.problems.map((p) => `${p.path} must ${p.allowed}`);
  }
  return [];
}

describe("ClusterAddons arguments", () => {
  it("accepts the seeds' settings", () => {
    assert.deepStrictEqual(problemsOf(ARGS), []);
  });

  const rejections: [string, ClusterAddonsArgs, string][] = [
    [
      "a zone ID that is not one",
      { ...ARGS, dns: { ...ARGS.dns, hostedZoneId: "example.com" } },
      "args.dns.hostedZoneId must be a Route 53 hosted zone ID",
    ],
    [
      "an upper-case domain",
      { ...ARGS, dns: { ...ARGS.dns, domainName: "Platform.Example.com" } },
      "args.dns.domainName must be a lower-case DNS name",
    ],
    [
      "a WAF window WAF lacks",
      { ...ARGS, rateLimits: { ...ARGS.rateLimits, windowSeconds: 10 } },
      "args.rateLimits.windowSeconds must be one of 60, 120, 300, 600",
    ],
    [
      "a limit below WAF's minimum",
      { ...ARGS, rateLimits: { ...ARGS.rateLimits, perClientRps: 0 } },
      "args.rateLimits.perClientRps must be a whole number whose 60-second total",
    ],
    [
      "an API limit above the global one",
      { ...ARGS, rateLimits: { ...ARGS.rateLimits, apiRps: 1500 } },
      "args.rateLimits.apiRps must not exceed globalRps (1000)",
    ],
    [
      "no architecture",
      { ...ARGS, karpenter: { ...ARGS.karpenter, architectures: [] } },
      "args.karpenter.architectures must list",
    ],
    [
      "a node ceiling of zero",
      { ...ARGS, karpenter: { ...ARGS.karpenter, nodeCeiling: 0 } },
      "args.karpenter.nodeCeiling must be a whole number between 1 and 5000",
    ],
    [
      "an external Prometheus",
      { ...ARGS, delivery: { ...ARGS.delivery, prometheusUrl: "https://prom.example.com" } },
      "args.delivery.prometheusUrl must be an in-cluster Service URL",
    ],
    [
      "an error ratio of 1",
      { ...ARGS, delivery: { ...ARGS.delivery, maxErrorRatio: 1 } },
      "args.delivery.maxErrorRatio must be a ratio between 0 and 1",
    ],
  ];
  for (const [what, args, message] of rejections) {
    it(`rejects ${what}, naming the argument`, () => {
      const problems = problemsOf(args);
      assert.ok(
        problems.some((p) => p.startsWith(message)),
        problems.join("\n"),
      );
    });
  }

  it("reads the Prometheus namespace and port the rollouts NetworkPolicy opens", () => {
    assert.deepStrictEqual(
      parsePrometheusUrl("http://kube-prometheus-stack-prometheus.monitoring.svc:9090"),
      { namespace: "monitoring", port: 9090 },
    );
    assert.deepStrictEqual(parsePrometheusUrl("http://prom.obs.svc.cluster.local:9091/"), {
      namespace: "obs",
      port: 9091,
    });
    assert.strictEqual(parsePrometheusUrl("http://prometheus:9090"), undefined);
  });
});
