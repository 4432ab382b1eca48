/**
 * The PostgreSQL user rotation function, step by step, against an in-memory Secrets Manager (versions
 * and stages) and a fake PostgreSQL server that keeps roles, passwords, memberships and per-role
 * `role` settings, checks logins, and interprets exactly the statements the function issues.
 */
import * as assert from "assert";
import * as crypto from "crypto";
import { RUNTIME_ENVIRONMENT } from "./runtime";

interface Client {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  end(): Promise<void>;
  escapeIdentifier(s: string): string;
  escapeLiteral(s: string): string;
}
interface ConnectConfig {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  ssl: { rejectUnauthorized: boolean; servername: string };
  connectionTimeoutMillis: number;
  statement_timeout: number;
}
interface Deps {
  randomBytes: (n: number) => Buffer;
  secrets: Record<string, (input: Record<string, unknown>) => Promise<unknown>>;
  connect: (config: ConnectConfig) => Promise<Client>;
}
interface RotationModule {
  rotate(event: Record<string, unknown>, deps: Deps): Promise<void>;
  newPassword(randomBytes?: (n: number) => Buffer): string;
}
// The function ships as plain JavaScript (the Lambda runtime runs it as is); the fake server
// quotes as the function's real client does, with pg's own escaping.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rotation = require("./index.js") as RotationModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pg = require("pg") as {
  escapeIdentifier(s: string): string;
  escapeLiteral(s: string): string;
};

const SECRET = "arn:aws:secretsmanager:us-west-2:123456789012:secret:grafana/db-AbCdEf";
const MASTER = "arn:aws:secretsmanager:us-west-2:123456789012:secret:rds!db-1234-XyZ";
const HOST = "platform-prod.abc123.us-west-2.rds.amazonaws.com";
const MASTER_PASSWORD = "M".repeat(30);
const BASE_PASSWORD = "B".repeat(30);

class NotFound extends Error {
  name = "ResourceNotFoundException";
}
class PgError extends Error {
  constructor(
    message: string,
    public code: string,
  ) {
    super(message);
  }
}

/**
 * What a PostgreSQL server does with a stored SCRAM-SHA-256 secret at login, reduced to its core:
 * the client's password, salted and hashed with the secret's salt and iterations, must give its
 * StoredKey (RFC 5802 section 3: StoredKey = H(HMAC(SaltedPassword, "Client Key"))).
 */
function scramVerifies(secret: string, password: string): boolean {
  const m = secret.match(/^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/);
  if (!m) return false;
  const salted = crypto.pbkdf2Sync(
    password,
    Buffer.from(m[2], "base64"),
    Number(m[1]),
    32,
    "sha256",
  );
  const clientKey = crypto.createHmac("sha256", salted).update("Client Key").digest();
  const storedKey = crypto.createHash("sha256").update(clientKey).digest("base64");
  const serverKey = crypto.createHmac("sha256", salted).update("Server Key").digest("base64");
  return storedKey === m[3] && serverKey === m[4];
}

interface Role {
  login: boolean;
  password?: string;
  memberOf: Set<string>;
  roleSetting?: string;
}

/** PostgreSQL as far as the function uses it: roles, logins, and its statements. */
function server(
  options: { baseRole?: string | null; failOn?: RegExp; echoStatement?: boolean } = {},
) {
  const roles = new Map<string, Role>([
    ["postgres", { login: true, password: MASTER_PASSWORD, memberOf: new Set() }],
  ]);
  const base = options.baseRole === undefined ? "grafana" : options.baseRole;
  if (base !== null) roles.set(base, { login: true, password: BASE_PASSWORD, memberOf: new Set() });
  const databases = new Set(["postgres", "grafana"]);
  const statements: string[] = [];
  const logins: string[] = [];
  let failOn = options.failOn;
  const copy = (m: Map<string, Role>) =>
    new Map([...m].map(([k, r]) => [k, { ...r, memberOf: new Set(r.memberOf) }]));

  const ident = '"((?:[^"]|"")+)"';
  const literal = "'((?:[^']|'')*)'";
  const unquote = (s: string, q: string) => s.split(q + q).join(q);

  const canLogIn = (user: string, password: string) => {
    const role = roles.get(user);
    if (role === undefined || !role.login || role.password === undefined) return false;
    return role.password.startsWith("SCRAM-SHA-256$")
      ? scramVerifies(role.password, password)
      : role.password === password;
  };

  async function connect(config: ConnectConfig): Promise<Client> {
    assert.deepStrictEqual(config.ssl, { rejectUnauthorized: true, servername: config.host });
    assert.strictEqual(config.connectionTimeoutMillis, 10_000);
    assert.strictEqual(config.statement_timeout, 30_000);
    if (config.host !== HOST || config.port !== 5432) throw new Error("getaddrinfo ENOTFOUND");
    // PostgreSQL answers a wrong password and an unknown role alike.
    if (!canLogIn(config.user, config.password)) {
      throw new PgError(`password authentication failed for user "${config.user}"`, "28P01");
    }
    if (!databases.has(config.database))
      throw new PgError(`database "${config.database}" does not exist`, "3D000");
    logins.push(config.user);
    const session = config.user;
    const setting = roles.get(session)!.roleSetting;
    // The login-time `role` setting applies when the session user may SET ROLE to it.
    const currentUser =
      setting !== undefined && roles.get(session)!.memberOf.has(setting) ? setting : session;
    let saved: Map<string, Role> | undefined;
    let open = true;
    const master = () => {
      if (session !== "postgres") throw new PgError("permission denied", "42501");
    };
    return {
      escapeIdentifier: pg.escapeIdentifier,
      escapeLiteral: pg.escapeLiteral,
      end: async () => {
        open = false;
      },
      query: async (text, values) => {
        assert.ok(open, "query on a closed connection");
        statements.push(text);
        if (failOn && failOn.test(text)) {
          failOn = undefined;
          throw new PgError(
            options.echoStatement
              ? `could not run ${text}`
              : "canceling statement due to statement timeout",
            "57014",
          );
        }
        let m: RegExpMatchArray | null;
        if (text === "SELECT current_user") return { rows: [{ current_user: currentUser }] };
        if (text === "SELECT rolname FROM pg_catalog.pg_roles WHERE rolname = $1 OR rolname = $2") {
          return {
            rows: (values as string[]).filter((n) => roles.has(n)).map((rolname) => ({ rolname })),
          };
        }
        if (text === "BEGIN") {
          saved = copy(roles);
          return { rows: [] };
        }
        if (text === "COMMIT" || text === "ROLLBACK") {
          if (text === "ROLLBACK" && saved) {
            roles.clear();
            for (const [k, r] of saved) roles.set(k, r);
          }
          saved = undefined;
          return { rows: [] };
        }
        master();
        if ((m = text.match(new RegExp(`^CREATE ROLE ${ident} LOGIN$`)))) {
          const name = unquote(m[1], '"');
          if (roles.has(name)) throw new PgError(`role "${name}" already exists`, "42710");
          roles.set(name, { login: true, memberOf: new Set() });
          return { rows: [] };
        }
        if ((m = text.match(new RegExp(`^GRANT ${ident} TO ${ident}$`)))) {
          const [group, member] = [unquote(m[1], '"'), unquote(m[2], '"')];
          if (!roles.has(group) || !roles.has(member))
            throw new PgError("role does not exist", "42704");
          roles.get(member)!.memberOf.add(group);
          return { rows: [] };
        }
        if ((m = text.match(new RegExp(`^ALTER ROLE ${ident} SET role = ${literal}$`)))) {
          const role = roles.get(unquote(m[1], '"'));
          if (!role) throw new PgError("role does not exist", "42704");
          role.roleSetting = unquote(m[2], "'");
          return { rows: [] };
        }
        if ((m = text.match(new RegExp(`^ALTER ROLE ${ident} WITH LOGIN PASSWORD ${literal}$`)))) {
          const role = roles.get(unquote(m[1], '"'));
          if (!role) throw new PgError("role does not exist", "42704");
          role.login = true;
          role.password = unquote(m[2], "'");
          return { rows: [] };
        }
        throw new Error(`The fake server does not know the statement ${text}`);
      },
    };
  }
  return { roles, statements, logins, connect, canLogIn, databases };
}

/** Secrets Manager, with the application user's secret and the RDS-managed master secret. */
function world(
  options: {
    rotationEnabled?: boolean;
    master?: Record<string, unknown>;
    username?: string;
  } & Parameters<typeof server>[0] = {},
) {
  const db = server(options);
  const initial = {
    engine: "postgres",
    host: HOST,
    port: 5432,
    dbname: "grafana",
    username: options.username ?? "grafana",
    password: BASE_PASSWORD,
    masterarn: MASTER,
  };
  const secrets = new Map<string, Map<string, { value?: string; stages: string[] }>>([
    [SECRET, new Map([["v0", { value: JSON.stringify(initial), stages: ["AWSCURRENT"] }]])],
    [
      MASTER,
      new Map([
        [
          "m0",
          {
            value: JSON.stringify(
              options.master ?? { username: "postgres", password: MASTER_PASSWORD },
            ),
            stages: ["AWSCURRENT"],
          },
        ],
      ]),
    ],
  ]);
  const versions = secrets.get(SECRET)!;
  const puts: Record<string, unknown>[] = [];
  const deps: Deps = {
    randomBytes: crypto.randomBytes,
    connect: db.connect,
    secrets: {
      describeSecret: async (input) => ({
        RotationEnabled: options.rotationEnabled ?? true,
        VersionIdsToStages: Object.fromEntries(
          [...secrets.get(String(input.SecretId))!].map(([id, v]) => [id, [...v.stages]]),
        ),
      }),
      getSecretValue: async (input) => {
        const all = secrets.get(String(input.SecretId));
        if (!all) throw new NotFound("Secrets Manager can't find the specified secret.");
        const stage = String(input.VersionStage);
        const entry =
          input.VersionId !== undefined
            ? all.get(String(input.VersionId))
            : [...all.values()].find((v) => v.stages.includes(stage));
        if (!entry || entry.value === undefined || !entry.stages.includes(stage))
          throw new NotFound("Secrets Manager can't find the specified secret value.");
        return { SecretString: entry.value };
      },
      putSecretValue: async (input) => {
        puts.push(input);
        const token = String(input.ClientRequestToken);
        const existing = versions.get(token);
        if (existing?.value !== undefined) {
          if (existing.value !== input.SecretString) throw new Error("ResourceExistsException");
          return {};
        }
        for (const v of versions.values()) v.stages = v.stages.filter((s) => s !== "AWSPENDING");
        versions.set(token, {
          value: String(input.SecretString),
          stages: [...(input.VersionStages as string[])],
        });
        return {};
      },
      updateSecretVersionStage: async (input) => {
        for (const v of versions.values()) v.stages = v.stages.filter((s) => s !== "AWSPREVIOUS");
        const from = versions.get(String(input.RemoveFromVersionId))!;
        from.stages = ["AWSPREVIOUS"];
        const to = versions.get(String(input.MoveToVersionId))!;
        to.stages = ["AWSCURRENT"];
        return {};
      },
    },
  };
  /** Secrets Manager's own part: RotateSecret labels a new version id AWSPENDING before createSecret. */
  const start = (token: string) => versions.set(token, { stages: ["AWSPENDING"] });
  const value = (token: string) => JSON.parse(versions.get(token)!.value!) as typeof initial;
  const current = () => [...versions].find(([, v]) => v.stages.includes("AWSCURRENT"))![0];
  /** Every password the world holds, for checking that none leaks into an error. */
  const passwords = () => [
    MASTER_PASSWORD,
    BASE_PASSWORD,
    ...[...versions.values()].flatMap((v) => {
      try {
        return [JSON.parse(v.value!).password as string];
      } catch {
        return []; // a test's broken value; its password is one of the above
      }
    }),
  ];
  return { db, deps, versions, puts, start, value, current, passwords };
}

type World = ReturnType<typeof world>;

const step = (w: World, s: string, token: string) =>
  rotation.rotate({ SecretId: SECRET, ClientRequestToken: token, Step: s }, w.deps);

async function rotateFully(w: World, token: string): Promise<void> {
  w.start(token);
  for (const s of ["createSecret", "setSecret", "testSecret", "finishSecret"])
    await step(w, s, token);
}

/** A rejection whose message matches and names no password the world holds. */
async function refuses(w: World, promise: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error) => {
    assert.match(error.message, message);
    for (const p of w.passwords())
      assert.ok(!error.message.includes(p), `a password in: ${error.message}`);
    return true;
  });
}

describe("PostgreSQL user rotation function (alternating users)", () => {
  it("rotates from the base user to a clone that logs in as the base role", async () => {
    const w = world();
    await rotateFully(w, "v1");
    assert.strictEqual(w.current(), "v1");
    assert.deepStrictEqual(w.versions.get("v0")!.stages, ["AWSPREVIOUS"]);
    const v1 = w.value("v1");
    assert.strictEqual(v1.username, "grafana_clone");
    assert.match(v1.password, /^[A-Za-z0-9]{40}$/);
    assert.deepStrictEqual(
      { ...v1, password: "" },
      { ...JSON.parse(w.versions.get("v0")!.value!), username: "grafana_clone", password: "" },
      "only the user and password change",
    );
    const clone = w.db.roles.get("grafana_clone")!;
    assert.deepStrictEqual(
      { login: clone.login, memberOf: [...clone.memberOf], roleSetting: clone.roleSetting },
      { login: true, memberOf: ["grafana"], roleSetting: "grafana" },
    );
    assert.ok(w.db.canLogIn("grafana_clone", v1.password));
    assert.ok(w.db.canLogIn("grafana", BASE_PASSWORD), "the previous credential still works");
    assert.deepStrictEqual(
      w.db.statements.filter((s) => !s.startsWith("SELECT")),
      [
        "BEGIN",
        'CREATE ROLE "grafana_clone" LOGIN',
        'GRANT "grafana" TO "grafana_clone"',
        `ALTER ROLE "grafana_clone" SET role = 'grafana'`,
        `ALTER ROLE "grafana_clone" WITH LOGIN PASSWORD '${w.db.roles.get("grafana_clone")!.password}'`,
        "COMMIT",
      ],
    );
    // The server gets the password's SCRAM secret (4096 iterations, a 16-byte salt), never the password.
    assert.match(
      w.db.roles.get("grafana_clone")!.password!,
      /^SCRAM-SHA-256\$4096:[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$/,
    );
    assert.ok(!w.db.statements.some((st) => st.includes(v1.password)));
    assert.ok(w.db.statements.includes("SELECT current_user"), "testSecret checked the role");
  });

  it("alternates back to the base user, keeping the previous credential valid until the rotation after", async () => {
    const w = world();
    await rotateFully(w, "v1");
    const v1 = w.value("v1");
    await rotateFully(w, "v2");
    const v2 = w.value("v2");
    assert.strictEqual(v2.username, "grafana");
    assert.notStrictEqual(v2.password, BASE_PASSWORD);
    assert.ok(w.db.canLogIn("grafana", v2.password));
    assert.ok(!w.db.canLogIn("grafana", BASE_PASSWORD), "the base user's password changed");
    assert.ok(w.db.canLogIn("grafana_clone", v1.password), "AWSPREVIOUS still logs in");
    assert.deepStrictEqual(w.versions.get("v1")!.stages, ["AWSPREVIOUS"]);

    await rotateFully(w, "v3");
    const v3 = w.value("v3");
    assert.strictEqual(v3.username, "grafana_clone");
    assert.ok(!w.db.canLogIn("grafana_clone", v1.password), "v1's password ends a rotation later");
    assert.ok(w.db.canLogIn("grafana_clone", v3.password));
    assert.ok(w.db.canLogIn("grafana", v2.password), "AWSPREVIOUS still logs in");
    assert.strictEqual(w.db.roles.get("grafana_clone")!.roleSetting, "grafana");
  });

  describe("each step may run again without harm", () => {
    it("createSecret keeps the pending version an earlier attempt wrote", async () => {
      const w = world();
      w.start("v1");
      await step(w, "createSecret", "v1");
      const first = w.versions.get("v1")!.value;
      await step(w, "createSecret", "v1");
      assert.strictEqual(w.versions.get("v1")!.value, first);
      assert.strictEqual(w.puts.length, 1);
    });

    it("setSecret changes nothing once the pending password logs in", async () => {
      const w = world();
      w.start("v1");
      await step(w, "createSecret", "v1");
      await step(w, "setSecret", "v1");
      const count = w.db.statements.length;
      const logins = w.db.logins.length;
      await step(w, "setSecret", "v1");
      assert.strictEqual(w.db.statements.length, count, "no statement");
      assert.deepStrictEqual(
        w.db.logins.slice(logins),
        ["grafana_clone"],
        "only the pending login",
      );
    });

    it("setSecret rolls back a failed attempt and the retry completes it", async () => {
      const w = world({ failOn: /PASSWORD/ });
      w.start("v1");
      await step(w, "createSecret", "v1");
      await assert.rejects(step(w, "setSecret", "v1"), /statement timeout/);
      assert.ok(!w.db.roles.has("grafana_clone"), "the transaction left nothing behind");
      await step(w, "setSecret", "v1");
      assert.ok(w.db.canLogIn("grafana_clone", w.value("v1").password));
    });

    it("setSecret of a clone that exists does not create it again", async () => {
      const w = world();
      await rotateFully(w, "v1");
      await rotateFully(w, "v2");
      w.start("v3");
      await step(w, "createSecret", "v3");
      const from = w.db.statements.length;
      await step(w, "setSecret", "v3");
      assert.ok(!w.db.statements.slice(from).some((s) => s.startsWith("CREATE ROLE")));
      assert.ok(w.db.canLogIn("grafana_clone", w.value("v3").password));
    });

    it("testSecret and finishSecret repeat, and nothing happens once the version is current", async () => {
      const w = world();
      await rotateFully(w, "v1");
      const puts = w.puts.length;
      const statements = w.db.statements.length;
      for (const s of ["createSecret", "setSecret", "testSecret", "finishSecret"])
        await step(w, s, "v1");
      assert.strictEqual(w.puts.length, puts);
      assert.strictEqual(w.db.statements.length, statements);
      assert.strictEqual(w.current(), "v1");

      const again = world();
      again.start("v1");
      for (const s of ["createSecret", "setSecret", "testSecret", "testSecret"])
        await step(again, s, "v1");
    });
  });

  it("says the base role and database must be created first when the base role is missing or wrong", async () => {
    for (const w of [
      world({ baseRole: null }),
      world({ baseRole: "grafana", username: "grafanna" }),
    ]) {
      w.start("v1");
      await step(w, "createSecret", "v1");
      await refuses(
        w,
        step(w, "setSecret", "v1"),
        /Rotation step "setSecret" of secret arn:aws:secretsmanager:.*grafana\/db-AbCdEf failed: Role (grafana|grafanna) does not exist: the base role and its database grafana must be created first/,
      );
      assert.ok(!w.db.statements.includes("BEGIN"));
    }
  });

  it("refuses a master secret of another host", async () => {
    const w = world({
      master: { username: "postgres", password: MASTER_PASSWORD, host: "other.rds.amazonaws.com" },
    });
    w.start("v1");
    await step(w, "createSecret", "v1");
    await refuses(
      w,
      step(w, "setSecret", "v1"),
      /is for host other\.rds\.amazonaws\.com, not platform-prod.*refusing/,
    );
    assert.deepStrictEqual(w.db.logins, [], "no login as master");
  });

  it("uses a master secret that names the same host", async () => {
    const w = world({ master: { username: "postgres", password: MASTER_PASSWORD, host: HOST } });
    await rotateFully(w, "v1");
    assert.strictEqual(w.value("v1").username, "grafana_clone");
  });

  it("refuses a pending version whose user is not the current user's alternate", async () => {
    const w = world();
    w.versions.set("v1", {
      value: JSON.stringify({
        ...JSON.parse(w.versions.get("v0")!.value!),
        username: "postgres",
        password: "x".repeat(40),
      }),
      stages: ["AWSPENDING"],
    });
    await refuses(
      w,
      step(w, "setSecret", "v1"),
      /pending user postgres is not the alternate of the current user grafana/,
    );
    assert.strictEqual(w.db.roles.get("postgres")!.password, MASTER_PASSWORD);
  });

  it("refuses when the current credentials do not log in", async () => {
    const w = world();
    w.start("v1");
    await step(w, "createSecret", "v1");
    w.db.roles.get("grafana")!.password = "changed-by-someone-else";
    await refuses(
      w,
      step(w, "setSecret", "v1"),
      /AWSCURRENT credentials of user grafana do not log in/,
    );
    assert.ok(!w.db.roles.has("grafana_clone"));
  });

  it("testSecret fails when the pending user does not log in as the base role", async () => {
    const w = world();
    w.start("v1");
    await step(w, "createSecret", "v1");
    await step(w, "setSecret", "v1");
    w.db.roles.get("grafana_clone")!.roleSetting = undefined;
    await refuses(w, step(w, "testSecret", "v1"), /logs in as role grafana_clone, not grafana/);
  });

  const refusals: [string, (w: World) => void, string, RegExp][] = [
    ["rotation is not enabled", () => undefined, "setSecret", /does not have rotation enabled/],
    ["the version is unknown", () => undefined, "setSecret", /has no version v9/],
    [
      "the version is not pending",
      (w) => w.versions.set("v9", { value: w.versions.get("v0")!.value, stages: [] }),
      "setSecret",
      /Version v9 of secret .* is not AWSPENDING/,
    ],
    [
      "the step is unknown",
      (w) => w.start("v9"),
      "dropSecret",
      /Unknown rotation step "dropSecret"/,
    ],
  ];
  for (const [title, setUp, s, message] of refusals) {
    it(`refuses when ${title}`, async () => {
      const w = world({ rotationEnabled: title !== "rotation is not enabled" });
      setUp(w);
      await refuses(w, step(w, s, "v9"), message);
      assert.deepStrictEqual(w.db.logins, []);
    });
  }

  it("keeps passwords out of error messages, even when the server quotes the statement", async () => {
    const w = world({ failOn: /PASSWORD/, echoStatement: true });
    w.start("v1");
    await step(w, "createSecret", "v1");
    const pending = w.value("v1").password;
    await refuses(
      w,
      step(w, "setSecret", "v1"),
      /could not run ALTER ROLE "grafana_clone" WITH LOGIN PASSWORD '\[redacted\]'/,
    );
    assert.ok(w.passwords().includes(pending));
  });

  it("keeps secret text out of the error when a secret is not JSON", async () => {
    const w = world();
    w.versions.get("v0")!.value = `{"password":"${BASE_PASSWORD}"`;
    w.start("v1");
    await refuses(
      w,
      step(w, "createSecret", "v1"),
      /The AWSCURRENT value of secret .* is not JSON$/,
    );
  });

  it("refuses a base user name longer than 57 bytes, which its clone's name would not fit", async () => {
    const long = world({ username: "u".repeat(58) });
    long.start("v1");
    await refuses(
      long,
      step(long, "createSecret", "v1"),
      /Base user u{58} is longer than 57 bytes/,
    );
    assert.strictEqual(long.puts.length, 0);

    const fits = world({ username: "u".repeat(57) });
    fits.start("v1");
    await step(fits, "createSecret", "v1");
    assert.strictEqual(fits.value("v1").username, `${"u".repeat(57)}_clone`);
  });

  it("draws 40-character passwords uniformly from the alphanumerics, dropping bytes that would bias them", () => {
    // 248 and above are dropped (248 = 4 x 62): a source of only such bytes, then zeros.
    let calls = 0;
    const password = rotation.newPassword((n) => Buffer.alloc(n, calls++ === 0 ? 250 : 0));
    assert.strictEqual(password, "A".repeat(40));
    assert.strictEqual(calls, 2);
    assert.strictEqual(
      rotation.newPassword((n) => Buffer.alloc(n, 247)),
      "9".repeat(40),
    );
    for (let i = 0; i < 20; i++) assert.match(rotation.newPassword(), /^[A-Za-z0-9]{40}$/);
  });

  it("tells the infrastructure to load the runtime's Amazon CA bundle", () => {
    assert.deepStrictEqual(RUNTIME_ENVIRONMENT, {
      NODE_EXTRA_CA_CERTS: "/var/runtime/ca-cert.pem",
    });
  });
});
