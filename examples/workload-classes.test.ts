import * as assert from "assert";
import { toAnalyzerResources } from "../tools/analyzer";
import { ProgramRun, RecordedResource, runProgram } from "../tools/mock-engine";
import { readPolicyConfig } from "../tools/preview/policy";
import { customResourceProblems, PACK_DIR, packSession } from "../tools/testing";
import { teamProviders } from "../tools/testing/team-providers";
import { Workload } from "@platform/cluster-addons";
import * as k8s from "@pulumi/kubernetes";
import {
  gpuInference,
  highIopsStore,
  PlatformHandles,
  queueConsumer,
  sharedUploads,
  spikyApi,
} from "./workload-classes";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Wire = Record<string, any>;
const inputs = (r: RecordedResource) => r.inputs as Wire;

const PLATFORM: PlatformHandles = {
  gpuPool: {
    nodePoolName: "gpu",
    resourceName: "nvidia.com/gpu",
    taint: { key: "nvidia.com/gpu", effect: "NoSchedule" },
  },
  highIopsStorageClass: {
    name: "gp3-high-iops",
    accessMode: "ReadWriteOnce",
    provisionedIops: 16_000,
  },
  sharedStorageClass: {
    name: "efs-shared",
    accessMode: "ReadWriteMany",
    recoveredOutsideCluster: "efs-aws-backup-and-replication",
  },
  oidcProviderArn:
    "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/ABC",
  oidcProviderUrl: "https://oidc.eks.us-west-2.amazonaws.com/id/ABC",
  accountId: "123456789012",
  region: "us-west-2",
};

describe("worked examples of the Workload classes", () => {
  let run: ProgramRun;
  const of = (component: string, type: string) =>
    run.resources.filter((r) => r.type === type && r.parent?.endsWith(`::${component}`));
  const one = (component: string, type: string) => {
    const found = of(component, type);
    assert.strictEqual(found.length, 1, `${component} ${type}`);
    return inputs(found[0]);
  };
  const types = (component: string) =>
    run.resources
      .filter((r) => r.parent?.endsWith(`::${component}`))
      .map((r) => r.type)
      .sort();

  before(async () => {
    run = await runProgram(
      async () => {
        const opts = { providers: teamProviders() };
        for (const example of [
          gpuInference,
          highIopsStore,
          sharedUploads,
          queueConsumer,
          spikyApi,
        ]) {
          example(PLATFORM, opts);
        }
        return {};
      },
      {
        project: "platform",
        stack: "test",
        context: { region: "us-west-2", accountId: "123456789012" },
        config: {},
      },
    );
  });

  it("puts a GPU request on the GPU pool: toleration, node selector and the nvidia.com/gpu limit", () => {
    const pod = one("embeddings", "kubernetes:apps/v1:Deployment").spec.template.spec;
    assert.deepStrictEqual(pod.tolerations, [
      { key: "nvidia.com/gpu", effect: "NoSchedule", operator: "Exists" },
    ]);
    assert.strictEqual(pod.nodeSelector["platform/node-pool"], "gpu");
    assert.strictEqual(pod.containers[0].resources.limits["nvidia.com/gpu"], "1");
  });

  it("makes a workload with per-replica volumes a StatefulSet with claim templates", () => {
    assert.deepStrictEqual(of("ledger-store", "kubernetes:apps/v1:Deployment"), []);
    const set = one("ledger-store", "kubernetes:apps/v1:StatefulSet").spec;
    assert.strictEqual(set.serviceName, "ledger-store-headless");
    assert.deepStrictEqual(set.volumeClaimTemplates, [
      {
        metadata: { name: "data", labels: { "app.kubernetes.io/name": "ledger-store" } },
        spec: {
          accessModes: ["ReadWriteOnce"],
          storageClassName: "gp3-high-iops",
          resources: { requests: { storage: "200Gi" } },
        },
      },
    ]);
    assert.deepStrictEqual(set.persistentVolumeClaimRetentionPolicy, {
      whenDeleted: "Retain",
      whenScaled: "Retain",
    });
    assert.deepStrictEqual(set.template.spec.containers[0].volumeMounts[1], {
      name: "data",
      mountPath: "/var/lib/ledger",
    });
    const hpa = one("ledger-store", "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").spec;
    assert.strictEqual(hpa.scaleTargetRef.kind, "StatefulSet");
  });

  it("mounts one read-write-many claim in every replica of a Deployment", () => {
    const claim = one("uploads", "kubernetes:core/v1:PersistentVolumeClaim");
    assert.deepStrictEqual(claim.spec, {
      accessModes: ["ReadWriteMany"],
      storageClassName: "efs-shared",
      resources: { requests: { storage: "100Gi" } },
    });
    const pod = one("uploads", "kubernetes:apps/v1:Deployment").spec.template.spec;
    assert.deepStrictEqual(pod.volumes[1], {
      name: "uploads",
      persistentVolumeClaim: { claimName: "uploads-uploads" },
    });
  });

  it("scales a KEDA workload with a ScaledObject and no HPA, through a role KEDA's operator assumes", () => {
    assert.deepStrictEqual(
      of("invoice-worker", "kubernetes:autoscaling/v2:HorizontalPodAutoscaler"),
      [],
    );
    const scaled = one("invoice-worker", "kubernetes:keda.sh/v1alpha1:ScaledObject").spec;
    assert.deepStrictEqual(scaled.scaleTargetRef, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      name: "invoice-worker",
    });
    assert.deepStrictEqual([scaled.minReplicaCount, scaled.maxReplicaCount], [2, 50]);
    assert.strictEqual(scaled.triggers[0].type, "aws-sqs-queue");
    assert.deepStrictEqual(scaled.triggers[0].authenticationRef, { name: "invoice-worker-aws" });
    assert.strictEqual(
      scaled.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.selectPolicy,
      "Max",
    );
    const auth = one("invoice-worker", "kubernetes:keda.sh/v1alpha1:TriggerAuthentication");
    assert.strictEqual(auth.spec.podIdentity.provider, "aws");
    assert.match(auth.spec.podIdentity.roleArn, /^arn:aws:iam::123456789012:role\//);
    const trust = JSON.parse(one("invoice-worker", "aws:iam/role:Role").assumeRolePolicy);
    assert.strictEqual(
      trust.Statement[0].Condition.StringEquals["oidc.eks.us-west-2.amazonaws.com/id/ABC:sub"],
      "system:serviceaccount:keda:keda-operator",
    );
  });

  it("gives HPAs the spike behaviour by default and merges what a workload overrides", () => {
    const spike = {
      stabilizationWindowSeconds: 0,
      selectPolicy: "Max",
      policies: [
        { type: "Percent", value: 100, periodSeconds: 15 },
        { type: "Pods", value: 4, periodSeconds: 15 },
      ],
    };
    const embeddings = one("embeddings", "kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
    assert.deepStrictEqual(embeddings.spec.behavior, {
      scaleUp: spike,
      scaleDown: {
        stabilizationWindowSeconds: 300,
        selectPolicy: "Max",
        policies: [{ type: "Percent", value: 10, periodSeconds: 60 }],
      },
    });
    const api = one("storefront-api", "kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
    assert.deepStrictEqual(api.spec.behavior.scaleUp, spike);
    assert.strictEqual(api.spec.behavior.scaleDown.stabilizationWindowSeconds, 600);
    assert.deepStrictEqual(api.spec.behavior.scaleDown.policies, [
      { type: "Percent", value: 10, periodSeconds: 60 },
    ]);
  });

  it("declares exactly the objects of each class", () => {
    assert.deepStrictEqual(types("invoice-worker"), [
      "aws:iam/role:Role",
      "aws:iam/rolePolicy:RolePolicy",
      "kubernetes:apps/v1:Deployment",
      "kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler",
      "kubernetes:core/v1:Service",
      "kubernetes:core/v1:ServiceAccount",
      "kubernetes:keda.sh/v1alpha1:ScaledObject",
      "kubernetes:keda.sh/v1alpha1:TriggerAuthentication",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "kubernetes:policy/v1:PodDisruptionBudget",
    ]);
    assert.ok(types("ledger-store").includes("kubernetes:apps/v1:StatefulSet"));
  });

  it("declares every custom resource valid against the pinned KEDA and VPA CRD schemas (a VPA per example)", () => {
    const { checked, problems } = customResourceProblems(run.resources);
    assert.deepStrictEqual(problems, []);
    assert.deepStrictEqual(checked, {
      ScaledObject: 1,
      TriggerAuthentication: 1,
      VerticalPodAutoscaler: 5,
    });
  });

  it("passes every policy of the compiled policy pack, mandatory and advisory", async function () {
    this.timeout(180_000);
    const resources = toAnalyzerResources(run.resources, "test", {});
    const session = await packSession();
    await session.configure(readPolicyConfig(PACK_DIR, "prod-us-west-2").config);
    try {
      const results = [
        ...(await session.analyze(resources)),
        ...(await session.analyzeStack(resources)),
      ];
      const workloads = new Set(
        run.resources
          .filter((r) => r.urn.includes("platform:cluster-addons:Workload"))
          .map((r) => r.urn),
      );
      assert.ok(workloads.size >= 45, `${workloads.size} workload resources`);
      assert.deepStrictEqual(
        results
          .filter((r) => workloads.has(r.urn))
          .map((r) => `${r.level} ${r.policy} ${r.urn.split("::").pop()}: ${r.message}`),
        [],
      );
    } finally {
      await session.configure({});
    }
  });

  it("fails the pack with a mandatory violation for an image from Docker Hub or on latest", async function () {
    this.timeout(180_000);
    const host = `${PLATFORM.accountId}.dkr.ecr.${PLATFORM.region}.amazonaws.com`;
    const bad = await runProgram(
      async () => {
        const providers = teamProviders();
        new Workload(
          "from-docker-hub",
          {
            namespace: "apps",
            // Pinned by digest, so that only where it comes from is wrong.
            image: `nginx:1.29.1@sha256:${"0".repeat(64)}`,
            port: 8080,
            resources: {
              requests: { cpu: "500m", memory: "512Mi" },
              limits: { cpu: "1", memory: "1Gi" },
            },
          },
          { providers },
        );
        // The Workload helper refuses latest itself; a hand-written Deployment meets the pack.
        const labels = { app: "on-latest" };
        new k8s.apps.v1.Deployment(
          "on-latest",
          {
            metadata: { name: "on-latest", namespace: "apps" },
            spec: {
              selector: { matchLabels: labels },
              template: {
                metadata: { labels },
                spec: {
                  containers: [{ name: "app", image: `${host}/platform/storefront-api:latest` }],
                },
              },
            },
          },
          { provider: providers.kubernetes },
        );
        return {};
      },
      {
        project: "platform",
        stack: "test",
        context: { region: PLATFORM.region, accountId: PLATFORM.accountId },
        config: {},
      },
    );
    const session = await packSession();
    await session.configure(readPolicyConfig(PACK_DIR, "prod-us-west-2").config);
    try {
      const results = await session.analyze(toAnalyzerResources(bad.resources, "test", {}));
      const mandatory = (policy: string) =>
        results
          .filter((r) => r.policy === policy && r.level === "mandatory")
          .map((r) => r.urn.split("::").pop())
          .sort();
      assert.deepStrictEqual(mandatory("k8s-images-from-allowed-registries"), [
        "from-docker-hub-deployment",
      ]);
      assert.deepStrictEqual(mandatory("k8s-pinned-images"), ["on-latest"]);
    } finally {
      await session.configure({});
    }
  });
});
