import * as assert from "assert";
import { CHARTS } from "../components/core";
import { RecordedResource, SECRET_SIG, SIG_KEY } from "../tools/mock-engine";
import { named, policyResults, resultsOn, runStack, StackRun } from "../tools/testing";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Wire = Record<string, any>;
const inputs = (r: RecordedResource) => r.inputs as Wire;
const isWireSecret = (v: unknown) =>
  typeof v === "object" && v !== null && (v as Wire)[SIG_KEY] === SECRET_SIG;
const COMPONENT = "platform:observability:Observability";
const RELEASE_ORDER = [
  "kube-prometheus-stack",
  "loki",
  "tempo",
  "grafana",
  "otel-sampler",
  "otel-collector",
  "blackbox-exporter",
  "fluent-bit",
].map((r) => `observability-${r}`);

const STACKS = {
  "prod-us-west-2": {
    region: "us-west-2",
    probes: [
      "https://us.platform.example.com/healthz",
      "https://us-west-2.platform.example.com/healthz",
    ],
  },
  "prod-eu-west-1": {
    region: "eu-west-1",
    probes: [
      "https://eu.platform.example.com/healthz",
      "https://eu-west-1.platform.example.com/healthz",
    ],
  },
} as const;

for (const [stack, expected] of Object.entries(STACKS)) {
  const cluster = `platform-${stack}`;
  describe(`observability of ${stack}`, function () {
    let run: StackRun;
    let children: RecordedResource[];
    const ofMine = (type: string) => children.filter((r) => r.type === type);

    before(async () => {
      run = await runStack({ stack });
      assert.strictEqual(run.resources.filter((r) => r.type === COMPONENT).length, 1);
      children = run.resources.filter((r) => r.urn.includes(`${COMPONENT}$`));
    });

    it("installs every chart at its pinned version, in the monitoring namespaces", () => {
      const releases = ofMine("kubernetes:helm.sh/v3:Release")
        .sort((a, b) => RELEASE_ORDER.indexOf(a.name) - RELEASE_ORDER.indexOf(b.name))
        .map((r) => {
          const i = inputs(r);
          return [r.name, i.chart, i.version, i.repositoryOpts.repo, i.namespace];
        });
      const pin = (c: { chart: string; version: string; repository: string }) => [
        c.chart,
        c.version,
        c.repository,
      ];
      assert.deepStrictEqual(releases, [
        ["observability-kube-prometheus-stack", ...pin(CHARTS.kubePrometheusStack), "monitoring"],
        ["observability-loki", ...pin(CHARTS.loki), "monitoring"],
        ["observability-tempo", ...pin(CHARTS.tempoDistributed), "monitoring"],
        ["observability-grafana", ...pin(CHARTS.grafana), "monitoring"],
        ["observability-otel-sampler", ...pin(CHARTS.opentelemetryCollector), "monitoring"],
        ["observability-otel-collector", ...pin(CHARTS.opentelemetryCollector), "monitoring"],
        [
          "observability-blackbox-exporter",
          ...pin(CHARTS.prometheusBlackboxExporter),
          "monitoring",
        ],
        ["observability-fluent-bit", ...pin(CHARTS.fluentBit), "monitoring-agents"],
      ]);
      assert.deepStrictEqual(
        [CHARTS.kubePrometheusStack.version, CHARTS.loki.version, CHARTS.tempoDistributed.version],
        ["88.5.3", "18.11.0", "2.9.0"],
      );
      assert.strictEqual(CHARTS.grafana.version, "12.11.1");
    });

    it("runs HA Prometheus with 30 days on 50Gi encrypted volumes and HA Alertmanager", () => {
      const values = inputs(named(run, "observability-kube-prometheus-stack")).values;
      const prom = values.prometheus.prometheusSpec;
      assert.strictEqual(prom.replicas, 2);
      assert.strictEqual(prom.retention, "30d");
      assert.strictEqual(
        prom.storageSpec.volumeClaimTemplate.spec.resources.requests.storage,
        "50Gi",
      );
      assert.strictEqual(prom.externalLabels.cluster, cluster);
      assert.strictEqual(prom.externalLabels.region, expected.region);
      assert.strictEqual(values.alertmanager.alertmanagerSpec.replicas, 3);
      assert.strictEqual(
        values.alertmanager.alertmanagerSpec.priorityClassName,
        "platform-critical",
      );
    });

    it("probes the failover name and the region's endpoint when no probe URL is configured", () => {
      const blackbox = inputs(named(run, "observability-blackbox-exporter")).values;
      assert.strictEqual(blackbox.serviceMonitor.enabled, true);
      assert.deepStrictEqual(
        blackbox.serviceMonitor.targets.map((t: Wire) => t.url),
        expected.probes,
      );
    });

    it("encrypts the stores' volumes with the cluster's volume key", () => {
      const [sc] = ofMine("kubernetes:storage.k8s.io/v1:StorageClass");
      const i = inputs(sc);
      assert.strictEqual(i.metadata.name, "gp3-encrypted");
      assert.strictEqual(i.provisioner, "ebs.csi.aws.com");
      assert.strictEqual(i.parameters.type, "gp3");
      assert.strictEqual(i.parameters.encrypted, "true");
      assert.match(i.parameters.kmsKeyId, new RegExp(`^arn:aws:kms:${expected.region}:`));
      assert.strictEqual(i.reclaimPolicy, "Retain");
    });

    it("puts workloads in a restricted namespace and host agents in a privileged one", () => {
      const namespaces = ofMine("kubernetes:core/v1:Namespace")
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((r) => [
          inputs(r).metadata.name,
          inputs(r).metadata.labels["pod-security.kubernetes.io/enforce"],
        ]);
      assert.deepStrictEqual(namespaces, [
        ["monitoring", "restricted"],
        ["monitoring-agents", "privileged"],
      ]);
      // Default deny and DNS from the baseline, plus one policy per component.
      // Two more for the database setup Job and Grafana's weekly restart.
      assert.strictEqual(ofMine("kubernetes:networking.k8s.io/v1:NetworkPolicy").length, 4 + 14);
    });

    it("keeps credentials in Secrets: receivers and a generated Grafana admin password", () => {
      const secrets = ofMine("kubernetes:core/v1:Secret").sort((a, b) =>
        a.name.localeCompare(b.name),
      );
      assert.deepStrictEqual(
        secrets.map((s) => inputs(s).metadata.name),
        ["alertmanager-receivers", "grafana-admin"],
      );
      assert.ok(isWireSecret(inputs(secrets[0]).stringData), "receiver data must be secret");
      const passwords = ofMine("random:index/randomPassword:RandomPassword");
      assert.deepStrictEqual(
        passwords.map((p) => [p.name, inputs(p).length]),
        [["observability-grafana-admin-password", 32]],
      );
      const grafana = inputs(named(run, "observability-grafana")).values;
      assert.strictEqual(grafana.admin.existingSecret, "grafana-admin");
    });

    it("runs Grafana HA on its PostgreSQL database, 2 replicas over zones with a PDB", () => {
      const grafana = inputs(named(run, "observability-grafana")).values;
      assert.strictEqual(grafana.replicas, 2);
      assert.deepStrictEqual(grafana.podDisruptionBudget, { minAvailable: 1 });
      const db = grafana["grafana.ini"].database;
      assert.strictEqual(db.type, "postgres");
      assert.match(db.host, /:5432$/);
      assert.strictEqual(db.name, "grafana");
      // The user and password come from the data tier's rotated secret, read when a pod starts.
      assert.strictEqual(grafana.envValueFrom.GF_DATABASE_PASSWORD, undefined);
      assert.strictEqual(grafana.env.GF_DATABASE_USER__FILE, "/run/grafana-database/username");
      const userSecret = (run.outputs.postgresUserSecretArns as Record<string, string>).grafana;
      assert.ok(grafana.extraInitContainers[0].args[0].includes(`--secret-id '${userSecret}'`));
      const read = named(run, "observability-grafana-database-secret");
      assert.ok(
        named(run, "observability-grafana").dependencies.includes(read.urn),
        "Grafana starts once its role may read the secret",
      );
      const statements = JSON.parse(inputs(read).policy).Statement;
      assert.deepStrictEqual(statements[0].Resource, [userSecret]);
      // Grafana's own IRSA role (auto-named from its logical name).
      assert.match(inputs(read).role, /^observability-grafana-role-[0-9a-f]+$/);
    });

    it("restarts Grafana weekly with RBAC on its Deployment only, so no pod outlives its credential", () => {
      const cron = named(run, "observability-grafana-restart");
      assert.strictEqual(cron.type, "kubernetes:batch/v1:CronJob");
      assert.strictEqual(inputs(cron).spec.schedule, "0 4 * * 1");
      const role = inputs(named(run, "observability-grafana-restart-role"));
      assert.deepStrictEqual(role.rules, [
        {
          apiGroups: ["apps"],
          resources: ["deployments"],
          resourceNames: ["grafana"],
          verbs: ["get", "patch"],
        },
      ]);
      const policy = ofMine("kubernetes:networking.k8s.io/v1:NetworkPolicy").find(
        (p) => inputs(p).metadata.name === "grafana-restart",
      )!;
      assert.deepStrictEqual(inputs(policy).spec.ingress, []);
      assert.strictEqual(inputs(policy).spec.egress.length, 1);
    });

    it("creates Grafana's database by a Job Grafana waits for, reading the master and user secrets only", () => {
      const job = named(run, "observability-grafana-database-setup");
      assert.strictEqual(job.type, "kubernetes:batch/v1:Job");
      const pod = inputs(job).spec.template.spec;
      for (const c of [...pod.initContainers, ...pod.containers])
        assert.match(c.image, /^123456789012\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/ecr-public\//);
      assert.ok(
        named(run, "observability-grafana").dependencies.includes(job.urn),
        "Grafana must wait for the setup Job",
      );
      const role = named(run, "observability-grafana-database-setup-role-policy");
      const statements = JSON.parse(inputs(role).policy).Statement;
      assert.deepStrictEqual(
        statements.map((s: Wire) => s.Action),
        ["secretsmanager:GetSecretValue", "kms:Decrypt"],
      );
      assert.deepStrictEqual(statements[0].Resource, [
        run.outputs.postgresMasterSecretArn,
        (run.outputs.postgresUserSecretArns as Record<string, string>).grafana,
      ]);
    });

    it("keeps metrics 400 days in a KMS-encrypted, logged AMP workspace Prometheus writes to", () => {
      const [workspace] = ofMine("aws:amp/workspace:Workspace");
      assert.ok(workspace.options.protect);
      assert.ok(inputs(workspace).kmsKeyArn, "customer key");
      assert.ok(inputs(workspace).loggingConfiguration.logGroupArn, "logging");
      const [config] = ofMine("aws:amp/workspaceConfiguration:WorkspaceConfiguration");
      assert.strictEqual(inputs(config).retentionPeriodInDays, 400);
      const [logs] = ofMine("aws:cloudwatch/logGroup:LogGroup").filter((l) =>
        String(inputs(l).name).startsWith("/aws/vendedlogs/prometheus/"),
      );
      assert.strictEqual(inputs(logs).retentionInDays, 365);
      const prom = inputs(named(run, "observability-kube-prometheus-stack")).values.prometheus;
      assert.deepStrictEqual(prom.prometheusSpec.remoteWrite[0].sigv4, { region: expected.region });
      const role = JSON.parse(
        inputs(named(run, "observability-prometheus-role-policy")).policy,
      ).Statement;
      assert.deepStrictEqual(
        role.map((st: Wire) => st.Action),
        ["aps:RemoteWrite"],
      );
    });

    it("runs Tempo distributed and samples traces at the tail behind a load-balancing gateway", () => {
      const tempo = inputs(named(run, "observability-tempo")).values;
      for (const c of ["distributor", "ingester", "querier", "queryFrontend", "compactor"])
        assert.ok(tempo[c].replicas >= 2, c);
      const sampler = inputs(named(run, "observability-otel-sampler")).values;
      assert.deepStrictEqual(
        sampler.config.processors.tail_sampling.policies.map((p: Wire) => p.name),
        ["errors", "slow", "share-of-the-rest"],
      );
      const gateway = inputs(named(run, "observability-otel-collector")).values;
      assert.deepStrictEqual(gateway.config.service.pipelines.traces.exporters, ["loadbalancing"]);
      const headless = inputs(named(run, "observability-otel-sampler-headless"));
      assert.strictEqual(headless.spec.clusterIP, "None");
    });

    it("stores logs and traces in protected, KMS-encrypted, versioned, TLS-only buckets", () => {
      const buckets = ofMine("aws:s3/bucket:Bucket");
      assert.deepStrictEqual(
        buckets.map((b) => [inputs(b).bucket, b.options.protect]),
        [
          [`${cluster}-loki-123456789012`, true],
          [`${cluster}-tempo-123456789012`, true],
        ],
      );
      for (const key of ofMine("aws:kms/key:Key")) {
        assert.strictEqual(key.options.protect, true);
        assert.strictEqual(inputs(key).enableKeyRotation, true);
      }
      for (const sse of ofMine(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      )) {
        const rule = inputs(sse).rules[0];
        assert.strictEqual(rule.applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
        assert.strictEqual(rule.bucketKeyEnabled, true);
      }
      for (const block of ofMine("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")) {
        const i = inputs(block);
        assert.ok(
          i.blockPublicAcls && i.blockPublicPolicy && i.ignorePublicAcls && i.restrictPublicBuckets,
        );
      }
      for (const policy of ofMine("aws:s3/bucketPolicy:BucketPolicy")) {
        assert.match(inputs(policy).policy, /"aws:SecureTransport":"false"/);
      }
      const lifecycles = ofMine(
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      ).map((l) => inputs(l).rules[0].expiration.days);
      assert.deepStrictEqual(lifecycles, [37, 37]);
      assert.strictEqual(
        ofMine("aws:s3/bucketVersioning:BucketVersioning").filter(
          (v) => inputs(v).versioningConfiguration.status === "Enabled",
        ).length,
        2,
      );
    });

    it("gives Loki and Tempo IRSA roles limited to their own bucket", () => {
      for (const store of ["loki", "tempo"]) {
        const role = named(run, `observability-${store}-role`);
        const trust = JSON.parse(inputs(role).assumeRolePolicy);
        const condition = trust.Statement[0].Condition.StringEquals;
        assert.ok(
          Object.values(condition).includes(`system:serviceaccount:monitoring:${store}`),
          JSON.stringify(condition),
        );
        const policy = JSON.parse(inputs(named(run, `observability-${store}-role-policy`)).policy);
        const resources = policy.Statement.flatMap((s: Wire) => [s.Resource].flat());
        for (const r of resources.filter((x: string) => x.startsWith("arn:aws:s3"))) {
          assert.match(r, new RegExp(`^arn:aws:s3:::${cluster}-${store}-123456789012(/\\*)?$`));
        }
        const values = inputs(named(run, `observability-${store}`)).values;
        assert.match(
          values.serviceAccount.annotations["eks.amazonaws.com/role-arn"],
          /^arn:aws:iam::123456789012:role\//,
        );
      }
    });

    it("deploys the SLO and health rules and the dashboards after the stack's CRDs", () => {
      const rules = ofMine("kubernetes:monitoring.coreos.com/v1:PrometheusRule");
      assert.deepStrictEqual(rules.map((r) => inputs(r).metadata.name).sort(), [
        "platform-health",
        "platform-slos",
      ]);
      const stackUrn = named(run, "observability-kube-prometheus-stack").urn;
      for (const r of rules) assert.ok(r.dependencies.includes(stackUrn), r.name);
      const maps = ofMine("kubernetes:core/v1:ConfigMap")
        .filter((c) => inputs(c).metadata.labels?.grafana_dashboard !== undefined)
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((c) => [inputs(c).metadata.name, inputs(c).metadata.labels.grafana_dashboard]);
      assert.deepStrictEqual(maps, [
        ["dashboard-canary-vs-stable", "1"],
        ["dashboard-cluster-overview", "1"],
        ["dashboard-data-tier", "1"],
        ["dashboard-slos", "1"],
      ]);
    });

    it("raises no policy violation, mandatory or advisory, on any observability resource (compiled policy pack)", async function () {
      this.timeout(180_000);
      assert.deepStrictEqual(resultsOn(await policyResults(run, stack), children), []);
    });

    it("alarms on the data tier's databases, cache nodes and secret rotations to an encrypted topic", () => {
      const topics = ofMine("aws:sns/topic:Topic");
      assert.deepStrictEqual(topics.map((t) => inputs(t).name).sort(), [
        `${cluster}-alarms`,
        `${cluster}-alertmanager-heartbeat`,
      ]);
      for (const topic of topics) assert.match(inputs(topic).kmsMasterKeyId, /^arn:aws:kms:/);
      const alarms = ofMine("aws:cloudwatch/metricAlarm:MetricAlarm").filter(
        (a) => inputs(a).namespace !== "AWS/SNS",
      );
      const metrics = (ns: string) => [
        ...new Set(
          alarms.filter((a) => inputs(a).namespace === ns).map((a) => inputs(a).metricName),
        ),
      ];
      assert.deepStrictEqual(metrics("AWS/RDS"), [
        "CPUUtilization",
        "FreeStorageSpace",
        "DatabaseConnections",
        "ReplicaLag",
      ]);
      assert.deepStrictEqual(metrics("AWS/ElastiCache"), [
        "DatabaseMemoryUsagePercentage",
        "Evictions",
        "ReplicationLag",
      ]);
      // Primary (3) + two replicas (4 each) + 3 shards x 3 nodes x 3 metrics + 2 rotation functions.
      assert.strictEqual(alarms.length, 3 + 2 * 4 + 27 + 2);
      const rotationAlarms = alarms.filter((a) => inputs(a).namespace === "AWS/Lambda");
      assert.deepStrictEqual(
        rotationAlarms.map((a) => [inputs(a).metricName, inputs(a).dimensions.FunctionName]),
        [
          ["Errors", `platform-${stack}-cache-auth-token-rotation`],
          ["Errors", `platform-${stack}-postgres-user-rotation`],
        ],
      );
      for (const a of rotationAlarms) {
        // A failed step alarms once; no invocation is no datapoint, not a breach.
        assert.deepStrictEqual(
          [inputs(a).statistic, inputs(a).comparisonOperator, inputs(a).threshold],
          ["Sum", "GreaterThanThreshold", 0],
        );
        assert.strictEqual(inputs(a).treatMissingData, "notBreaching");
        assert.match(inputs(a).alarmDescription, /#secret-rotation-failed/);
      }
      const topicArn = new RegExp(
        `^arn:aws:sns:${expected.region}:123456789012:.*${cluster}-alarms$`,
      );
      for (const a of alarms) {
        assert.strictEqual(inputs(a).alarmActions.length, 1);
        assert.match(inputs(a).alarmActions[0], topicArn);
        assert.deepStrictEqual(inputs(a).okActions, inputs(a).alarmActions);
      }
      const nodes = new Set(
        alarms
          .filter((a) => inputs(a).namespace === "AWS/ElastiCache")
          .map((a) => inputs(a).dimensions.CacheClusterId),
      );
      assert.strictEqual(nodes.size, 9);
      for (const node of nodes) assert.match(node, new RegExp(`^${cluster}-.+-000[1-3]-00[1-3]$`));
    });
  });
}

describe("observability with receiver credentials set", function () {
  const SECRETS = {
    "platform:alertPagerDutyRoutingKey": "PLAINTEXT-PAGERDUTY-ROUTING-KEY",
    "platform:alertSlackWebhookUrl": "https://hooks.slack.com/services/PLAINTEXT-SLACK",
    "platform:alarmPagerDutyUrl": "https://events.pagerduty.com/integration/PLAINTEXT-CW/enqueue",
  };
  let run: StackRun;

  before(async () => {
    run = await runStack({
      stack: "prod-us-west-2",
      overrides: {
        "platform:alarmEmails": '["oncall@example.com","platform-team@example.com"]',
        "platform:alarmSlackWorkspaceId": "T07EA123LEP",
        "platform:alarmSlackChannelId": "C07EZ1ABC23",
      },
      secrets: SECRETS,
    });
  });

  /** Every string in a wire value, skipping what sits inside a secret. */
  function plainStrings(value: unknown, found: string[] = []): string[] {
    if (typeof value === "string") found.push(value);
    else if (isWireSecret(value)) return found;
    else if (value !== null && typeof value === "object")
      for (const v of Object.values(value)) plainStrings(v, found);
    return found;
  }

  it("never lets a credential reach any resource input in plain text", () => {
    const text = run.resources.flatMap((r) => plainStrings(r.inputs)).join("\n");
    for (const [key, value] of Object.entries(SECRETS)) {
      assert.ok(!text.includes(value), `${key} reached an input in plain text`);
    }
    assert.ok(!JSON.stringify(run.outputs).includes("PLAINTEXT"));
  });

  it("adds the direct channels beside the topic and hands Alertmanager the credentials as a Secret", () => {
    const values = inputs(named(run, "observability-kube-prometheus-stack")).values;
    const receivers = values.alertmanager.config.receivers.map((r: Wire) =>
      Object.keys(r)
        .filter((k) => k.endsWith("_configs"))
        .sort(),
    );
    assert.deepStrictEqual(receivers, [
      [],
      ["sns_configs"],
      ["pagerduty_configs", "sns_configs"],
      ["slack_configs", "sns_configs"],
      ["slack_configs", "sns_configs"],
    ]);
    const secret = named(run, "observability-alertmanager-receivers");
    assert.ok(isWireSecret(inputs(secret).stringData));
    assert.deepStrictEqual(Object.keys(inputs(secret).stringData.value).sort(), [
      "pagerduty-routing-key",
      "slack-webhook-url",
    ]);
  });

  it("subscribes PagerDuty (secret endpoint, pages only), every address and Slack to the alarm topic", () => {
    const pagerDuty = inputs(named(run, "observability-alarms-pagerduty"));
    assert.strictEqual(pagerDuty.protocol, "https");
    assert.strictEqual(pagerDuty.endpointAutoConfirms, true);
    assert.ok(isWireSecret(pagerDuty.endpoint));
    // Pages: every CloudWatch alarm and the critical alerts, by the message body.
    assert.strictEqual(pagerDuty.filterPolicyScope, "MessageBody");
    assert.deepStrictEqual(JSON.parse(pagerDuty.filterPolicy), {
      $or: [
        { AlarmName: [{ exists: true }] },
        { metadata: { additionalContext: { severity: ["critical"] } } },
      ],
    });
    for (const [name, address] of [
      ["observability-alarms-email-oncall-example-com", "oncall@example.com"],
      ["observability-alarms-email-platform-team-example-com", "platform-team@example.com"],
    ]) {
      const email = inputs(named(run, name));
      assert.deepStrictEqual([email.protocol, email.endpoint], ["email", address]);
      assert.strictEqual(email.filterPolicy, undefined);
    }
    const slack = inputs(named(run, "observability-chatbot-slack"));
    assert.deepStrictEqual(
      [slack.slackTeamId, slack.slackChannelId, slack.userAuthorizationRequired],
      ["T07EA123LEP", "C07EZ1ABC23", true],
    );
    assert.deepStrictEqual(slack.snsTopicArns, [
      inputs(named(run, "observability-alarms-email-oncall-example-com")).topic,
    ]);
    assert.deepStrictEqual(slack.guardrailPolicyArns, [
      "arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess",
    ]);
    const role = inputs(named(run, "observability-chatbot-role"));
    assert.deepStrictEqual(JSON.parse(role.assumeRolePolicy).Statement[0].Principal, {
      Service: "chatbot.amazonaws.com",
    });
    assert.strictEqual(
      inputs(named(run, "observability-chatbot-read-only")).policyArn,
      "arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess",
    );
  });

  it("raises no policy violation on the subscriptions and the Chatbot role", async function () {
    this.timeout(180_000);
    const mine = run.resources.filter((r) => /observability-(alarms-|chatbot-)/.test(r.name));
    assert.ok(mine.length >= 6);
    assert.deepStrictEqual(resultsOn(await policyResults(run, "prod-us-west-2"), mine), []);
  });
});

for (const stack of Object.keys(STACKS)) {
  describe(`Grafana SSO from ${stack}'s config`, function () {
    const CLIENT_SECRET = "PLAINTEXT-OIDC-CLIENT-SECRET";
    let run: StackRun;

    before(async () => {
      run = await runStack({
        stack,
        overrides: {
          "platform:grafanaOidcIssuer": "https://login.example.com/realms/platform",
          "platform:grafanaOidcClientId": "grafana",
          "platform:grafanaAdminGroups": '["sre"]',
          "platform:grafanaEditorGroups": '["developers"]',
        },
        secrets: { "platform:grafanaOidcClientSecret": CLIENT_SECRET },
      });
    });

    it("signs users in through the configured issuer, local logins off, roles from groups", () => {
      const ini = inputs(named(run, "observability-grafana")).values["grafana.ini"];
      const oauth = ini["auth.generic_oauth"];
      assert.deepStrictEqual(
        [oauth.enabled, oauth.client_id, oauth.auth_url, oauth.token_url, oauth.api_url],
        [
          true,
          "grafana",
          "https://login.example.com/realms/platform/authorize",
          "https://login.example.com/realms/platform/token",
          "https://login.example.com/realms/platform/userinfo",
        ],
      );
      assert.strictEqual(
        oauth.role_attribute_path,
        "contains(groups[*], 'sre') && 'Admin' || contains(groups[*], 'developers') && 'Editor' || 'Viewer'",
      );
      assert.strictEqual(ini["auth.basic"].enabled, false);
      assert.strictEqual(ini.auth.disable_login_form, true);
    });

    it("hands Grafana the client secret only through a Secret, never in plain text", () => {
      const secret = named(run, "observability-grafana-oidc");
      assert.strictEqual(inputs(secret).metadata.name, "grafana-oidc");
      const data = inputs(secret).stringData;
      assert.ok(
        isWireSecret(data) || isWireSecret(data["client-secret"]),
        "client secret is secret",
      );
      // Outside secret wrappers, no input holds it.
      const plain = (v: unknown): string[] =>
        typeof v === "string"
          ? [v]
          : isWireSecret(v) || v === null || typeof v !== "object"
            ? []
            : Object.values(v).flatMap(plain);
      assert.ok(!run.resources.some((r) => plain(r.inputs).some((v) => v.includes(CLIENT_SECRET))));
    });
  });
}
