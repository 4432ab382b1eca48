import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EXPERIMENT_IDS, ResilienceArgs, SCHEDULE_DEFAULTS, SLO_DEFAULTS } from "./args";
import { fisRolePolicy, fisTrustPolicy } from "./documents";
import {
  actionIds,
  experimentSpecs,
  ExperimentSpec,
  FIS_KUBERNETES_USER,
  FIS_SERVICE_ACCOUNT,
} from "./experiments";
import { fisPodActionsRules } from "./kubernetes";
import { EXPERIMENT_OUTCOME_PATTERN, staggeredCron } from "./schedule";
import { QueryAlarmSpec, runbookLink, sloAlarms } from "./slo-alarms";
import { validateResilienceArgs } from "./validation";

/** Action parameters that say how long an action lasts. */
const DURATION_PARAMETERS = [
  "duration",
  "startInstancesAfterDuration",
  "durationBeforeInterruption",
];

/** One experiment as the stack outputs it (`npm run dr:plan -- --scenario chaos` reads it). */
export interface GameDayExperiment {
  readonly id: string;
  readonly title: string;
  readonly hypothesis: string;
  readonly blastRadius: string;
  readonly templateId: string;
  readonly actions: readonly { readonly actionId: string; readonly duration?: string }[];
  /** The schedule's cron, or undefined when the game day is started by hand. */
  readonly schedule?: string;
}

export interface GameDayPlan {
  readonly stack: string;
  readonly region: string;
  readonly availabilityZone: string;
  readonly timeZone?: string;
  /** What the stop conditions hold every experiment to. */
  readonly slo: { readonly errorRate: number; readonly latencyMs: number };
  readonly stopConditionAlarms: readonly string[];
  readonly logGroupName: string;
  readonly experiments: readonly GameDayExperiment[];
}

/**
 * Resilience you rehearse, for one stack: FIS experiment templates (pods, spot, nodes, database
 * failover, cache and zone power interruptions) that stop on the platform's SLO alarms, a
 * least-privilege FIS role, the experiments' logs, an alarm when an experiment ends stopped or
 * failed, and (opt-in) a monthly game day that starts them one after another.
 */
export class Resilience extends pulumi.ComponentResource {
  public readonly role: aws.iam.Role;
  public readonly stopConditionAlarms: readonly aws.cloudwatch.MetricAlarm[];
  public readonly templates: Readonly<Record<string, aws.fis.ExperimentTemplate>>;
  public readonly logGroup: aws.cloudwatch.LogGroup;
  public readonly outcomeAlarm: aws.cloudwatch.MetricAlarm;
  public readonly schedules: readonly aws.scheduler.Schedule[];
  public readonly plan: pulumi.Output<GameDayPlan>;

  constructor(name: string, args: ResilienceArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("platform:resilience:Resilience", name, {}, opts);
    validateResilienceArgs(args);
    const childOpts = { parent: this };
    const slo = { ...SLO_DEFAULTS, ...args.slo };
    const retentionInDays = args.logRetentionDays ?? 365;

    const specs = experimentSpecs(args.experiments ?? EXPERIMENT_IDS, {
      stack: args.stack,
      clusterName: args.clusterName,
      availabilityZone: args.availabilityZone,
      nodeGroupName: args.nodeGroupName,
      workload: args.workload,
      hasPostgres: args.postgresPrimaryArn !== undefined,
      hasCache: args.cacheReplicationGroupArn !== undefined,
    });

    // Metrics Insights can filter the ALBs' metrics by tag only with resource tags on telemetry
    // on (account and region wide; kept when the stack goes, like the cost-allocation tags).
    const tagsOnTelemetry = new aws.observabilityadmin.TelemetryEnrichment(
      `${name}-tags-on-telemetry`,
      {},
      { ...childOpts, retainOnDelete: true },
    );
    this.stopConditionAlarms = sloAlarms(args.clusterName, slo).map((spec) =>
      this.queryAlarm(name, args, spec, [tagsOnTelemetry]),
    );

    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-experiments`,
      {
        name: `/platform/${args.clusterName}/fis-experiments`,
        retentionInDays,
        kmsKeyId: args.logsKeyArn,
      },
      childOpts,
    );

    this.role = new aws.iam.Role(
      `${name}-fis-role`,
      {
        description: `AWS FIS experiments of ${args.stack}: the game day's actions on this stack only`,
        assumeRolePolicy: JSON.stringify(fisTrustPolicy(args.accountId, args.region)),
        maxSessionDuration: 3600,
      },
      childOpts,
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-fis-role-policy`,
      {
        role: this.role.name,
        policy: pulumi
          .all([
            args.vpcId,
            args.clusterArn,
            args.volumeKeyArn,
            args.postgresPrimaryArn,
            args.cacheReplicationGroupArn,
          ])
          .apply(([vpcId, clusterArn, volumeKeyArn, postgresPrimaryArn, cacheArn]) =>
            JSON.stringify(
              fisRolePolicy(actionIds(specs), {
                accountId: args.accountId,
                region: args.region,
                stack: args.stack,
                vpcId,
                clusterArn,
                volumeKeyArn,
                postgresPrimaryArn,
                cacheReplicationGroupArn: cacheArn,
              }),
            ),
          ),
      },
      childOpts,
    );

    const podAccess = specs.some((s) => s.targets.some((t) => t.resourceType === "aws:eks:pod"))
      ? this.podActionsAccess(name, args)
      : [];

    const templates: Record<string, aws.fis.ExperimentTemplate> = {};
    for (const spec of specs) {
      templates[spec.id] = this.template(name, args, spec, [rolePolicy, ...podAccess]);
    }
    this.templates = templates;

    this.outcomeAlarm = this.outcomeAlerting(name, args, retentionInDays);

    const schedule = args.schedule ? { ...SCHEDULE_DEFAULTS, ...args.schedule } : undefined;
    const crons = specs.map((_, i) => (schedule ? staggeredCron(i, schedule) : undefined));
    this.schedules = schedule ? this.gameDaySchedules(name, args, specs, crons, schedule) : [];

    this.plan = pulumi
      .all([
        pulumi.all(specs.map((s) => templates[s.id].id)),
        pulumi.all(this.stopConditionAlarms.map((a) => a.name)),
        this.logGroup.name,
      ])
      .apply(([ids, alarms, logGroupName]) => ({
        stack: args.stack,
        region: args.region,
        availabilityZone: args.availabilityZone,
        ...(schedule ? { timeZone: schedule.timeZone } : {}),
        slo,
        stopConditionAlarms: alarms,
        logGroupName,
        experiments: specs.map((s, i) => ({
          id: s.id,
          title: s.title,
          hypothesis: s.hypothesis,
          blastRadius: s.blastRadius,
          templateId: ids[i],
          actions: s.actions.map((a) => {
            const duration = DURATION_PARAMETERS.map((p) => a.parameters[p]).find(
              (v): v is string => typeof v === "string",
            );
            return { actionId: a.actionId, ...(duration ? { duration } : {}) };
          }),
          ...(crons[i] ? { schedule: crons[i] } : {}),
        })),
      }));

    this.registerOutputs({
      role: this.role,
      stopConditionAlarms: this.stopConditionAlarms,
      templates: this.templates,
      logGroup: this.logGroup,
      outcomeAlarm: this.outcomeAlarm,
      schedules: this.schedules,
      plan: this.plan,
    });
  }

  private queryAlarm(
    name: string,
    args: ResilienceArgs,
    spec: QueryAlarmSpec,
    dependsOn: pulumi.Resource[],
  ): aws.cloudwatch.MetricAlarm {
    return new aws.cloudwatch.MetricAlarm(
      `${name}-${spec.id}`,
      {
        name: `${args.clusterName}-${spec.id}`,
        alarmDescription: `${spec.description}. Runbook: ${runbookLink(spec.runbook)}`,
        comparisonOperator: "GreaterThanThreshold",
        threshold: spec.threshold,
        evaluationPeriods: spec.evaluationPeriods,
        datapointsToAlarm: spec.datapointsToAlarm,
        treatMissingData: spec.treatMissingData,
        metricQueries: spec.queries.map((q) => ({ ...q })),
        alarmActions: [args.alarmTopicArn],
        okActions: [args.alarmTopicArn],
      },
      { parent: this, dependsOn },
    );
  }

  /** FIS's pod actions: its role as a Kubernetes user, a service account, a namespaced Role. */
  private podActionsAccess(name: string, args: ResilienceArgs): pulumi.Resource[] {
    const accessEntry = new aws.eks.AccessEntry(
      `${name}-fis-access`,
      {
        clusterName: args.clusterName,
        principalArn: this.role.arn,
        type: "STANDARD",
        userName: FIS_KUBERNETES_USER,
      },
      { parent: this },
    );
    const metadata = (objectName: string) => ({
      name: objectName,
      namespace: args.workload.namespace,
      labels: { "app.kubernetes.io/part-of": "game-day" },
    });
    const serviceAccount = new k8s.core.v1.ServiceAccount(
      `${name}-fis-service-account`,
      // FIS's pod runs as this account and calls the API with its token (ephemeral containers).
      { metadata: metadata(FIS_SERVICE_ACCOUNT) },
      { parent: this },
    );
    const role = new k8s.rbac.v1.Role(
      `${name}-fis-pod-actions`,
      { metadata: metadata("fis-pod-actions"), rules: fisPodActionsRules() },
      { parent: this },
    );
    const binding = new k8s.rbac.v1.RoleBinding(
      `${name}-fis-pod-actions`,
      {
        metadata: metadata("fis-pod-actions"),
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "fis-pod-actions" },
        subjects: [
          { kind: "ServiceAccount", name: FIS_SERVICE_ACCOUNT, namespace: args.workload.namespace },
          { kind: "User", name: FIS_KUBERNETES_USER, apiGroup: "rbac.authorization.k8s.io" },
        ],
      },
      { parent: this, dependsOn: [role, serviceAccount] },
    );
    return [accessEntry, binding];
  }

  private template(
    name: string,
    args: ResilienceArgs,
    spec: ExperimentSpec,
    dependsOn: pulumi.Resource[],
  ): aws.fis.ExperimentTemplate {
    return new aws.fis.ExperimentTemplate(
      `${name}-${spec.id}`,
      {
        description: `${spec.title}. Hypothesis: ${spec.hypothesis}`.slice(0, 512),
        roleArn: this.role.arn,
        stopConditions: this.stopConditionAlarms.map((alarm) => ({
          source: "aws:cloudwatch:alarm",
          value: alarm.arn,
        })),
        targets: spec.targets.map((t) => ({
          name: t.name,
          resourceType: t.resourceType,
          selectionMode: t.selectionMode,
          ...(t.resourceTags
            ? {
                resourceTags: Object.entries(t.resourceTags).map(([key, value]) => ({
                  key,
                  value,
                })),
              }
            : {}),
          ...(t.filters
            ? { filters: t.filters.map((f) => ({ ...f, values: [...f.values] })) }
            : {}),
          ...(t.parameters ? { parameters: { ...t.parameters } } : {}),
        })),
        actions: spec.actions.map((a) => ({
          name: a.name,
          actionId: a.actionId,
          description: a.description,
          parameters: Object.entries(a.parameters).map(([key, value]) => ({ key, value })),
          target: { ...a.target },
          ...(a.startAfter ? { startAfters: [...a.startAfter] } : {}),
        })),
        logConfiguration: {
          logSchemaVersion: 2,
          cloudwatchLogsConfiguration: { logGroupArn: pulumi.interpolate`${this.logGroup.arn}:*` },
        },
        tags: { Name: `${args.clusterName}-${spec.id}` },
      },
      { parent: this, dependsOn },
    );
  }

  /**
   * Experiments that end stopped (a stop condition fired, or someone stopped them) or failed reach
   * on-call as a CloudWatch alarm: FIS's state-change events go to a log group (kept, with the
   * experiments' logs), a metric filter counts them, the alarm posts to the stack's alarm topic.
   */
  private outcomeAlerting(
    name: string,
    args: ResilienceArgs,
    retentionInDays: number,
  ): aws.cloudwatch.MetricAlarm {
    const childOpts = { parent: this };
    const outcomes = new aws.cloudwatch.LogGroup(
      `${name}-outcomes`,
      {
        name: `/platform/${args.clusterName}/fis-outcomes`,
        retentionInDays,
        kmsKeyId: args.logsKeyArn,
      },
      childOpts,
    );
    const delivery = new aws.cloudwatch.LogResourcePolicy(
      `${name}-outcomes-delivery`,
      {
        policyName: `${args.clusterName}-fis-outcomes`,
        policyDocument: outcomes.arn.apply((arn) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { Service: ["events.amazonaws.com", "delivery.logs.amazonaws.com"] },
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: `${arn}:*`,
                Condition: { StringEquals: { "aws:SourceAccount": args.accountId } },
              },
            ],
          }),
        ),
      },
      childOpts,
    );
    const rule = new aws.cloudwatch.EventRule(
      `${name}-outcomes`,
      {
        description: `FIS experiments of ${args.stack} that ended stopped or failed`,
        eventPattern: JSON.stringify(EXPERIMENT_OUTCOME_PATTERN),
      },
      childOpts,
    );
    new aws.cloudwatch.EventTarget(
      `${name}-outcomes`,
      { rule: rule.name, arn: outcomes.arn, targetId: "FisOutcomesLogGroup" },
      { parent: this, dependsOn: [delivery] },
    );
    const metric = { namespace: "Platform/GameDay", name: "ExperimentsNotCompleted" };
    new aws.cloudwatch.LogMetricFilter(
      `${name}-outcomes`,
      {
        logGroupName: outcomes.name,
        // The rule only lets the outcomes through: every event counts.
        pattern: "",
        metricTransformation: { ...metric, value: "1" },
      },
      childOpts,
    );
    return new aws.cloudwatch.MetricAlarm(
      `${name}-experiment-stopped`,
      {
        name: `${args.clusterName}-fis-experiment-stopped`,
        alarmDescription: `A FIS experiment of ${args.stack} ended stopped or failed: the platform failed the test, or the test could not run. Runbook: ${runbookLink("experiment-stopped-or-failed")}`,
        namespace: metric.namespace,
        metricName: metric.name,
        statistic: "Sum",
        period: 300,
        evaluationPeriods: 1,
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        treatMissingData: "notBreaching",
        alarmActions: [args.alarmTopicArn],
      },
      childOpts,
    );
  }

  private gameDaySchedules(
    name: string,
    args: ResilienceArgs,
    specs: readonly ExperimentSpec[],
    crons: readonly (string | undefined)[],
    schedule: { timeZone: string },
  ): aws.scheduler.Schedule[] {
    const templateArns = specs.map(
      (s) =>
        pulumi.interpolate`arn:aws:fis:${args.region}:${args.accountId}:experiment-template/${this.templates[s.id].id}`,
    );
    const role = new aws.iam.Role(
      `${name}-scheduler-role`,
      {
        description: `EventBridge Scheduler: starts the game day's FIS experiments of ${args.stack}`,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "scheduler.amazonaws.com" },
              Action: "sts:AssumeRole",
              Condition: { StringEquals: { "aws:SourceAccount": args.accountId } },
            },
          ],
        }),
      },
      { parent: this },
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-scheduler-role-policy`,
      {
        role: role.name,
        policy: pulumi.all(templateArns).apply((arns) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "StartGameDayExperiments",
                Effect: "Allow",
                Action: "fis:StartExperiment",
                Resource: [...arns, `arn:aws:fis:${args.region}:${args.accountId}:experiment/*`],
              },
            ],
          }),
        ),
      },
      { parent: this },
    );
    return specs.map(
      (spec, i) =>
        new aws.scheduler.Schedule(
          `${name}-${spec.id}`,
          {
            name: `${args.clusterName}-game-day-${spec.id}`,
            description: `Game day, step ${i + 1} of ${specs.length}: ${spec.title}`,
            scheduleExpression: crons[i]!,
            scheduleExpressionTimezone: schedule.timeZone,
            flexibleTimeWindow: { mode: "OFF" },
            state: "ENABLED",
            target: {
              // EventBridge Scheduler's universal target calls fis:StartExperiment directly.
              arn: "arn:aws:scheduler:::aws-sdk:fis:startExperiment",
              roleArn: role.arn,
              input: this.templates[spec.id].id.apply((experimentTemplateId) =>
                JSON.stringify({
                  ExperimentTemplateId: experimentTemplateId,
                  ClientToken: "<aws.scheduler.execution-id>",
                }),
              ),
              // A game day step that cannot start is reported, never retried into the next step.
              retryPolicy: { maximumRetryAttempts: 0 },
            },
          },
          { parent: this, dependsOn: [policy] },
        ),
    );
  }
}
