import * as assert from "assert";
import { assertRejected, loadConfig } from "../../tools/testing";

describe("cluster add-ons config", () => {
  it("defaults to the seeds: 1,000 nodes, 1,000 RPS global, 500 RPS API, 0.1% errors, 100 ms p95", () => {
    const settings = loadConfig().clusterAddons;
    assert.deepStrictEqual(settings, {
      karpenter: {
        nodeCeiling: 1000,
        onDemandPercent: 20,
        architectures: ["amd64"],
        amiAlias: "al2023@latest",
      },
      gpu: { maxNodes: 5, instanceFamilies: ["g6", "g5"], volumeSizeGiB: 200 },
      highIopsVolumes: { iops: 16000, throughputMiBps: 1000 },
      dns: {
        hostedZoneId: "Z0123456789ABCDEFGHIJ",
        domainName: "platform.example.com",
        acmeEmail: "platform-team@example.com",
        healthCheckPath: "/healthz",
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
      wafLogRetentionDays: 365,
    });
  });

  const rejections: [string, Record<string, string>, string][] = [
    [
      "IOPS above gp3's 16,000",
      { "platform:highIopsVolumeIops": "20000" },
      "platform:highIopsVolumeIops must be a whole number between 3000 and 16000",
    ],
    [
      "throughput above gp3's 1,000 MiB/s",
      { "platform:highIopsVolumeThroughputMiBps": "1200" },
      "platform:highIopsVolumeThroughputMiBps must be a whole number between 125 and 1000",
    ],
    [
      "throughput above 0.25 MiB/s per IOPS",
      { "platform:highIopsVolumeIops": "3000", "platform:highIopsVolumeThroughputMiBps": "1000" },
      "platform:highIopsVolumeThroughputMiBps must not exceed 0.25 MiB/s per provisioned IOPS (750 MiB/s at 3000 IOPS)",
    ],
    [
      "a GPU family the region does not offer",
      { "platform:gpuInstanceFamilies": '["p5e"]' },
      "platform:gpuInstanceFamilies must contain instance families offered in us-west-2",
    ],
    [
      "a Graviton GPU family",
      { "platform:gpuInstanceFamilies": '["g5g"]' },
      "platform:gpuInstanceFamilies must contain x86 NVIDIA GPU instance families",
    ],
    [
      "a GPU node limit above 100",
      { "platform:gpuNodeMax": "500" },
      "platform:gpuNodeMax must be a whole number between 0 and 100",
    ],
    [
      "a node ceiling of zero",
      { "platform:karpenterNodeCeiling": "0" },
      "platform:karpenterNodeCeiling must be a whole number between 1 and 5000",
    ],
    [
      "an on-demand share over 100%",
      { "platform:karpenterOnDemandPercent": "120" },
      "platform:karpenterOnDemandPercent must be a whole number between 0 and 100",
    ],
    [
      "an unknown architecture",
      { "platform:karpenterArchitectures": '["x86"]' },
      'platform:karpenterArchitectures must list "amd64", "arm64" or both',
    ],
    [
      "no architecture",
      { "platform:karpenterArchitectures": "[]" },
      'platform:karpenterArchitectures must list "amd64", "arm64" or both',
    ],
    [
      "an AMI name instead of an alias",
      { "platform:karpenterAmiAlias": "ami-0123456789abcdef0" },
      "platform:karpenterAmiAlias must be an EC2NodeClass AMI alias",
    ],
    [
      "an ACME address that is not one",
      { "platform:acmeEmail": "platform-team" },
      "platform:acmeEmail must be an email address",
    ],
    [
      "a WAF window WAF does not offer",
      { "platform:ingressRateWindowSeconds": "30" },
      "platform:ingressRateWindowSeconds must be one of 60, 120, 300, 600",
    ],
    [
      "a global limit of zero",
      { "platform:ingressGlobalRps": "0" },
      "platform:ingressGlobalRps must be a whole number between 1 and",
    ],
    [
      "an API limit above the global one",
      { "platform:ingressApiRps": "2000" },
      "platform:ingressApiRps must not exceed ingressGlobalRps (1000)",
    ],
    [
      "a per-client limit above the global one",
      { "platform:ingressPerClientRps": "5000" },
      "platform:ingressPerClientRps must not exceed ingressGlobalRps (1000)",
    ],
    [
      "an API prefix that is not a path",
      { "platform:ingressApiPathPrefix": "api" },
      "platform:ingressApiPathPrefix must be a URL path",
    ],
    [
      "a Prometheus outside the cluster",
      { "platform:prometheusUrl": "https://prometheus.example.com" },
      "platform:prometheusUrl must be an in-cluster Service URL",
    ],
    [
      "an error budget of zero",
      { "platform:canaryMaxErrorRateBasisPoints": "0" },
      "platform:canaryMaxErrorRateBasisPoints must be a whole number between 1 and 9999",
    ],
    [
      "a latency objective of zero",
      { "platform:canaryMaxP95LatencyMs": "0" },
      "platform:canaryMaxP95LatencyMs must be a whole number between 1 and 60000",
    ],
    [
      "a retention CloudWatch does not offer",
      { "platform:wafLogRetentionDays": "100" },
      "platform:wafLogRetentionDays must be one of",
    ],
  ];
  for (const [what, overrides, message] of rejections) {
    it(`rejects ${what}, naming the key`, () => {
      assertRejected({ overrides }, message);
    });
  }

  it("accepts a five-minute window and scales nothing else", () => {
    const settings = loadConfig({
      overrides: { "platform:ingressRateWindowSeconds": "300" },
    }).clusterAddons;
    assert.strictEqual(settings.rateLimits.windowSeconds, 300);
    assert.strictEqual(settings.rateLimits.globalRps, 1000);
  });
});
