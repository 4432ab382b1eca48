/**
 * The game day's experiments as plain FIS experiment-template specs: actions, targets, what each
 * proves. Targets are selected by the tags the platform already sets (`platform:stack` on every
 * resource through the provider's default tags, Karpenter's `karpenter.sh/nodepool`, EKS's
 * `eks:nodegroup-name`), never by ID lists, so a template can only reach its own stack.
 * @see https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html
 * @see https://docs.aws.amazon.com/fis/latest/userguide/az-availability-scenario.html
 */
import { BACKUP_TAG, STACK_TAG_KEY } from "@platform/model";
import * as pulumi from "@pulumi/pulumi";
import { ChaosWorkloadArgs, ExperimentId } from "./args";

export interface ActionSpec {
  readonly name: string;
  readonly actionId: string;
  readonly description: string;
  /** Action parameters; durations are ISO 8601 (`PT15M`). */
  readonly parameters: Readonly<Record<string, pulumi.Input<string>>>;
  /** The target's key as the action names it (`Instances`, `Pods`, ...) and the target's name. */
  readonly target: { readonly key: string; readonly value: string };
  readonly startAfter?: readonly string[];
}

export interface TargetSpec {
  readonly name: string;
  readonly resourceType: string;
  readonly selectionMode: string;
  readonly resourceTags?: Readonly<Record<string, pulumi.Input<string>>>;
  readonly filters?: readonly { readonly path: string; readonly values: readonly string[] }[];
  /** aws:eks:pod targets are chosen by parameters only (FIS accepts no tags or ARNs for pods). */
  readonly parameters?: Readonly<Record<string, pulumi.Input<string>>>;
}

export interface ExperimentSpec {
  readonly id: ExperimentId;
  readonly title: string;
  /** What the experiment proves when it completes without tripping a stop condition. */
  readonly hypothesis: string;
  /** What it touches, at most. */
  readonly blastRadius: string;
  readonly actions: readonly ActionSpec[];
  readonly targets: readonly TargetSpec[];
}

export interface ExperimentTargets {
  readonly stack: string;
  readonly clusterName: string;
  readonly availabilityZone: string;
  readonly nodeGroupName: pulumi.Input<string>;
  readonly workload: ChaosWorkloadArgs;
  /** Present when the stack has a data tier. */
  readonly hasPostgres: boolean;
  readonly hasCache: boolean;
}

/** The Kubernetes service account FIS's pod actions run their fault-injection pod as. */
export const FIS_SERVICE_ACCOUNT = "fis-experiment";
/** The Kubernetes user the FIS role maps to through its EKS access entry. */
export const FIS_KUBERNETES_USER = "fis-experiment";

/** Tags that scope a target to this stack, plus any narrower ones. */
function stackTags(
  stack: string,
  extra: Readonly<Record<string, pulumi.Input<string>>> = {},
): Readonly<Record<string, pulumi.Input<string>>> {
  return { [STACK_TAG_KEY]: stack, ...extra };
}

const RUNNING = { path: "State.Name", values: ["running"] };

/** The six experiments; each returns undefined when its target does not exist in the stack. */
const BUILDERS: Readonly<
  Record<ExperimentId, (t: ExperimentTargets) => ExperimentSpec | undefined>
> = {
  "pod-faults": (t): ExperimentSpec => ({
    id: "pod-faults",
    title: "Pod faults on the chosen workload",
    hypothesis: `p95 stays under the latency SLO and errors under the error budget while a third of the selected pods in namespace ${t.workload.namespace} are deleted, then CPU-starved for 5 minutes, then slowed by 50 ms for 5 minutes`,
    blastRadius: `a third of the pods matching ${t.workload.labelSelector} in namespace ${t.workload.namespace} of ${t.clusterName}`,
    targets: [
      {
        name: "Pods",
        resourceType: "aws:eks:pod",
        selectionMode: "PERCENT(34)",
        parameters: {
          clusterIdentifier: t.clusterName,
          namespace: t.workload.namespace,
          selectorType: "labelSelector",
          selectorValue: t.workload.labelSelector,
        },
      },
    ],
    actions: [
      {
        name: "delete-pods",
        actionId: "aws:eks:pod-delete",
        description: "Deletes the pods; their Deployment must replace them within its budget",
        parameters: { kubernetesServiceAccount: FIS_SERVICE_ACCOUNT, gracePeriodSeconds: "30" },
        target: { key: "Pods", value: "Pods" },
      },
      {
        name: "stress-cpu",
        actionId: "aws:eks:pod-cpu-stress",
        description: "Holds the pods' CPU at 80% for 5 minutes",
        parameters: {
          kubernetesServiceAccount: FIS_SERVICE_ACCOUNT,
          duration: "PT5M",
          percent: "80",
        },
        target: { key: "Pods", value: "Pods" },
        startAfter: ["delete-pods"],
      },
      {
        name: "add-latency",
        actionId: "aws:eks:pod-network-latency",
        description: "Adds 50 ms to the pods' network for 5 minutes",
        parameters: {
          kubernetesServiceAccount: FIS_SERVICE_ACCOUNT,
          duration: "PT5M",
          delayMilliseconds: "50",
        },
        target: { key: "Pods", value: "Pods" },
        startAfter: ["stress-cpu"],
      },
    ],
  }),
  "spot-interruption": (t): ExperimentSpec => ({
    id: "spot-interruption",
    title: "Spot interruption notices to Karpenter's spot nodes",
    hypothesis:
      "Karpenter drains and replaces a quarter of the spot nodes within their two-minute notice, and the SLO holds",
    blastRadius: `25% of the running instances of Karpenter's spot NodePool in ${t.clusterName}`,
    targets: [
      {
        name: "SpotNodes",
        resourceType: "aws:ec2:spot-instance",
        selectionMode: "PERCENT(25)",
        resourceTags: stackTags(t.stack, { "karpenter.sh/nodepool": "spot" }),
        filters: [RUNNING],
      },
    ],
    actions: [
      {
        name: "interrupt-spot",
        actionId: "aws:ec2:send-spot-instance-interruptions",
        description: "Sends the two-minute interruption notice, then interrupts",
        parameters: { durationBeforeInterruption: "PT2M" },
        target: { key: "SpotInstances", value: "SpotNodes" },
      },
    ],
  }),
  "node-termination": (t): ExperimentSpec => ({
    id: "node-termination",
    title: "Termination of a share of one node pool",
    hypothesis:
      "the node group replaces a third of its nodes and their pods reschedule without breaching the SLO",
    blastRadius: `a third of the running nodes of the managed workloads node group of ${t.clusterName}`,
    targets: [
      {
        name: "PoolNodes",
        resourceType: "aws:ec2:instance",
        selectionMode: "PERCENT(34)",
        resourceTags: stackTags(t.stack, { "eks:nodegroup-name": t.nodeGroupName }),
        filters: [RUNNING],
      },
    ],
    actions: [
      {
        name: "terminate-nodes",
        actionId: "aws:ec2:terminate-instances",
        description: "Terminates the nodes",
        parameters: {},
        target: { key: "Instances", value: "PoolNodes" },
      },
    ],
  }),
  "postgres-failover": (t): ExperimentSpec | undefined =>
    t.hasPostgres
      ? {
          id: "postgres-failover",
          title: "Forced Multi-AZ failover of the PostgreSQL primary",
          hypothesis:
            "RDS fails the primary over to its standby within about a minute, RDS Proxy reconnects clients, and the error budget holds",
          blastRadius: `the PostgreSQL primary of ${t.stack} (its replicas are not targeted)`,
          targets: [
            {
              name: "Primary",
              resourceType: "aws:rds:db",
              selectionMode: "ALL",
              // The primary is the stack's only instance enrolled in AWS Backup.
              resourceTags: stackTags(t.stack, { [BACKUP_TAG.key]: BACKUP_TAG.value }),
            },
          ],
          actions: [
            {
              name: "failover",
              actionId: "aws:rds:reboot-db-instances",
              description: "Reboots the primary with a forced failover to its standby",
              parameters: { forceFailover: "true" },
              target: { key: "DBInstances", value: "Primary" },
            },
          ],
        }
      : undefined,
  "cache-az-power": (t): ExperimentSpec | undefined =>
    t.hasCache
      ? {
          id: "cache-az-power",
          title: `ElastiCache power interruption in ${t.availabilityZone}`,
          hypothesis: `the Valkey shards whose primaries are in ${t.availabilityZone} fail over to replicas in other zones and the SLO holds for 10 minutes`,
          blastRadius: `the cache nodes of ${t.stack} in ${t.availabilityZone}`,
          targets: [
            {
              name: "Cache",
              resourceType: "aws:elasticache:replicationgroup",
              selectionMode: "ALL",
              resourceTags: stackTags(t.stack),
              parameters: { availabilityZoneIdentifier: t.availabilityZone },
            },
          ],
          actions: [
            {
              name: "interrupt-cache-power",
              actionId: "aws:elasticache:replicationgroup-interrupt-az-power",
              description: `Interrupts the power of the cache nodes in ${t.availabilityZone} for 10 minutes`,
              parameters: { duration: "PT10M" },
              target: { key: "ReplicationGroups", value: "Cache" },
            },
          ],
        }
      : undefined,
  "az-power-interruption": (t): ExperimentSpec => ({
    id: "az-power-interruption",
    title: `Power interruption of ${t.availabilityZone} (workload capacity)`,
    hypothesis: `p95 stays under the latency SLO while ${t.availabilityZone} is lost for 15 minutes: its nodes stopped, its subnets cut off`,
    blastRadius: `every running instance of ${t.stack} in ${t.availabilityZone} and the stack's subnets there`,
    targets: [
      {
        name: "ZoneNodes",
        resourceType: "aws:ec2:instance",
        selectionMode: "ALL",
        resourceTags: stackTags(t.stack),
        filters: [RUNNING, { path: "Placement.AvailabilityZone", values: [t.availabilityZone] }],
      },
      {
        name: "ZoneSubnets",
        resourceType: "aws:ec2:subnet",
        selectionMode: "ALL",
        resourceTags: stackTags(t.stack),
        filters: [{ path: "AvailabilityZone", values: [t.availabilityZone] }],
      },
    ],
    // The AZ Availability: Power Interruption scenario's compute and network actions.
    actions: [
      {
        name: "stop-zone-nodes",
        actionId: "aws:ec2:stop-instances",
        description: "Stops the zone's nodes and starts them again after 15 minutes",
        parameters: { startInstancesAfterDuration: "PT15M" },
        target: { key: "Instances", value: "ZoneNodes" },
      },
      {
        name: "disrupt-zone-network",
        actionId: "aws:network:disrupt-connectivity",
        description: "Denies all traffic in and out of the zone's subnets for 15 minutes",
        parameters: { duration: "PT15M", scope: "all" },
        target: { key: "Subnets", value: "ZoneSubnets" },
      },
    ],
  }),
};

/** The experiments to declare, in the game day's order, leaving out those without targets. */
export function experimentSpecs(
  ids: readonly ExperimentId[],
  targets: ExperimentTargets,
): ExperimentSpec[] {
  return ids.flatMap((id) => {
    const spec = BUILDERS[id](targets);
    return spec ? [spec] : [];
  });
}

/** Action ids the specs use: what the FIS role must be able to do, and nothing more. */
export function actionIds(specs: readonly ExperimentSpec[]): string[] {
  return [...new Set(specs.flatMap((s) => s.actions.map((a) => a.actionId)))].sort();
}
