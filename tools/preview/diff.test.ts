import * as assert from "assert";
import { changedPaths, DiffableResource, diffResources } from "./diff";
import { FORCE_NEW, replacementFor } from "./replacement";

const urn = (type: string, name: string) => `urn:pulumi:s::platform::${type}::${name}`;

function resource(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  extra: Partial<DiffableResource> = {},
): DiffableResource {
  return { urn: urn(type, name), type, protect: false, inputs, ...extra };
}

const SG = "aws:ec2/securityGroup:SecurityGroup";
const BUCKET = "aws:s3/bucket:Bucket";
const SUBNET = "aws:ec2/subnet:Subnet";

describe("preview: resource diff", () => {
  const base = [
    resource(SG, "web", {
      description: "web",
      ingress: [{ fromPort: 443, cidrBlocks: ["10.0.0.0/16"] }],
      tags: { Name: "web", "platform:owner": "team" },
    }),
    resource(BUCKET, "logs", { bucket: "logs" }, { protect: true }),
    resource(SUBNET, "a", { cidrBlock: "10.0.0.0/24", vpcId: "vpc-1" }),
  ];

  it("sees nothing when nothing changes", () => {
    const diff = diffResources(base, base);
    assert.deepStrictEqual(
      [diff.create, diff.update, diff.replace, diff.delete, diff.same],
      [0, 0, 0, 0, 3],
    );
    assert.deepStrictEqual(diff.changes, []);
  });

  it("reports one input change as exactly one update with that path and both values", () => {
    const current = base.map((r) =>
      r.type === SG
        ? {
            ...r,
            inputs: {
              ...(r.inputs as object),
              ingress: [{ fromPort: 8443, cidrBlocks: ["10.0.0.0/16"] }],
            },
          }
        : r,
    );
    const diff = diffResources(base, current);
    assert.deepStrictEqual(diff.changes, [
      {
        urn: urn(SG, "web"),
        type: SG,
        kind: "update",
        mayReplace: false,
        protect: false,
        properties: [
          { path: "ingress[0].fromPort", before: "443", after: "8443", replaces: false },
        ],
      },
    ]);
    assert.strictEqual(diff.update, 1);
    assert.strictEqual(diff.same, 2);
  });

  it("marks a change of an input the provider cannot update in place as a replace, saying why", () => {
    const current = base.map((r) =>
      r.type === SUBNET ? { ...r, inputs: { cidrBlock: "10.0.1.0/24", vpcId: "vpc-1" } } : r,
    );
    const [change] = diffResources(base, current).changes;
    assert.strictEqual(change.kind, "replace");
    assert.match(change.replaceReason ?? "", /^cidrBlock: ForceNew in the provider schema/);
    assert.deepStrictEqual(change.properties[0], {
      path: "cidrBlock",
      before: '"10.0.0.0/24"',
      after: '"10.0.1.0/24"',
      replaces: true,
    });
  });

  it("puts a protected delete first and lists it as at risk; a new resource is one create", () => {
    const added = resource("aws:sqs/queue:Queue", "jobs", { name: "jobs" });
    const current = [...base.filter((r) => r.type !== BUCKET), added];
    const diff = diffResources(base, current);
    assert.deepStrictEqual(
      diff.changes.map((c) => [c.kind, c.urn, c.protect]),
      [
        ["delete", urn(BUCKET, "logs"), true],
        ["create", added.urn, false],
      ],
    );
    assert.deepStrictEqual(diff.protectedAtRisk, [urn(BUCKET, "logs")]);
  });

  it("says 'may replace' for a type the table does not know, and honours replaceOnChanges", () => {
    const type = "aws:mq/broker:Broker";
    assert.strictEqual(FORCE_NEW[type], undefined);
    const before = [resource(type, "b", { engineVersion: "5.17" })];
    const after = [resource(type, "b", { engineVersion: "5.18" })];
    const [unknown] = diffResources(before, after).changes;
    assert.deepStrictEqual([unknown.kind, unknown.mayReplace], ["update", true]);
    const forced = diffResources(before, [{ ...after[0], replaceOnChanges: ["engineVersion"] }]);
    assert.strictEqual(forced.changes[0].kind, "replace");
    assert.match(forced.changes[0].replaceReason ?? "", /replaceOnChanges/);
  });

  it("leaves the paths of ignoreChanges alone, as Pulumi does", () => {
    const current = base.map((r) =>
      r.type === SG
        ? {
            ...r,
            inputs: { ...(r.inputs as object), tags: { Name: "web2", "platform:owner": "team" } },
            ignoreChanges: ["tags"],
          }
        : r,
    );
    assert.deepStrictEqual(diffResources(base, current).changes, []);
  });

  it("names paths with bracketed keys where a key is not an identifier, and shortens long values", () => {
    const long = "x".repeat(500);
    const changes = changedPaths(
      { tags: { "platform:owner": "a" }, policy: "short" },
      { tags: { "platform:owner": "b" }, policy: long },
    );
    assert.deepStrictEqual(
      changes.map((c) => c.path),
      ["policy", 'tags["platform:owner"]'],
    );
    const diff = diffResources(
      [resource(SG, "p", { policy: "short" })],
      [resource(SG, "p", { policy: long })],
    );
    assert.match(diff.changes[0].properties[0].after, /… \(502 characters\)$/);
  });

  it("keeps secrets as the report shows them: a [secret] stays [secret]", () => {
    const diff = diffResources(
      [resource("aws:ssm/parameter:Parameter", "p", { value: "[secret]", description: "a" })],
      [resource("aws:ssm/parameter:Parameter", "p", { value: "[secret]", description: "b" })],
    );
    assert.deepStrictEqual(
      diff.changes[0].properties.map((p) => p.path),
      ["description"],
    );
  });

  it("replaces a Kubernetes object whose name changes; other changes may replace", () => {
    const type = "kubernetes:core/v1:ConfigMap";
    assert.strictEqual(replacementFor(type, "metadata.name").replaces, true);
    assert.strictEqual(replacementFor(type, "data.key").replaces, "unknown");
    assert.strictEqual(replacementFor(BUCKET, "bucketPrefix").replaces, true);
    assert.strictEqual(replacementFor(BUCKET, "tags.Name").replaces, false);
    // A prefix matches whole segments only.
    assert.strictEqual(replacementFor(SUBNET, "vpcIdentifier").replaces, false);
  });
});
