import * as assert from "assert";
import { allKeySpecs, closestKey } from "./loader";
import { configKey } from "./schema";
import { SECTIONS } from ".";
import { configErrorLines, loadConfig } from "../../tools/testing";

describe("stack config", () => {
  it("accepts both committed stacks and applies documented defaults", () => {
    const us = loadConfig({ stack: "prod-us-west-2" });
    assert.strictEqual(us.foundation.region, "us-west-2");
    assert.strictEqual(us.foundation.drRegion, "us-east-1");
    assert.strictEqual(us.foundation.network.natGateways, "per-az");
    assert.strictEqual(us.foundation.cluster.endpointPublicAccess, false);
    assert.deepStrictEqual(us.foundation.cluster.systemPool, {
      instanceTypes: ["m7g.xlarge", "m6g.xlarge"],
      minSize: 3,
      maxSize: 6,
      desiredSize: 3,
    });
    const eu = loadConfig({ stack: "prod-eu-west-1" });
    assert.strictEqual(eu.foundation.drRegion, "eu-central-1");
    assert.strictEqual(eu.foundation.tags["platform:stack"], "prod-eu-west-1");
  });

  // [case, stack, overrides, the key the message must name, a fragment of what is allowed]
  const rejections: [
    string,
    "prod-us-west-2" | "prod-eu-west-1",
    Record<string, string | undefined>,
    string,
    string,
  ][] = [
    [
      "a typo in a key",
      "prod-us-west-2",
      { "platform:vpcCird": "10.30.0.0/16" },
      "platform:vpcCird",
      "did you mean platform:vpcCidr?",
    ],
    [
      "an unknown aws key",
      "prod-us-west-2",
      { "aws:profile": "prod" },
      "aws:profile",
      "be a known key",
    ],
    [
      "a region that does not exist",
      "prod-us-west-2",
      { "aws:region": "us-west-9" },
      "aws:region",
      "be an AWS region",
    ],
    [
      "a missing region",
      "prod-us-west-2",
      { "aws:region": undefined },
      "aws:region",
      "be an AWS region",
    ],
    [
      "a DR region that does not exist",
      "prod-us-west-2",
      { "platform:drRegion": "mars-1" },
      "platform:drRegion",
      "be an AWS region",
    ],
    [
      "a DR region equal to the stack's",
      "prod-us-west-2",
      { "platform:drRegion": "us-west-2" },
      "platform:drRegion",
      "differ from the stack's own region",
    ],
    [
      "an EU stack recovering outside the EU",
      "prod-eu-west-1",
      { "platform:drRegion": "us-east-1" },
      "platform:drRegion",
      "be an EU region",
    ],
    [
      "an EU stack recovering into London",
      "prod-eu-west-1",
      { "platform:drRegion": "eu-west-2" },
      "platform:drRegion",
      "be an EU region",
    ],
    [
      "a malformed CIDR",
      "prod-us-west-2",
      { "platform:vpcCidr": "10.10.0/16" },
      "platform:vpcCidr",
      "be an IPv4 CIDR",
    ],
    [
      "a CIDR with host bits",
      "prod-us-west-2",
      { "platform:vpcCidr": "10.10.0.1/16" },
      "platform:vpcCidr",
      "no host bits set",
    ],
    [
      "a CIDR too small",
      "prod-us-west-2",
      { "platform:vpcCidr": "10.10.0.0/24" },
      "platform:vpcCidr",
      "be between /16 and /20",
    ],
    [
      "a public CIDR",
      "prod-us-west-2",
      { "platform:vpcCidr": "8.8.0.0/16" },
      "platform:vpcCidr",
      "lie inside a private range",
    ],
    [
      "a CIDR overlapping the other stack",
      "prod-us-west-2",
      { "platform:vpcCidr": "10.20.128.0/17" },
      "platform:vpcCidr",
      "not overlap stack prod-eu-west-1",
    ],
    [
      "min above max",
      "prod-us-west-2",
      { "platform:systemMinSize": "7" },
      "platform:systemMinSize",
      "not exceed platform:systemMaxSize",
    ],
    [
      "desired below min",
      "prod-us-west-2",
      { "platform:workloadDesiredSize": "2" },
      "platform:workloadDesiredSize",
      "be between platform:workloadMinSize and platform:workloadMaxSize",
    ],
    [
      "desired above max",
      "prod-us-west-2",
      { "platform:workloadDesiredSize": "31" },
      "platform:workloadDesiredSize",
      "be between",
    ],
    [
      "a negative size",
      "prod-us-west-2",
      { "platform:workloadMinSize": "-1" },
      "platform:workloadMinSize",
      "be a whole number between 0 and 1000",
    ],
    [
      "a zero max size",
      "prod-us-west-2",
      { "platform:systemMaxSize": "0" },
      "platform:systemMaxSize",
      "be a whole number between 1 and 1000",
    ],
    [
      "a non-integer size",
      "prod-us-west-2",
      { "platform:systemMaxSize": "six" },
      "platform:systemMaxSize",
      "be a whole number",
    ],
    [
      "a zero volume size",
      "prod-us-west-2",
      { "platform:nodeVolumeSizeGiB": "0" },
      "platform:nodeVolumeSizeGiB",
      "between 20 and 16384",
    ],
    [
      "an unsupported Kubernetes version",
      "prod-us-west-2",
      { "platform:kubernetesVersion": "1.29" },
      "platform:kubernetesVersion",
      "in EKS standard support",
    ],
    [
      "x86 types in the Graviton system pool",
      "prod-us-west-2",
      { "platform:systemInstanceTypes": '["m6i.xlarge"]' },
      "platform:systemInstanceTypes",
      "be Graviton",
    ],
    [
      "too few spot types",
      "prod-us-west-2",
      { "platform:workloadInstanceTypes": '["m6i.xlarge","m6a.xlarge","m6i.xlarge"]' },
      "platform:workloadInstanceTypes",
      "at least four distinct",
    ],
    [
      "an array key given a string",
      "prod-us-west-2",
      { "platform:workloadInstanceTypes": "m6i.xlarge" },
      "platform:workloadInstanceTypes",
      "be a list of strings",
    ],
    [
      "a single NAT gateway in production",
      "prod-us-west-2",
      { "platform:natGateways": "single" },
      "platform:natGateways",
      'be "per-az" in production',
    ],
    [
      "an unknown NAT mode",
      "prod-us-west-2",
      { "platform:natGateways": "none" },
      "platform:natGateways",
      "be one of",
    ],
    [
      "a public endpoint without CIDRs",
      "prod-us-west-2",
      { "platform:clusterEndpointPublicAccess": "true" },
      "platform:clusterPublicAccessCidrs",
      "list the CIDRs",
    ],
    [
      "a public endpoint open to the internet",
      "prod-us-west-2",
      {
        "platform:clusterEndpointPublicAccess": "true",
        "platform:clusterPublicAccessCidrs": '["0.0.0.0/0"]',
      },
      "platform:clusterPublicAccessCidrs",
      "not open the API to the internet",
    ],
    [
      "CIDRs for a private endpoint",
      "prod-us-west-2",
      { "platform:clusterPublicAccessCidrs": '["203.0.113.0/24"]' },
      "platform:clusterPublicAccessCidrs",
      "be empty while clusterEndpointPublicAccess is false",
    ],
    [
      "no admin roles",
      "prod-us-west-2",
      { "platform:clusterAdminRoleArns": "[]" },
      "platform:clusterAdminRoleArns",
      "name at least one IAM role",
    ],
    [
      "an admin role of another account",
      "prod-us-west-2",
      { "platform:clusterAdminRoleArns": '["arn:aws:iam::210987654321:role/admin"]' },
      "platform:clusterAdminRoleArns",
      "belong to the stack's account",
    ],
    [
      "a malformed account",
      "prod-us-west-2",
      { "platform:accountId": "1234" },
      "platform:accountId",
      "12-digit",
    ],
    [
      "a missing required key",
      "prod-us-west-2",
      { "platform:costCenter": undefined },
      "platform:costCenter",
      "be set",
    ],
    [
      "a reserved namespace",
      "prod-us-west-2",
      { "platform:applicationNamespaces": '["kube-system"]' },
      "platform:applicationNamespaces",
      "not reserved",
    ],
    [
      "a flow-log retention CloudWatch rejects",
      "prod-us-west-2",
      { "platform:flowLogRetentionDays": "100" },
      "platform:flowLogRetentionDays",
      "be one of",
    ],
    [
      "a non-positive flow-log retention",
      "prod-us-west-2",
      { "platform:flowLogRetentionDays": "0" },
      "platform:flowLogRetentionDays",
      "be one of",
    ],
    [
      "a workload instance type EC2 does not have",
      "prod-us-west-2",
      { "platform:workloadInstanceTypes": '["bogus.huge","m7i.xlarge","m7g.xlarge","c7g.xlarge"]' },
      "platform:workloadInstanceTypes",
      "contain EC2 instance types that exist (checked against the EC2 API model",
    ],
    [
      "a system instance type the region does not offer",
      "prod-us-west-2",
      { "platform:systemInstanceTypes": '["c8gb.metal-24xl"]' },
      "platform:systemInstanceTypes",
      "contain instance types offered in us-west-2",
    ],
    [
      "a PostgreSQL instance class RDS does not have",
      "prod-us-west-2",
      { "platform:postgresInstanceClass": "db.bogus.large" },
      "platform:postgresInstanceClass",
      "be an RDS for PostgreSQL instance class",
    ],
    [
      "a cache node type ElastiCache does not have",
      "prod-eu-west-1",
      { "platform:cacheNodeType": "cache.r7g.huge" },
      "platform:cacheNodeType",
      "be an ElastiCache node type",
    ],
    [
      "a number too large to read back, with its range",
      "prod-us-west-2",
      { "platform:prometheusRetentionDays": "100000000000000000000000" },
      "platform:prometheusRetentionDays",
      'between 1 and 365 (got "100000000000000000000000")',
    ],
  ];
  for (const [name, stack, overrides, key, allowed] of rejections) {
    it(`rejects ${name}, naming ${key}`, () => {
      const problems = configErrorLines(() => loadConfig({ stack, overrides }));
      const line = problems.find((p) => p.startsWith(`- ${key} must`));
      assert.ok(line, `no problem names ${key}: ${problems.join(" | ")}`);
      assert.ok(line.includes(allowed), `"${line}" does not say "${allowed}"`);
      assert.ok(line.includes("(got "), `"${line}" does not show the value received`);
    });
  }

  it("reports every problem at once", () => {
    const problems = configErrorLines(() =>
      loadConfig({
        stack: "prod-us-west-2",
        overrides: {
          "platform:drRegion": "us-west-2",
          "platform:systemMinSize": "9",
          "platform:accountId": "x",
        },
      }),
    );
    assert.deepStrictEqual(problems.map((p) => p.split(" ")[1]).sort(), [
      "platform:accountId",
      "platform:clusterAdminRoleArns",
      "platform:drRegion",
      "platform:systemMinSize",
    ]);
  });

  it("suggests only close keys", () => {
    assert.strictEqual(
      closestKey("platform:drRegoin", ["platform:drRegion", "platform:vpcCidr"]),
      "platform:drRegion",
    );
    assert.strictEqual(
      closestKey("platform:somethingElse", ["platform:drRegion", "platform:vpcCidr"]),
      undefined,
    );
  });

  describe("never echoes a secret", () => {
    const MARKER = "s3cr3t-MARKER-value";
    const secretKeys = Object.entries(allKeySpecs(SECTIONS))
      .filter(([, spec]) => spec.secret)
      .map(([name]) => configKey(name));

    it("has secret keys to try", () => {
      assert.ok(secretKeys.length >= 3, secretKeys.join(", "));
    });

    for (const key of secretKeys) {
      // A plaintext value under the key, and under near misses of it: a dropped, a doubled and a
      // swapped letter, and another case.
      const name = key.slice("platform:".length);
      const misspellings = [
        key,
        `platform:${name.slice(0, -2)}${name.slice(-1)}`,
        `platform:${name}${name.slice(-1)}`,
        `platform:${name.slice(0, 2)}${name[3]}${name[2]}${name.slice(4)}`,
        `platform:${name.toLowerCase()}`,
      ];
      for (const misspelt of new Set(misspellings)) {
        it(`hides a plaintext value under ${misspelt}`, () => {
          const message = configErrorLines(() =>
            loadConfig({ overrides: { [misspelt]: MARKER } }),
          ).join("\n");
          assert.ok(message.includes(misspelt), message);
          assert.ok(!message.includes(MARKER), message);
        });
      }
    }
  });

  it("cuts a long value, saying how long it was", () => {
    const long = "a".repeat(5400);
    const lines = configErrorLines(() =>
      loadConfig({ overrides: { "platform:costCenter": long } }),
    );
    const line = lines.find((l) => l.startsWith("- platform:costCenter must"));
    assert.ok(line && line.includes("(5402 characters)"), line);
    assert.ok(line.length < 400, `${line.length} characters`);
  });
});
