/** Checks of the add-ons' and a Workload's arguments, each reporting every problem at once. */
import { Problems } from "@platform/core";
import { ClusterAddonsArgs, WorkloadArgs } from "./args";
import { requestsPerWindow, WAF_EVALUATION_WINDOWS, WAF_RATE_LIMIT_RANGE } from "./ingress";

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
  problems.throwIfAny(`Workload ${name}`);
}
