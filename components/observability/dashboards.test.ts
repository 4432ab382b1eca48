import * as assert from "assert";
import { cacheAlarms, databaseAlarms, heartbeatAlarm } from "./alarms";
import { readDashboards, validateDashboards } from "./dashboards";
import { alarmTopicPolicy } from "./documents";
import { DATASOURCE_UIDS } from "./values";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

describe("observability dashboards", () => {
  const files = readDashboards();

  it("ships the canary, cluster overview, SLO and data-tier dashboards from files", () => {
    assert.deepStrictEqual(
      files.map((f) => f.name),
      ["canary-vs-stable", "cluster-overview", "data-tier", "slos"],
    );
  });

  it("compares error rate and p95 latency per rollout revision, as the canary's SLO gate measures them", () => {
    const canary = JSON.parse(files.find((f) => f.name === "canary-vs-stable")!.json);
    assert.deepStrictEqual(
      canary.templating.list.map((v: Any) => [v.name, v.query.query]),
      [
        ["namespace", 'label_values(kube_replicaset_owner{owner_kind="Rollout"}, namespace)'],
        [
          "rollout",
          'label_values(kube_replicaset_owner{namespace="$namespace",owner_kind="Rollout"}, owner_name)',
        ],
      ],
    );
    const expr = (title: string) =>
      canary.panels.find((p: Any) => p.title === title).targets[0].expr as string;
    // The revision is the pod-template-hash in `<rollout>-<hash>-<suffix>`, as in the SLO gate.
    const revision = "label_replace(rate(http_server_request_duration_seconds_";
    const error = expr("5xx error rate by revision");
    assert.ok(error.includes(revision), error);
    assert.match(error, /http_response_status_code=~"5\.\."/);
    assert.match(error, /"revision", "\$1", "pod", "\$rollout-\(\[a-z0-9\]\+\)-\[a-z0-9\]\+"/);
    // A revision without any 5xx shows 0, not a gap.
    assert.match(error, / or \(sum by \(revision\) .* \* 0\)\) \/ sum by \(revision\)/);
    const p95 = expr("p95 latency by revision");
    assert.match(
      p95,
      /^histogram_quantile\(0\.95, sum by \(revision, le\) \(label_replace\(rate\(http_server_request_duration_seconds_bucket\{/,
    );
    for (const p of canary.panels) assert.match(p.targets[0].expr, /namespace="\$namespace"/);
  });

  it("are valid JSON with unique uids, provisioned data sources and PromQL that parses", () => {
    assert.deepStrictEqual(validateDashboards(files), []);
    const used = new Set(
      files.flatMap((f) => (JSON.parse(f.json).panels as Any[]).map((p) => p.datasource.uid)),
    );
    // Metrics, logs, traces and the AWS-side metrics all appear somewhere.
    for (const uid of ["prometheus", "loki", "tempo", "cloudwatch"]) assert.ok(used.has(uid), uid);
    for (const uid of used) assert.ok(Object.values(DATASOURCE_UIDS).includes(uid), uid);
  });

  it("reads burn rates against the recorded error budget, not hard-coded objectives", () => {
    const slos = files.find((f) => f.name === "slos")!.json;
    assert.match(slos, /slo:objective:error_budget/);
    assert.doesNotMatch(slos, /0\.0001|0\.001\b/);
  });

  describe("rejects", () => {
    const panel = (over: Record<string, unknown>) => ({
      id: 1,
      title: "p",
      gridPos: { x: 0, y: 0, w: 1, h: 1 },
      datasource: { type: "prometheus", uid: "prometheus" },
      targets: [{ refId: "A", expr: "up" }],
      ...over,
    });
    const dashboard = (over: Record<string, unknown>) =>
      JSON.stringify({ uid: "d", title: "D", panels: [panel({})], ...over });
    const cases: [string, string[], RegExp][] = [
      ["invalid JSON", ["{"], /must be valid JSON/],
      [
        "an unknown data source",
        [dashboard({ panels: [panel({ datasource: { uid: "influx" } })] })],
        /datasource\.uid must name a provisioned data source/,
      ],
      [
        "PromQL that does not parse",
        [dashboard({ panels: [panel({ targets: [{ refId: "A", expr: "rate(up[5m]" }] })] })],
        /targets\[A\]\.expr must parse as PromQL/,
      ],
      ["a duplicate uid", [dashboard({}), dashboard({})], /uid must be unique/],
      ["a dashboard without panels", [dashboard({ panels: [] })], /panels must contain/],
    ];
    for (const [what, jsons, message] of cases) {
      it(what, () => {
        const found = validateDashboards(jsons.map((json, i) => ({ name: `d${i}`, json })));
        const text = found.map((p) => `${p.path} must ${p.allowed}`).join("\n");
        assert.match(text, message);
      });
    }
  });
});

describe("AWS-side alarms", () => {
  it("alarm on RDS CPU, free storage, connections, and replica lag on replicas only", () => {
    const primary = databaseAlarms({
      name: "postgres",
      instanceIdentifier: "db-1",
      allocatedStorageGiB: 100,
      maxConnections: 1802,
    });
    const replica = databaseAlarms({
      name: "replica",
      instanceIdentifier: "db-2",
      allocatedStorageGiB: 100,
      maxConnections: 1802,
      isReplica: true,
    });
    assert.deepStrictEqual(
      primary.map((a) => [a.metricName, a.comparison, a.threshold]),
      [
        ["CPUUtilization", "GreaterThanThreshold", 80],
        ["FreeStorageSpace", "LessThanThreshold", 10737418240],
        ["DatabaseConnections", "GreaterThanThreshold", 1441],
      ],
    );
    assert.deepStrictEqual(
      replica.map((a) => a.metricName),
      ["CPUUtilization", "FreeStorageSpace", "DatabaseConnections", "ReplicaLag"],
    );
    for (const a of [...primary, ...replica]) {
      assert.strictEqual(a.namespace, "AWS/RDS");
      assert.ok(["db-1", "db-2"].includes(a.dimensions.DBInstanceIdentifier as string));
    }
  });

  it("alarm on every cache node's memory, evictions and replication lag", () => {
    const alarms = cacheAlarms({ name: "valkey", cacheClusterIds: ["rg-0001-001", "rg-0001-002"] });
    assert.deepStrictEqual(
      alarms.map((a) => [a.id, a.metricName, a.dimensions.CacheClusterId]),
      [
        ["cache-valkey-1-memory", "DatabaseMemoryUsagePercentage", "rg-0001-001"],
        ["cache-valkey-1-evictions", "Evictions", "rg-0001-001"],
        ["cache-valkey-1-replication-lag", "ReplicationLag", "rg-0001-001"],
        ["cache-valkey-2-memory", "DatabaseMemoryUsagePercentage", "rg-0001-002"],
        ["cache-valkey-2-evictions", "Evictions", "rg-0001-002"],
        ["cache-valkey-2-replication-lag", "ReplicationLag", "rg-0001-002"],
      ],
    );
    // Primaries report no replication lag: that must not alarm.
    assert.strictEqual(alarms[2].treatMissingData, "notBreaching");
  });

  it("page when the Watchdog heartbeat stops: no publish in a 5-minute period, missing data breaching", () => {
    const alarm = heartbeatAlarm("platform-prod-us-west-2-alertmanager-heartbeat");
    assert.deepStrictEqual(
      [
        alarm.namespace,
        alarm.metricName,
        alarm.dimensions,
        alarm.statistic,
        alarm.periodSeconds,
        alarm.evaluationPeriods,
        alarm.comparison,
        alarm.threshold,
        alarm.treatMissingData,
      ],
      [
        "AWS/SNS",
        "NumberOfMessagesPublished",
        { TopicName: "platform-prod-us-west-2-alertmanager-heartbeat" },
        "Sum",
        300,
        1,
        "LessThanThreshold",
        1,
        "breaching",
      ],
    );
    assert.strictEqual(alarm.runbook, "alertmanager-heartbeat-missing");
  });

  it("the topic admits only this account's CloudWatch alarms, over TLS", () => {
    const policy = alarmTopicPolicy(
      "arn:aws:sns:us-west-2:123456789012:t",
      "123456789012",
      "us-west-2",
    );
    assert.deepStrictEqual(policy.Statement[0].Principal, { Service: "cloudwatch.amazonaws.com" });
    assert.deepStrictEqual(policy.Statement[0].Condition, {
      StringEquals: { "aws:SourceAccount": "123456789012" },
      ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:us-west-2:123456789012:alarm:*" },
    });
    assert.strictEqual(policy.Statement[1].Effect, "Deny");
    assert.deepStrictEqual(policy.Statement[1].Condition, {
      Bool: { "aws:SecureTransport": "false" },
    });
  });
});
