import * as assert from "assert";
import { ValidationError } from "@platform/core";
import { toAnalyzerResources } from "../../tools/analyzer";
import { ProgramRun, RecordedResource, runProgram } from "../../tools/mock-engine";
import { readPolicyConfig } from "../../tools/preview/policy";
import { PACK_DIR, packSession } from "../../tools/testing";
import { teamProviders } from "../../tools/testing/team-providers";
import { WorkloadArgs } from "./args";
import { isPinnedImage, validateWorkloadArgs } from "./validation";
import { Workload } from "./workload";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Wire = Record<string, any>;
const inputs = (r: RecordedResource) => r.inputs as Wire;

const BASE: WorkloadArgs = {
  namespace: "payments",
  // The platform's own repository, by digest: "payments" is an application namespace, where the
  // pack (and admission) require one.
  image: `123456789012.dkr.ecr.us-west-2.amazonaws.com/platform/ledger-api:1.4.2@sha256:${"ab".repeat(32)}`,
  port: 8080,
  resources: {
    requests: { cpu: "250m", memory: "256Mi" },
    limits: { cpu: "1", memory: "512Mi" },
  },
};
const GPU_POOL = {
  nodePoolName: "gpu",
  resourceName: "nvidia.com/gpu",
  taint: { key: "nvidia.com/gpu", effect: "NoSchedule" as const },
};
const HIGH_IOPS = {
  name: "gp3-high-iops",
  accessMode: "ReadWriteOnce" as const,
  provisionedIops: 16_000,
};
const ALB_SUBNETS = ["10.10.192.0/21", "10.10.200.0/21", "10.10.208.0/21"];

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(ValidationError.isInstance(err), `expected a ValidationError, got ${String(err)}`);
    return err.problems.map((p) => `${p.path} must ${p.allowed}`);
  }
  assert.fail("expected the arguments to be rejected");
}

describe("Workload", () => {
  describe("image pinning", () => {
    const cases: [string, boolean][] = [
      ["registry.example.com:5000/team/api:1.2.3", true],
      ["ghcr.io/org/api@sha256:" + "a".repeat(64), true],
      ["nginx:1.27-alpine", true],
      ["nginx", false],
      ["nginx:latest", false],
      ["registry.example.com:5000/team/api", false],
      ["ghcr.io/org/api@sha256:abc", false],
      ["@sha256:" + "a".repeat(64), false],
    ];
    for (const [image, pinned] of cases) {
      it(`${pinned ? "accepts" : "rejects"} ${image}`, () => {
        assert.strictEqual(isPinnedImage(image), pinned);
      });
    }
  });

  describe("validation", () => {
    const rejections: [string, Partial<WorkloadArgs>, string][] = [
      ["an unpinned image", { image: "ledger-api:latest" }, "args.image must be pinned"],
      [
        "a privileged port",
        { port: 80 },
        "args.port must be a whole number between 1024 and 65535",
      ],
      [
        "the default namespace",
        { namespace: "default" },
        "args.namespace must be an application namespace",
      ],
      [
        "a kube-system deployment",
        { namespace: "kube-system" },
        "args.namespace must be an application namespace",
      ],
      [
        "requests above limits",
        {
          resources: {
            requests: { cpu: "2", memory: "1Gi" },
            limits: { cpu: "1", memory: "512Mi" },
          },
        },
        "args.resources.requests.cpu must not exceed the CPU limit (1)",
      ],
      [
        "a malformed memory quantity",
        {
          resources: {
            requests: { cpu: "1", memory: "lots" },
            limits: { cpu: "1", memory: "1Gi" },
          },
        },
        "args.resources.requests.memory must be a positive memory quantity",
      ],
      [
        "a single replica",
        { replicas: { min: 1, max: 3 } },
        "args.replicas.min must be a whole number between 2 and 1000",
      ],
      [
        "min above max",
        { replicas: { min: 5, max: 3 } },
        "args.replicas.min must not exceed args.replicas.max (3)",
      ],
      [
        "a CPU target over 100%",
        { autoscaling: { cpuPercent: 150 } },
        "args.autoscaling.cpuPercent must be a whole number between 1 and 100",
      ],
      [
        "a relative probe path",
        { probes: { readinessPath: "ready" } },
        'args.probes.readinessPath must start with "/"',
      ],
      [
        "ingress from anywhere",
        { allowFrom: { cidrs: ["0.0.0.0/0"] } },
        "args.allowFrom.cidrs must contain IPv4 CIDRs narrower than 0.0.0.0/0",
      ],
      ["an unknown strategy", { delivery: "recreate" as never }, "args.delivery must be one of"],
      [
        "an ingress without ALB subnets",
        { ingress: { host: "ledger.example.com", albSourceCidrs: [] } },
        "args.ingress.albSourceCidrs must list the subnets",
      ],
      ["root", { runAsUser: 0 }, "args.runAsUser must be a whole number between 1000"],
      ["a bad env name", { env: { "MY-VAR": "x" } }, "args.env must use variable names"],
      [
        "a GPU count with no GPU pool",
        { gpu: { count: 1, pool: undefined } },
        "args.gpu.pool must be the cluster's GPU pool (ClusterAddons.gpuPool); this cluster has none",
      ],
      [
        "more GPUs than an instance carries",
        { gpu: { count: 9, pool: GPU_POOL } },
        "args.gpu.count must be a whole number between 1 and 8",
      ],
      [
        "a 16,000-IOPS volume under 32 GiB (above 500 IOPS per GiB)",
        { volumes: [{ name: "data", mountPath: "/data", sizeGiB: 20, storageClass: HIGH_IOPS }] },
        "args.volumes[0].sizeGiB must be at least 32: gp3-high-iops provisions 16000 IOPS and gp3 allows at most 500 IOPS per GiB",
      ],
      [
        "per-replica volumes on a canary (a StatefulSet)",
        {
          delivery: "canary",
          volumes: [{ name: "data", mountPath: "/data", sizeGiB: 64, storageClass: HIGH_IOPS }],
        },
        'args.delivery must be "deployment" when args.volumes has a ReadWriteOnce volume',
      ],
      [
        "a KEDA trigger of an unknown type",
        { autoscaling: { events: { triggers: [{ type: "sqs", metadata: {} }] } } },
        "args.autoscaling.events.triggers[0].type must be a scaler type of KEDA 2.20",
      ],
      [
        "an SQS trigger with no IAM policy for KEDA",
        { autoscaling: { events: { triggers: [{ type: "aws-sqs-queue", metadata: {} }] } } },
        "args.autoscaling.events.aws must give the IAM policy KEDA uses to read the source of aws-sqs-queue",
      ],
      [
        "VPA Auto with the HPA on CPU",
        { verticalPodAutoscaler: "Auto" },
        'args.verticalPodAutoscaler must be "Off" or false while the HPA of args.autoscaling scales on cpu and memory utilization',
      ],
      [
        "VPA Initial with a KEDA cpu trigger",
        {
          verticalPodAutoscaler: "Initial",
          autoscaling: { events: { triggers: [{ type: "cpu", metadata: { value: "60" } }] } },
        },
        'args.verticalPodAutoscaler must be "Off" or false while args.autoscaling.events has a cpu trigger',
      ],
      [
        "a scale-down policy period over 30 minutes",
        {
          autoscaling: {
            behavior: {
              scaleDown: { policies: [{ type: "Pods", value: 1, periodSeconds: 3600 }] },
            },
          },
        },
        "args.autoscaling.behavior.scaleDown.policies[0].periodSeconds must be a whole number between 1 and 1800",
      ],
    ];
    for (const [what, change, message] of rejections) {
      it(`rejects ${what}, naming the argument`, () => {
        const problems = problemsOf(() =>
          validateWorkloadArgs("ledger-api", { ...BASE, ...change }),
        );
        assert.ok(
          problems.some((p) => p.startsWith(message)),
          `expected "${message}" in:\n${problems.join("\n")}`,
        );
      });
    }

    it("accepts VPA Auto when KEDA scales on a queue, not on CPU or memory", () => {
      validateWorkloadArgs("ledger-api", {
        ...BASE,
        verticalPodAutoscaler: "Auto",
        autoscaling: {
          events: {
            triggers: [
              {
                type: "cron",
                metadata: {
                  timezone: "UTC",
                  start: "0 8 * * *",
                  end: "0 18 * * *",
                  desiredReplicas: "6",
                },
              },
            ],
          },
        },
      });
    });

    it("reports every problem at once", () => {
      const problems = problemsOf(() =>
        validateWorkloadArgs("Ledger", { ...BASE, image: "x:latest", port: 22 }),
      );
      assert.strictEqual(problems.length, 3);
    });

    it("accepts the minimal arguments", () => {
      validateWorkloadArgs("ledger-api", BASE);
    });
  });

  describe("resources", () => {
    let run: ProgramRun;
    const of = (component: string, type: string) =>
      run.resources.filter((r) => r.type === type && r.parent?.endsWith(`::${component}`));
    const one = (component: string, type: string) => {
      const found = of(component, type);
      assert.strictEqual(found.length, 1, `${component} ${type}`);
      return inputs(found[0]);
    };

    before(async () => {
      run = await runProgram(
        async () => {
          const providers = teamProviders();
          new Workload(
            "ledger-api",
            {
              ...BASE,
              allowFrom: { namespaces: ["web"] },
              egress: [{ ports: [5432], cidrs: ["10.10.224.0/21"] }],
              iam: {
                oidcProviderArn:
                  "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/ABC",
                oidcProviderUrl: "https://oidc.eks.us-west-2.amazonaws.com/id/ABC",
                policy: JSON.stringify({ Version: "2012-10-17", Statement: [] }),
              },
              ingress: {
                host: "ledger.us-west-2.platform.example.com",
                albSourceCidrs: ALB_SUBNETS,
              },
            },
            { providers },
          );
          new Workload(
            "checkout",
            { ...BASE, delivery: "canary", onDemandOnly: true },
            { providers },
          );
          new Workload(
            "search",
            { ...BASE, delivery: "blue-green", replicas: { min: 2, max: 4 } },
            { providers },
          );
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

    it("creates the same guarded set for every workload", () => {
      const types = (component: string) =>
        run.resources
          .filter((r) => r.parent?.endsWith(`::${component}`))
          .map((r) => r.type)
          .sort();
      assert.deepStrictEqual(types("ledger-api"), [
        "aws:iam/role:Role",
        "aws:iam/rolePolicy:RolePolicy",
        "kubernetes:apps/v1:Deployment",
        "kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler",
        "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
        "kubernetes:core/v1:Service",
        "kubernetes:core/v1:ServiceAccount",
        "kubernetes:networking.k8s.io/v1:Ingress",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy",
        "kubernetes:policy/v1:PodDisruptionBudget",
      ]);
      assert.deepStrictEqual(types("checkout"), [
        "kubernetes:argoproj.io/v1alpha1:Rollout",
        "kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler",
        "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
        "kubernetes:core/v1:Service",
        "kubernetes:core/v1:ServiceAccount",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy",
        "kubernetes:policy/v1:PodDisruptionBudget",
      ]);
    });

    it("runs the container non-root, read-only, without privileges or capabilities", () => {
      const pod = one("ledger-api", "kubernetes:apps/v1:Deployment").spec.template.spec;
      assert.deepStrictEqual(pod.securityContext, {
        runAsNonRoot: true,
        runAsUser: 10001,
        runAsGroup: 10001,
        fsGroup: 10001,
        seccompProfile: { type: "RuntimeDefault" },
      });
      const [container] = pod.containers;
      assert.deepStrictEqual(container.securityContext, {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      });
      assert.strictEqual(pod.automountServiceAccountToken, false);
      assert.strictEqual(pod.priorityClassName, "application");
      assert.deepStrictEqual(pod.nodeSelector, { "platform/node-pool": "workloads" });
      const onDemand = one("checkout", "kubernetes:argoproj.io/v1alpha1:Rollout").spec.template
        .spec;
      assert.deepStrictEqual(onDemand.nodeSelector, {
        "platform/node-pool": "workloads",
        "karpenter.sh/capacity-type": "on-demand",
      });
      assert.strictEqual(container.image, BASE.image);
    });

    it("sets requests, limits and all three probes", () => {
      const [container] = one("ledger-api", "kubernetes:apps/v1:Deployment").spec.template.spec
        .containers;
      assert.deepStrictEqual(container.resources, {
        requests: { cpu: "250m", memory: "256Mi" },
        limits: { cpu: "1", memory: "512Mi" },
      });
      assert.deepStrictEqual(container.livenessProbe.httpGet, { path: "/healthz", port: "http" });
      assert.deepStrictEqual(container.readinessProbe.httpGet, { path: "/ready", port: "http" });
      assert.ok(container.startupProbe);
    });

    it("spreads replicas over zones (hard) and nodes (soft) and leaves the count to the HPA", () => {
      const spec = one("ledger-api", "kubernetes:apps/v1:Deployment").spec;
      assert.strictEqual(spec.replicas, undefined);
      assert.deepStrictEqual(
        spec.template.spec.topologySpreadConstraints.map((c: Wire) => [
          c.topologyKey,
          c.whenUnsatisfiable,
        ]),
        [
          ["topology.kubernetes.io/zone", "DoNotSchedule"],
          ["kubernetes.io/hostname", "ScheduleAnyway"],
        ],
      );
    });

    it("keeps all but one replica up during disruptions", () => {
      const pdb = one("ledger-api", "kubernetes:policy/v1:PodDisruptionBudget");
      assert.strictEqual(pdb.spec.maxUnavailable, 1);
      assert.deepStrictEqual(pdb.spec.selector, {
        matchLabels: { "app.kubernetes.io/name": "ledger-api" },
      });
    });

    it("scales on CPU 60% and memory 70% between 3 and 10 replicas by default", () => {
      const hpa = one("ledger-api", "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").spec;
      assert.deepStrictEqual(
        [hpa.minReplicas, hpa.maxReplicas, hpa.scaleTargetRef.kind],
        [3, 10, "Deployment"],
      );
      assert.deepStrictEqual(
        hpa.metrics.map((m: Wire) => [m.resource.name, m.resource.target.averageUtilization]),
        [
          ["cpu", 60],
          ["memory", 70],
        ],
      );
      const rolloutHpa = one("checkout", "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").spec;
      assert.deepStrictEqual(rolloutHpa.scaleTargetRef, {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Rollout",
        name: "checkout",
      });
      const vpa = one("ledger-api", "kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler").spec;
      assert.deepStrictEqual(vpa.updatePolicy, { updateMode: "Off" });
    });

    it("binds the service account to its IRSA role and mounts no API token", () => {
      const sa = one("ledger-api", "kubernetes:core/v1:ServiceAccount");
      assert.strictEqual(sa.automountServiceAccountToken, false);
      assert.match(
        sa.metadata.annotations["eks.amazonaws.com/role-arn"],
        /^arn:aws:iam::123456789012:role\//,
      );
      const role = one("ledger-api", "aws:iam/role:Role");
      const condition = JSON.parse(role.assumeRolePolicy).Statement[0].Condition.StringEquals;
      assert.strictEqual(
        condition["oidc.eks.us-west-2.amazonaws.com/id/ABC:sub"],
        "system:serviceaccount:payments:ledger-api",
      );
      const checkoutSa = one("checkout", "kubernetes:core/v1:ServiceAccount");
      assert.strictEqual(checkoutSa.metadata.annotations, undefined);
    });

    it("admits only the named namespaces, Prometheus and the ALB's subnets, on the service port", () => {
      const policy = one("ledger-api", "kubernetes:networking.k8s.io/v1:NetworkPolicy").spec;
      assert.deepStrictEqual(policy, {
        podSelector: { matchLabels: { "app.kubernetes.io/name": "ledger-api" } },
        policyTypes: ["Ingress", "Egress"],
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } },
              },
              { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "web" } } },
              ...ALB_SUBNETS.map((cidr) => ({ ipBlock: { cidr } })),
            ],
            ports: [{ protocol: "TCP", port: 8080 }],
          },
        ],
        egress: [
          {
            to: [{ ipBlock: { cidr: "10.10.224.0/21" } }],
            ports: [{ protocol: "TCP", port: 5432 }],
          },
        ],
      });
    });

    it("publishes the ingress on the platform's ALB class over HTTPS only", () => {
      const ingress = one("ledger-api", "kubernetes:networking.k8s.io/v1:Ingress");
      assert.strictEqual(ingress.spec.ingressClassName, "alb");
      assert.strictEqual(
        ingress.metadata.annotations["alb.ingress.kubernetes.io/listen-ports"],
        '[{"HTTPS":443}]',
      );
      assert.strictEqual(ingress.spec.rules[0].host, "ledger.us-west-2.platform.example.com");
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
        assert.ok(workloads.size >= 20);
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

    it("delivers a canary through the SLO gate and a blue-green through a preview", () => {
      const canary = one("checkout", "kubernetes:argoproj.io/v1alpha1:Rollout");
      assert.deepStrictEqual(
        canary.spec.strategy.canary.steps
          .filter((s: Wire) => "setWeight" in s)
          .map((s: Wire) => s.setWeight),
        [10, 25, 50, 100],
      );
      assert.strictEqual(
        canary.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem,
        true,
      );
      const blueGreen = one("search", "kubernetes:argoproj.io/v1alpha1:Rollout").spec.strategy
        .blueGreen;
      assert.strictEqual(blueGreen.previewService, "search-preview");
      const services = run.resources
        .filter((r) => r.type === "kubernetes:core/v1:Service" && r.parent?.endsWith("::search"))
        .map((r) => inputs(r).metadata.name)
        .sort();
      assert.deepStrictEqual(services, ["search", "search-preview"]);
    });
  });
});
