import * as assert from "assert";
import { DiagramResource, renderDiagram } from "./diagram";
import { checkFlowchart } from "./mermaid-check";

const STACK = "urn:pulumi:s::platform::pulumi:pulumi:Stack::platform-s";
const HOME = "urn:pulumi:s::platform::pulumi:providers:aws::aws-us-west-2";
const PEER = "urn:pulumi:s::platform::pulumi:providers:aws::aws-us-east-1";

function r(type: string, name: string, extra: Partial<DiagramResource> = {}): DiagramResource {
  return {
    urn: `urn:pulumi:s::platform::${type}::${name}`,
    type,
    name,
    custom: true,
    remote: false,
    parent: STACK,
    provider: HOME,
    dependencies: [],
    inputs: {},
    ...extra,
  };
}

function component(name: string, type: string): DiagramResource {
  return r(type, name, { custom: false, provider: null });
}

const edge = component("edge", "platform:cluster-addons:ClusterAddons");
const cluster = component("cluster", "platform:cluster:Cluster");
const data = component("data", "platform:data:DataTier");
const dr = component("dr", "platform:disaster-recovery:DisasterRecovery");
const obs = component("observability", "platform:observability:Observability");
const bucket = r("aws:s3/bucket:Bucket", "assets", {
  parent: data.urn,
  inputs: { bucket: "assets", tags: { "platform:backup": "true" } },
});
const replica = r("aws:s3/bucket:Bucket", "assets-replica", { parent: dr.urn, provider: PEER });
const topic = r("aws:sns/topic:Topic", "alarms", { parent: obs.urn, inputs: { name: "alarms" } });
const plan = r("aws:backup/plan:Plan", "plan", { parent: dr.urn });
const peerVault = r("aws:backup/vault:Vault", "peer-vault", { parent: dr.urn, provider: PEER });
const RESOURCES: DiagramResource[] = [
  r("pulumi:pulumi:Stack", "platform-s", { custom: false, parent: null, provider: null }),
  r("pulumi:providers:aws", "aws-us-west-2", { inputs: { region: "us-west-2" }, provider: null }),
  r("pulumi:providers:aws", "aws-us-east-1", { inputs: { region: "us-east-1" }, provider: null }),
  edge,
  cluster,
  data,
  dr,
  obs,
  r("aws:wafv2/webAcl:WebAcl", "waf", { parent: edge.urn }),
  r("kubernetes:networking.k8s.io/v1:Ingress", "ingress", { parent: edge.urn, provider: null }),
  r("eks:index:Cluster", "eks", { parent: cluster.urn, remote: true, custom: false }),
  r("aws:rds/instance:Instance", "postgres", { parent: data.urn }),
  bucket,
  replica,
  r("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "assets-replication", {
    parent: dr.urn,
    dependencies: [replica.urn],
    inputs: { bucket: "assets" },
  }),
  peerVault,
  { ...plan, dependencies: [peerVault.urn] },
  r("aws:backup/selection:Selection", "selection", {
    parent: dr.urn,
    dependencies: [plan.urn],
    inputs: { selectionTags: [{ key: "platform:backup", value: "true" }] },
  }),
  topic,
  r("aws:cloudwatch/metricAlarm:MetricAlarm", "db-cpu", {
    parent: data.urn,
    dependencies: [topic.urn],
  }),
  r("aws:sns/topicSubscription:TopicSubscription", "oncall", {
    parent: obs.urn,
    dependencies: [topic.urn],
    inputs: { protocol: "email" },
  }),
];

describe("preview: diagram", () => {
  const diagram = renderDiagram(RESOURCES, { region: "us-west-2" });
  const edges = diagram
    .split("\n")
    .filter((l) => l.includes("->"))
    .map((l) => l.trim());

  it("is a flowchart that passes the grammar check", () => {
    assert.deepStrictEqual(checkFlowchart(diagram), []);
  });

  it("groups the components by region, a component in two regions once in each", () => {
    const groups = diagram.split(/\n\s*subgraph /).slice(1);
    assert.deepStrictEqual(
      groups.map((g) => g.split("\n")[0]),
      [
        'region_us_west_2["us-west-2 (this stack\'s region)"]',
        'region_us_east_1["us-east-1 (peer region)"]',
      ],
    );
    for (const id of ["edge_us_west_2", "cluster_us_west_2", "data_us_west_2", "dr_us_west_2"]) {
      assert.match(groups[0], new RegExp(`\\n\\s+${id}\\[`));
    }
    assert.match(groups[1], /\n\s+dr_us_east_1\["dr<br\/>DisasterRecovery"\]/);
  });

  it("draws traffic, replication, backups and alerts from the resources and dependencies", () => {
    assert.deepStrictEqual([...edges].sort(), [
      'cluster_us_west_2 -->|"reads and writes"| data_us_west_2',
      'data_us_west_2 -->|"alerts"| topic_alarms',
      'data_us_west_2 -.->|"AWS Backup"| dr_us_east_1',
      'data_us_west_2 -.->|"S3 replication"| dr_us_east_1',
      'edge_us_west_2 -->|"runs on"| cluster_us_west_2',
      'topic_alarms -->|"email"| oncall',
      'users -->|"HTTPS"| edge_us_west_2',
    ]);
  });
});

describe("preview: diagram of a standby", () => {
  it("shows where a cross-Region replica replicates from, outside the stack's regions", () => {
    const standby = component("dr-standby", "platform:disaster-recovery:StandbyRecovery");
    const diagram = renderDiagram(
      [
        r("pulumi:pulumi:Stack", "platform-s", { custom: false, parent: null, provider: null }),
        r("pulumi:providers:aws", "aws-us-east-1", {
          inputs: { region: "us-east-1" },
          provider: null,
        }),
        standby,
        r("aws:rds/instance:Instance", "replica", {
          parent: standby.urn,
          provider: PEER,
          inputs: { replicateSourceDb: "arn:aws:rds:us-west-2:123456789012:db:primary" },
        }),
      ],
      { region: "us-east-1" },
    );
    assert.deepStrictEqual(checkFlowchart(diagram), []);
    assert.match(
      diagram,
      /\n {2}source_us_west_2\["source database in us-west-2<br\/>another stack"\]\n/,
    );
    assert.match(
      diagram,
      /\n {2}source_us_west_2 -\.->\|"RDS replication"\| dr_standby_us_east_1\n/,
    );
    assert.doesNotMatch(diagram, /subgraph region_us_west_2/);
    assert.match(diagram, /users -->\|"HTTPS"\| dr_standby_us_east_1/);
  });
});

describe("preview: Mermaid grammar check", () => {
  const valid = 'flowchart LR\n  a["A"]\n  subgraph g["G"]\n    b(("B"))\n  end\n  a -->|"x"| b';
  const cases: [string, string, RegExp][] = [
    ["a valid chart", valid, /^$/],
    ["no header", valid.replace("flowchart LR\n", ""), /expected "flowchart <direction>"/],
    ["an unclosed subgraph", valid.replace("\n  end", ""), /not closed/],
    ["a keyword as id", valid.replace(/\bb\b/g, "end"), /keyword/],
    ["a raw quote in a label", valid.replace('"A"', '"say "hi""'), /not a node, edge or subgraph/],
    ["an edge to an undeclared node", `${valid}\n  a --> c`, /undeclared node c/],
    ["a node declared twice", `${valid}\n  a["again"]`, /id a used twice/],
    ["an id with a dash", valid.replace(/\ba\b/g, "a-b"), /not a node, edge or subgraph/],
  ];
  for (const [name, text, expected] of cases) {
    it(`${expected.source === "^$" ? "accepts" : "rejects"} ${name}`, () => {
      assert.match(checkFlowchart(text).join("\n"), expected);
    });
  }
});
