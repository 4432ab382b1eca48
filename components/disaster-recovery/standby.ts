import { PRIORITY_CLASSES } from "@platform/cluster";
import { CHARTS, pinnedRelease, registryHost, serviceAccountRole } from "@platform/core";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createRecoveryAlarms, replicaLagAlarm } from "./alarms";
import {
  createRestoreDrill,
  createVeleroNamespace,
  STORAGE_LOCATION,
  VELERO_NAMESPACE,
} from "./cluster";
import { createReplica, replicaSubnetGroupName } from "./databases";
import {
  EXCLUDED_NAMESPACES,
  DRILL,
  HOURLY_TIER,
  standbyAlertRules,
  STANDBY_DRILL_SCHEDULE,
  veleroReadOnlyPolicy,
  veleroValues,
} from "./documents";
import type { DrPosture } from "./posture";

export type StandbyState = "passive" | "active";

export interface StandbyRecoveryArgs {
  readonly accountId: string;
  /** This (the standby's) stack: names the DB subnet group the primary's restore testing uses. */
  readonly stack: string;
  readonly region: string;
  /**
   * `active` is the failover: the replicas are promoted and the newest hourly backup restored.
   * @default "passive"
   */
  readonly state?: StandbyState;
  /** The primary stack's disaster-recovery posture, read through a StackReference. */
  readonly primary: pulumi.Output<DrPosture>;
  /**
   * The primary's databases to replicate, by their posture name.
   * @default ["postgres"]
   */
  readonly databaseNames?: readonly string[];
  /** The standby's VPC: the replicas sit in its isolated subnets. */
  readonly network: {
    readonly vpcId: pulumi.Input<string>;
    readonly cidr: string;
    readonly isolatedSubnetIds: readonly pulumi.Input<string>[];
  };
  /** The standby cluster's OIDC provider, which Velero's IRSA role trusts. */
  readonly cluster: {
    readonly oidcProviderArn: pulumi.Input<string>;
    readonly oidcProviderUrl: pulumi.Input<string>;
  };
  /** @default undefined - no replica-lag alarm */
  readonly alarmTopicArn?: pulumi.Input<string>;
  /** @default { namespace: "monitoring", ruleLabels: {} } */
  readonly monitoring?: {
    readonly namespace?: string;
    readonly ruleLabels?: Readonly<Record<string, string>>;
    /** The Prometheus Operator's release, whose CRDs the monitors and rules need. */
    readonly release?: pulumi.Resource;
  };
  /** @default 365 - retention of the replicas' exported PostgreSQL logs */
  readonly logRetentionDays?: number;
}

const value = <T>(posture: pulumi.Output<DrPosture>, pick: (p: DrPosture) => T): pulumi.Output<T> =>
  posture.apply(pick);

/**
 * A primary region's standby in its DR region: the cross-region replica of each primary database
 * (in this stack, so that failover needs nothing from the primary's region), its lag alarm, and
 * Velero reading the replicated backup bucket (read-only) with an hourly restore drill that proves
 * the newest backup restores. `state: active` promotes the replicas and restores the newest hourly
 * backup into the cluster.
 */
export class StandbyRecovery extends pulumi.ComponentResource {
  public readonly replicas: readonly aws.rds.Instance[];
  public readonly subnetGroupName: pulumi.Output<string>;
  public readonly securityGroupId: pulumi.Output<string>;
  public readonly veleroBucket: pulumi.Output<string>;

  constructor(name: string, args: StandbyRecoveryArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("platform:disaster-recovery:StandbyRecovery", name, {}, opts);
    const local = { parent: this };
    const state = args.state ?? "passive";
    const promoted = state === "active";
    const peerKeyArn = value(args.primary, (p) => p.peerKeyArn);

    const subnetGroup = new aws.rds.SubnetGroup(
      `${name}-db-subnets`,
      {
        name: replicaSubnetGroupName(args.stack),
        subnetIds: [...args.network.isolatedSubnetIds],
        description: "Isolated subnets of the standby VPC for replicas and restored databases",
      },
      local,
    );
    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-db-sg`,
      {
        vpcId: args.network.vpcId,
        description: "PostgreSQL replicas in the standby VPC: reachable from inside the VPC only",
        ingress: [
          {
            description: "PostgreSQL from the standby VPC (the standby cluster's workloads)",
            protocol: "tcp",
            fromPort: 5432,
            toPort: 5432,
            cidrBlocks: [args.network.cidr],
          },
        ],
        egress: [],
        tags: { Name: `${name}-db-sg` },
      },
      local,
    );
    this.replicas = (args.databaseNames ?? ["postgres"]).map((dbName) => {
      const db = value(args.primary, (p) => {
        const found = p.databases.find((d) => d.name === dbName);
        if (!found) throw new Error(`the primary's posture has no database named ${dbName}`);
        return found;
      });
      return createReplica(
        name,
        {
          accountId: args.accountId,
          database: {
            name: dbName,
            instanceArn: db.primaryArn,
            instanceIdentifier: db.primaryIdentifier,
            instanceClass: db.instanceClass,
            port: 5432,
            parameterGroup: {
              family: db.parameterGroupFamily,
              parameters: db.parameters,
            },
            monitoringIntervalSeconds: db.monitoringIntervalSeconds,
          },
          peerKeyArn,
          subnetGroupName: subnetGroup.name,
          securityGroupId: securityGroup.id,
          promoted,
          logRetentionDays: args.logRetentionDays ?? 365,
        },
        local,
      );
    });
    // Lag is a replica's metric: a promoted instance has none.
    if (args.alarmTopicArn !== undefined && !promoted) {
      createRecoveryAlarms(
        name,
        {
          namePrefix: `platform-${args.stack}`,
          alarmTopicArn: args.alarmTopicArn,
          specs: this.replicas.map((replica, i) =>
            replicaLagAlarm((args.databaseNames ?? ["postgres"])[i], replica.identifier),
          ),
        },
        local,
      );
    }

    const bucket = value(args.primary, (p) => p.velero.replicaBucket);
    const velero = this.createVelero(name, args, { bucket, keyArn: peerKeyArn, promoted });
    this.subnetGroupName = subnetGroup.name;
    this.securityGroupId = securityGroup.id;
    this.veleroBucket = bucket;
    this.registerOutputs({
      replicas: this.replicas,
      subnetGroupName: this.subnetGroupName,
      securityGroupId: this.securityGroupId,
      veleroBucket: this.veleroBucket,
      veleroRelease: velero,
    });
  }

  /** Velero on the replicated bucket, read-only; the hourly drill; the failover restore. */
  private createVelero(
    name: string,
    args: StandbyRecoveryArgs,
    source: {
      readonly bucket: pulumi.Output<string>;
      readonly keyArn: pulumi.Output<string>;
      readonly promoted: boolean;
    },
  ): k8s.helm.v3.Release {
    const local = { parent: this };
    const monitoring = args.monitoring ?? {};
    const monitoringNamespace = monitoring.namespace ?? "monitoring";
    const role = serviceAccountRole(
      `${name}-velero-irsa`,
      {
        oidcProviderArn: args.cluster.oidcProviderArn,
        oidcIssuerUrl: args.cluster.oidcProviderUrl,
        namespace: VELERO_NAMESPACE,
        serviceAccount: "velero",
        policy: pulumi.all([source.bucket, source.keyArn]).apply(([bucketName, keyArn]) =>
          JSON.stringify(
            veleroReadOnlyPolicy({
              bucketArn: `arn:aws:s3:::${bucketName}`,
              keyArn,
              region: args.region,
            }),
          ),
        ),
      },
      local,
    );
    const namespace = createVeleroNamespace(name, monitoringNamespace, local);
    const crdOpts = {
      ...local,
      dependsOn: [namespace, ...(monitoring.release ? [monitoring.release] : [])],
    };
    const release = pinnedRelease(
      `${name}-velero`,
      {
        chart: CHARTS.velero,
        namespace: VELERO_NAMESPACE,
        values: pulumi
          .all([role.arn, source.bucket, source.keyArn])
          .apply(([roleArn, bucketName, keyArn]) =>
            veleroValues({
              registryHost: registryHost(args.accountId, args.region),
              roleArn,
              bucketName,
              keyArn,
              region: args.region,
              storageLocation: STORAGE_LOCATION,
              priorityClassName: PRIORITY_CLASSES.platformCritical.name,
              accessMode: "ReadOnly",
            }),
          ),
      },
      crdOpts,
    );
    // Hourly: the primary's canary namespace, from the newest replicated hourly backup, restores
    // into the scratch namespace here, or StandbyRestoreStale fires.
    createRestoreDrill(
      name,
      {
        schedule: STANDBY_DRILL_SCHEDULE,
        sourceSchedule: HOURLY_TIER.name,
        registryHost: registryHost(args.accountId, args.region),
        dependsOn: [namespace, release],
      },
      local,
    );
    new k8s.apiextensions.CustomResource(
      `${name}-alerts`,
      {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PrometheusRule",
        metadata: {
          name: "standby-recovery",
          namespace: VELERO_NAMESPACE,
          labels: { ...(monitoring.ruleLabels ?? {}) },
        },
        spec: standbyAlertRules(VELERO_NAMESPACE),
      },
      crdOpts,
    );
    if (source.promoted) {
      // Failover: the newest hourly backup, everything but Velero's own and the drill's namespaces.
      new k8s.apiextensions.CustomResource(
        `${name}-failover-restore`,
        {
          apiVersion: "velero.io/v1",
          kind: "Restore",
          metadata: { name: "failover", namespace: VELERO_NAMESPACE },
          spec: {
            scheduleName: HOURLY_TIER.name,
            excludedNamespaces: [
              ...EXCLUDED_NAMESPACES,
              VELERO_NAMESPACE,
              DRILL.scratchNamespace,
              DRILL.canaryNamespace,
            ],
            includeClusterResources: true,
            restorePVs: true,
            existingResourcePolicy: "none",
          },
        },
        { ...local, dependsOn: [release] },
      );
    }
    return release;
  }
}
