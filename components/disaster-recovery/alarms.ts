/**
 * CloudWatch alarms on what the recovery point objectives depend on, to the stack's alarm topic
 * (the one every other alarm posts to): the cross-region replica's lag against the 5-minute
 * database RPO, and S3 replication against its 15-minute replication time control.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-metrics.html (ReplicaLag, seconds)
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/repl-metrics.html (replication metrics)
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** The RPOs the alarms guard, in seconds (docs/disaster-recovery.md, objectives table). */
export const DATABASE_RPO_SECONDS = 5 * 60;
export const OBJECT_RPO_SECONDS = 15 * 60;

export interface RecoveryAlarmSpec {
  /** Appended to the alarm's resource and physical name. */
  readonly id: string;
  readonly namespace: "AWS/RDS" | "AWS/S3";
  readonly metricName: string;
  readonly dimensions: Record<string, pulumi.Input<string>>;
  readonly statistic: "Maximum" | "Sum";
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly threshold: number;
  readonly treatMissingData: "missing" | "notBreaching" | "breaching";
  readonly description: string;
  /** Heading of docs/disaster-recovery.md the alarm description links to. */
  readonly runbookAnchor: string;
}

/** The runbook a recovery alarm links to, as a path from the repository root. */
const RUNBOOK_DOC = "docs/disaster-recovery.md";

/** ReplicaLag above the database RPO for three minutes running; silence is a broken replica. */
export function replicaLagAlarm(
  name: string,
  replicaIdentifier: pulumi.Input<string>,
): RecoveryAlarmSpec {
  return {
    id: `rds-${name}-replica-lag`,
    namespace: "AWS/RDS",
    metricName: "ReplicaLag",
    dimensions: { DBInstanceIdentifier: replicaIdentifier },
    statistic: "Maximum",
    periodSeconds: 60,
    evaluationPeriods: 3,
    threshold: DATABASE_RPO_SECONDS,
    treatMissingData: "breaching",
    description: `Cross-region replica of ${name}: ReplicaLag above ${DATABASE_RPO_SECONDS} s (the 5-minute database RPO)`,
    runbookAnchor: "1-postgresql",
  };
}

/**
 * Per replication rule: any failed operation, and a replication latency beyond the 15-minute RTC
 * threshold. The metrics exist only while objects replicate, so missing data is not a breach.
 */
export function bucketReplicationAlarms(
  name: string,
  dimensions: {
    readonly sourceBucket: pulumi.Input<string>;
    readonly destinationBucket: pulumi.Input<string>;
    readonly ruleId: string;
  },
): RecoveryAlarmSpec[] {
  const dims = {
    SourceBucket: dimensions.sourceBucket,
    DestinationBucket: dimensions.destinationBucket,
    RuleId: dimensions.ruleId,
  };
  return [
    {
      id: `s3-${name}-replication-failed`,
      namespace: "AWS/S3",
      metricName: "OperationsFailedReplication",
      dimensions: dims,
      statistic: "Sum",
      periodSeconds: 300,
      evaluationPeriods: 1,
      threshold: 0,
      treatMissingData: "notBreaching",
      description: `S3 replication of ${name}: operations failed to replicate`,
      runbookAnchor: "2-objects-s3",
    },
    {
      id: `s3-${name}-replication-latency`,
      namespace: "AWS/S3",
      metricName: "ReplicationLatency",
      dimensions: dims,
      statistic: "Maximum",
      periodSeconds: 300,
      evaluationPeriods: 1,
      threshold: OBJECT_RPO_SECONDS,
      treatMissingData: "notBreaching",
      description: `S3 replication of ${name}: latency above ${OBJECT_RPO_SECONDS} s (the 15-minute RTC threshold)`,
      runbookAnchor: "2-objects-s3",
    },
  ];
}

/** The alarms, named `<prefix>-<id>`, to the alarm topic on ALARM and OK. */
export function createRecoveryAlarms(
  name: string,
  args: {
    readonly namePrefix: string;
    readonly alarmTopicArn: pulumi.Input<string>;
    readonly specs: readonly RecoveryAlarmSpec[];
  },
  opts: pulumi.CustomResourceOptions,
): aws.cloudwatch.MetricAlarm[] {
  return args.specs.map(
    (spec) =>
      new aws.cloudwatch.MetricAlarm(
        `${name}-${spec.id}`,
        {
          name: `${args.namePrefix}-${spec.id}`,
          alarmDescription: `${spec.description}. Runbook: ${RUNBOOK_DOC}#${spec.runbookAnchor}`,
          namespace: spec.namespace,
          metricName: spec.metricName,
          dimensions: spec.dimensions,
          statistic: spec.statistic,
          period: spec.periodSeconds,
          evaluationPeriods: spec.evaluationPeriods,
          datapointsToAlarm: spec.evaluationPeriods,
          comparisonOperator: "GreaterThanThreshold",
          threshold: spec.threshold,
          treatMissingData: spec.treatMissingData,
          alarmActions: [args.alarmTopicArn],
          okActions: [args.alarmTopicArn],
        },
        opts,
      ),
  );
}
