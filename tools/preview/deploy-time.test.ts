import * as assert from "assert";
import {
  CREATE_TIMES,
  createTime,
  DEFAULT_CREATE,
  estimateFirstDeploy,
  estimateUpdate,
  formatDuration,
  TimedResource,
} from "./deploy-time";
import { diffResources } from "./diff";

const STACK = "urn:pulumi:s::platform::pulumi:pulumi:Stack::platform-s";
const urn = (type: string, name: string) => `urn:pulumi:s::platform::${type}::${name}`;

function node(
  type: string,
  name: string,
  extra: Partial<TimedResource> = {},
): TimedResource & { readonly protect: boolean } {
  return {
    urn: urn(type, name),
    type,
    custom: true,
    remote: false,
    parent: STACK,
    provider: null,
    dependencies: [],
    inputs: {},
    protect: false,
    ...extra,
  };
}

const VPC = node("aws:ec2/vpc:Vpc", "vpc");
const SUBNET = node("aws:ec2/subnet:Subnet", "subnet", { dependencies: [VPC.urn] });
const DATA = node("platform:data:DataTier", "data", { custom: false, dependencies: [] });
const DB = node("aws:rds/instance:Instance", "db", {
  parent: DATA.urn,
  dependencies: [SUBNET.urn],
  inputs: { multiAz: true },
});
const ROLE = node("aws:iam/role:Role", "role");
// Depends on the whole data component (dependsOn), so it waits for the database.
const ALARM = node("aws:cloudwatch/metricAlarm:MetricAlarm", "alarm", {
  dependencies: [DATA.urn],
});
const GRAPH = [
  node("pulumi:pulumi:Stack", "platform-s", { custom: false, parent: null }),
  VPC,
  SUBNET,
  DATA,
  DB,
  ROLE,
  ALARM,
];

describe("preview: deploy-time estimate", () => {
  it("has a source with a date or a publication for every figure", () => {
    for (const [type, figure] of Object.entries(CREATE_TIMES)) {
      assert.ok(figure.seconds > 0, type);
      assert.match(figure.source, /\(\d{4}(-\d{2}(-\d{2})?)?[),:]|read \d{4}-\d{2}-\d{2}/, type);
    }
  });

  it("tells a Multi-AZ instance and a cross-Region replica from a single instance", () => {
    const rds = (inputs: Record<string, unknown>) =>
      createTime(node("aws:rds/instance:Instance", "x", { inputs })).seconds;
    assert.strictEqual(rds({}), CREATE_TIMES["aws:rds/instance:Instance"].seconds);
    assert.ok(rds({ multiAz: true }) > rds({}));
    assert.ok(
      rds({ replicateSourceDb: "arn:aws:rds:us-west-2:123456789012:db:primary" }) >
        rds({ multiAz: true }),
    );
    assert.strictEqual(createTime(node("aws:iam/role:Role", "r")), DEFAULT_CREATE);
    assert.strictEqual(createTime(DATA).seconds, 0);
  });

  it("follows dependencies, parents and whole components to the longest chain", () => {
    const estimate = estimateFirstDeploy(GRAPH);
    const dbSeconds = createTime(DB).seconds;
    const expected = 30 + 8 + dbSeconds + DEFAULT_CREATE.seconds;
    assert.strictEqual(estimate.seconds, expected);
    assert.deepStrictEqual(
      estimate.criticalPath.map((s) => [s.urn, s.finishesAt]),
      [
        [VPC.urn, 30],
        [SUBNET.urn, 38],
        [DB.urn, 38 + dbSeconds],
        [ALARM.urn, expected],
      ],
    );
    assert.strictEqual(estimate.resources, 5);
    assert.strictEqual(estimate.atDefault, 2);
  });

  it("follows a child back through its parent component to what the component waited for", () => {
    const apps = node("platform:cluster:RestrictedNamespace", "apps", {
      custom: false,
      dependencies: [ALARM.urn],
    });
    const quota = node("kubernetes:core/v1:ResourceQuota", "quota", { parent: apps.urn });
    const estimate = estimateFirstDeploy([...GRAPH, apps, quota]);
    const path = estimate.criticalPath.map((s) => s.urn);
    assert.deepStrictEqual(path, [VPC.urn, SUBNET.urn, DB.urn, ALARM.urn, quota.urn]);
    assert.strictEqual(
      estimate.criticalPath.reduce((n, s) => n + s.seconds, 0),
      estimate.seconds,
    );
  });

  it("times only what an update changes", () => {
    const changed = GRAPH.map((r) =>
      r.urn === ROLE.urn ? { ...r, inputs: { path: "/other/" } } : r,
    );
    const diff = diffResources(GRAPH, changed);
    assert.deepStrictEqual(
      diff.changes.map((c) => c.kind),
      ["replace"],
    );
    const estimate = estimateUpdate(changed, diff);
    assert.strictEqual(estimate.seconds, DEFAULT_CREATE.seconds);
    assert.deepStrictEqual(
      estimate.criticalPath.map((s) => s.urn),
      [ROLE.urn],
    );
  });

  it("formats durations for people", () => {
    assert.strictEqual(formatDuration(45), "45 s");
    assert.strictEqual(formatDuration(750), "12 min 30 s");
    assert.strictEqual(formatDuration(900), "15 min");
    assert.strictEqual(formatDuration(3900), "1 h 05 min");
  });
});
