import { IMAGES, ImagePin } from "@platform/core";
import { imagesInValues, valuesImageReference } from "@platform/model";
import * as assert from "assert";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { alpineShell } from "../../tools/testing/alpine-shell";
import { RECEIVER_SECRET_NAME } from "./alerting";
import { observabilityNetworkPolicies } from "./network-policies";
import {
  blackboxExporterValues,
  DATASOURCE_UIDS,
  fluentBitValues,
  grafanaValues,
  kubePrometheusStackValues,
  lokiValues,
  grafanaRoleMapping,
  otelCollectorValues,
  otelSamplerValues,
  PrometheusStackSettings,
  remoteWriteQueue,
  retentionSize,
  tempoDistributedValues,
} from "./values";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const HOST = "123456789012.dkr.ecr.us-west-2.amazonaws.com";
const STACK: PrometheusStackSettings = {
  registryHost: HOST,
  clusterName: "platform-prod-us-west-2",
  region: "us-west-2",
  agentsNamespace: "monitoring-agents",
  storageClassName: "gp3-encrypted",
  prometheusReplicas: 2,
  retentionDays: 30,
  volumeSizeGiB: 50,
  alertmanagerReplicas: 3,
  receivers: { pagerDuty: true },
  topics: {
    alarmTopicArn: "arn:aws:sns:us-west-2:123456789012:platform-prod-us-west-2-alarms",
    heartbeatTopicArn:
      "arn:aws:sns:us-west-2:123456789012:platform-prod-us-west-2-alertmanager-heartbeat",
    region: "us-west-2",
  },
  alertmanagerRoleArn: "arn:aws:iam::123456789012:role/alertmanager",
};
const ROLE = "arn:aws:iam::123456789012:role/loki";
const restricted = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  privileged: false,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};
const system = {
  nodeSelector: { "platform/node-pool": "system" },
  tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }],
  priorityClassName: "platform-critical",
};
const hasLimits = (r: Any) =>
  ["cpu", "memory"].every((k) => r?.requests?.[k] !== undefined && r?.limits?.[k] !== undefined);

describe("kube-prometheus-stack values", () => {
  const v = kubePrometheusStackValues(STACK) as Any;
  const prom = v.prometheus.prometheusSpec;
  const am = v.alertmanager.alertmanagerSpec;

  it("runs Prometheus HA: 2 replicas on different nodes, 30 days on 50Gi encrypted gp3 each", () => {
    assert.strictEqual(prom.replicas, 2);
    assert.strictEqual(prom.podAntiAffinity, "hard");
    assert.strictEqual(prom.retention, "30d");
    assert.strictEqual(prom.retentionSize, "42GB");
    assert.deepStrictEqual(prom.storageSpec.volumeClaimTemplate.spec, {
      storageClassName: "gp3-encrypted",
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: "50Gi" } },
    });
    assert.deepStrictEqual(v.prometheus.podDisruptionBudget, { enabled: true, minAvailable: 1 });
    assert.strictEqual(retentionSize(100), "85GB");
  });

  it("remote-writes to AMP with SigV4 through Prometheus's IRSA role, deduplicated by replica", () => {
    const rw = kubePrometheusStackValues({
      ...STACK,
      remoteWrite: {
        url: "https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-1/api/v1/remote_write",
        region: "us-west-2",
        roleArn: "arn:aws:iam::123456789012:role/prometheus",
        activeSeries: 150_000,
      },
    }) as Any;
    const spec = rw.prometheus.prometheusSpec;
    assert.strictEqual(spec.remoteWrite.length, 1);
    assert.deepStrictEqual(spec.remoteWrite[0].sigv4, { region: "us-west-2" });
    assert.strictEqual(spec.remoteWrite[0].queueConfig.retryOnRateLimit, true);
    assert.strictEqual(spec.replicaExternalLabelName, "__replica__");
    assert.strictEqual(spec.externalLabels.cluster, "platform-prod-us-west-2");
    assert.deepStrictEqual(rw.prometheus.serviceAccount, {
      create: true,
      name: "prometheus",
      annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/prometheus" },
    });
    assert.strictEqual(prom.remoteWrite, undefined);
  });

  it("sizes the remote-write queue for the series count", () => {
    // 150k series / 30 s = 5,000 samples/s; a shard carries 2 x 2,000 samples/s.
    const q = remoteWriteQueue(150_000);
    assert.deepStrictEqual([q.minShards, q.maxShards, q.capacity], [2, 10, 10_000]);
    const big = remoteWriteQueue(3_000_000);
    assert.deepStrictEqual([big.minShards, big.maxShards], [25, 100]);
    assert.strictEqual(remoteWriteQueue(0).minShards, 1);
  });

  it("runs Alertmanager HA with receiver credentials mounted from the Secret", () => {
    assert.strictEqual(am.replicas, 3);
    assert.strictEqual(am.podAntiAffinity, "hard");
    assert.deepStrictEqual(am.secrets, [RECEIVER_SECRET_NAME]);
    assert.strictEqual(am.storage.volumeClaimTemplate.spec.storageClassName, "gp3-encrypted");
    const critical = v.alertmanager.config.receivers.find((r: Any) => r.name === "critical");
    assert.ok(critical.pagerduty_configs && critical.sns_configs);
    assert.doesNotMatch(JSON.stringify(v), /routing_key"|api_url"|auth_password"/);
  });

  it("annotates Alertmanager's own service account with its IRSA role (SigV4 to SNS)", () => {
    assert.deepStrictEqual(v.alertmanager.serviceAccount, {
      create: true,
      name: "alertmanager",
      annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/alertmanager" },
    });
  });

  it("places Prometheus and Alertmanager on system nodes as platform-critical, non-root", () => {
    for (const spec of [prom, am]) {
      assert.strictEqual(spec.priorityClassName, "platform-critical");
      assert.deepStrictEqual(spec.nodeSelector, system.nodeSelector);
      assert.deepStrictEqual(spec.tolerations, system.tolerations);
      assert.ok(hasLimits(spec.resources));
      assert.strictEqual(spec.securityContext.runAsNonRoot, true);
      assert.deepStrictEqual(spec.securityContext.seccompProfile, { type: "RuntimeDefault" });
    }
    assert.deepStrictEqual(v.prometheusOperator.containerSecurityContext, restricted);
    assert.deepStrictEqual(v["kube-state-metrics"].containerSecurityContext, restricted);
  });

  it("leaves Grafana to its own release but ships the stack's dashboards", () => {
    assert.strictEqual(v.grafana.enabled, false);
    assert.strictEqual(v.grafana.forceDeployDashboards, true);
  });

  it("selects rules and monitors from every namespace and skips EKS-managed control plane", () => {
    for (const key of [
      "ruleSelectorNilUsesHelmValues",
      "serviceMonitorSelectorNilUsesHelmValues",
      "podMonitorSelectorNilUsesHelmValues",
      "probeSelectorNilUsesHelmValues",
    ]) {
      assert.strictEqual(prom[key], false, key);
    }
    for (const key of ["kubeControllerManager", "kubeScheduler", "kubeEtcd", "kubeProxy"]) {
      assert.deepStrictEqual(v[key], { enabled: false }, key);
    }
  });

  it("puts the node exporter in the agents namespace", () => {
    assert.strictEqual(v["prometheus-node-exporter"].namespaceOverride, "monitoring-agents");
    assert.deepStrictEqual(v["prometheus-node-exporter"].tolerations, [{ operator: "Exists" }]);
  });
});

describe("chart values", () => {
  const loki = lokiValues({
    registryHost: HOST,
    region: "us-west-2",
    bucketName: "logs-bucket",
    roleArn: ROLE,
    retentionDays: 30,
    replicas: 3,
    storageClassName: "gp3-encrypted",
  }) as Any;
  const tempo = tempoDistributedValues({
    registryHost: HOST,
    region: "us-west-2",
    bucketName: "traces-bucket",
    roleArn: ROLE,
    retentionDays: 14,
    storageClassName: "gp3-encrypted",
    replicas: 2,
  }) as Any;
  const grafana = grafanaValues({
    registryHost: HOST,
    namespace: "monitoring",
    region: "us-west-2",
    roleArn: ROLE,
    replicas: 1,
  }) as Any;
  const DB_SECRET =
    "arn:aws:secretsmanager:us-west-2:123456789012:secret:p/postgres/users/grafana-AbC";
  const AMP_URL = "https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-1/";
  const haGrafana = grafanaValues({
    registryHost: HOST,
    namespace: "monitoring",
    region: "us-west-2",
    roleArn: ROLE,
    replicas: 2,
    database: {
      host: "db.example.internal:5432",
      name: "grafana",
      secretArn: DB_SECRET,
    },
    oidc: {
      issuer: "https://idp.example.com",
      clientId: "grafana",
      authUrl: "https://idp.example.com/authorize",
      tokenUrl: "https://idp.example.com/token",
      userInfoUrl: "https://idp.example.com/userinfo",
      adminGroups: ["sre"],
      editorGroups: ["dev"],
    },
    managedPrometheusUrl: AMP_URL,
  }) as Any;

  it("Loki keeps 30 days in S3 through IRSA, 3 replicas with replication factor 3", () => {
    assert.strictEqual(loki.deploymentMode, "Monolithic");
    assert.strictEqual(loki.singleBinary.replicas, 3);
    assert.strictEqual(loki.loki.commonConfig.replication_factor, 3);
    assert.strictEqual(loki.loki.limits_config.retention_period, "720h");
    assert.strictEqual(loki.loki.compactor.retention_enabled, true);
    assert.deepStrictEqual(loki.loki.storage.bucketNames, {
      chunks: "logs-bucket",
      ruler: "logs-bucket",
    });
    assert.strictEqual(loki.loki.storage.s3.accessKeyId, undefined);
    assert.strictEqual(loki.serviceAccount.annotations["eks.amazonaws.com/role-arn"], ROLE);
    assert.deepStrictEqual(loki.loki.containerSecurityContext, restricted);
    for (const target of ["read", "write", "backend"]) assert.strictEqual(loki[target].replicas, 0);
  });

  it("Tempo runs distributed: every component at least 2 replicas over zones, traces in S3", () => {
    for (const c of ["distributor", "querier", "queryFrontend", "compactor"]) {
      assert.strictEqual(tempo[c].replicas, 2, c);
      assert.match(tempo[c].topologySpreadConstraints, /topology\.kubernetes\.io\/zone/, c);
      assert.strictEqual(tempo[c].podDisruptionBudget.enabled, true, c);
    }
    assert.strictEqual(tempo.ingester.replicas, 3);
    assert.strictEqual(tempo.ingester.config.replication_factor, 3);
    assert.strictEqual(tempo.storage.trace.backend, "s3");
    assert.deepStrictEqual(tempo.storage.trace.s3, {
      bucket: "traces-bucket",
      endpoint: "s3.us-west-2.amazonaws.com",
      region: "us-west-2",
    });
    assert.strictEqual(tempo.compactor.config.compaction.block_retention, "336h");
    assert.strictEqual(tempo.serviceAccount.annotations["eks.amazonaws.com/role-arn"], ROLE);
    assert.strictEqual(tempo.traces.otlp.grpc.enabled, true);
  });

  it("Grafana HA: 2 replicas over zones, a PDB, PostgreSQL, secrets from Secrets only", () => {
    assert.strictEqual(haGrafana.replicas, 2);
    assert.deepStrictEqual(haGrafana.podDisruptionBudget, { minAvailable: 1 });
    assert.strictEqual(
      haGrafana.topologySpreadConstraints[0].topologyKey,
      "topology.kubernetes.io/zone",
    );
    const ini = haGrafana["grafana.ini"];
    assert.strictEqual(ini.database.type, "postgres");
    assert.strictEqual(ini.database.host, "db.example.internal:5432");
    assert.strictEqual(ini.database.migration_locking, true);
    assert.strictEqual(ini.database.password, undefined);
    assert.strictEqual(ini.database.user, undefined);
    assert.strictEqual(haGrafana.envValueFrom.GF_DATABASE_PASSWORD, undefined);
    // Only the OIDC client secret comes from a Kubernetes Secret.
    assert.deepStrictEqual(Object.keys(haGrafana.envValueFrom), [
      "GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET",
      "POD_IP",
    ]);
    assert.deepStrictEqual(haGrafana.env, {
      GF_DATABASE_USER__FILE: "/run/grafana-database/username",
      GF_DATABASE_PASSWORD__FILE: "/run/grafana-database/password",
    });
    assert.deepStrictEqual(haGrafana.envValueFrom.GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET, {
      secretKeyRef: { name: "grafana-oidc", key: "client-secret" },
    });
    assert.strictEqual(haGrafana.headlessService, true);
    // One replica without a database: no PDB, no spread (nothing to spread).
    assert.strictEqual(grafana.replicas, 1);
    assert.strictEqual(grafana.podDisruptionBudget, undefined);
    assert.strictEqual(grafana["grafana.ini"].database, undefined);
  });

  it("Grafana reads its rotated database credentials from Secrets Manager at start, into memory", () => {
    const [read, split] = haGrafana.extraInitContainers;
    assert.strictEqual(read.image, `${HOST}/ecr-public/aws-cli/aws-cli:${IMAGES.awsCli.tag}`);
    assert.match(read.args[0], /--secret-id 'arn:aws:secretsmanager:[^']+grafana-AbC'/);
    assert.match(read.args[0], /--region us-west-2 /);
    assert.strictEqual(
      split.image,
      `${HOST}/ecr-public/docker/library/busybox:${IMAGES.busybox.tag}`,
    );
    // No field is left behind as JSON, and an empty one fails the pod instead of starting Grafana.
    assert.match(split.args[0], /rm \/run\/grafana-database\/secret\.json/);
    assert.match(split.args[0], /test -s \/run\/grafana-database\/username && test -s/);
    for (const c of [read, split]) {
      assert.match(c.args[0], /^umask 077/, c.name);
      assert.strictEqual(c.securityContext.readOnlyRootFilesystem, true, c.name);
      // The chart passes extraInitContainers through tpl: no template braces in them.
      assert.ok(!JSON.stringify(c).includes("{{"), c.name);
    }
    assert.deepStrictEqual(haGrafana.extraVolumes, [
      { name: "database-credentials", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
    ]);
    assert.deepStrictEqual(haGrafana.extraVolumeMounts, [
      { name: "database-credentials", mountPath: "/run/grafana-database", readOnly: true },
    ]);
    assert.strictEqual(grafana.extraInitContainers, undefined);
    assert.strictEqual(grafana.env, undefined);
  });

  describe("Grafana's credential split, run as the image runs it (busybox where installed)", function () {
    const shell = alpineShell();
    /** The init container's script over a secret as the AWS CLI writes it (text, a newline). */
    function split(secret: string) {
      const dir = mkdtempSync(join(tmpdir(), "grafana-database-"));
      writeFileSync(join(dir, "secret.json"), `${secret}\n`);
      const [, splitter] = haGrafana.extraInitContainers;
      const result = shell.run(splitter.args[0].replaceAll("/run/grafana-database", dir), {});
      const read = (f: string) =>
        existsSync(join(dir, f)) ? readFileSync(join(dir, f), "utf8") : undefined;
      return {
        ...result,
        username: read("username"),
        password: read("password"),
        json: read("secret.json"),
      };
    }

    it("leaves the user and the password, a file each, and removes the JSON", () => {
      const r = split(
        '{"engine":"postgres","host":"db","username":"grafana_clone","password":"Alnum40chars"}',
      );
      assert.strictEqual(r.status, 0, r.stderr);
      // run.sh reads them with $(< file), which drops the trailing newline.
      assert.deepStrictEqual(
        [r.username, r.password, r.json],
        ["grafana_clone\n", "Alnum40chars\n", undefined],
      );
    });

    it("fails the pod on a secret without a password instead of starting Grafana", () => {
      const r = split('{"engine":"postgres","username":"grafana"}');
      assert.notStrictEqual(r.status, 0);
    });
  });

  it("Grafana SSO: OIDC from settings, roles from groups, local login off", () => {
    const ini = haGrafana["grafana.ini"];
    const oauth = ini["auth.generic_oauth"];
    assert.strictEqual(oauth.enabled, true);
    assert.strictEqual(oauth.client_id, "grafana");
    assert.strictEqual(oauth.client_secret, undefined);
    assert.strictEqual(oauth.auth_url, "https://idp.example.com/authorize");
    assert.strictEqual(
      oauth.role_attribute_path,
      "contains(groups[*], 'sre') && 'Admin' || contains(groups[*], 'dev') && 'Editor' || 'Viewer'",
    );
    assert.strictEqual(ini.auth.disable_login_form, true);
    assert.strictEqual(ini["auth.basic"].enabled, false);
    assert.strictEqual(grafana["grafana.ini"].auth.disable_login_form, undefined);
    assert.strictEqual(grafanaRoleMapping({ adminGroups: [], editorGroups: [] }), "'Viewer'");
  });

  it("Grafana reads AMP as a second Prometheus data source, signed with SigV4", () => {
    const amp = haGrafana.datasources["datasources.yaml"].datasources.find(
      (d: Any) => d.uid === DATASOURCE_UIDS.managedPrometheus,
    );
    assert.strictEqual(amp.type, "prometheus");
    assert.strictEqual(amp.url, AMP_URL);
    assert.deepStrictEqual(
      [amp.jsonData.sigV4Auth, amp.jsonData.sigV4AuthType, amp.jsonData.sigV4Region],
      [true, "default", "us-west-2"],
    );
    assert.strictEqual(haGrafana["grafana.ini"].auth.sigv4_auth_enabled, true);
  });

  it("Grafana reads its admin credentials from a Secret and provisions every data source", () => {
    assert.deepStrictEqual(grafana.admin, {
      existingSecret: "grafana-admin",
      userKey: "admin-user",
      passwordKey: "admin-password",
    });
    assert.strictEqual(grafana.adminPassword, undefined);
    const sources = grafana.datasources["datasources.yaml"].datasources;
    assert.deepStrictEqual(
      sources.map((d: Any) => [d.uid, d.type, d.url]),
      [
        ["prometheus", "prometheus", "http://kube-prometheus-stack-prometheus.monitoring.svc:9090"],
        ["loki", "loki", "http://loki.monitoring.svc:3100"],
        ["tempo", "tempo", "http://tempo-query-frontend.monitoring.svc:3200"],
        [
          "alertmanager",
          "alertmanager",
          "http://kube-prometheus-stack-alertmanager.monitoring.svc:9093",
        ],
        ["cloudwatch", "cloudwatch", undefined],
      ],
    );
    assert.deepStrictEqual(
      sources.map((d: Any) => d.uid),
      Object.values(DATASOURCE_UIDS).filter((uid) => uid !== DATASOURCE_UIDS.managedPrometheus),
    );
    assert.strictEqual(grafana.initChownData.enabled, false);
    assert.deepStrictEqual(grafana.containerSecurityContext, restricted);
  });

  it("the blackbox exporter probes the given HTTPS targets only when there are some", () => {
    const none = blackboxExporterValues(HOST, []) as Any;
    assert.strictEqual(none.serviceMonitor.enabled, false);
    const some = blackboxExporterValues(HOST, [
      { name: "api", url: "https://api.example.com/healthz" },
    ]) as Any;
    assert.strictEqual(some.serviceMonitor.enabled, true);
    assert.deepStrictEqual(some.serviceMonitor.targets, [
      { name: "api", url: "https://api.example.com/healthz" },
    ]);
    assert.strictEqual(some.config.modules.https_2xx.http.fail_if_not_ssl, true);
  });

  it("the gateway collector receives OTLP only and routes each trace to one sampler", () => {
    const otel = otelCollectorValues(HOST, "monitoring") as Any;
    for (const port of ["jaeger-compact", "jaeger-thrift", "jaeger-grpc", "zipkin"]) {
      assert.strictEqual(otel.ports[port].enabled, false, port);
    }
    assert.strictEqual(otel.mode, "deployment");
    assert.deepStrictEqual(otel.config.service.pipelines.traces.exporters, ["loadbalancing"]);
    assert.deepStrictEqual(otel.config.service.pipelines.metrics.exporters, ["prometheus"]);
    assert.deepStrictEqual(otel.config.service.pipelines.logs.exporters, ["otlphttp/loki"]);
    const lb = otel.config.exporters.loadbalancing;
    assert.strictEqual(lb.routing_key, "traceID");
    assert.strictEqual(
      lb.resolver.dns.hostname,
      "otel-sampler-headless.monitoring.svc.cluster.local",
    );
    // Tail sampling and load balancing ship in the contrib distribution only.
    assert.deepStrictEqual(otel.image, {
      repository: `${HOST}/docker-hub/otel/opentelemetry-collector-contrib`,
      tag: IMAGES.otelCollectorContrib.tag,
    });
    assert.strictEqual(otel.command.name, "otelcol-contrib");
  });

  it("the sampler keeps every error, every trace over the latency bound and a share of the rest", () => {
    const sampler = otelSamplerValues(HOST, "monitoring", {
      latencyThresholdMs: 100,
      percentage: 10,
    }) as Any;
    assert.strictEqual(sampler.replicaCount, 2);
    assert.strictEqual(sampler.command.name, "otelcol-contrib");
    assert.deepStrictEqual(sampler.config.service.pipelines.traces.processors, [
      "memory_limiter",
      "tail_sampling",
      "batch",
    ]);
    const policies = sampler.config.processors.tail_sampling.policies;
    assert.deepStrictEqual(
      policies.map((p: Any) => p.type),
      ["status_code", "latency", "probabilistic"],
    );
    assert.deepStrictEqual(policies[0].status_code.status_codes, ["ERROR"]);
    assert.strictEqual(policies[1].latency.threshold_ms, 100);
    assert.strictEqual(policies[2].probabilistic.sampling_percentage, 10);
    assert.strictEqual(
      sampler.config.exporters["otlp/tempo"].endpoint,
      "tempo-distributor.monitoring.svc:4317",
    );
  });

  it("fluent-bit reads host logs read-only, with no capability, and ships them to Loki", () => {
    const fb = fluentBitValues({
      registryHost: HOST,
      clusterName: "c",
      monitoringNamespace: "monitoring",
    }) as Any;
    assert.deepStrictEqual(fb.securityContext.capabilities, { drop: ["ALL"] });
    assert.strictEqual(fb.securityContext.privileged, false);
    assert.strictEqual(fb.securityContext.readOnlyRootFilesystem, true);
    assert.deepStrictEqual(fb.daemonSetVolumeMounts[0], {
      name: "varlog",
      mountPath: "/var/log",
      readOnly: true,
    });
    assert.match(fb.config.outputs, /Name loki\n\s+Match kube\.\*\n\s+Host loki\.monitoring\.svc/);
  });

  const all = {
    "kube-prometheus-stack": kubePrometheusStackValues(STACK),
    loki,
    tempo,
    grafana,
    "blackbox-exporter": blackboxExporterValues(HOST, []),
    "otel-collector": otelCollectorValues(HOST, "monitoring"),
    "otel-sampler": otelSamplerValues(HOST, "monitoring", {
      latencyThresholdMs: 100,
      percentage: 10,
    }),
    "fluent-bit": fluentBitValues({
      registryHost: HOST,
      clusterName: "c",
      monitoringNamespace: "monitoring",
    }),
  };

  it("every image the values set is a table image, through the stack's cache", () => {
    const table = new Set(
      Object.values(IMAGES as Record<string, ImagePin>).map(
        (pin) => `${HOST}/${pin.upstream}/${pin.repository}:${pin.tag}`,
      ),
    );
    const images = Object.entries(all).flatMap(([chart, values]) =>
      imagesInValues(values).map(
        (image) => `${chart} ${image.path}: ${valuesImageReference(image)}`,
      ),
    );
    assert.ok(images.length >= 20, `${images.length} images`);
    const elsewhere = images.filter((i) => !table.has(i.split(": ")[1]));
    assert.deepStrictEqual(elsewhere, []);
  });

  it("overrides what the charts compose beyond an image's own fields", () => {
    const stack = all["kube-prometheus-stack"] as Any;
    // The chart would append `-distroless` to the table's tag, which already carries it.
    assert.strictEqual(stack["prometheus-node-exporter"].image.distroless, false);
    assert.match(IMAGES.nodeExporter.tag, /-distroless$/);
    // tempo-distributed puts global.image.registry (default docker.io) before each image's own.
    assert.strictEqual(tempo.global.image.registry, `${HOST}/docker-hub`);
    assert.strictEqual(IMAGES.tempo.upstream, "docker-hub");
  });

  it("every chart sets requests and limits", () => {
    const resources: Any[] = [];
    const walk = (value: Any, key = "") => {
      // Container resources (PVC templates also have `resources`, with storage requests only).
      if (key === "resources" && value?.requests && !("storage" in value.requests))
        resources.push(value);
      if (value && typeof value === "object")
        for (const [k, v] of Object.entries(value)) walk(v, k);
    };
    Object.values(all).forEach((v) => walk(v));
    assert.ok(resources.length >= 13, `${resources.length} resource blocks`);
    for (const r of resources) assert.ok(hasLimits(r), JSON.stringify(r));
  });
});

describe("observability network policies", () => {
  const policies = observabilityNetworkPolicies({
    namespace: "monitoring",
    agentsNamespace: "monitoring-agents",
    apiServerCidrs: ["10.10.0.0/16", "172.20.0.1/32"],
    vpcCidr: "10.10.0.0/16",
    queryNamespaces: ["argo-rollouts"],
  });
  const byName = (name: string) => policies.find((p) => p.name === name)!.spec as Any;

  it("gives every component a policy for both directions", () => {
    assert.deepStrictEqual(
      policies.map((p) => `${p.namespace}/${p.name}`),
      [
        "monitoring/prometheus",
        "monitoring/alertmanager",
        "monitoring/prometheus-operator",
        "monitoring/prometheus-admission-jobs",
        "monitoring/kube-state-metrics",
        "monitoring/grafana",
        "monitoring/loki",
        "monitoring/tempo",
        "monitoring/otel-collector",
        "monitoring/otel-sampler",
        "monitoring/blackbox-exporter",
        "monitoring-agents/fluent-bit",
      ],
    );
    for (const p of policies) {
      assert.deepStrictEqual((p.spec as Any).policyTypes, ["Ingress", "Egress"], p.name);
    }
  });

  it("never admits ingress from outside the cluster's networks", () => {
    const text = JSON.stringify(policies.map((p) => (p.spec as Any).ingress));
    assert.doesNotMatch(text, /0\.0\.0\.0\/0/);
  });

  it("admits only the needed peers and ports", () => {
    const loki = byName("loki");
    assert.deepStrictEqual(loki.ingress[0].ports, [{ protocol: "TCP", port: 3100 }]);
    assert.deepStrictEqual(loki.ingress[0].from[0], {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring-agents" } },
      podSelector: { matchLabels: { "app.kubernetes.io/name": "fluent-bit" } },
    });
    const prometheus = byName("prometheus");
    assert.deepStrictEqual(prometheus.ingress[0].from[1], {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "argo-rollouts" } },
    });
    const alertmanager = byName("alertmanager");
    assert.deepStrictEqual(alertmanager.egress[1].ports, [
      { protocol: "TCP", port: 443 },
      { protocol: "TCP", port: 587 },
    ]);
    assert.deepStrictEqual(alertmanager.egress[1].to[0].ipBlock.except, [
      "10.0.0.0/8",
      "172.16.0.0/12",
      "192.168.0.0/16",
    ]);
    const otel = byName("otel-collector");
    assert.deepStrictEqual(otel.ingress[0], {
      from: [{ namespaceSelector: {} }],
      ports: [
        { protocol: "TCP", port: 4317 },
        { protocol: "TCP", port: 4318 },
      ],
    });
  });
});
