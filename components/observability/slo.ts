/**
 * Platform SLOs as multi-window, multi-burn-rate alerts (Google SRE workbook, "Alerting on SLOs",
 * https://sre.google/workbook/alerting-on-slos/, table 5-8): a long window catches the burn, a
 * short window (1/12 of it) makes the alert reset soon after the burn stops.
 *
 * Each SLO is an error ratio ("bad events / all events") recorded once per window, then compared
 * with `factor x error budget` in both windows of a pair.
 */
import { Problems } from "@platform/core";
import { PrometheusRuleGroup, PrometheusRuleSpecRule } from "./rules";

export type Severity = "critical" | "warning" | "info";

interface BurnRateWindow {
  readonly long: string;
  readonly short: string;
  /** How many times faster than "exactly exhausts the budget over 30 days" the budget burns. */
  readonly factor: number;
  /** Pages (critical) for fast burns, tickets (warning) for slow ones. */
  readonly severity: Severity;
}

/** 2% of a 30-day budget in 1h, 5% in 6h, 10% in 1d, 10% in 3d (SRE workbook table 5-8). */
export const BURN_RATE_WINDOWS: readonly BurnRateWindow[] = [
  { long: "1h", short: "5m", factor: 14.4, severity: "critical" },
  { long: "6h", short: "30m", factor: 6, severity: "critical" },
  { long: "1d", short: "2h", factor: 3, severity: "warning" },
  { long: "3d", short: "6h", factor: 1, severity: "warning" },
];

export interface SloObjectives {
  /**
   * Share of successful synthetic probes of the public endpoints.
   * @default 0.9999
   */
  readonly availability?: number;
  /**
   * 95th-percentile request latency bound, in milliseconds: at most 5% of requests may be slower.
   * Must be a bucket boundary of the request-duration histogram (OpenTelemetry's default
   * boundaries for http.server.request.duration, in ms).
   * @default 100
   */
  readonly latencyP95Ms?: number;
  /**
   * Highest acceptable share of requests answered with a 5xx status.
   * @default 0.001
   */
  readonly errorRate?: number;
}

/** OpenTelemetry semantic-conventions advice for http.server.request.duration buckets, in ms. */
const LATENCY_BUCKETS_MS = [
  5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000,
] as const;

const DEFAULT_OBJECTIVES: Required<SloObjectives> = {
  availability: 0.9999,
  latencyP95Ms: 100,
  errorRate: 0.001,
};

/** Request metrics as the OpenTelemetry collector's Prometheus exporter names them. */
const REQUEST_DURATION_METRIC = "http_server_request_duration_seconds";

interface Slo {
  /** Value of the `slo` label on recordings and alerts. */
  readonly id: "availability" | "latency" | "error-rate";
  readonly alert: string;
  readonly description: string;
  /** The error budget: the share of bad events the objective allows. */
  readonly budget: number;
  /** Error ratio over a window, by the labels in `by`. */
  errorRatio(window: string): string;
}

const round = (value: number) => Number(value.toFixed(10));

export function validateObjectives(objectives: SloObjectives, path: string, problems: Problems) {
  const o = { ...DEFAULT_OBJECTIVES, ...objectives };
  problems.check(
    o.availability > 0.9 && o.availability < 1,
    `${path}.availability`,
    o.availability,
    "be a ratio between 0.9 and 1 (exclusive), e.g. 0.9999",
  );
  problems.check(
    o.errorRate > 0 && o.errorRate < 0.1,
    `${path}.errorRate`,
    o.errorRate,
    "be a ratio between 0 and 0.1 (exclusive), e.g. 0.001",
  );
  problems.check(
    (LATENCY_BUCKETS_MS as readonly number[]).includes(o.latencyP95Ms),
    `${path}.latencyP95Ms`,
    o.latencyP95Ms,
    `be a histogram bucket boundary (${LATENCY_BUCKETS_MS.join(", ")})`,
  );
}

export function platformSlos(objectives: SloObjectives = {}): Slo[] {
  const o = { ...DEFAULT_OBJECTIVES, ...objectives };
  const requests = (window: string, selector = "") =>
    `sum by (job) (rate(${REQUEST_DURATION_METRIC}_count${selector}[${window}]))`;
  const latencySeconds = round(o.latencyP95Ms / 1000);
  return [
    {
      id: "availability",
      alert: "AvailabilityBudgetBurn",
      description: `${round(o.availability * 100)}% of synthetic probes of each public endpoint succeed`,
      budget: round(1 - o.availability),
      errorRatio: (w) => `1 - avg by (job, instance) (avg_over_time(probe_success[${w}]))`,
    },
    {
      id: "latency",
      alert: "LatencyBudgetBurn",
      description: `95% of requests complete within ${o.latencyP95Ms}ms`,
      budget: 0.05,
      errorRatio: (w) =>
        `1 - (sum by (job) (rate(${REQUEST_DURATION_METRIC}_bucket{le="${latencySeconds}"}[${w}])) / ${requests(w)})`,
    },
    {
      id: "error-rate",
      alert: "ErrorRateBudgetBurn",
      description: `fewer than ${round(o.errorRate * 100)}% of requests fail with a 5xx status`,
      budget: round(o.errorRate),
      errorRatio: (w) => `${requests(w, '{http_response_status_code=~"5.."}')} / ${requests(w)}`,
    },
  ];
}

export const ERROR_BUDGET_RECORDING = "slo:objective:error_budget";

export function recordingName(window: string): string {
  return `slo:sli_error:ratio_rate${window}`;
}

/** Every window any burn-rate pair reads. */
function sloWindows(): string[] {
  return [...new Set(BURN_RATE_WINDOWS.flatMap((w) => [w.short, w.long]))];
}

/** The recording rules and burn-rate alerts of one SLO. */
export function sloRuleGroup(slo: Slo): PrometheusRuleGroup {
  const recordings: PrometheusRuleSpecRule[] = [
    ...sloWindows().map((window) => ({
      record: recordingName(window),
      expr: slo.errorRatio(window),
      labels: { slo: slo.id },
    })),
    // The budget as a series, so dashboards show burn rates without hard-coding objectives.
    { record: ERROR_BUDGET_RECORDING, expr: `vector(${slo.budget})`, labels: { slo: slo.id } },
  ];
  const alerts: PrometheusRuleSpecRule[] = (["critical", "warning"] as const).map((severity) => {
    const pairs = BURN_RATE_WINDOWS.filter((w) => w.severity === severity);
    const expr = pairs
      .map(
        (w) =>
          `(${recordingName(w.long)}{slo="${slo.id}"} > (${w.factor} * ${slo.budget}) and ${recordingName(w.short)}{slo="${slo.id}"} > (${w.factor} * ${slo.budget}))`,
      )
      .join(" or ");
    return {
      alert: slo.alert,
      expr,
      // The short window already smooths blips; a short `for` only avoids one-scrape flukes.
      for: severity === "critical" ? "2m" : "15m",
      labels: { severity, slo: slo.id },
      annotations: {
        summary: `The ${slo.id} SLO's error budget is burning too fast`,
        description: `Objective: ${slo.description}. Burn rate over ${pairs.map((w) => `${w.long}/${w.short} above ${w.factor}x`).join(" or ")} for {{ $labels.job }}.`,
      },
    };
  });
  return { name: `slo-${slo.id}`, interval: "30s", rules: [...recordings, ...alerts] };
}
