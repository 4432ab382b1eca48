import * as assert from "assert";
import {
  CERTIFICATE_RULES,
  NODE_RULES,
  platformPrometheusRules,
  POD_RULES,
  PrometheusRuleObject,
  promqlSyntaxErrors,
  STORAGE_RULES,
  validatePrometheusRule,
} from "./rules";
import {
  BURN_RATE_WINDOWS,
  ERROR_BUDGET_RECORDING,
  platformSlos,
  recordingName,
  sloRuleGroup,
} from "./slo";

const rules = platformPrometheusRules("monitoring");
const withGroups = (groups: PrometheusRuleObject["spec"]["groups"]): PrometheusRuleObject => ({
  ...rules[1],
  spec: { groups },
});

describe("observability PrometheusRules", () => {
  it("builds two monitoring.coreos.com/v1 PrometheusRule objects in the namespace", () => {
    assert.deepStrictEqual(
      rules.map((r) => [r.apiVersion, r.kind, r.metadata.name, r.metadata.namespace]),
      [
        ["monitoring.coreos.com/v1", "PrometheusRule", "platform-slos", "monitoring"],
        ["monitoring.coreos.com/v1", "PrometheusRule", "platform-health", "monitoring"],
      ],
    );
  });

  it("watches Grafana's credential age only where Grafana has a database, in valid PromQL", () => {
    const groups = (r: PrometheusRuleObject[]) => r[1].spec.groups.map((g) => g.name);
    assert.ok(!groups(rules).includes("platform-grafana"));
    const withDatabase = platformPrometheusRules("monitoring", {}, { grafanaDatabase: true });
    assert.ok(groups(withDatabase).includes("platform-grafana"));
    for (const rule of withDatabase) assert.deepStrictEqual(validatePrometheusRule(rule), []);
    const grafana = withDatabase[1].spec.groups.find((g) => g.name === "platform-grafana")!;
    const [alert] = grafana.rules;
    assert.strictEqual(alert.alert, "GrafanaDatabaseCredentialAging");
    // Older than three weeks, well inside the 30 days a credential stays valid; Deployment pods only.
    assert.match(alert.expr, /> 1814400$/);
    assert.match(alert.expr, /owner_kind="ReplicaSet"/);
    assert.strictEqual(
      alert.annotations!.runbook_url,
      "docs/runbooks/observability.md#grafanadatabasecredentialaging",
    );
  });

  it("passes the CRD schema and every expression parses as PromQL", () => {
    for (const rule of rules) assert.deepStrictEqual(validatePrometheusRule(rule), []);
    const exprs = rules.flatMap((r) => r.spec.groups.flatMap((g) => g.rules.map((x) => x.expr)));
    assert.ok(exprs.length >= 40, `only ${exprs.length} expressions`);
    for (const expr of exprs) assert.deepStrictEqual(promqlSyntaxErrors(expr), [], expr);
  });

  it("covers nodes, pods, volumes and certificates with routed severities", () => {
    const alerts = (g: typeof NODE_RULES) => g.rules.map((r) => `${r.alert}:${r.labels?.severity}`);
    assert.deepStrictEqual(alerts(NODE_RULES), [
      "NodeNotReady:critical",
      "NodeUnderPressure:warning",
      "NodeFilesystemAlmostFull:warning",
      "NodeMemoryAlmostExhausted:warning",
    ]);
    assert.deepStrictEqual(alerts(POD_RULES), [
      "PodCrashLooping:warning",
      "PodNotReady:warning",
      "ContainerOOMKilled:info",
      "DeploymentReplicasMismatch:warning",
    ]);
    assert.deepStrictEqual(alerts(STORAGE_RULES), [
      "PersistentVolumeFillingUp:critical",
      "PersistentVolumeFillingUp:warning",
      "PersistentVolumeFullInFourDays:info",
      "PersistentVolumeClaimPending:warning",
    ]);
    assert.deepStrictEqual(alerts(CERTIFICATE_RULES), [
      "CertificateExpiringSoon:critical",
      "EndpointCertificateExpiringSoon:critical",
      "CertificateExpiringSoon:warning",
      "EndpointCertificateExpiringSoon:warning",
      "CertificateNotReady:warning",
    ]);
    const expiry = CERTIFICATE_RULES.rules.filter((r) => r.alert === "CertificateExpiringSoon");
    assert.deepStrictEqual(
      expiry.map((r) => r.expr),
      [
        "certmanager_certificate_expiration_timestamp_seconds - time() < 259200",
        "certmanager_certificate_expiration_timestamp_seconds - time() < 1209600",
      ],
    );
  });

  describe("rejects", () => {
    const cases: [string, PrometheusRuleObject, RegExp][] = [
      [
        "an unparsable expression",
        withGroups([
          {
            name: "g",
            rules: [{ alert: "A", expr: "sum(rate(x[5m]) by (job", labels: { severity: "info" } }],
          },
        ]),
        /rules\[0\]\.expr must parse as PromQL/,
      ],
      [
        "a duration the CRD schema refuses",
        withGroups([
          {
            name: "g",
            rules: [
              { alert: "A", expr: "up == 0", for: "5 minutes", labels: { severity: "info" } },
            ],
          },
        ]),
        /must match the monitoring\.coreos\.com\/v1 PrometheusRule schema/,
      ],
      [
        "an alert without a routable severity",
        withGroups([{ name: "g", rules: [{ alert: "A", expr: "up == 0", labels: {} }] }]),
        /labels\.severity must be "critical", "warning" or "info"/,
      ],
      [
        "a rule that is both alert and record",
        withGroups([
          {
            name: "g",
            rules: [{ alert: "A", record: "a:b", expr: "up", labels: { severity: "info" } }],
          },
        ]),
        /must have exactly one of alert and record/,
      ],
      [
        "duplicate group names",
        withGroups([
          { name: "g", rules: [{ record: "a:b", expr: "up" }] },
          { name: "g", rules: [{ record: "a:c", expr: "up" }] },
        ]),
        /groups\[1\]\.name must be unique/,
      ],
    ];
    for (const [what, rule, message] of cases) {
      it(what, () => {
        const found = validatePrometheusRule(rule).map(
          (p) => `${p.path} must ${p.allowed} (got ${JSON.stringify(p.received)})`,
        );
        assert.ok(
          found.some((m) => message.test(m)),
          found.join("\n") || "no problem found",
        );
      });
    }
  });
});

describe("SLO burn-rate alerts", () => {
  const slos = platformSlos();

  it("uses the SRE workbook's four window pairs and factors", () => {
    assert.deepStrictEqual(
      BURN_RATE_WINDOWS.map((w) => [w.long, w.short, w.factor, w.severity]),
      [
        ["1h", "5m", 14.4, "critical"],
        ["6h", "30m", 6, "critical"],
        ["1d", "2h", 3, "warning"],
        ["3d", "6h", 1, "warning"],
      ],
    );
  });

  it("derives the error budgets from the objectives (99.99%, p95 < 100ms, < 0.1% errors)", () => {
    assert.deepStrictEqual(
      slos.map((s) => [s.id, s.budget]),
      [
        ["availability", 0.0001],
        ["latency", 0.05],
        ["error-rate", 0.001],
      ],
    );
    const latency = slos.find((s) => s.id === "latency")!;
    assert.match(
      latency.errorRatio("5m"),
      /http_server_request_duration_seconds_bucket\{le="0.1"\}\[5m\]/,
    );
    const availability = slos.find((s) => s.id === "availability")!;
    assert.match(availability.errorRatio("1h"), /avg_over_time\(probe_success\[1h\]\)/);
  });

  it("records each SLI over every window and alerts on both windows of each pair", () => {
    for (const slo of slos) {
      const group = sloRuleGroup(slo);
      const records = group.rules.filter((r) => r.record).map((r) => r.record);
      assert.deepStrictEqual(records, [
        ...["5m", "1h", "30m", "6h", "2h", "1d", "3d"].map(recordingName),
        ERROR_BUDGET_RECORDING,
      ]);
      const alerts = group.rules.filter((r) => r.alert);
      assert.deepStrictEqual(
        alerts.map((a) => [a.alert, a.labels?.severity, a.labels?.slo]),
        [
          [slo.alert, "critical", slo.id],
          [slo.alert, "warning", slo.id],
        ],
      );
      const [page, ticket] = alerts;
      const sel = `{slo="${slo.id}"}`;
      assert.strictEqual(
        page.expr,
        `(slo:sli_error:ratio_rate1h${sel} > (14.4 * ${slo.budget}) and slo:sli_error:ratio_rate5m${sel} > (14.4 * ${slo.budget})) or ` +
          `(slo:sli_error:ratio_rate6h${sel} > (6 * ${slo.budget}) and slo:sli_error:ratio_rate30m${sel} > (6 * ${slo.budget}))`,
      );
      assert.strictEqual(
        ticket.expr,
        `(slo:sli_error:ratio_rate1d${sel} > (3 * ${slo.budget}) and slo:sli_error:ratio_rate2h${sel} > (3 * ${slo.budget})) or ` +
          `(slo:sli_error:ratio_rate3d${sel} > (1 * ${slo.budget}) and slo:sli_error:ratio_rate6h${sel} > (1 * ${slo.budget}))`,
      );
    }
  });

  it("follows configured objectives", () => {
    const [availability, latency, errors] = platformSlos({
      availability: 0.999,
      latencyP95Ms: 250,
      errorRate: 0.005,
    });
    assert.strictEqual(availability.budget, 0.001);
    assert.match(latency.errorRatio("5m"), /le="0.25"/);
    assert.strictEqual(errors.budget, 0.005);
  });
});
