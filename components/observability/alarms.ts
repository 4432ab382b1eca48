/**
 * AWS-side alarms for what Prometheus cannot see from inside the cluster: RDS and ElastiCache
 * CloudWatch metrics, alarming to an SNS topic encrypted with a customer key that feeds on-call.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/monitoring-cloudwatch.html
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
 */
import * as pulumi from "@pulumi/pulumi";

export interface DatabaseAlarmTarget {
  /** Short name used in alarm names, e.g. `orders`. */
  readonly name: string;
  readonly instanceIdentifier: pulumi.Input<string>;
  /** Allocated storage in GiB; the free-storage alarm fires below 10% of it. */
  readonly allocatedStorageGiB: number;
  /** The instance's max_connections; the connections alarm fires above 80% of it. */
  readonly maxConnections: number;
  /**
   * A read replica reports ReplicaLag; a primary does not.
   * @default false
   */
  readonly isReplica?: boolean;
}

export interface CacheAlarmTarget {
  /** Short name used in alarm names, e.g. `sessions`. */
  readonly name: string;
  /** Member cache cluster IDs (ElastiCache reports its metrics per node). */
  readonly cacheClusterIds: readonly pulumi.Input<string>[];
  /**
   * Evictions per 5 minutes above which the cache is judged too small.
   * @default 100
   */
  readonly evictionsPer5Minutes?: number;
}

/** A Secrets Manager rotation function: a failed step is an error of the function. */
export interface RotationFunctionAlarmTarget {
  /** Short name used in alarm names, e.g. `postgres-users`. */
  readonly name: string;
  readonly functionName: pulumi.Input<string>;
  /** What it rotates, for the alarm's description. */
  readonly rotates: string;
}

export interface AlarmSpec {
  /** Appended to the component name: the alarm's resource and physical name. */
  readonly id: string;
  readonly namespace: "AWS/RDS" | "AWS/ElastiCache" | "AWS/SNS" | "AWS/Lambda";
  readonly metricName: string;
  readonly dimensions: Record<string, pulumi.Input<string>>;
  readonly statistic: "Average" | "Maximum" | "Minimum" | "Sum";
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly comparison: "GreaterThanThreshold" | "LessThanThreshold";
  readonly threshold: number;
  readonly treatMissingData: "missing" | "notBreaching" | "breaching";
  readonly description: string;
  /** Anchor of the alarm's section in the runbook document (its description links there). */
  readonly runbook: string;
}

const GIB = 1024 ** 3;

export function databaseAlarms(db: DatabaseAlarmTarget): AlarmSpec[] {
  const dimensions = { DBInstanceIdentifier: db.instanceIdentifier };
  const alarms: AlarmSpec[] = [
    {
      id: `rds-${db.name}-cpu`,
      runbook: "rds-cpu-high",
      namespace: "AWS/RDS",
      metricName: "CPUUtilization",
      dimensions,
      statistic: "Average",
      periodSeconds: 300,
      evaluationPeriods: 3,
      comparison: "GreaterThanThreshold",
      threshold: 80,
      // A stopped metric stream on a database is itself a problem.
      treatMissingData: "breaching",
      description: `RDS ${db.name}: CPU above 80% for 15 minutes`,
    },
    {
      id: `rds-${db.name}-free-storage`,
      runbook: "rds-free-storage-low",
      namespace: "AWS/RDS",
      metricName: "FreeStorageSpace",
      dimensions,
      statistic: "Minimum",
      periodSeconds: 300,
      evaluationPeriods: 2,
      comparison: "LessThanThreshold",
      threshold: Math.round(db.allocatedStorageGiB * GIB * 0.1),
      treatMissingData: "breaching",
      description: `RDS ${db.name}: less than 10% of ${db.allocatedStorageGiB} GiB free`,
    },
    {
      id: `rds-${db.name}-connections`,
      runbook: "rds-connections-high",
      namespace: "AWS/RDS",
      metricName: "DatabaseConnections",
      dimensions,
      statistic: "Maximum",
      periodSeconds: 300,
      evaluationPeriods: 2,
      comparison: "GreaterThanThreshold",
      threshold: Math.floor(db.maxConnections * 0.8),
      treatMissingData: "missing",
      description: `RDS ${db.name}: more than 80% of ${db.maxConnections} connections in use`,
    },
  ];
  if (db.isReplica) {
    alarms.push({
      id: `rds-${db.name}-replica-lag`,
      runbook: "rds-replica-lag",
      namespace: "AWS/RDS",
      metricName: "ReplicaLag",
      dimensions,
      statistic: "Maximum",
      periodSeconds: 60,
      evaluationPeriods: 5,
      comparison: "GreaterThanThreshold",
      threshold: 60,
      treatMissingData: "breaching",
      description: `RDS ${db.name}: replica more than 60 seconds behind for 5 minutes`,
    });
  }
  return alarms;
}

export function cacheAlarms(cache: CacheAlarmTarget): AlarmSpec[] {
  return cache.cacheClusterIds.flatMap((cacheClusterId, i): AlarmSpec[] => {
    const dimensions = { CacheClusterId: cacheClusterId };
    const node = `${cache.name}-${i + 1}`;
    return [
      {
        id: `cache-${node}-memory`,
        runbook: "elasticache-memory-high",
        namespace: "AWS/ElastiCache",
        metricName: "DatabaseMemoryUsagePercentage",
        dimensions,
        statistic: "Maximum",
        periodSeconds: 300,
        evaluationPeriods: 3,
        comparison: "GreaterThanThreshold",
        threshold: 80,
        treatMissingData: "breaching",
        description: `ElastiCache ${cache.name} node ${i + 1}: memory above 80% for 15 minutes`,
      },
      {
        id: `cache-${node}-evictions`,
        runbook: "elasticache-evictions",
        namespace: "AWS/ElastiCache",
        metricName: "Evictions",
        dimensions,
        statistic: "Sum",
        periodSeconds: 300,
        evaluationPeriods: 3,
        comparison: "GreaterThanThreshold",
        threshold: cache.evictionsPer5Minutes ?? 100,
        treatMissingData: "notBreaching",
        description: `ElastiCache ${cache.name} node ${i + 1}: evicting keys for 15 minutes (the cache is too small)`,
      },
      {
        id: `cache-${node}-replication-lag`,
        runbook: "elasticache-replication-lag",
        namespace: "AWS/ElastiCache",
        metricName: "ReplicationLag",
        dimensions,
        statistic: "Maximum",
        periodSeconds: 60,
        evaluationPeriods: 5,
        comparison: "GreaterThanThreshold",
        threshold: 30,
        // Only replicas report it; the primary's alarm stays quiet.
        treatMissingData: "notBreaching",
        description: `ElastiCache ${cache.name} node ${i + 1}: replica more than 30 seconds behind for 5 minutes`,
      },
    ];
  });
}

/**
 * A rotation step that throws is a Lambda error (the `Errors` metric counts invocations that end in
 * a function error: "Working with Lambda function metrics", Lambda Developer Guide). Secrets Manager
 * then leaves the secret as it was and tries again at the next schedule, so nothing breaks at once,
 * but clients hold a credential that stops working one interval later: the alarm says so the day it
 * fails. No invocation is no datapoint, which is fine.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
 */
export function rotationFunctionAlarm(target: RotationFunctionAlarmTarget): AlarmSpec {
  return {
    id: `rotation-${target.name}-errors`,
    runbook: "secret-rotation-failed",
    namespace: "AWS/Lambda",
    metricName: "Errors",
    dimensions: { FunctionName: target.functionName },
    statistic: "Sum",
    periodSeconds: 300,
    evaluationPeriods: 1,
    comparison: "GreaterThanThreshold",
    threshold: 0,
    treatMissingData: "notBreaching",
    description: `Rotation of ${target.rotates} failed: the secret keeps its current value until the next scheduled rotation`,
  };
}

/** Period of the heartbeat alarm: SNS reports its topic metrics in 5-minute datapoints. */
const HEARTBEAT_PERIOD_SECONDS = 300;

/**
 * The dead man's switch: Alertmanager publishes the always-firing Watchdog to the heartbeat topic
 * every minute; a 5-minute period with no publish (or no datapoint: missing is breaching) means
 * Prometheus, Alertmanager or their path to AWS has stopped. With one period evaluated, a stop pages
 * within 10 minutes of the last heartbeat, plus CloudWatch's metric delay (SNS pushes its metrics
 * every five minutes: "Monitoring Amazon SNS with CloudWatch", SNS Developer Guide, read 2026-12).
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-monitoring-using-cloudwatch.html
 */
export function heartbeatAlarm(heartbeatTopicName: string): AlarmSpec {
  return {
    id: "alertmanager-heartbeat",
    runbook: "alertmanager-heartbeat-missing",
    namespace: "AWS/SNS",
    metricName: "NumberOfMessagesPublished",
    dimensions: { TopicName: heartbeatTopicName },
    statistic: "Sum",
    periodSeconds: HEARTBEAT_PERIOD_SECONDS,
    evaluationPeriods: 1,
    comparison: "LessThanThreshold",
    threshold: 1,
    treatMissingData: "breaching",
    description:
      "Alertmanager heartbeat: no Watchdog notification for 5 minutes (Prometheus, Alertmanager or their path to SNS is down, so no alert can be sent)",
  };
}
