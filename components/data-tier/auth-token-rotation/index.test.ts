/**
 * The AUTH token rotation function, step by step, against in-memory Secrets Manager and ElastiCache
 * fakes that keep versions, stages and the tokens the group accepts as the services do.
 */
import * as assert from "assert";

interface Deps {
  replicationGroupId?: string;
  randomBytes: (n: number) => Buffer;
  remainingMs: () => number;
  sleep: (ms: number) => Promise<void>;
  secrets: Record<string, (input: Record<string, unknown>) => Promise<unknown>>;
  cache: {
    describeReplicationGroup: (id: string) => Promise<unknown>;
    modifyReplicationGroup: (input: Record<string, unknown>) => Promise<unknown>;
  };
}
interface RotationModule {
  rotate(event: Record<string, unknown>, deps: Deps): Promise<void>;
  newToken(randomBytes?: (n: number) => Buffer): string;
}
// The function ships as plain JavaScript (the Lambda runtime runs it as is).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rotation = require("./index.js") as RotationModule;

const SECRET = "arn:aws:secretsmanager:us-west-2:123456789012:secret:cache/auth-token-AbCdEf";
const GROUP = "platform-prod-us-west-2-cache";
const OLD = "o".repeat(64);

class NotFound extends Error {
  name = "ResourceNotFoundException";
}

/** Secrets Manager and ElastiCache as far as the rotation uses them, with a clock. */
function world(options: { modifyingTicks?: number; rotationEnabled?: boolean } = {}) {
  let clock = 1_000;
  const versions = new Map<string, { value: string; stages: string[]; created: number }>([
    ["v0", { value: OLD, stages: ["AWSCURRENT"], created: clock }],
  ]);
  const group = {
    Status: "available",
    accepted: [OLD],
    lastModified: clock,
    ticksLeft: 0,
    pendingToken: undefined as string | undefined,
  };
  const calls: Record<string, unknown>[] = [];
  const tick = () => {
    clock += 1;
    if (group.pendingToken !== undefined && --group.ticksLeft <= 0) {
      // ROTATE: the new token beside the one in use.
      group.accepted = [group.accepted[group.accepted.length - 1], group.pendingToken];
      group.pendingToken = undefined;
      group.Status = "available";
      group.lastModified = clock;
    }
  };
  const deps: Deps = {
    replicationGroupId: GROUP,
    randomBytes: (n) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + clock) % 256)),
    remainingMs: () => 900_000,
    sleep: async () => tick(),
    secrets: {
      describeSecret: async () => ({
        RotationEnabled: options.rotationEnabled ?? true,
        VersionIdsToStages: Object.fromEntries([...versions].map(([id, v]) => [id, [...v.stages]])),
      }),
      getSecretValue: async (input) => {
        const v = versions.get(String(input.VersionId));
        if (!v || !v.stages.includes(String(input.VersionStage)))
          throw new NotFound("no such version");
        return { SecretString: v.value, CreatedDate: new Date(v.created) };
      },
      putSecretValue: async (input) => {
        clock += 1;
        for (const v of versions.values()) v.stages = v.stages.filter((s) => s !== "AWSPENDING");
        versions.set(String(input.ClientRequestToken), {
          value: String(input.SecretString),
          stages: [...(input.VersionStages as string[])],
          created: clock,
        });
        return {};
      },
      updateSecretVersionStage: async (input) => {
        const from = versions.get(String(input.RemoveFromVersionId))!;
        from.stages = ["AWSPREVIOUS"];
        versions.get(String(input.MoveToVersionId))!.stages = ["AWSCURRENT"];
        return {};
      },
    },
    cache: {
      describeReplicationGroup: async (id) => {
        assert.strictEqual(id, GROUP);
        return {
          Status: group.Status,
          AuthTokenLastModifiedDate: new Date(group.lastModified),
          PendingModifiedValues:
            group.pendingToken !== undefined ? { AuthTokenStatus: "ROTATING" } : {},
        };
      },
      modifyReplicationGroup: async (input) => {
        calls.push(input);
        if (group.Status !== "available") throw new Error("InvalidReplicationGroupState");
        group.Status = "modifying";
        group.pendingToken = String(input.AuthToken);
        group.ticksLeft = options.modifyingTicks ?? 2;
        return {};
      },
    },
  };
  /** A version Secrets Manager labelled AWSPENDING now (after the group's last token change). */
  const pending = (id: string, value: string, stages = ["AWSPENDING"]) => {
    clock += 1;
    versions.set(id, { value, stages, created: clock });
  };
  return { deps, versions, group, calls, tick, pending };
}

const step = (deps: Deps, s: string, token = "v1") =>
  rotation.rotate({ SecretId: SECRET, ClientRequestToken: token, Step: s }, deps);

/** Secrets Manager's own part: a rotation starts by labelling a new version id AWSPENDING. */
async function rotateFully(w: ReturnType<typeof world>, token = "v1"): Promise<void> {
  for (const s of ["createSecret", "setSecret", "testSecret", "finishSecret"]) {
    await step(w.deps, s, token);
  }
}

describe("Valkey AUTH token rotation function", () => {
  it("makes a new 64-character token current while the group still accepts the previous one", async () => {
    const w = world();
    // Secrets Manager names the new version in the event; createSecret writes it.
    const describe = w.deps.secrets.describeSecret;
    w.deps.secrets.describeSecret = async (input) => {
      const r = (await describe(input)) as { VersionIdsToStages: Record<string, string[]> };
      r.VersionIdsToStages.v1 ??= ["AWSPENDING"];
      return r;
    };
    await rotateFully(w);
    const current = [...w.versions].find(([, v]) => v.stages.includes("AWSCURRENT"))!;
    assert.strictEqual(current[0], "v1");
    assert.match(current[1].value, /^[A-Za-z0-9]{64}$/);
    assert.notStrictEqual(current[1].value, OLD);
    assert.deepStrictEqual(w.versions.get("v0")!.stages, ["AWSPREVIOUS"]);
    assert.deepStrictEqual(w.group.accepted, [OLD, current[1].value], "no client is cut off");
    assert.deepStrictEqual(w.calls, [
      {
        ReplicationGroupId: GROUP,
        AuthToken: current[1].value,
        AuthTokenUpdateStrategy: "ROTATE",
        ApplyImmediately: true,
      },
    ]);
  });

  describe("each step may run again without harm", () => {
    const pending = () => {
      const w = world();
      w.pending("v1", "N".repeat(64));
      return w;
    };

    it("createSecret keeps the pending token an earlier attempt wrote", async () => {
      const w = pending();
      await step(w.deps, "createSecret");
      assert.strictEqual(w.versions.get("v1")!.value, "N".repeat(64));
      assert.strictEqual(w.versions.size, 2);
    });

    it("setSecret does not change the token again while ElastiCache applies it", async () => {
      const w = pending();
      await step(w.deps, "setSecret");
      await step(w.deps, "setSecret");
      assert.strictEqual(w.calls.length, 1);
    });

    it("nothing happens once the version is current", async () => {
      const w = pending();
      w.versions.get("v0")!.stages = ["AWSPREVIOUS"];
      w.versions.get("v1")!.stages = ["AWSCURRENT"];
      for (const s of ["createSecret", "setSecret", "testSecret", "finishSecret"])
        await step(w.deps, s);
      assert.strictEqual(w.calls.length, 0);
    });
  });

  it("refuses to change the token of a group that is busy with another change", async () => {
    const w = world();
    w.pending("v1", "N".repeat(64));
    w.group.Status = "modifying";
    await assert.rejects(
      step(w.deps, "setSecret"),
      /Replication group platform-prod-us-west-2-cache is modifying/,
    );
    assert.strictEqual(w.calls.length, 0);
  });

  it("testSecret waits for the group to apply the token, and fails when the function runs out of time", async () => {
    const slow = world({ modifyingTicks: 3 });
    slow.pending("v1", "N".repeat(64));
    await step(slow.deps, "setSecret");
    await step(slow.deps, "testSecret");
    assert.strictEqual(slow.group.Status, "available");

    const stuck = world({ modifyingTicks: 1_000 });
    stuck.pending("v1", "N".repeat(64));
    await step(stuck.deps, "setSecret");
    let left = 60_000;
    stuck.deps.remainingMs = () => (left -= 15_000);
    await assert.rejects(step(stuck.deps, "testSecret"), /has not applied the new AUTH token yet/);
  });

  const refusals: [string, (w: ReturnType<typeof world>) => void, string, RegExp][] = [
    ["rotation is not enabled", () => undefined, "setSecret", /does not have rotation enabled/],
    ["the version is unknown", () => undefined, "setSecret", /has no version v9/],
    [
      "the version is not pending",
      (w) => w.pending("v9", "x", []),
      "setSecret",
      /is not AWSPENDING/,
    ],
    [
      "the step is unknown",
      (w) => w.pending("v9", "x", ["AWSPENDING"]),
      "dropSecret",
      /Unknown rotation step "dropSecret"/,
    ],
  ];
  for (const [title, setUp, s, message] of refusals) {
    it(`refuses when ${title}`, async () => {
      const w = world({ rotationEnabled: title !== "rotation is not enabled" });
      setUp(w);
      await assert.rejects(step(w.deps, s, "v9"), message);
      assert.strictEqual(w.calls.length, 0);
    });
  }

  it("names the missing setting when the group is not configured", async () => {
    const w = world();
    delete w.deps.replicationGroupId;
    await assert.rejects(step(w.deps, "createSecret"), /REPLICATION_GROUP_ID is not set/);
  });

  it("draws tokens uniformly from the alphanumerics, dropping bytes that would bias them", () => {
    // 248 and above are dropped (248 = 4 x 62): a source of only such bytes, then zeros.
    let calls = 0;
    const token = rotation.newToken((n) => Buffer.alloc(n, calls++ === 0 ? 250 : 0));
    assert.strictEqual(token, "A".repeat(64));
    assert.strictEqual(calls, 2);
    assert.match(rotation.newToken(), /^[A-Za-z0-9]{64}$/);
  });
});
