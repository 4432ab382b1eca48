/**
 * Metrics outside the cluster: an Amazon Managed Service for Prometheus workspace in the stack's
 * region, encrypted with a customer key, logging to CloudWatch, keeping samples for the configured
 * retention; the IRSA role Prometheus remote-writes with, and Grafana's read access to it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { encryptionKey, serviceAccountRole } from "@platform/core";
import { DR_EXEMPT_TAG } from "@platform/model";
import { ObservabilityArgs } from "./args";
import { managedPrometheusQueryPolicy, remoteWritePolicy } from "./documents";
import { PROMETHEUS_SERVICE_ACCOUNT } from "./values";

/**
 * Retention the workspace configuration accepts, in days. Minimum 1: the AMP API reference,
 * WorkspaceConfigurationDescription.retentionPeriodInDays "Valid Range: Minimum value of 1"
 * (https://docs.aws.amazon.com/prometheus/latest/APIReference/API_WorkspaceConfigurationDescription.html).
 * Maximum 1095: the AMP user guide, "Configure your workspace": "The maximum is 1095 days (three
 * years)" (https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-workspace-configuration.html).
 * Both read 2026-12-05.
 */
export const AMP_RETENTION_RANGE = { min: 1, max: 1095 } as const;
/** 13 months: a year-over-year comparison and the post-mortems of a whole year. */
export const DEFAULT_AMP_RETENTION_DAYS = 400;
/** Days the workspace's CloudWatch log group keeps its logs (CKV_AWS_338: at least a year). */
const WORKSPACE_LOG_RETENTION_DAYS = 365;

export interface ManagedPrometheus {
  readonly workspace: aws.amp.Workspace;
  readonly configuration: aws.amp.WorkspaceConfiguration;
  readonly logGroup: aws.cloudwatch.LogGroup;
  /** IRSA role of Prometheus's service account. */
  readonly remoteWriteRole: aws.iam.Role;
  /** `<prometheusEndpoint>api/v1/remote_write`. */
  readonly remoteWriteUrl: pulumi.Output<string>;
  /** The workspace's query endpoint, Grafana's data source URL. */
  readonly queryUrl: pulumi.Output<string>;
}

/** The workspace and its roles; `grafanaRole` gets the read-only query policy. */
export function createManagedPrometheus(
  name: string,
  args: ObservabilityArgs,
  namespace: string,
  grafanaRole: aws.iam.Role,
  opts: pulumi.CustomResourceOptions,
): ManagedPrometheus {
  const key = encryptionKey(
    `${name}-amp-key`,
    {
      description: `Metrics of ${args.clusterName} in Amazon Managed Service for Prometheus, and its logs`,
      accountId: args.accountId,
      region: args.region,
      logsService: true,
      alias: `${args.clusterName}-amp`,
    },
    { ...opts, protect: true },
  );
  // AMP's vended logs: the /aws/vendedlogs/ prefix keeps the log resource policy small.
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-amp-logs`,
    {
      name: `/aws/vendedlogs/prometheus/${args.clusterName}`,
      retentionInDays: WORKSPACE_LOG_RETENTION_DAYS,
      kmsKeyId: key.arn,
    },
    opts,
  );
  const workspace = new aws.amp.Workspace(
    `${name}-amp`,
    {
      alias: args.clusterName,
      kmsKeyArn: key.arn,
      loggingConfiguration: { logGroupArn: pulumi.interpolate`${logGroup.arn}:*` },
      // The region's metrics history; a regional failover starts the peer's own history.
      tags: {
        [DR_EXEMPT_TAG]: "metrics: each region's workspace keeps its own history; not copied",
      },
    },
    { ...opts, protect: true },
  );
  const configuration = new aws.amp.WorkspaceConfiguration(
    `${name}-amp-configuration`,
    {
      workspaceId: workspace.id,
      retentionPeriodInDays: args.managedPrometheus?.retentionDays ?? DEFAULT_AMP_RETENTION_DAYS,
    },
    opts,
  );
  const remoteWriteRole = serviceAccountRole(
    `${name}-prometheus-role`,
    {
      oidcProviderArn: args.oidcProviderArn,
      oidcIssuerUrl: args.oidcProviderUrl,
      namespace,
      serviceAccount: PROMETHEUS_SERVICE_ACCOUNT,
      policy: workspace.arn.apply((arn) => JSON.stringify(remoteWritePolicy(arn))),
    },
    opts,
  );
  new aws.iam.RolePolicy(
    `${name}-grafana-role-amp`,
    {
      role: grafanaRole.name,
      policy: workspace.arn.apply((arn) => JSON.stringify(managedPrometheusQueryPolicy(arn))),
    },
    opts,
  );
  return {
    workspace,
    configuration,
    logGroup,
    remoteWriteRole,
    remoteWriteUrl: pulumi.interpolate`${workspace.prometheusEndpoint}api/v1/remote_write`,
    queryUrl: workspace.prometheusEndpoint,
  };
}
