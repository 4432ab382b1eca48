/**
 * The SLO alarms every experiment stops on, from the load balancer's metrics.
 *
 * The ALB is created by the AWS Load Balancer Controller from Ingress objects, not by Pulumi, so
 * its `LoadBalancer` dimension (`app/<name>/<id>`) is unknown when the stack deploys, and a fixed
 * name (the `load-balancer-name` annotation) still leaves the id unknown. A classic metric alarm
 * needs the exact dimension, and Metrics Insights filters only with `=` and `!=`. What it does
 * offer is a filter on resource tags (`WHERE tag.<key> = '<value>'`) once "resource tags on
 * telemetry" is on in the account and region (aws.observabilityadmin.TelemetryEnrichment), and
 * the controller tags every load balancer it creates with `elbv2.k8s.aws/cluster=<cluster>`. So
 * the alarms are Metrics Insights query alarms scoped by that tag: this cluster's ALBs, whatever
 * their ids, and no other stack's.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-querylanguage.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/EnableResourceTagsOnTelemetry.html
 * @see https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/v3.5.0/docs/deploy/configurations.md
 *
 * Metrics Insights aggregates with AVG, SUM, MIN, MAX and COUNT only, no percentiles: the latency
 * stop condition holds the mean target response time to the p95 bound (a mean above the bound
 * means the p95 is too), and the true p95 stays watched by Prometheus' LatencyBudgetBurn alert.
 */

/** Tag the AWS Load Balancer Controller puts on every load balancer it creates. */
export const LOAD_BALANCER_CLUSTER_TAG = "elbv2.k8s.aws/cluster";

/** Where the alarms' runbooks are: headings of the game-day page. */
export const GAME_DAY_DOC = "docs/game-day.md";

export function runbookLink(anchor: string): string {
  return `${GAME_DAY_DOC}#${anchor}`;
}

export interface MetricQuerySpec {
  readonly id: string;
  readonly expression: string;
  readonly period?: number;
  readonly returnData: boolean;
  readonly label?: string;
}

export interface QueryAlarmSpec {
  /** Appended to the component name: the alarm's resource and physical name. */
  readonly id: string;
  readonly description: string;
  readonly runbook: string;
  readonly queries: readonly MetricQuerySpec[];
  readonly threshold: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: "notBreaching" | "missing";
}

const PERIOD_SECONDS = 60;

/** A Metrics Insights query over this cluster's ALBs (one series: no GROUP BY). */
export function loadBalancerQuery(fn: "SUM" | "AVG", metric: string, clusterName: string): string {
  return `SELECT ${fn}(${metric}) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer) WHERE tag."${LOAD_BALANCER_CLUSTER_TAG}" = '${clusterName}'`;
}

export function sloAlarms(
  clusterName: string,
  slo: { readonly errorRate: number; readonly latencyMs: number },
): QueryAlarmSpec[] {
  const query = (id: string, fn: "SUM" | "AVG", metric: string): MetricQuerySpec => ({
    id,
    expression: loadBalancerQuery(fn, metric, clusterName),
    period: PERIOD_SECONDS,
    returnData: false,
  });
  return [
    {
      id: "slo-error-rate",
      runbook: "slo-error-rate-breached",
      description: `SLO: more than ${slo.errorRate * 100}% of requests to ${clusterName}'s load balancers failed (5xx) in 2 of 3 minutes; stops every running FIS experiment`,
      queries: [
        query("targetErrors", "SUM", "HTTPCode_Target_5XX_Count"),
        query("balancerErrors", "SUM", "HTTPCode_ELB_5XX_Count"),
        query("requests", "SUM", "RequestCount"),
        {
          id: "errorRate",
          // No request at all is no error; FILL keeps a minute without 5xx from going missing.
          expression: "(FILL(targetErrors, 0) + FILL(balancerErrors, 0)) / requests",
          label: "5xx share of requests",
          returnData: true,
        },
      ],
      threshold: slo.errorRate,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: "notBreaching",
    },
    {
      id: "slo-latency",
      runbook: "slo-latency-breached",
      description: `SLO: mean target response time of ${clusterName}'s load balancers above ${slo.latencyMs} ms in 2 of 3 minutes; stops every running FIS experiment`,
      queries: [
        {
          ...query("latency", "AVG", "TargetResponseTime"),
          label: "mean target response time (s)",
          returnData: true,
        },
      ],
      threshold: slo.latencyMs / 1000,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: "notBreaching",
    },
  ];
}
