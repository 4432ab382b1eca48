/** Checks of the add-ons' and a Workload's arguments, each reporting every problem at once. */
import { Problems } from "@platform/core";
import { ClusterAddonsArgs, WorkloadArgs } from "./args";
import { requestsPerWindow, WAF_EVALUATION_WINDOWS, WAF_RATE_LIMIT_RANGE } from "./ingress";
import { checkGp3Performance, minimumGp3SizeGiB } from "./storage";

/**
 * The trigger types KEDA 2.20.2 builds a scaler for: the `case` labels of `buildScaler` in
 * kedacore/keda@v2.20.2 pkg/scaling/scalers_builder.go (68a5b502, 2026-07-31), the version the
 * pinned chart (keda 2.20.2) installs.
 */
export const KEDA_SCALERS: readonly string[] = [
  "activemq",
  "apache-kafka",
  "arangodb",
  "artemis-queue",
  "aws-cloudwatch",
  "aws-dynamodb",
  "aws-dynamodb-streams",
  "aws-kinesis-stream",
  "aws-sqs-queue",
  "azure-app-insights",
  "azure-blob",
  "azure-data-explorer",
  "azure-eventhub",
  "azure-log-analytics",
  "azure-monitor",
  "azure-pipelines",
  "azure-queue",
  "azure-servicebus",
  "beanstalkd",
  "cassandra",
  "couchdb",
  "cpu",
  "cron",
  "datadog",
  "dynatrace",
  "elastic-forecast",
  "elasticsearch",
  "etcd",
  "external",
  "external-mock",
  "external-push",
  "forgejo-runner",
  "gcp-cloudtasks",
  "gcp-pubsub",
  "gcp-stackdriver",
  "gcp-storage",
  "github-runner",
  "graphite",
  "huawei-cloudeye",
  "ibmmq",
  "influxdb",
  "kafka",
  "kubernetes-resource",
  "kubernetes-workload",
  "liiklus",
  "loki",
  "memory",
  "metrics-api",
  "mongodb",
  "mssql",
  "mysql",
  "nats-jetstream",
  "new-relic",
  "nsq",
  "opensearch",
  "openstack-metric",
  "openstack-swift",
  "postgresql",
  "predictkube",
  "prometheus",
  "pulsar",
  "rabbitmq",
  "redis",
  "redis-cluster",
  "redis-cluster-streams",
  "redis-sentinel",
  "redis-sentinel-streams",
  "redis-streams",
  "selenium-grid",
  "solace-direct-messaging",
  "solace-event-queue",
  "solarwinds",
  "solr",
  "splunk",
  "splunk-observability",
  "sumologic",
  "temporal",
];
/** GPU families are NVIDIA's g and p families; Graviton ones (g5g) cannot join the amd64 pool. */
const GPU_FAMILY = /^[gp]\d+[a-z0-9-]*$/;
const GRAVITON_FAMILY = /^[a-z]+\d+g[a-z]*$/;
/** Most GPUs one instance carries (p5.48xlarge, p4d.24xlarge: 8). */
const MAX_GPUS_PER_NODE = 8;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const AMI_ALIAS = /^(al2023|bottlerocket)@(latest|v\d{8}|v\d+\.\d+\.\d+)$/;
/** `http://<service>.<namespace>.svc[.cluster.local]:<port>` */
const IN_CLUSTER_URL = /^https?:\/\/[a-z0-9-]+\.([a-z0-9-]+)\.svc(\.cluster\.local)?:(\d+)\/?$/;

export function parsePrometheusUrl(url: string): { namespace: string; port: number } | undefined {
  const match = IN_CLUSTER_URL.exec(url);
  return match ? { namespace: match[1], port: Number(match[3]) } : undefined;
}

export function validateClusterAddonsArgs(args: ClusterAddonsArgs): void {
  const problems = new Problems();
  problems.check(
    HOSTED_ZONE_ID.test(args.dns.hostedZoneId),
    "args.dns.hostedZoneId",
    args.dns.hostedZoneId,
    'be a Route 53 hosted zone ID such as "Z0123456789ABCDEFGHIJ"',
  );
  problems.check(
    DOMAIN.test(args.dns.domainName),
    "args.dns.domainName",
    args.dns.domainName,
    'be a lower-case DNS name such as "platform.example.com"',
  );
  problems.check(
    /^\/[\w\-./]*$/.test(args.dns.healthCheckPath ?? "/healthz"),
    "args.dns.healthCheckPath",
    args.dns.healthCheckPath,
    'be a URL path starting with "/", such as "/healthz"',
  );
  problems.check(
    EMAIL.test(args.dns.acmeEmail),
    "args.dns.acmeEmail",
    args.dns.acmeEmail,
    "be an email address",
  );

  const limits = args.rateLimits;
  if (
    problems.oneOf("args.rateLimits.windowSeconds", limits.windowSeconds, WAF_EVALUATION_WINDOWS)
  ) {
    for (const key of ["globalRps", "apiRps", "perClientRps"] as const) {
      const perWindow = requestsPerWindow(limits[key], limits.windowSeconds);
      problems.check(
        Number.isInteger(limits[key]) &&
          perWindow >= WAF_RATE_LIMIT_RANGE.min &&
          perWindow <= WAF_RATE_LIMIT_RANGE.max,
        `args.rateLimits.${key}`,
        limits[key],
        `be a whole number whose ${limits.windowSeconds}-second total is within WAF's ${WAF_RATE_LIMIT_RANGE.min} to ${WAF_RATE_LIMIT_RANGE.max}`,
      );
    }
  }
  problems.check(
    limits.apiRps <= limits.globalRps,
    "args.rateLimits.apiRps",
    limits.apiRps,
    `not exceed globalRps (${limits.globalRps})`,
  );
  problems.check(
    limits.perClientRps <= limits.globalRps,
    "args.rateLimits.perClientRps",
    limits.perClientRps,
    `not exceed globalRps (${limits.globalRps})`,
  );
  problems.check(
    /^\/[\w\-./]*$/.test(limits.apiPathPrefix),
    "args.rateLimits.apiPathPrefix",
    limits.apiPathPrefix,
    'be a URL path starting with "/", such as "/api/"',
  );

  const sizing = args.karpenter;
  problems.integerInRange("args.karpenter.nodeCeiling", sizing.nodeCeiling, 1, 5000);
  problems.integerInRange("args.karpenter.onDemandPercent", sizing.onDemandPercent, 0, 100);
  problems.check(
    sizing.architectures.length > 0 &&
      sizing.architectures.every((a) => a === "amd64" || a === "arm64"),
    "args.karpenter.architectures",
    sizing.architectures,
    'list "amd64", "arm64" or both',
  );
  problems.check(
    AMI_ALIAS.test(sizing.amiAlias),
    "args.karpenter.amiAlias",
    sizing.amiAlias,
    'be an EC2NodeClass AMI alias such as "al2023@latest" or "al2023@v20260101"',
  );
  problems.integerInRange("args.karpenter.volumeSizeGiB", sizing.volumeSizeGiB, 20, 16384);
  if (args.gpu) {
    problems.integerInRange("args.gpu.maxNodes", args.gpu.maxNodes, 0, 100);
    problems.check(
      args.gpu.instanceFamilies.length > 0 &&
        args.gpu.instanceFamilies.every((f) => GPU_FAMILY.test(f) && !GRAVITON_FAMILY.test(f)),
      "args.gpu.instanceFamilies",
      args.gpu.instanceFamilies,
      'list x86 NVIDIA GPU instance families such as "g6", "g5" or "p5"',
    );
    problems.integerInRange("args.gpu.volumeSizeGiB", args.gpu.volumeSizeGiB, 20, 16384);
  }
  if (args.highIopsVolumes) {
    checkGp3Performance(
      problems,
      {
        iops: "args.highIopsVolumes.iops",
        throughputMiBps: "args.highIopsVolumes.throughputMiBps",
      },
      args.highIopsVolumes,
    );
  }

  problems.check(
    parsePrometheusUrl(args.delivery.prometheusUrl) !== undefined,
    "args.delivery.prometheusUrl",
    args.delivery.prometheusUrl,
    'be an in-cluster Service URL such as "http://kube-prometheus-stack-prometheus.monitoring.svc:9090"',
  );
  problems.check(
    args.delivery.maxErrorRatio > 0 && args.delivery.maxErrorRatio < 1,
    "args.delivery.maxErrorRatio",
    args.delivery.maxErrorRatio,
    "be a ratio between 0 and 1 (0.001 is 0.1%)",
  );
  problems.check(
    args.delivery.maxP95Seconds > 0 && args.delivery.maxP95Seconds <= 60,
    "args.delivery.maxP95Seconds",
    args.delivery.maxP95Seconds,
    "be a latency in seconds above 0 and at most 60",
  );
  problems.throwIfAny("Cluster add-on arguments");
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/(\d|[12]\d|3[0-2])$/;

/** True when the image names a digest, or a tag other than `latest`. */
export function isPinnedImage(image: string): boolean {
  const at = image.indexOf("@");
  if (at >= 0) return /^sha256:[a-f0-9]{64}$/.test(image.slice(at + 1)) && at > 0;
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const colon = lastSegment.lastIndexOf(":");
  if (colon <= 0) return false;
  const tag = lastSegment.slice(colon + 1);
  return /^[\w][\w.-]{0,127}$/.test(tag) && tag !== "latest";
}

/** CPU quantity in millicores, or undefined when it is not one (`250m`, `1`, `1.5`). */
function cpuMillis(quantity: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(m?)$/.exec(quantity);
  if (!match) return undefined;
  return match[2] === "m" ? Number(match[1]) : Number(match[1]) * 1000;
}

const MEMORY_UNITS: Record<string, number> = {
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** Memory quantity in bytes, or undefined when it is not one (`128Mi`, `1Gi`, `500M`). */
function memoryBytes(quantity: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(quantity);
  if (!match) return undefined;
  return Number(match[1]) * MEMORY_UNITS[match[2] ?? ""];
}

export function validateWorkloadArgs(name: string, args: WorkloadArgs): void {
  const problems = new Problems();
  problems.check(
    DNS_LABEL.test(name) && name.length <= 50,
    "name",
    name,
    "be a DNS-1123 label of at most 50 characters (room for pod name suffixes)",
  );
  problems.check(
    DNS_LABEL.test(args.namespace) &&
      args.namespace !== "default" &&
      !args.namespace.startsWith("kube-"),
    "args.namespace",
    args.namespace,
    "be an application namespace (a DNS-1123 label, not default or kube-*)",
  );
  problems.check(
    isPinnedImage(args.image),
    "args.image",
    args.image,
    'be pinned to a tag other than "latest" or to a digest (repo:1.4.2 or repo@sha256:<64 hex>)',
  );
  problems.integerInRange("args.port", args.port, 1024, 65535);

  for (const kind of ["requests", "limits"] as const) {
    const q = args.resources[kind];
    problems.check(
      cpuMillis(q.cpu) !== undefined && cpuMillis(q.cpu)! > 0,
      `args.resources.${kind}.cpu`,
      q.cpu,
      'be a positive CPU quantity such as "250m" or "1"',
    );
    problems.check(
      memoryBytes(q.memory) !== undefined && memoryBytes(q.memory)! > 0,
      `args.resources.${kind}.memory`,
      q.memory,
      'be a positive memory quantity such as "256Mi" or "1Gi"',
    );
  }
  const { requests, limits } = args.resources;
  const [reqCpu, limCpu] = [cpuMillis(requests.cpu), cpuMillis(limits.cpu)];
  if (reqCpu !== undefined && limCpu !== undefined) {
    problems.check(
      reqCpu <= limCpu,
      "args.resources.requests.cpu",
      requests.cpu,
      `not exceed the CPU limit (${limits.cpu})`,
    );
  }
  const [reqMem, limMem] = [memoryBytes(requests.memory), memoryBytes(limits.memory)];
  if (reqMem !== undefined && limMem !== undefined) {
    problems.check(
      reqMem <= limMem,
      "args.resources.requests.memory",
      requests.memory,
      `not exceed the memory limit (${limits.memory})`,
    );
  }

  const replicas = args.replicas ?? { min: 3, max: 10 };
  const minOk = problems.integerInRange("args.replicas.min", replicas.min, 2, 1000);
  const maxOk = problems.integerInRange("args.replicas.max", replicas.max, 2, 1000);
  if (minOk && maxOk) {
    problems.check(
      replicas.min <= replicas.max,
      "args.replicas.min",
      replicas.min,
      `not exceed args.replicas.max (${replicas.max})`,
    );
  }
  problems.integerInRange(
    "args.autoscaling.cpuPercent",
    args.autoscaling?.cpuPercent ?? 60,
    1,
    100,
  );
  problems.integerInRange(
    "args.autoscaling.memoryPercent",
    args.autoscaling?.memoryPercent ?? 70,
    1,
    100,
  );
  for (const probe of ["livenessPath", "readinessPath"] as const) {
    const path = args.probes?.[probe];
    if (path !== undefined) {
      problems.check(path.startsWith("/"), `args.probes.${probe}`, path, 'start with "/"');
    }
  }
  for (const key of Object.keys(args.env ?? {})) {
    problems.check(
      ENV_NAME.test(key),
      "args.env",
      key,
      "use variable names of letters, digits and _",
    );
  }
  for (const ns of args.allowFrom?.namespaces ?? []) {
    problems.check(DNS_LABEL.test(ns), "args.allowFrom.namespaces", ns, "contain namespace names");
  }
  const cidrLists = [
    ["args.allowFrom.cidrs", args.allowFrom?.cidrs ?? []],
    ["args.ingress.albSourceCidrs", args.ingress?.albSourceCidrs ?? []],
  ] as const;
  for (const [path, cidrs] of cidrLists) {
    for (const cidr of cidrs) {
      problems.check(
        CIDR.test(cidr) && !cidr.endsWith("/0"),
        path,
        cidr,
        "contain IPv4 CIDRs narrower than 0.0.0.0/0 (no workload is open to everything)",
      );
    }
  }
  problems.oneOf("args.delivery", args.delivery ?? "deployment", [
    "deployment",
    "canary",
    "blue-green",
  ]);
  if (args.ingress) {
    problems.check(
      DOMAIN.test(args.ingress.host),
      "args.ingress.host",
      args.ingress.host,
      "be a DNS name",
    );
    problems.check(
      args.ingress.albSourceCidrs.length > 0,
      "args.ingress.albSourceCidrs",
      args.ingress.albSourceCidrs,
      "list the subnets the ALB connects from",
    );
    problems.check(
      (args.ingress.path ?? "/").startsWith("/"),
      "args.ingress.path",
      args.ingress.path,
      'start with "/"',
    );
  }
  problems.integerInRange("args.runAsUser", args.runAsUser ?? 10001, 1000, 2_147_483_647);
  checkGpu(problems, args);
  checkVolumes(problems, args);
  checkScaling(problems, args);
  problems.throwIfAny(`Workload ${name}`);
}

function checkGpu(problems: Problems, args: WorkloadArgs): void {
  if (!args.gpu) return;
  problems.integerInRange("args.gpu.count", args.gpu.count, 1, MAX_GPUS_PER_NODE);
  problems.check(
    args.gpu.pool !== undefined,
    "args.gpu.pool",
    args.gpu.pool,
    "be the cluster's GPU pool (ClusterAddons.gpuPool); this cluster has none (platform:gpuNodeMax is 0)",
  );
}

function checkVolumes(problems: Problems, args: WorkloadArgs): void {
  const volumes = args.volumes ?? [];
  const names = new Set<string>();
  volumes.forEach((volume, i) => {
    const path = `args.volumes[${i}]`;
    problems.check(
      DNS_LABEL.test(volume.name) && volume.name !== "tmp" && !names.has(volume.name),
      `${path}.name`,
      volume.name,
      'be a unique DNS-1123 label other than "tmp"',
    );
    names.add(volume.name);
    problems.check(
      /^\/[\w\-./]*$/.test(volume.mountPath) &&
        volume.mountPath !== "/" &&
        volume.mountPath !== "/tmp",
      `${path}.mountPath`,
      volume.mountPath,
      'be an absolute path other than "/" and "/tmp"',
    );
    if (!problems.integerInRange(`${path}.sizeGiB`, volume.sizeGiB, 1, 65_536)) return;
    const iops = volume.storageClass.provisionedIops;
    if (iops !== undefined) {
      const minimum = minimumGp3SizeGiB(iops);
      problems.check(
        volume.sizeGiB >= minimum,
        `${path}.sizeGiB`,
        volume.sizeGiB,
        `be at least ${minimum}: ${volume.storageClass.name} provisions ${iops} IOPS and gp3 allows at most 500 IOPS per GiB`,
      );
    }
  });
  const perReplica = volumes.some((v) => v.storageClass.accessMode === "ReadWriteOnce");
  if (perReplica) {
    problems.check(
      (args.delivery ?? "deployment") === "deployment",
      "args.delivery",
      args.delivery,
      'be "deployment" when args.volumes has a ReadWriteOnce volume (a StatefulSet; Argo Rollouts manage ReplicaSets only)',
    );
  }
}

const RESOURCE_TRIGGERS = ["cpu", "memory"];

function checkScaling(problems: Problems, args: WorkloadArgs): void {
  const behavior = args.autoscaling?.behavior ?? {};
  for (const direction of ["scaleUp", "scaleDown"] as const) {
    const rules = behavior[direction];
    if (!rules) continue;
    const path = `args.autoscaling.behavior.${direction}`;
    if (rules.stabilizationWindowSeconds !== undefined) {
      // The API's limit: kubernetes autoscaling/v2 HPAScalingRules, at most one hour.
      problems.integerInRange(
        `${path}.stabilizationWindowSeconds`,
        rules.stabilizationWindowSeconds,
        0,
        3600,
      );
    }
    if (rules.selectPolicy !== undefined) {
      problems.oneOf(`${path}.selectPolicy`, rules.selectPolicy, ["Max", "Min", "Disabled"]);
    }
    (rules.policies ?? []).forEach((policy, i) => {
      problems.oneOf(`${path}.policies[${i}].type`, policy.type, ["Pods", "Percent"]);
      problems.integerInRange(`${path}.policies[${i}].value`, policy.value, 1, 10_000);
      // periodSeconds: greater than 0 and at most 1800 (autoscaling/v2 HPAScalingPolicy).
      problems.integerInRange(
        `${path}.policies[${i}].periodSeconds`,
        policy.periodSeconds,
        1,
        1800,
      );
    });
  }

  const events = args.autoscaling?.events;
  if (events) {
    problems.check(
      events.triggers.length > 0,
      "args.autoscaling.events.triggers",
      events.triggers,
      "list at least one KEDA trigger",
    );
    events.triggers.forEach((trigger, i) => {
      problems.check(
        KEDA_SCALERS.includes(trigger.type),
        `args.autoscaling.events.triggers[${i}].type`,
        trigger.type,
        "be a scaler type of KEDA 2.20 (such as aws-sqs-queue, prometheus, cron, cpu)",
      );
    });
    const awsTriggers = events.triggers.filter((t) => t.type.startsWith("aws-"));
    problems.check(
      awsTriggers.length === 0 || events.aws !== undefined,
      "args.autoscaling.events.aws",
      events.aws,
      `give the IAM policy KEDA uses to read the source of ${awsTriggers.map((t) => t.type).join(", ")}`,
    );
    problems.integerInRange(
      "args.autoscaling.events.pollingIntervalSeconds",
      events.pollingIntervalSeconds ?? 30,
      1,
      3600,
    );
    for (const key of ["cpuPercent", "memoryPercent"] as const) {
      problems.check(
        args.autoscaling?.[key] === undefined,
        `args.autoscaling.${key}`,
        args.autoscaling?.[key],
        "be left out with args.autoscaling.events (KEDA's triggers replace the CPU/memory HPA; use a cpu or memory trigger)",
      );
    }
  }

  const vpa = args.verticalPodAutoscaler ?? "Off";
  problems.oneOf("args.verticalPodAutoscaler", vpa, ["Off", "Initial", "Auto", false]);
  if (vpa === "Initial" || vpa === "Auto") {
    const resourceTriggers = events
      ? events.triggers.filter((t) => RESOURCE_TRIGGERS.includes(t.type)).map((t) => t.type)
      : RESOURCE_TRIGGERS;
    problems.check(
      resourceTriggers.length === 0,
      "args.verticalPodAutoscaler",
      vpa,
      `be "Off" or false while ${events ? "args.autoscaling.events has a" : "the HPA of args.autoscaling scales on"} ${resourceTriggers.join(" and ")} ${events ? "trigger" : "utilization"}: the VPA would change the requests that utilization is measured against (scale on other triggers with args.autoscaling.events instead)`,
    );
  }
}
