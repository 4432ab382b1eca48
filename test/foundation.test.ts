import * as assert from "assert";
import { CONTROL_PLANE_LOG_TYPES, KUBERNETES_RELEASES, MANAGED_ADDONS } from "@platform/cluster";
import { RecordedResource } from "../tools/mock-engine";
import { named, ofType, runStack, StackRun } from "../tools/testing";

const inputs = (r: RecordedResource) => r.inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
/** Disaster recovery builds its own small VPC in the peer region (tested in disaster-recovery.test.ts). */
const inDisasterRecovery = (r: RecordedResource) =>
  r.urn.includes("platform:disaster-recovery:DisasterRecovery$");
/** CloudFront's certificate, web ACL and log delivery live in us-east-1 (tested in edge.test.ts). */
const inEdge = (r: RecordedResource) => r.urn.includes("platform:edge:Edge$");
const foundationOf = (run: StackRun, type: string) =>
  ofType(run, type).filter((r) => !inDisasterRecovery(r));

for (const stack of ["prod-us-west-2", "prod-eu-west-1"] as const) {
  const region = stack.replace("prod-", "");
  describe(`foundation of ${stack}`, function () {
    let run: StackRun;
    before(async () => {
      run = await runStack({ stack });
    });

    it("uses explicit providers for the region and its DR peer, pinned to the account, tagging every resource", () => {
      const providers = ofType(run, "pulumi:providers:aws");
      // The region, its DR peer, and us-east-1 for the edge's CloudFront control plane.
      const peerRegion = stack === "prod-us-west-2" ? "us-east-1" : "eu-central-1";
      assert.deepStrictEqual(
        providers.map((p) => inputs(p).region).sort(),
        [...new Set([region, peerRegion, "us-east-1"])].sort(),
      );
      for (const p of providers) {
        assert.deepStrictEqual(JSON.parse(inputs(p).allowedAccountIds), ["123456789012"]);
        const tags = JSON.parse(inputs(p).defaultTags).tags;
        assert.deepStrictEqual(Object.keys(tags).sort(), [
          "platform:cost-center",
          "platform:environment",
          "platform:owner",
          "platform:stack",
        ]);
        assert.strictEqual(tags["platform:stack"], stack);
      }
      const regional = providers.find((p) => inputs(p).region === region)!;
      const peer = providers.find((p) => inputs(p).region === peerRegion)!;
      const edgeControlPlane = providers.find((p) => inputs(p).region === "us-east-1")!;
      for (const r of run.resources.filter((r) => r.custom && r.type.startsWith("aws:"))) {
        assert.ok(
          r.provider?.startsWith(regional.urn) ||
            (inDisasterRecovery(r) && r.provider?.startsWith(peer.urn)) ||
            (inEdge(r) && r.provider?.startsWith(edgeControlPlane.urn)),
          `${r.urn} does not use the regional provider`,
        );
      }
    });

    it("builds a three-AZ VPC with three subnet tiers and one NAT gateway per AZ", () => {
      assert.strictEqual(foundationOf(run, "aws:ec2/vpc:Vpc").length, 1);
      const subnets = foundationOf(run, "aws:ec2/subnet:Subnet");
      const byTier = (tier: string) =>
        subnets.filter((s) => inputs(s).tags["platform:tier"] === tier);
      for (const tier of ["public", "private", "isolated"])
        assert.strictEqual(byTier(tier).length, 3, tier);
      assert.ok(subnets.every((s) => inputs(s).mapPublicIpOnLaunch === false));
      assert.ok(byTier("public").every((s) => inputs(s).tags["kubernetes.io/role/elb"] === "1"));
      assert.ok(
        byTier("private").every((s) => inputs(s).tags["kubernetes.io/role/internal-elb"] === "1"),
      );
      assert.ok(
        byTier("private").every(
          (s) => inputs(s).tags["karpenter.sh/discovery"] === `platform-${stack}`,
        ),
      );
      assert.strictEqual(ofType(run, "aws:ec2/natGateway:NatGateway").length, 3);
      const routes = ofType(run, "aws:ec2/route:Route");
      assert.strictEqual(
        routes.filter((r) => inputs(r).natGatewayId).length,
        3,
        "one default route per private subnet via its AZ's NAT",
      );
      assert.strictEqual(
        routes.filter((r) => inputs(r).gatewayId).length,
        1,
        "only the public tier routes to the internet gateway",
      );
    });

    it("sends flow logs of all traffic to an encrypted log group with retention", () => {
      const flowLog = foundationOf(run, "aws:ec2/flowLog:FlowLog");
      assert.strictEqual(flowLog.length, 1);
      assert.strictEqual(inputs(flowLog[0]).trafficType, "ALL");
      const group = named(run, "network-flow-logs");
      assert.strictEqual(group.type, "aws:cloudwatch/logGroup:LogGroup");
      assert.strictEqual(inputs(group).retentionInDays, 365);
      assert.match(inputs(group).kmsKeyId, /^arn:aws:kms:/);
    });

    it("has the S3 gateway endpoint and the interface endpoints a private cluster needs", () => {
      const endpoints = ofType(run, "aws:ec2/vpcEndpoint:VpcEndpoint");
      assert.deepStrictEqual(
        endpoints.map((e) => `${inputs(e).vpcEndpointType}:${inputs(e).serviceName}`).sort(),
        [
          "Gateway:s3",
          "Interface:ec2",
          "Interface:ecr.api",
          "Interface:ecr.dkr",
          "Interface:logs",
          "Interface:sts",
        ]
          .map((e) => e.replace(":", `:com.amazonaws.${region}.`))
          .sort(),
      );
      const sg = named(run, "network-endpoints");
      assert.deepStrictEqual(
        inputs(sg).ingress.map((r: any) => [r.protocol, r.fromPort, r.toPort, r.cidrBlocks]), // eslint-disable-line @typescript-eslint/no-explicit-any
        [["tcp", 443, 443, [stack === "prod-us-west-2" ? "10.10.0.0/16" : "10.20.0.0/16"]]],
      );
      assert.deepStrictEqual(inputs(named(run, "network-default-sg")).ingress, []);
    });

    it("creates a private EKS cluster with encrypted secrets, every log type, access entries and IRSA", () => {
      const [cluster] = ofType(run, "eks:index:Cluster");
      const args = inputs(cluster);
      assert.strictEqual(cluster.remote, true);
      assert.strictEqual(args.version, "1.35");
      assert.strictEqual(args.endpointPrivateAccess, true);
      assert.strictEqual(args.endpointPublicAccess, false);
      assert.strictEqual(args.publicAccessCidrs, undefined);
      assert.match(args.encryptionConfigKeyArn, /^arn:aws:kms:/);
      assert.deepStrictEqual(args.enabledClusterLogTypes, [...CONTROL_PLANE_LOG_TYPES]);
      assert.strictEqual(args.authenticationMode, "API");
      assert.deepStrictEqual(
        args.accessEntries["admin-0"].principalArn,
        "arn:aws:iam::123456789012:role/platform-admin",
      );
      assert.strictEqual(args.createOidcProvider, true);
      assert.strictEqual(args.skipDefaultNodeGroup, true);
      assert.strictEqual(args.bootstrapSelfManagedAddons, false);
      const controlPlaneLogs = named(run, "cluster-control-plane-logs");
      assert.strictEqual(inputs(controlPlaneLogs).name, `/aws/eks/platform-${stack}/cluster`);
      assert.ok(
        cluster.dependencies.includes(controlPlaneLogs.urn),
        "the log group exists before EKS writes to it",
      );
    });

    it("protects and rotates every KMS key", () => {
      const keys = ofType(run, "aws:kms/key:Key");
      assert.strictEqual(keys.length >= 3, true);
      for (const key of keys) {
        assert.strictEqual(key.options.protect, true, key.urn);
        assert.strictEqual(inputs(key).enableKeyRotation, true, key.urn);
      }
    });

    it("runs a tainted on-demand Graviton system group and a diversified spot workload group", () => {
      const system = named(run, "cluster-system");
      const workloads = named(run, "cluster-workloads");
      assert.strictEqual(inputs(system).capacityType, "ON_DEMAND");
      assert.strictEqual(inputs(system).amiType, "AL2023_ARM_64_STANDARD");
      assert.deepStrictEqual(inputs(system).taints, [
        { key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" },
      ]);
      assert.deepStrictEqual(inputs(system).scalingConfig, {
        minSize: 3,
        maxSize: 6,
        desiredSize: 3,
      });
      assert.strictEqual(inputs(workloads).capacityType, "SPOT");
      assert.ok(new Set(inputs(workloads).instanceTypes).size >= 4);
      for (const group of [system, workloads]) {
        assert.strictEqual(inputs(group).subnetIds.length, 3);
        assert.deepStrictEqual(group.options.ignoreChanges, ["scalingConfig.desiredSize"]);
      }
    });

    it("launches nodes with IMDSv2 only and encrypted gp3 volumes", () => {
      const templates = ofType(run, "aws:ec2/launchTemplate:LaunchTemplate");
      assert.strictEqual(templates.length, 2);
      for (const t of templates) {
        assert.deepStrictEqual(inputs(t).metadataOptions, {
          httpEndpoint: "enabled",
          httpTokens: "required",
          httpPutResponseHopLimit: 1,
          instanceMetadataTags: "disabled",
        });
        const ebs = inputs(t).blockDeviceMappings[0].ebs;
        assert.strictEqual(ebs.volumeType, "gp3");
        assert.strictEqual(ebs.encrypted, "true");
        assert.match(ebs.kmsKeyId, /^arn:aws:kms:/);
      }
    });

    it("installs the EKS managed add-ons (snapshot controller included) at pinned versions, networking before nodes", () => {
      const addons = ofType(run, "aws:eks/addon:Addon");
      const pinned = KUBERNETES_RELEASES["1.35"].addons;
      assert.deepStrictEqual(
        addons.map((a) => inputs(a).addonName).sort(),
        [...MANAGED_ADDONS].sort(),
      );
      for (const a of addons)
        assert.strictEqual(
          inputs(a).addonVersion,
          pinned[inputs(a).addonName as keyof typeof pinned],
        );
      const byName = (n: string) => addons.find((a) => inputs(a).addonName === n)!;
      assert.match(inputs(byName("aws-ebs-csi-driver")).serviceAccountRoleArn, /^arn:aws:iam::/);
      assert.match(inputs(byName("vpc-cni")).serviceAccountRoleArn, /^arn:aws:iam::/);
      assert.strictEqual(
        JSON.parse(inputs(byName("vpc-cni")).configurationValues).enableNetworkPolicy,
        "true",
      );
      const system = named(run, "cluster-system");
      assert.ok(system.dependencies.includes(byName("vpc-cni").urn));
      assert.ok(byName("coredns").dependencies.includes(system.urn));
    });

    it("scopes the EBS CSI role to its service account through the OIDC provider", () => {
      const role = named(run, "cluster-ebs-csi");
      const trust = JSON.parse(inputs(role).assumeRolePolicy);
      const condition = trust.Statement[0].Condition.StringEquals;
      const sub = Object.keys(condition).find((k) => k.endsWith(":sub"))!;
      assert.strictEqual(condition[sub], "system:serviceaccount:kube-system:ebs-csi-controller-sa");
      assert.strictEqual(trust.Statement[0].Action, "sts:AssumeRoleWithWebIdentity");
    });

    it("gives every application namespace restricted pod security, default-deny, DNS egress, a quota and limits", () => {
      for (const ns of ["apps", "payments"]) {
        const namespace = ofType(run, "kubernetes:core/v1:Namespace").find(
          (n) => inputs(n).metadata.name === ns,
        )!;
        assert.strictEqual(
          inputs(namespace).metadata.labels["pod-security.kubernetes.io/enforce"],
          "restricted",
        );
        assert.strictEqual(
          inputs(namespace).metadata.labels["elbv2.k8s.aws/pod-readiness-gate-inject"],
          "enabled",
        );
        const policies = ofType(run, "kubernetes:networking.k8s.io/v1:NetworkPolicy").filter(
          (p) => inputs(p).metadata.namespace === ns,
        );
        const deny = policies.find((p) => inputs(p).metadata.name === "default-deny")!;
        assert.deepStrictEqual(inputs(deny).spec, {
          podSelector: {},
          policyTypes: ["Ingress", "Egress"],
        });
        const dns = policies.find((p) => inputs(p).metadata.name === "allow-dns-egress")!;
        assert.deepStrictEqual(inputs(dns).spec.egress[0].ports, [
          { protocol: "UDP", port: 53 },
          { protocol: "TCP", port: 53 },
        ]);
        assert.ok(
          ofType(run, "kubernetes:core/v1:ResourceQuota").some(
            (q) => inputs(q).metadata.namespace === ns,
          ),
        );
        assert.ok(
          ofType(run, "kubernetes:core/v1:LimitRange").some(
            (q) => inputs(q).metadata.namespace === ns,
          ),
        );
      }
      assert.deepStrictEqual(
        ofType(run, "kubernetes:scheduling.k8s.io/v1:PriorityClass")
          .map((p) => inputs(p).metadata.name)
          .sort(),
        ["application", "platform-critical"],
      );
      const k8sProvider = ofType(run, "pulumi:providers:kubernetes")[0];
      for (const addon of ofType(run, "aws:eks/addon:Addon")) {
        assert.ok(
          k8sProvider.dependencies.includes(addon.urn),
          `the cluster's provider does not wait for ${addon.name}`,
        );
      }
      for (const r of run.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"))) {
        assert.ok(
          r.provider?.startsWith(k8sProvider.urn),
          `${r.urn} does not use the cluster's provider`,
        );
      }
    });

    it("exports the cluster name, a secret kubeconfig, the network IDs and the OIDC provider", () => {
      assert.strictEqual(run.outputs.clusterName, `platform-${stack}`);
      assert.deepStrictEqual(Object.keys(run.outputs.kubeconfig as object).sort(), [
        "4dabf18193072939515e22adb298388d",
        "value",
      ]);
      assert.match(String(run.outputs.vpcId), /^vpc-/);
      for (const key of ["publicSubnetIds", "privateSubnetIds", "isolatedSubnetIds"]) {
        assert.strictEqual((run.outputs[key] as string[]).length, 3, key);
      }
      assert.match(
        String(run.outputs.oidcProviderArn),
        /^arn:aws:iam::123456789012:oidc-provider\/oidc\.eks\./,
      );
    });
  });
}

describe("foundation options", () => {
  it("builds a single NAT gateway when a non-production stack opts in", async () => {
    const run = await runStack({
      stack: "prod-us-west-2",
      overrides: { "platform:environment": "staging", "platform:natGateways": "single" },
    });
    assert.strictEqual(ofType(run, "aws:ec2/natGateway:NatGateway").length, 1);
    const natRoutes = ofType(run, "aws:ec2/route:Route").filter((r) => inputs(r).natGatewayId);
    assert.strictEqual(new Set(natRoutes.map((r) => inputs(r).natGatewayId)).size, 1);
  });

  it("opens a public endpoint only to the configured CIDRs", async () => {
    const run = await runStack({
      stack: "prod-us-west-2",
      overrides: {
        "platform:clusterEndpointPublicAccess": "true",
        "platform:clusterPublicAccessCidrs": '["203.0.113.0/24"]',
      },
    });
    const args = inputs(ofType(run, "eks:index:Cluster")[0]);
    assert.strictEqual(args.endpointPublicAccess, true);
    assert.deepStrictEqual(args.publicAccessCidrs, ["203.0.113.0/24"]);
  });
});
