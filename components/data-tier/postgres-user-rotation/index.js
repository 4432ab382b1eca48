"use strict";
/**
 * Secrets Manager rotation function of a PostgreSQL (RDS for PostgreSQL) application user, with
 * the alternating users strategy (the four steps of
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda-functions.html).
 *
 * It follows AWS's own template for this strategy, SecretsManagerRDSPostgreSQLRotationMultiUser
 * (aws-samples/aws-secrets-manager-rotation-lambdas@b4b8eca63e1f61bbcfb18c291b640f4fc3b0deb8,
 * SecretsManagerRDSPostgreSQLRotationMultiUser/lambda_function.py): the secret's user alternates
 * between the base user and the base user + "_clone"; each rotation gives the user that is NOT
 * current a new password, so the credential clients hold now (AWSCURRENT, then AWSPREVIOUS) keeps
 * working until the rotation after next.
 *
 * Unlike the template, the clone does not merely inherit the base role's privileges: its login
 * default is `role = <base>` (ALTER ROLE ... SET role), so every session of either user acts as the
 * base role, and objects either creates (the application's schema migrations) are owned by the base
 * role. "Member roles that have been granted membership with the SET option can do SET ROLE to
 * temporarily 'become' the group role [...] any database objects created are considered owned by
 * the group role not the login role" (https://www.postgresql.org/docs/18/role-membership.html);
 * RESET ROLE returns to "the connection-time setting specified by [...] ALTER ROLE"
 * (https://www.postgresql.org/docs/18/sql-set-role.html), i.e. a per-role `role` setting is the
 * session's role from login on. GRANT of a role membership defaults to the SET option, and the
 * session user needs it to become the role (same page: "The current session user must have the SET
 * option for the specified role_name"). While ALTER ROLE ... SET role only validates the value, a
 * missing SET right is a NOTICE, not an error (check_role, PGC_S_TEST, in
 * postgres/postgres@c6d30d71d92650b3216899fa6cc691fd2d5fed65 src/backend/commands/variable.c), so
 * testSecret proves the setting took effect by `SELECT current_user` = base.
 *
 * The secret (SecretString JSON): {"engine":"postgres","host","port","dbname","username",
 * "password","masterarn"}; `masterarn` names the RDS-managed master user secret ({"username",
 * "password"}), whose user creates the clone and sets passwords. The base role and its database are
 * created elsewhere; this function never creates them. The master user is not a superuser on RDS,
 * and since PostgreSQL 16 a CREATEROLE role adds members to a role only with ADMIN OPTION on it
 * ("Restrict the privileges of CREATEROLE roles", https://www.postgresql.org/docs/16/release-16.html):
 * the base role must be one the master user administers (for instance, one it created).
 *
 * Connections use TLS with certificate and host name verification. The Lambda Node.js runtime
 * trusts the RDS certificate authorities only when NODE_EXTRA_CA_CERTS names its bundle: see
 * runtime.ts (RUNTIME_ENVIRONMENT), which the infrastructure sets on the function. No `ca` is
 * passed here: an explicit `ca` replaces both Node's roots and NODE_EXTRA_CA_CERTS
 * (https://nodejs.org/api/cli.html#node_extra_ca_certsfile).
 *
 * Secret values never appear in errors or logs: every error leaves `rotate` as a new Error naming
 * the step and the secret ARN, its message scrubbed of every password this invocation read or made.
 * The database receives the new password only as its SCRAM-SHA-256 secret (scramSecret).
 *
 * Runs on the Lambda Node.js runtime, whose AWS SDK for JavaScript v3 it uses; the SDK and `pg` are
 * loaded only when the handler runs, so the steps can be tested with fake clients.
 */
const crypto = require("node:crypto");
const {
  finishSecret,
  pendingRotation,
  randomAlphanumeric,
  runtimeSecrets,
} = require("@platform/secrets-rotation");

/** Alphanumerics only: safe in any connection string, shell or config file the password lands in. */
const PASSWORD_LENGTH = 40;
const CLONE_SUFFIX = "_clone";
/**
 * "The system uses no more than NAMEDATALEN-1 bytes of an identifier; [...] By default, NAMEDATALEN
 * is 64 so the maximum identifier length is 63 bytes"
 * (https://www.postgresql.org/docs/18/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS): the base
 * name leaves room for the suffix, or the clone's name would be silently truncated.
 */
const MAX_BASE_BYTES = 63 - CLONE_SUFFIX.length;
const DEFAULT_PORT = 5432;
const CONNECT_TIMEOUT_MS = 10_000;
const STATEMENT_TIMEOUT_MS = 30_000;
/**
 * SQLSTATEs of a refused login, class 28 of https://www.postgresql.org/docs/18/errcodes-appendix.html:
 * 28P01 invalid_password (a wrong password, or a password login of a role that does not exist) and
 * 28000 invalid_authorization_specification (auth_failed's default, a role that cannot log in);
 * see auth_failed in src/backend/libpq/auth.c of postgres/postgres.
 */
const LOGIN_REFUSED = new Set(["28P01", "28000"]);

/**
 * PostgreSQL's defaults for a SCRAM-SHA-256 secret (postgres/postgres src/include/common/scram-common.h:
 * SCRAM_DEFAULT_SALT_LEN 16, SCRAM_SHA_256_DEFAULT_ITERATIONS 4096, "at least 4096 per RFC 7677").
 */
const SCRAM_SALT_BYTES = 16;
const SCRAM_ITERATIONS = 4096;

/**
 * The password as PostgreSQL stores it, `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`
 * (RFC 5802 section 3 keys over SHA-256, RFC 7677; the format of scram_build_secret in
 * postgres/postgres src/common/scram-common.c). ALTER ROLE ... PASSWORD takes it as is, so the
 * statement's text carries no password: a server log of the statement (a slow one, say) reveals
 * none. The passwords here are ASCII alphanumerics, which SASLprep leaves unchanged.
 */
function scramSecret(password, salt = crypto.randomBytes(SCRAM_SALT_BYTES)) {
  const salted = crypto.pbkdf2Sync(password, salt, SCRAM_ITERATIONS, 32, "sha256");
  const hmac = (key, text) => crypto.createHmac("sha256", key).update(text).digest();
  const storedKey = crypto.createHash("sha256").update(hmac(salted, "Client Key")).digest();
  const serverKey = hmac(salted, "Server Key");
  return `SCRAM-SHA-256$${SCRAM_ITERATIONS}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}

/** A new password: uniformly random alphanumerics from the platform's CSPRNG. */
function newPassword(randomBytes = crypto.randomBytes) {
  return randomAlphanumeric(PASSWORD_LENGTH, randomBytes);
}

/** The base user and its clone, from either of the two. */
function userPair(username) {
  const base = username.endsWith(CLONE_SUFFIX) ? username.slice(0, -CLONE_SUFFIX.length) : username;
  if (base === "") throw new Error("The secret's username is empty");
  if (Buffer.byteLength(base) > MAX_BASE_BYTES) {
    throw new Error(
      `Base user ${base} is longer than ${MAX_BASE_BYTES} bytes: with "${CLONE_SUFFIX}" it would exceed PostgreSQL's 63-byte identifiers`,
    );
  }
  return { base, clone: base + CLONE_SUFFIX };
}

function otherUser(username) {
  const { base, clone } = userPair(username);
  return username === base ? clone : base;
}

/** Reads one version of a secret as JSON; remembers its password so no error can carry it. */
async function secretJson(ctx, secretId, stage, token) {
  const value = await ctx.deps.secrets.getSecretValue({
    SecretId: secretId,
    VersionStage: stage,
    ...(token !== undefined ? { VersionId: token } : {}),
  });
  let json;
  try {
    json = JSON.parse(value.SecretString);
  } catch {
    // JSON.parse's own message quotes the text it failed on.
    throw new Error(`The ${stage} value of secret ${secretId} is not JSON`);
  }
  if (json === null || typeof json !== "object")
    throw new Error(`The ${stage} value of secret ${secretId} is not a JSON object`);
  if (typeof json.password === "string") ctx.seen.add(json.password);
  return json;
}

function requireFields(json, fields, what) {
  for (const field of fields) {
    if (json[field] === undefined || json[field] === "")
      throw new Error(`${what} has no "${field}"`);
  }
}

async function userSecret(ctx, stage, token) {
  const json = await secretJson(ctx, ctx.secretId, stage, token);
  const what = `The ${stage} value of secret ${ctx.secretId}`;
  requireFields(json, ["engine", "host", "dbname", "username", "password", "masterarn"], what);
  if (json.engine !== "postgres")
    throw new Error(`${what} is for engine ${json.engine}, not postgres`);
  return json;
}

function connectionConfig(host, port, user, password, database) {
  return {
    host,
    port: Number(port ?? DEFAULT_PORT),
    user,
    password,
    database,
    ssl: { rejectUnauthorized: true, servername: host },
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
  };
}

function userConnection(secret) {
  return connectionConfig(
    secret.host,
    secret.port,
    secret.username,
    secret.password,
    secret.dbname,
  );
}

/** True when the credentials log in; false when the server refuses them; other failures throw. */
async function logsIn(ctx, config) {
  let client;
  try {
    client = await ctx.deps.connect(config);
  } catch (error) {
    if (LOGIN_REFUSED.has(error.code)) return false;
    throw error;
  }
  await client.end();
  return true;
}

async function createSecret(ctx, token) {
  try {
    await secretJson(ctx, ctx.secretId, "AWSPENDING", token);
    return; // an earlier attempt of this rotation already created it
  } catch (error) {
    if (error.name !== "ResourceNotFoundException") throw error;
  }
  const current = await userSecret(ctx, "AWSCURRENT");
  const password = newPassword(ctx.deps.randomBytes);
  ctx.seen.add(password);
  await ctx.deps.secrets.putSecretValue({
    SecretId: ctx.secretId,
    ClientRequestToken: token,
    SecretString: JSON.stringify({ ...current, username: otherUser(current.username), password }),
    VersionStages: ["AWSPENDING"],
  });
}

async function setSecret(ctx, token) {
  const pending = await userSecret(ctx, "AWSPENDING", token);
  // An earlier attempt already committed the password.
  if (await logsIn(ctx, userConnection(pending))) return;

  const current = await userSecret(ctx, "AWSCURRENT");
  const { base } = userPair(current.username);
  // Only the pair's other user, on the same database: a pending version written by hand cannot
  // make the master user change some other role (as the AWS template checks).
  if (pending.username !== otherUser(current.username)) {
    throw new Error(
      `The pending user ${pending.username} is not the alternate of the current user ${current.username}`,
    );
  }
  if (
    pending.host !== current.host ||
    Number(pending.port ?? DEFAULT_PORT) !== Number(current.port ?? DEFAULT_PORT)
  ) {
    throw new Error("The pending version names another database host or port than the current one");
  }
  if (pending.masterarn !== current.masterarn) {
    throw new Error("The pending version names another master secret than the current one");
  }

  const master = await secretJson(ctx, current.masterarn, "AWSCURRENT");
  requireFields(master, ["username", "password"], `Master secret ${current.masterarn}`);
  if (master.host !== undefined && master.host !== pending.host) {
    throw new Error(
      `Master secret ${current.masterarn} is for host ${master.host}, not ${pending.host}: refusing to use it`,
    );
  }
  if (master.username === base || master.username === pending.username) {
    throw new Error(
      `The secret's user ${pending.username} is the master user's pair: refusing to rotate it`,
    );
  }

  const client = await ctx.deps.connect(
    connectionConfig(pending.host, pending.port, master.username, master.password, "postgres"),
  );
  try {
    const { rows } = await client.query(
      "SELECT rolname FROM pg_catalog.pg_roles WHERE rolname = $1 OR rolname = $2",
      [base, pending.username],
    );
    const existing = new Set(rows.map((row) => row.rolname));
    if (!existing.has(base)) {
      throw new Error(
        `Role ${base} does not exist: the base role and its database ${pending.dbname} must be created first (by the database component), then the rotation is retried`,
      );
    }
    // Whoever wrote the current version knows the current user's password (the AWS template's
    // guard against a confused deputy): the master user never acts on a name alone.
    if (!(await logsIn(ctx, userConnection(current)))) {
      throw new Error(`The AWSCURRENT credentials of user ${current.username} do not log in`);
    }
    const user = client.escapeIdentifier(pending.username);
    await client.query("BEGIN");
    try {
      if (pending.username !== base) {
        if (!existing.has(pending.username)) await client.query(`CREATE ROLE ${user} LOGIN`);
        await client.query(`GRANT ${client.escapeIdentifier(base)} TO ${user}`);
        await client.query(`ALTER ROLE ${user} SET role = ${client.escapeLiteral(base)}`);
      }
      const secret = scramSecret(pending.password, ctx.deps.randomBytes(SCRAM_SALT_BYTES));
      // Not the password, but what the server checks it against: kept out of messages too.
      ctx.seen.add(secret);
      await client.query(`ALTER ROLE ${user} WITH LOGIN PASSWORD ${client.escapeLiteral(secret)}`);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  } finally {
    await client.end();
  }
}

async function testSecret(ctx, token) {
  const pending = await userSecret(ctx, "AWSPENDING", token);
  const { base } = userPair(pending.username);
  const client = await ctx.deps.connect(userConnection(pending));
  try {
    const { rows } = await client.query("SELECT current_user");
    const user = rows[0] && rows[0].current_user;
    if (user !== base) {
      throw new Error(
        `User ${pending.username} logs in as role ${user}, not ${base}: its "role" setting is missing`,
      );
    }
  } finally {
    await client.end();
  }
}

async function step(ctx, token, name) {
  const versions = await pendingRotation(ctx.deps.secrets, ctx.secretId, token);
  if (versions === undefined) return; // this rotation already finished
  switch (name) {
    case "createSecret":
      return createSecret(ctx, token);
    case "setSecret":
      return setSecret(ctx, token);
    case "testSecret":
      return testSecret(ctx, token);
    case "finishSecret":
      return finishSecret(ctx.deps.secrets, ctx.secretId, token, versions);
    default:
      throw new Error(`Unknown rotation step ${JSON.stringify(name)}`);
  }
}

function scrub(message, seen) {
  let text = String(message);
  for (const value of seen) if (value) text = text.split(value).join("[redacted]");
  return text;
}

/** One step of a rotation, as Secrets Manager invokes it. */
async function rotate(event, deps) {
  const { SecretId: secretId, ClientRequestToken: token, Step: name } = event;
  const ctx = { deps, secretId, seen: new Set() };
  try {
    await step(ctx, token, name);
  } catch (error) {
    // A new error, without `cause`: the original may quote a statement or a secret.
    const failure = new Error(
      `Rotation step ${JSON.stringify(name)} of secret ${secretId} failed: ${scrub(error && error.message, ctx.seen)}`,
    );
    if (error && typeof error.code === "string") failure.code = error.code;
    throw failure;
  }
}

/** The runtime's AWS SDK v3 client and node-postgres. */
function runtimeDeps() {
  const pg = require("pg");
  return {
    randomBytes: crypto.randomBytes,
    secrets: runtimeSecrets(),
    connect: async (config) => {
      const client = new pg.Client(config);
      try {
        await client.connect();
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      }
      return client;
    },
  };
}

exports.handler = async (event) => rotate(event, runtimeDeps());
exports.rotate = rotate;
exports.newPassword = newPassword;
exports.scramSecret = scramSecret;
