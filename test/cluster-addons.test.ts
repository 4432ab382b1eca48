import * as assert from "assert";
import {
  awsLoadBalancerControllerPolicy,
  certManagerDns01Policy,
  externalDnsPolicy,
  karpenterControllerPolicy,
} from "../components/cluster-addons";
import { CHARTS } from "../components/core";
import { RecordedResource } from "../tools/mock-engine";
import { named, policyResults, resultsOn, runStack, StackRun } from "../tools/testing";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Wire = Record<string, any>;
const inputs = (r: RecordedResource) => r.inputs as Wire;
const ACCOUNT = "123456789012";
const ZONE = "Z0123456789ABCDEFGHIJ";
const DOMAIN = "platform.example.com";

const STACKS = {
  "prod-us-west-2": { region: "us-west-2", vpcCidr: "10.10.0.0/16" },
  "prod-eu-west-1": { region: "eu-west-1", vpcCidr: "10.20.0.0/16" },
} as const;

/** Release name -> chart pin and namespace. */
const RELEASES = {
  "karpenter-crd": { pin: CHARTS.karpenterCrd, namespace: "kube-system" },
  karpenter: { pin: CHARTS.karpenter, namespace: "kube-system" },
  "aws-load-balancer-controller": {
    pin: CHARTS.awsLoadBalancerController,
    namespace: "kube-system",
  },
  "external-dns": { pin: CHARTS.externalDns, namespace: "external-dns" },
  "cert-manager": { pin: CHARTS.certManager, namespace: "cert-manager" },
  "metrics-server": { pin: CHARTS.metricsServer, namespace: "kube-system" },
  keda: { pin: CHARTS.keda, namespace: "keda" },
  "vertical-pod-autoscaler": {
    pin: CHARTS.verticalPodAutoscaler,
    namespace: "vertical-pod-autoscaler",
  },
  "argo-rollouts": { pin: CHARTS.argoRollouts, namespace: "argo-rollouts" },
  "nvidia-device-plugin": { pin: CHARTS.nvidiaDevicePlugin, namespace: "nvidia-gpu" },
} as const;

const SYSTEM = {
  nodeSelector: { "platform/node-pool": "system" },
  tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }],
};

/** Where each chart takes its controller's placement, priority and security contexts. */
const CONTROLLER_VALUES: Record<string, (v: Wire) => Wire> = {
  karpenter: (v) => ({
    ...v,
    securityContext: v.podSecurityContext,
    containerSecurityContext: undefined,
  }),
  "aws-load-balancer-controller": (v) => ({
    ...v,
    containerSecurityContext: v.securityContext,
    securityContext: v.podSecurityContext,
  }),
  "external-dns": (v) => ({
    ...v,
    containerSecurityContext: v.securityContext,
    securityContext: v.podSecurityContext,
  }),
  "cert-manager": (v) => ({ ...v, priorityClassName: v.global.priorityClassName }),
  "metrics-server": (v) => ({
    ...v,
    containerSecurityContext: v.securityContext,
    securityContext: v.podSecurityContext,
  }),
  keda: (v) => ({
    ...v,
    containerSecurityContext: v.securityContext.operator,
    securityContext: v.podSecurityContext.operator,
  }),
  "vertical-pod-autoscaler": (v) => ({
    ...v.recommender,
    containerSecurityContext: v.containerSecurityContext,
    securityContext: v.podSecurityContext,
  }),
  "argo-rollouts": (v) => ({
    ...v.controller,
    containerSecurityContext: v.containerSecurityContext,
    securityContext: v.podSecurityContext,
  }),
};

for (const [stack, expected] of Object.entries(STACKS)) {
  const clusterName = `platform-${stack}`;
  const { region } = expected;

  describe(`cluster add-ons of ${stack}`, function () {
    let run: StackRun;
    let children: RecordedResource[];
    const typed = (type: string) => children.filter((r) => r.type === type);
    const release = (name: string) => {
      const found = typed("kubernetes:helm.sh/v3:Release").filter((r) => r.name === name);
      assert.strictEqual(found.length, 1, name);
      return inputs(found[0]);
    };
    const rolePolicy = (role: string) => JSON.parse(inputs(named(run, `${role}-policy`)).policy);
    const trust = (role: string) => JSON.parse(inputs(named(run, role)).assumeRolePolicy);
    const keyArn = (name: string) => `arn:aws:kms:${region}:${ACCOUNT}:key/${named(run, name).id}`;
    const custom = (kind: string) => {
      const found = children.filter((r) => r.type.endsWith(`:${kind}`));
      return found.map((r) => inputs(r));
    };

    before(async () => {
      run = await runStack({ stack });
      children = run.resources.filter((r) =>
        r.urn.includes("platform:cluster-addons:ClusterAddons"),
      );
      assert.ok(children.length > 80, `${children.length} add-on resources`);
    });

    it("installs every add-on as a pinned release in its namespace, atomically", () => {
      const releases = typed("kubernetes:helm.sh/v3:Release");
      assert.deepStrictEqual(releases.map((r) => r.name).sort(), Object.keys(RELEASES).sort());
      for (const [name, { pin, namespace }] of Object.entries(RELEASES)) {
        const r = release(name);
        assert.strictEqual(r.chart, pin.chart, name);
        assert.strictEqual(r.version, pin.version, name);
        assert.strictEqual(r.namespace, namespace, name);
        assert.strictEqual(r.atomic, true, name);
        assert.strictEqual(r.createNamespace, false, name);
      }
      assert.strictEqual(release("karpenter").skipCrds, true);
      assert.strictEqual(release("karpenter-crd").skipCrds, undefined);
      assert.strictEqual(release("argo-rollouts").version, "2.41.0");
      assert.strictEqual(release("vertical-pod-autoscaler").version, "0.11.0");
    });

    it("runs every controller on the system nodes at platform-critical with restricted contexts", () => {
      for (const [name, select] of Object.entries(CONTROLLER_VALUES)) {
        const v = select(release(name).values);
        assert.deepStrictEqual(v.nodeSelector, SYSTEM.nodeSelector, name);
        assert.deepStrictEqual(v.tolerations, SYSTEM.tolerations, name);
        assert.strictEqual(v.priorityClassName, "platform-critical", name);
        assert.strictEqual(v.securityContext.runAsNonRoot, true, name);
        assert.deepStrictEqual(v.securityContext.seccompProfile, { type: "RuntimeDefault" }, name);
        if (v.containerSecurityContext !== undefined) {
          assert.strictEqual(v.containerSecurityContext.allowPrivilegeEscalation, false, name);
          assert.strictEqual(v.containerSecurityContext.readOnlyRootFilesystem, true, name);
          assert.deepStrictEqual(v.containerSecurityContext.capabilities, { drop: ["ALL"] }, name);
        }
      }
      // cert-manager's webhook and cainjector follow the same rules.
      const cm = release("cert-manager").values;
      for (const part of [cm.webhook, cm.cainjector]) {
        assert.deepStrictEqual(part.nodeSelector, SYSTEM.nodeSelector);
        assert.strictEqual(part.containerSecurityContext.readOnlyRootFilesystem, true);
        assert.ok(part.resources.limits.memory);
      }
    });

    it("passes region and VPC to the load balancer controller explicitly (IMDS hop limit 1)", () => {
      const v = release("aws-load-balancer-controller").values;
      assert.strictEqual(v.region, region);
      assert.strictEqual(v.clusterName, clusterName);
      assert.strictEqual(v.vpcId, named(run, "network-vpc").id);
    });

    it("gives each AWS-calling add-on its own IRSA role bound to its service account", () => {
      const bindings = {
        "cluster-addons-karpenter-controller": "system:serviceaccount:kube-system:karpenter",
        "cluster-addons-ingress-load-balancer-controller":
          "system:serviceaccount:kube-system:aws-load-balancer-controller",
        "cluster-addons-ingress-external-dns": "system:serviceaccount:external-dns:external-dns",
        "cluster-addons-ingress-cert-manager": "system:serviceaccount:cert-manager:cert-manager",
      };
      for (const [role, subject] of Object.entries(bindings)) {
        const statement = trust(role).Statement[0];
        assert.strictEqual(statement.Action, "sts:AssumeRoleWithWebIdentity");
        const condition = statement.Condition.StringEquals;
        assert.deepStrictEqual(
          Object.values(condition).sort(),
          [subject, "sts.amazonaws.com"].sort(),
          role,
        );
      }
      // The chart annotations point each service account at its role.
      const annotation = (v: Wire) => v.serviceAccount.annotations["eks.amazonaws.com/role-arn"];
      for (const name of [
        "karpenter",
        "aws-load-balancer-controller",
        "external-dns",
        "cert-manager",
      ]) {
        assert.match(
          annotation(release(name).values),
          new RegExp(`^arn:aws:iam::${ACCOUNT}:role/`),
        );
      }
    });

    it("grants exactly the documented permissions, scoped to this cluster and zone", () => {
      assert.deepStrictEqual(
        rolePolicy("cluster-addons-ingress-load-balancer-controller"),
        awsLoadBalancerControllerPolicy(),
      );
      assert.deepStrictEqual(
        rolePolicy("cluster-addons-ingress-external-dns"),
        externalDnsPolicy("aws", ZONE),
      );
      assert.deepStrictEqual(
        rolePolicy("cluster-addons-ingress-cert-manager"),
        certManagerDns01Policy("aws", ZONE),
      );
      const queueName = `${clusterName}-karpenter`;
      assert.deepStrictEqual(
        rolePolicy("cluster-addons-karpenter-controller"),
        karpenterControllerPolicy({
          partition: "aws",
          region,
          accountId: ACCOUNT,
          clusterName,
          nodeRoleArn: `arn:aws:iam::${ACCOUNT}:role/${named(run, "cluster-addons-karpenter-node-role").id}`,
          interruptionQueueArn: `arn:aws:sqs:${region}:${ACCOUNT}:${queueName}`,
          interruptionQueueKeyArn: keyArn("cluster-addons-karpenter-interruption-key"),
          volumeKeyArn: keyArn("cluster-volume-key"),
        }),
      );
      // Only these four roles carry inline policies; no add-on gets an AWS-managed policy but nodes.
      assert.strictEqual(typed("aws:iam/rolePolicy:RolePolicy").length, 4);
    });

    it("feeds Karpenter an encrypted interruption queue from five EventBridge rules", () => {
      const queue = inputs(named(run, "cluster-addons-karpenter-interruption-queue"));
      assert.strictEqual(queue.name, `${clusterName}-karpenter`);
      assert.strictEqual(queue.messageRetentionSeconds, 300);
      assert.strictEqual(queue.kmsMasterKeyId, keyArn("cluster-addons-karpenter-interruption-key"));
      const key = named(run, "cluster-addons-karpenter-interruption-key");
      assert.strictEqual(key.options.protect, true);
      const keyPolicy = JSON.parse(inputs(key).policy);
      assert.ok(
        keyPolicy.Statement.some(
          (s: Wire) => s.Principal?.Service === "events.amazonaws.com" && s.Effect === "Allow",
        ),
      );
      const queuePolicy = JSON.parse(
        inputs(named(run, "cluster-addons-karpenter-interruption-queue-policy")).policy,
      );
      assert.deepStrictEqual(queuePolicy.Statement[0].Principal, {
        Service: ["events.amazonaws.com", "sqs.amazonaws.com"],
      });
      const rules = typed("aws:cloudwatch/eventRule:EventRule").map(
        (r) => JSON.parse(inputs(r).eventPattern)["detail-type"][0],
      );
      assert.deepStrictEqual(rules.sort(), [
        "AWS Health Event",
        "EC2 Capacity Reservation Instance Interruption Warning",
        "EC2 Instance Rebalance Recommendation",
        "EC2 Instance State-change Notification",
        "EC2 Spot Instance Interruption Warning",
      ]);
      const targets = typed("aws:cloudwatch/eventTarget:EventTarget");
      assert.strictEqual(targets.length, 5);
      assert.ok(
        targets.every(
          (t) => inputs(t).arn === `arn:aws:sqs:${region}:${ACCOUNT}:${clusterName}-karpenter`,
        ),
      );
      const values = release("karpenter").values;
      assert.strictEqual(values.settings.interruptionQueue, `${clusterName}-karpenter`);
      assert.strictEqual(values.settings.clusterName, clusterName);
    });

    it("joins Karpenter's nodes through an EC2_LINUX access entry and the cluster's security group", () => {
      const entry = inputs(named(run, "cluster-addons-karpenter-node-access"));
      assert.strictEqual(entry.type, "EC2_LINUX");
      assert.strictEqual(entry.clusterName, clusterName);
      assert.strictEqual(
        entry.principalArn,
        `arn:aws:iam::${ACCOUNT}:role/${named(run, "cluster-addons-karpenter-node-role").id}`,
      );
      const [nodeClass] = custom("EC2NodeClass");
      assert.strictEqual(nodeClass.apiVersion, "karpenter.k8s.aws/v1");
      assert.deepStrictEqual(nodeClass.spec.securityGroupSelectorTerms, [
        { id: `sg-0${Buffer.from(clusterName).toString("hex").slice(0, 16)}` },
      ]);
      assert.strictEqual(nodeClass.spec.metadataOptions.httpTokens, "required");
      assert.strictEqual(nodeClass.spec.metadataOptions.httpPutResponseHopLimit, 1);
      const ebs = nodeClass.spec.blockDeviceMappings[0].ebs;
      assert.strictEqual(ebs.encrypted, true);
      assert.strictEqual(ebs.volumeType, "gp3");
      assert.strictEqual(ebs.kmsKeyID, keyArn("cluster-volume-key"));
      assert.strictEqual(nodeClass.spec.role, named(run, "cluster-addons-karpenter-node-role").id);
      assert.strictEqual(nodeClass.spec.tags["platform:stack"], stack);
    });

    it("caps Karpenter at 1,000 nodes: 800 spot and 200 on-demand at 4 vCPU per node", () => {
      const pools = Object.fromEntries(custom("NodePool").map((p) => [p.metadata.name, p.spec]));
      assert.deepStrictEqual(Object.keys(pools).sort(), ["gpu", "on-demand", "spot"]);
      assert.deepStrictEqual(pools.spot.limits, { cpu: "3200", memory: "25600Gi" });
      assert.deepStrictEqual(pools["on-demand"].limits, { cpu: "800", memory: "6400Gi" });
      for (const pool of [pools.spot, pools["on-demand"]] as Wire[]) {
        assert.strictEqual(pool.disruption.consolidationPolicy, "WhenEmptyOrUnderutilized");
      }
    });

    it("adds a GPU pool of at most 5 on-demand nodes that only GPU pods tolerate, with the device plugin", () => {
      const gpu = custom("NodePool").find((p) => p.metadata.name === "gpu")!.spec;
      assert.deepStrictEqual(gpu.limits, { nodes: "5" });
      assert.deepStrictEqual(gpu.template.spec.taints, [
        { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" },
      ]);
      const requirement = (key: string) =>
        gpu.template.spec.requirements.find((r: Wire) => r.key === key).values;
      assert.deepStrictEqual(
        requirement("karpenter.k8s.aws/instance-family"),
        region === "eu-west-1" ? ["g5"] : ["g6", "g5"],
      );
      assert.deepStrictEqual(requirement("karpenter.sh/capacity-type"), ["on-demand"]);
      assert.strictEqual(gpu.template.spec.nodeClassRef.name, "gpu");
      const gpuClass = custom("EC2NodeClass").find((c) => c.metadata.name === "gpu")!.spec;
      assert.strictEqual(gpuClass.blockDeviceMappings[0].ebs.volumeSize, "200Gi");
      assert.strictEqual(gpuClass.blockDeviceMappings[0].ebs.encrypted, true);
      const plugin = release("nvidia-device-plugin").values;
      assert.deepStrictEqual(plugin.tolerations, [
        { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
      ]);
      const dcgm = run.resources.filter(
        (r) => r.type === "kubernetes:helm.sh/v3:Release" && r.name === "dcgm-exporter",
      );
      assert.strictEqual(dcgm.length, 1);
      assert.strictEqual(inputs(dcgm[0]).version, CHARTS.dcgmExporter.version);
      assert.strictEqual(inputs(dcgm[0]).values.serviceMonitor.enabled, true);
    });

    it("offers a gp3-high-iops StorageClass: 16,000 IOPS, 1,000 MiB/s, encrypted with the volume key", () => {
      const [sc] = typed("kubernetes:storage.k8s.io/v1:StorageClass").map(inputs);
      assert.strictEqual(sc.metadata.name, "gp3-high-iops");
      assert.deepStrictEqual(sc.parameters, {
        type: "gp3",
        iops: "16000",
        throughput: "1000",
        encrypted: "true",
        kmsKeyId: keyArn("cluster-volume-key"),
        "csi.storage.k8s.io/fstype": "ext4",
      });
      assert.strictEqual(sc.reclaimPolicy, "Retain");
    });

    it("rate-limits the ingress path with WAF (1,000 RPS global, 500 RPS API) and logs it", () => {
      const acl = inputs(named(run, "cluster-addons-ingress-web-acl"));
      assert.strictEqual(acl.scope, "REGIONAL");
      const limit = (name: string) =>
        acl.rules.find((r: Wire) => r.name === name).statement.rateBasedStatement;
      assert.deepStrictEqual(
        [limit("global-rate-limit").limit, limit("api-rate-limit").limit],
        [60_000, 30_000],
      );
      assert.strictEqual(limit("global-rate-limit").evaluationWindowSec, 60);
      const logging = inputs(named(run, "cluster-addons-ingress-waf-logging"));
      const logGroup = inputs(named(run, "cluster-addons-ingress-waf-logs"));
      assert.match(logGroup.name, /^aws-waf-logs-/);
      assert.strictEqual(logGroup.retentionInDays, 365);
      assert.ok(logGroup.kmsKeyId);
      assert.strictEqual(logging.logDestinationConfigs.length, 1);
      const [params] = custom("IngressClassParams");
      assert.match(params.spec.wafv2AclArn, /^arn:aws:wafv2:/);
      assert.strictEqual(params.spec.scheme, "internet-facing");
      assert.match(params.spec.certificateArn[0], new RegExp(`^arn:aws:acm:${region}:`));
      assert.strictEqual(params.spec.listeners[0].listenerAttributes.length, 5);
      const [ingressClass] = children
        .filter((r) => r.type === "kubernetes:networking.k8s.io/v1:IngressClass")
        .map(inputs);
      assert.strictEqual(ingressClass.spec.controller, "ingress.k8s.aws/alb");
    });

    it("validates the certificate in the shared zone and limits external-dns to this region's names", () => {
      const cert = inputs(named(run, "cluster-addons-ingress-certificate"));
      assert.strictEqual(cert.domainName, `*.${DOMAIN}`);
      assert.deepStrictEqual(cert.subjectAlternativeNames, [`*.${region}.${DOMAIN}`]);
      assert.strictEqual(cert.validationMethod, "DNS");
      assert.ok(typed("aws:route53/record:Record").every((r) => r.options.retainOnDelete));
      const records = typed("aws:route53/record:Record").map(inputs);
      assert.strictEqual(records.length, 2);
      assert.ok(records.every((r) => r.zoneId === ZONE && r.type === "CNAME"));
      const v = release("external-dns").values;
      assert.deepStrictEqual(v.domainFilters, [`${region}.${DOMAIN}`]);
      assert.strictEqual(v.txtOwnerId, clusterName);
      assert.strictEqual(v.policy, "upsert-only");
      assert.ok(v.extraArgs.includes(`--zone-id-filter=${ZONE}`));
      const [endpoint] = children
        .filter((r) => r.type === "kubernetes:networking.k8s.io/v1:Ingress")
        .map(inputs);
      assert.strictEqual(endpoint.spec.rules[0].host, `${region}.${DOMAIN}`);
      assert.strictEqual(endpoint.spec.rules[0].http.paths[0].path, "/healthz");
      const [issuer] = custom("ClusterIssuer");
      assert.strictEqual(issuer.spec.acme.solvers[0].dns01.route53.hostedZoneID, ZONE);
    });

    it("runs the VPA's recommender, admission controller and updater (modes Off, Initial, Auto)", () => {
      const v = release("vertical-pod-autoscaler").values;
      for (const part of ["recommender", "admissionController", "updater"]) {
        assert.strictEqual(v[part].enabled, true, part);
        assert.deepStrictEqual(v[part].nodeSelector, SYSTEM.nodeSelector, part);
      }
      assert.deepStrictEqual(v.admissionController.certGen.nodeSelector, SYSTEM.nodeSelector);
    });

    it("gates canaries on the SLOs through the cluster analysis template", () => {
      const [template] = custom("ClusterAnalysisTemplate");
      assert.strictEqual(template.metadata.name, "slo-gate");
      assert.deepStrictEqual(
        template.spec.metrics.map((m: Wire) => m.successCondition),
        ["isNaN(result[0]) || result[0] < 0.001", "isNaN(result[0]) || result[0] < 0.1"],
      );
      assert.strictEqual(
        template.spec.metrics[0].provider.prometheus.address,
        "http://kube-prometheus-stack-prometheus.monitoring.svc:9090",
      );
    });

    it("puts each add-on namespace under the baseline and opens webhooks to the VPC only", () => {
      const namespaces = children
        .filter((r) => r.type === "kubernetes:core/v1:Namespace")
        .map((r) => inputs(r).metadata);
      assert.deepStrictEqual(namespaces.map((m) => m.name).sort(), [
        "argo-rollouts",
        "cert-manager",
        "external-dns",
        "keda",
        "nvidia-gpu",
        "vertical-pod-autoscaler",
      ]);
      // Only the GPU namespace is privileged: the device plugin's hostPath, DCGM's SYS_ADMIN.
      assert.ok(
        namespaces.every(
          (m) =>
            m.labels["pod-security.kubernetes.io/enforce"] ===
            (m.name === "nvidia-gpu" ? "privileged" : "restricted"),
        ),
      );
      const policies = children
        .filter((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy")
        .map(inputs);
      const webhook = policies.find(
        (p) => p.metadata.name === "cert-manager-webhook-from-api-server",
      )!;
      assert.deepStrictEqual(webhook.spec.ingress, [
        {
          from: [{ ipBlock: { cidr: expected.vpcCidr } }],
          ports: [{ protocol: "TCP", port: 10250 }],
        },
      ]);
      const keda = policies.find((p) => p.metadata.name === "keda-from-api-server")!;
      assert.deepStrictEqual(keda.spec.ingress[0], {
        from: [{ ipBlock: { cidr: expected.vpcCidr } }],
        ports: [
          { protocol: "TCP", port: 6443 },
          { protocol: "TCP", port: 9443 },
        ],
      });
      // No add-on admits traffic from anywhere.
      for (const policy of policies) {
        for (const rule of policy.spec.ingress ?? []) {
          assert.ok(rule.from.every((peer: Wire) => peer.ipBlock?.cidr !== "0.0.0.0/0"));
        }
      }
    });

    it("raises no policy violation, mandatory or advisory, on any add-on resource (compiled policy pack)", async function () {
      this.timeout(180_000);
      assert.deepStrictEqual(resultsOn(await policyResults(run, stack), children), []);
    });

    it("exports what application teams need", () => {
      assert.strictEqual(run.outputs.ingressClassName, "alb");
      assert.strictEqual(run.outputs.clusterIssuerName, "letsencrypt");
      assert.strictEqual((run.outputs.ingressAlbSourceCidrs as string[]).length, 3);
    });
  });
}
