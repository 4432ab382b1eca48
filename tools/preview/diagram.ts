/**
 * A Mermaid flowchart of a stack, generated from its recorded resources and their dependencies:
 * the stack's regions as groups, its top-level components as nodes (one per region they have
 * resources in), and the paths an operator follows: users -> edge -> ingress -> workloads -> data,
 * replication and backups into the peer region, alarms to their topic and on to people.
 *
 * What a node does is read from the types of the resources under it (tables below), so a new
 * component or a component moved to another region changes the picture without anyone drawing it.
 */

export interface DiagramResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly remote: boolean;
  readonly parent: string | null;
  readonly provider: string | null;
  readonly dependencies?: readonly string[];
  readonly inputs: unknown;
}

/** The traffic path, in order, and the resource types that put a node on each step. */
const TIERS: readonly { readonly tier: string; readonly types: readonly string[] }[] = [
  {
    tier: "edge",
    types: [
      "aws:route53/record:Record",
      "aws:wafv2/webAcl:WebAcl",
      "aws:cloudfront/distribution:Distribution",
      "aws:acm/certificate:Certificate",
    ],
  },
  {
    tier: "ingress",
    types: [
      "kubernetes:networking.k8s.io/v1:Ingress",
      "aws:lb/loadBalancer:LoadBalancer",
      "aws:alb/loadBalancer:LoadBalancer",
    ],
  },
  {
    tier: "workloads",
    types: ["eks:index:Cluster", "aws:eks/cluster:Cluster", "aws:eks/nodeGroup:NodeGroup"],
  },
  {
    tier: "data",
    types: [
      "aws:rds/instance:Instance",
      "aws:rds/cluster:Cluster",
      "aws:elasticache/replicationGroup:ReplicationGroup",
      "aws:dynamodb/table:Table",
    ],
  },
];

/** Label of the edge into each step (from the users it is always HTTPS). */
const TRAFFIC_LABELS: Readonly<Record<string, string>> = {
  edge: "HTTPS",
  ingress: "routes to",
  workloads: "runs on",
  data: "reads and writes",
};

/** Stores whose copies an operator follows into the peer region. */
const STORES = new Set([
  "aws:s3/bucket:Bucket",
  "aws:rds/instance:Instance",
  "aws:rds/cluster:Cluster",
  "aws:elasticache/replicationGroup:ReplicationGroup",
  "aws:dynamodb/table:Table",
  "aws:backup/vault:Vault",
]);

/**
 * Resources that copy a store into another region: the edge's label, and on which side the
 * resource itself sits (an S3 replication rule lives with its source bucket; an RDS backup
 * replication is created in the destination region).
 */
const REPLICATION: Readonly<Record<string, { label: string; sits: "source" | "destination" }>> = {
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig": {
    label: "S3 replication",
    sits: "source",
  },
  "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": {
    label: "RDS backup replication",
    sits: "destination",
  },
  "aws:dynamodb/tableReplica:TableReplica": { label: "table replica", sits: "destination" },
};

const TOPIC = "aws:sns/topic:Topic";
const SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";

interface DiagramNode {
  readonly id: string;
  readonly component: DiagramResource;
  readonly region: string;
  readonly resources: DiagramResource[];
}

function mermaidId(text: string): string {
  return text.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
}

/** A label inside double quotes: Mermaid reads `#quot;` for a quote, `<br/>` as a line break. */
function label(text: string): string {
  return text.replace(/"/g, "#quot;").replace(/\|/g, "#124;");
}

function inputOf(r: DiagramResource, key: string): unknown {
  return (r.inputs as Record<string, unknown> | null)?.[key];
}

export interface DiagramOptions {
  /** The stack's own region: resources without an explicit regional provider run there. */
  readonly region: string;
}

/** The stack as a Mermaid flowchart (see the module comment). */
export function renderDiagram(
  resources: readonly DiagramResource[],
  options: DiagramOptions,
): string {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const stack = resources.find((r) => r.type === "pulumi:pulumi:Stack");
  // Region of each explicit aws provider; other resources run in the stack's region.
  const providerRegion = new Map<string, string>();
  for (const r of resources) {
    const region = inputOf(r, "region");
    if (r.type === "pulumi:providers:aws" && typeof region === "string") {
      providerRegion.set(r.urn, region);
    }
  }
  const regionOf = (r: DiagramResource) =>
    (r.provider ? providerRegion.get(r.provider) : undefined) ?? options.region;
  // The top-level component (a child of the stack) a resource belongs to.
  const topComponent = new Map<string, DiagramResource | undefined>();
  const componentOf = (r: DiagramResource): DiagramResource | undefined => {
    if (topComponent.has(r.urn)) return topComponent.get(r.urn);
    let found: DiagramResource | undefined;
    if (r.parent && r.parent !== stack?.urn) {
      const parent = byUrn.get(r.parent);
      found = parent ? componentOf(parent) : undefined;
    } else if (r.parent === stack?.urn && !r.custom && !r.remote) {
      found = r;
    }
    topComponent.set(r.urn, found);
    return found;
  };

  const nodes = new Map<string, DiagramNode>();
  const nodeOf = new Map<string, DiagramNode>();
  for (const r of resources) {
    if (!r.custom && !r.remote) continue;
    if (r.type.startsWith("pulumi:providers:")) continue;
    const component = componentOf(r);
    if (!component) continue;
    const region = regionOf(r);
    const key = `${component.urn}@${region}`;
    let node = nodes.get(key);
    if (!node) {
      node = { id: mermaidId(`${component.name}_${region}`), component, region, resources: [] };
      nodes.set(key, node);
    }
    node.resources.push(r);
    nodeOf.set(r.urn, node);
  }

  const edges = new Map<string, { from: string; to: string; label: string; dotted: boolean }>();
  const addEdge = (from: string, to: string, text: string, dotted = false) => {
    if (from === to) return;
    const key = `${from}->${to}:${text}`;
    if (!edges.has(key)) edges.set(key, { from, to, label: text, dotted });
  };

  // Traffic: users -> edge -> ingress -> workloads -> data, in the stack's own region.
  const home = [...nodes.values()].filter((n) => n.region === options.region);
  const tiers = TIERS.map((t) => ({
    tier: t.tier,
    nodes: home.filter((n) => n.resources.some((r) => t.types.includes(r.type))),
  })).filter((t) => t.nodes.length > 0);
  const external: string[] = [];
  if (tiers.length > 0) {
    external.push(`  users(("Users"))`);
    let previous = ["users"];
    for (const t of tiers) {
      for (const from of previous) {
        for (const to of t.nodes) {
          addEdge(from, to.id, from === "users" ? "HTTPS" : TRAFFIC_LABELS[t.tier]);
        }
      }
      previous = t.nodes.map((n) => n.id);
    }
  }

  // Replication into another region: from the source side's node to the destination's.
  for (const r of resources) {
    const rule = REPLICATION[r.type];
    const own = nodeOf.get(r.urn);
    if (!rule || !own) continue;
    // Stores it depends on, and a bucket it names (a component may pass a name, not an output).
    const named = resources.filter(
      (b) =>
        b.type === "aws:s3/bucket:Bucket" &&
        inputOf(b, "bucket") !== undefined &&
        inputOf(b, "bucket") === inputOf(r, "bucket"),
    );
    const stores = [...(r.dependencies ?? []).map((u) => byUrn.get(u)), ...named].filter(
      (d): d is DiagramResource => d !== undefined && STORES.has(d.type),
    );
    // The stores on the resource's own side name the node the data lives in (a bucket of the
    // data tier replicated by a rule that the DR component owns), else the resource's own node.
    const sameSide = stores.filter((s) => regionOf(s) === own.region);
    const otherSide = stores.filter((s) => regionOf(s) !== own.region);
    const near = sameSide.length > 0 ? sameSide.map((s) => nodeOf.get(s.urn)) : [own];
    const far = otherSide.map((s) => nodeOf.get(s.urn));
    const [sources, targets] = rule.sits === "source" ? [near, far] : [far, near];
    for (const from of sources) {
      for (const to of targets) {
        if (from && to && from.region !== to.region) addEdge(from.id, to.id, rule.label, true);
      }
    }
  }

  // A replica of a database in another stack (a standby's cross-Region replica of its primary).
  const sources = new Set<string>();
  for (const r of resources) {
    const source = inputOf(r, "replicateSourceDb");
    const to = nodeOf.get(r.urn);
    if (r.type !== "aws:rds/instance:Instance" || typeof source !== "string" || !to) continue;
    // A cross-Region source is named by ARN: arn:aws:rds:<region>:<account>:db:<name>.
    const sourceRegion = source.startsWith("arn:") ? source.split(":")[3] : undefined;
    if (!sourceRegion || sourceRegion === to.region) continue;
    const id = mermaidId(`source_${sourceRegion}`);
    if (!sources.has(id)) {
      sources.add(id);
      external.push(`  ${id}["${label(`source database in ${sourceRegion}<br/>another stack`)}"]`);
    }
    addEdge(id, to.id, "RDS replication", true);
  }

  // Backups: what a backup selection picks (by ARN or by tag) into the vaults its plan uses.
  for (const selection of resources.filter((r) => r.type === "aws:backup/selection:Selection")) {
    const deps = (selection.dependencies ?? []).map((u) => byUrn.get(u)).filter(Boolean);
    const plans = deps.filter((d) => d!.type === "aws:backup/plan:Plan");
    const vaults = plans
      .flatMap((p) => (p!.dependencies ?? []).map((u) => byUrn.get(u)))
      .filter((v) => v?.type === "aws:backup/vault:Vault");
    const tags = (inputOf(selection, "selectionTags") as { key?: string; value?: string }[]) ?? [];
    const picked = resources.filter((r) => {
      if (!STORES.has(r.type) || r.type === "aws:backup/vault:Vault") return false;
      if (deps.includes(r)) return true;
      const rTags = (inputOf(r, "tags") as Record<string, unknown> | undefined) ?? {};
      return tags.some((t) => t.key !== undefined && rTags[t.key] === t.value);
    });
    for (const r of picked) {
      for (const v of vaults) {
        const from = nodeOf.get(r.urn);
        const to = nodeOf.get(v!.urn);
        if (from && to) addEdge(from.id, to.id, "AWS Backup", true);
      }
    }
  }

  // Alerts: whatever depends on a topic sends to it; subscriptions carry it to people.
  const topics = resources.filter((r) => r.type === TOPIC && nodeOf.has(r.urn));
  const topicIds = new Map(topics.map((t) => [t.urn, mermaidId(`topic_${t.name}`)]));
  const topicLines = topics.map((t) => ({
    region: regionOf(t),
    line: `    ${topicIds.get(t.urn)}[("${label(`SNS ${String(inputOf(t, "name") ?? t.name)}`)}")]`,
  }));
  let subscribers = false;
  for (const r of resources) {
    for (const dep of r.dependencies ?? []) {
      const topicId = topicIds.get(dep);
      if (!topicId) continue;
      if (r.type === SUBSCRIPTION) {
        subscribers = true;
        addEdge(topicId, "oncall", String(inputOf(r, "protocol") ?? "subscription"));
        continue;
      }
      if (r.type === "aws:sns/topicPolicy:TopicPolicy") continue;
      const from = nodeOf.get(r.urn);
      if (from) addEdge(from.id, topicId, "alerts");
    }
  }
  if (subscribers) external.push(`  oncall(("On-call"))`);

  const lines = ["flowchart LR"];
  const regions = [...new Set([...nodes.values()].map((n) => n.region))].sort((a, b) =>
    a === options.region ? -1 : b === options.region ? 1 : a.localeCompare(b),
  );
  lines.push(...external);
  for (const region of regions) {
    const role = region === options.region ? "this stack's region" : "peer region";
    lines.push(`  subgraph ${mermaidId(`region_${region}`)}["${label(`${region} (${role})`)}"]`);
    for (const n of [...nodes.values()].filter((x) => x.region === region)) {
      const type = n.component.type.split(":").pop();
      lines.push(`    ${n.id}["${label(`${n.component.name}<br/>${type}`)}"]`);
    }
    lines.push(...topicLines.filter((t) => t.region === region).map((t) => t.line));
    lines.push("  end");
  }
  for (const e of [...edges.values()].sort(
    (a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to),
  )) {
    lines.push(`  ${e.from} ${e.dotted ? "-.->" : "-->"}|"${label(e.label)}"| ${e.to}`);
  }
  return lines.join("\n");
}
