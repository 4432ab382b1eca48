/**
 * How long a `pulumi up` takes, estimated before deploying: typical create times per resource type
 * (each with its source and date) over the recorded dependency graph (dependencies, which hold
 * both property dependencies and `dependsOn`; the provider; the parent). The engine runs
 * independent steps in parallel, so the estimate is the longest chain, the critical path; it
 * assumes unlimited parallelism and no API throttling, so it is a lower bound of a calm day.
 */
import type { ChangeKind, ResourceDiff } from "./diff";

export interface TimeFigure {
  readonly seconds: number;
  /** Where the figure comes from, with the date it was published or read. */
  readonly source: string;
}

/** What every type not in the table is assumed to take: most AWS API objects are created in seconds. */
export const DEFAULT_CREATE: TimeFigure = {
  seconds: 30,
  source:
    "default for types without a published figure: most AWS API objects are created in seconds (a VPC took 20-39 s in the logs cited for aws:ec2/vpc:Vpc); Helm releases and other Kubernetes objects are also counted at this default",
};

const RDS_SOURCE =
  'oneuptime.com, "How to Handle Resources That Take Long to Create in Terraform" (2026-02-23): "An RDS instance can take 10-20 minutes"';
const EKS_SOURCE =
  'AWS EKS API Reference, CreateCluster: "Cluster creation typically takes between 10 and 15 minutes" (read 2026-12-05); measured 899.9 s in us-west-2 by easontechtalk.com, "Unofficial EKS Cluster Creation Performance" (read 2026-12-05)';

/** Typical create times, by type token. */
export const CREATE_TIMES: Readonly<Record<string, TimeFigure>> = {
  "eks:index:Cluster": { seconds: 900, source: EKS_SOURCE },
  "aws:eks/cluster:Cluster": { seconds: 900, source: EKS_SOURCE },
  "aws:eks/nodeGroup:NodeGroup": {
    seconds: 690,
    source:
      "hashicorp/terraform-provider-aws PR #10916 (2019-11-18): TestAccAWSEksNodeGroup_basic 1,593 s, which first creates its cluster (~900 s, above): ~690 s for the node group",
  },
  "aws:rds/instance:Instance": { seconds: 900, source: RDS_SOURCE },
  "aws:elasticache/replicationGroup:ReplicationGroup": {
    seconds: 650,
    source:
      "hashicorp/terraform-provider-aws PR #49428 (2026): TestAccElastiCacheReplicationGroup_Valkey_basic 648 s",
  },
  "aws:ec2/natGateway:NatGateway": {
    seconds: 300,
    source:
      "kubernetes/kops PR #995 (2016-11-28): \"It takes 'forever' (up to 5 min...) for a NatGateway to become available\"",
  },
  "aws:cloudfront/distribution:Distribution": {
    seconds: 1350,
    source:
      'oneuptime.com (2026-02-23, as above): "A CloudFront distribution might need 15-30 minutes" (midpoint)',
  },
  "aws:ec2/vpc:Vpc": {
    seconds: 30,
    source:
      'turbot/steampipe-plugin-aws PRs #184 and #246 (2021): "aws_vpc: Creation complete after 20s" and "after 39s"',
  },
  "aws:ec2/subnet:Subnet": {
    seconds: 8,
    source:
      'turbot/steampipe-plugin-aws PRs #184 and #246 (2021): "aws_subnet: Creation complete after 5s" and "after 8s"',
  },
  "aws:elasticache/subnetGroup:SubnetGroup": {
    seconds: 8,
    source:
      'turbot/steampipe-plugin-aws PRs #184 and #246 (2021): "aws_elasticache_subnet_group: Creation complete after 8s" and "after 2s"',
  },
  "aws:ec2/routeTableAssociation:RouteTableAssociation": {
    seconds: 1,
    source:
      'terraform-aws-modules/terraform-aws-eks issue #2203 (2022): "aws_route_table_association ... Creation complete after 1s"',
  },
  "aws:eks/accessEntry:AccessEntry": {
    seconds: 1,
    source:
      'DevopsArtFactory/terraform-provisioning PR #47 (2024): "aws_eks_access_entry ... Creation complete after 1s"',
  },
};

/** RDS variants the inputs tell apart. */
const RDS_MULTI_AZ: TimeFigure = {
  seconds: 1200,
  source: `${RDS_SOURCE} (upper end: a Multi-AZ instance also provisions its standby)`,
};
const RDS_CROSS_REGION_REPLICA: TimeFigure = {
  seconds: 1400,
  source:
    "hashicorp/terraform-provider-aws PR #40426 (2024-12): TestAccRDSInstance_ReplicateSourceDB_CrossRegion_parameterGroupNamePostgres 2,297 s, which first creates its source instance (~900 s): ~1,400 s for the snapshot, its copy and the replica",
};
const ELASTICACHE_MULTI_AZ: TimeFigure = {
  seconds: 1560,
  source:
    "hashicorp/terraform-provider-aws PR #23979 (2022): TestAccElastiCacheReplicationGroup_NumberCacheClusters_multiAZEnabled 1,559 s",
};

/** The variants `createTime` tells apart by the inputs, for the docs. */
export const CREATE_TIME_VARIANTS: readonly {
  readonly when: string;
  readonly figure: TimeFigure;
}[] = [
  { when: "`aws:rds/instance:Instance` with `multiAz`", figure: RDS_MULTI_AZ },
  {
    when: "`aws:rds/instance:Instance` replicating a source given by ARN (cross-Region replica)",
    figure: RDS_CROSS_REGION_REPLICA,
  },
  {
    when: "`aws:elasticache/replicationGroup:ReplicationGroup` with `multiAzEnabled`",
    figure: ELASTICACHE_MULTI_AZ,
  },
];

/** Figures of zero: registrations that create nothing in the cloud. */
const INSTANT: TimeFigure = { seconds: 0, source: "creates nothing in the cloud" };

export interface TimedResource {
  readonly urn: string;
  readonly type: string;
  readonly custom: boolean;
  readonly remote: boolean;
  readonly parent: string | null;
  /** Provider URN (without the id). */
  readonly provider: string | null;
  readonly dependencies?: readonly string[];
  readonly inputs: unknown;
}

function input(r: TimedResource, key: string): unknown {
  return (r.inputs as Record<string, unknown> | null)?.[key];
}

/** The create time of one resource, and its source. */
export function createTime(r: TimedResource): TimeFigure {
  if (r.type === "pulumi:pulumi:Stack" || r.type.startsWith("pulumi:providers:")) return INSTANT;
  if (!r.custom && !r.remote) return INSTANT;
  if (r.type === "aws:rds/instance:Instance") {
    const source = input(r, "replicateSourceDb");
    // A cross-Region replica names its source by ARN; a same-Region one by identifier.
    if (typeof source === "string" && source.startsWith("arn:")) return RDS_CROSS_REGION_REPLICA;
    if (input(r, "multiAz") === true) return RDS_MULTI_AZ;
  }
  if (
    r.type === "aws:elasticache/replicationGroup:ReplicationGroup" &&
    input(r, "multiAzEnabled") === true
  ) {
    return ELASTICACHE_MULTI_AZ;
  }
  return CREATE_TIMES[r.type] ?? DEFAULT_CREATE;
}

export interface PathStep {
  readonly urn: string;
  readonly type: string;
  readonly seconds: number;
  /** Seconds from the start of the deploy when this step finishes. */
  readonly finishesAt: number;
  readonly source: string;
}

export interface DeployEstimate {
  readonly seconds: number;
  /** The chain of steps that decides the duration, first to last (steps of zero left out). */
  readonly criticalPath: readonly PathStep[];
  /** Resources timed, and how many of them at the default figure. */
  readonly resources: number;
  readonly atDefault: number;
  readonly defaultSeconds: number;
}

interface Node {
  readonly resource: TimedResource;
  readonly seconds: number;
  readonly source: string;
}

/**
 * The critical path over the graph. `durationOf` gives each resource's own step (its create time
 * for a first deploy; for an update, only changed resources take time). A component's children
 * start when the component is registered; whoever depends on a component waits for all of it.
 */
function criticalPath(
  resources: readonly TimedResource[],
  durationOf: (r: TimedResource) => TimeFigure,
): DeployEstimate {
  const nodes = new Map<string, Node>();
  for (const r of resources) {
    const figure = durationOf(r);
    nodes.set(r.urn, { resource: r, seconds: figure.seconds, source: figure.source });
  }
  const children = new Map<string, string[]>();
  for (const r of resources) {
    if (r.parent && nodes.has(r.parent)) {
      children.set(r.parent, [...(children.get(r.parent) ?? []), r.urn]);
    }
  }
  const isComponent = (r: TimedResource) => !r.custom && !r.remote;
  // What decided a time: the resource's own finish, the whole of it (a component with everything
  // below it), or the moment it was ready to start (a component's children start then).
  type Via = { readonly urn: string; readonly mode: "own" | "whole" | "ready" };
  type At = { readonly at: number; readonly via?: Via };
  const finish = new Map<string, At>();
  const done = new Map<string, At>();
  const visiting = new Set<string>();

  const latest = (urns: readonly string[], mode: Via["mode"], of: (u: string) => At): At =>
    urns.reduce<At>(
      (best, urn) => {
        const at = of(urn).at;
        return at > best.at ? { at, via: { urn, mode } } : best;
      },
      { at: 0 },
    );

  // When a resource may start: after its dependencies, its provider and its parent.
  function ready(urn: string): At {
    const key = `ready:${urn}`;
    if (visiting.has(key)) return { at: 0 };
    visiting.add(key);
    try {
      return readyAt(urn);
    } finally {
      visiting.delete(key);
    }
  }

  function readyAt(urn: string): At {
    const r = nodes.get(urn)!.resource;
    const waits = [...(r.dependencies ?? []), ...(r.provider ? [r.provider] : [])].filter(
      (u) => u !== urn && nodes.has(u),
    );
    const deps = latest(waits, "whole", whole);
    const parent = r.parent && nodes.has(r.parent) ? r.parent : undefined;
    if (!parent) return deps;
    const parentAt = isComponent(nodes.get(parent)!.resource)
      ? latest([parent], "ready", ready)
      : latest([parent], "own", own);
    return parentAt.at > deps.at ? parentAt : deps;
  }

  function own(urn: string): At {
    const known = finish.get(urn);
    if (known) return known;
    if (visiting.has(urn)) return { at: 0 };
    visiting.add(urn);
    const start = ready(urn);
    const result = { at: start.at + nodes.get(urn)!.seconds, via: start.via };
    visiting.delete(urn);
    finish.set(urn, result);
    return result;
  }

  // What a dependent of `urn` waits for: the resource, or a component with all its descendants.
  function whole(urn: string): At {
    if (!isComponent(nodes.get(urn)!.resource)) return own(urn);
    const known = done.get(urn);
    if (known) return known;
    if (visiting.has(urn)) return { at: 0 };
    visiting.add(urn);
    const below = latest(children.get(urn) ?? [], "whole", whole);
    const start = ready(urn);
    const result = below.at >= start.at ? below : start;
    visiting.delete(urn);
    done.set(urn, result);
    return result;
  }

  let end: { at: number; urn?: string } = { at: 0 };
  for (const urn of nodes.keys()) {
    const at = own(urn).at;
    if (at > end.at) end = { at, urn };
  }
  // Walk back along what decided each time, collecting the resources that took time.
  const path: PathStep[] = [];
  const seen = new Set<string>();
  let cursor: Via | undefined = end.urn ? { urn: end.urn, mode: "own" } : undefined;
  while (cursor && !seen.has(`${cursor.mode}:${cursor.urn}`)) {
    seen.add(`${cursor.mode}:${cursor.urn}`);
    const node = nodes.get(cursor.urn)!;
    const component = isComponent(node.resource);
    if (cursor.mode === "ready") {
      cursor = ready(cursor.urn).via;
      continue;
    }
    if (component) {
      cursor = whole(cursor.urn).via;
      continue;
    }
    if (node.seconds > 0) {
      path.push({
        urn: cursor.urn,
        type: node.resource.type,
        seconds: node.seconds,
        finishesAt: own(cursor.urn).at,
        source: node.source,
      });
    }
    cursor = own(cursor.urn).via;
  }
  const timed = [...nodes.values()].filter((n) => n.resource.custom || n.resource.remote);
  return {
    seconds: end.at,
    criticalPath: path.reverse(),
    resources: timed.length,
    atDefault: timed.filter((n) => n.source === DEFAULT_CREATE.source).length,
    defaultSeconds: DEFAULT_CREATE.seconds,
  };
}

/** A first `pulumi up` of the stack: every resource is created. */
export function estimateFirstDeploy(resources: readonly TimedResource[]): DeployEstimate {
  return criticalPath(resources, createTime);
}

/**
 * An update from the base to the current program: created and replaced resources take their
 * create time (Pulumi creates the replacement first), updates the default figure (no published
 * per-type update times), unchanged resources nothing. Deletes run after the rest and are not
 * timed.
 */
export function estimateUpdate(
  resources: readonly TimedResource[],
  diff: ResourceDiff,
): DeployEstimate {
  const kinds = new Map<string, ChangeKind>(diff.changes.map((c) => [c.urn, c.kind]));
  return criticalPath(resources, (r) => {
    const kind = kinds.get(r.urn);
    if (kind === "create" || kind === "replace") return createTime(r);
    if (kind === "update") return r.custom || r.remote ? DEFAULT_CREATE : INSTANT;
    return INSTANT;
  });
}

/** `1 h 05 min`, `12 min 30 s`, `45 s`. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, "0")} min`;
  if (m > 0) return rest > 0 ? `${m} min ${String(rest).padStart(2, "0")} s` : `${m} min`;
  return `${rest} s`;
}
