import * as assert from "assert";
import { execFileSync } from "child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { IMAGES } from "@platform/core";
import { alpineShell } from "../../tools/testing/alpine-shell";
import {
  GRAFANA_DATABASE_SETUP_LABELS,
  GRAFANA_RESTART_LABELS,
  GRAFANA_RESTART_SCHEDULE,
  SETUP_SQL,
  grafanaDatabaseSetupJobSpec,
  grafanaRestartJobSpec,
  readSecretsPolicy,
  secretFieldCommand,
} from "./database-setup";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const HOST = "123456789012.dkr.ecr.us-west-2.amazonaws.com";
const MASTER = "arn:aws:secretsmanager:us-west-2:123456789012:secret:rds!db-1-AbCdEf";
const USER_SECRET =
  "arn:aws:secretsmanager:us-west-2:123456789012:secret:platform/postgres/users/grafana-AbCdEf";
const KEY = "arn:aws:kms:us-west-2:123456789012:key/1111";
const SETTINGS = {
  region: "us-west-2",
  registryHost: HOST,
  host: "db.example.internal",
  port: 5432,
  database: "grafana",
  user: "grafana",
  masterSecretArn: MASTER,
  userSecretArn: USER_SECRET,
};

describe("Grafana database setup", () => {
  describe("reading a secret's fields without jq", () => {
    // The shape RDS writes: {"username":"...","password":"..."}, JSON-escaped.
    const cases: [string, string, string][] = [
      ["plain", '{"username":"dbadmin","password":"Xy7-k9_Q!z"}', "Xy7-k9_Q!z"],
      ["spaces after colons", '{"username": "dbadmin", "password": "p4ss"}', "p4ss"],
      ["an escaped backslash", '{"username":"dbadmin","password":"a\\\\b"}', "a\\b"],
    ];
    for (const [what, json, password] of cases) {
      it(`extracts the username and password: ${what}`, () => {
        const file = join(mkdtempSync(join(tmpdir(), "master-")), "master.json");
        writeFileSync(file, json);
        const run = (field: "username" | "password") =>
          execFileSync("/bin/sh", ["-c", secretFieldCommand(field, file)])
            .toString()
            .trim();
        assert.strictEqual(run("username"), "dbadmin");
        assert.strictEqual(run("password"), password);
      });
    }
  });

  describe("the SQL", () => {
    const statements = SETUP_SQL.split("\n");
    it("creates the role and the database only when absent, and drops nothing", () => {
      for (const s of statements.filter((s) => /CREATE (ROLE|DATABASE)/.test(s)))
        assert.match(s, /WHERE NOT EXISTS \(SELECT FROM pg_(roles|database) WHERE/, s);
      assert.ok(!/\bDROP\b/i.test(SETUP_SQL));
    });
    it("sets the current user's password on every run with psql's \\password, never in SQL text", () => {
      assert.ok(statements.includes('\\password :"current_user_name"'));
      assert.ok(!/PASSWORD %L|current_password/.test(SETUP_SQL), "no password in a statement");
      // LOGIN is granted before, in a statement of its own.
      const login = statements.findIndex((st) => st.includes("ALTER ROLE %I WITH LOGIN'"));
      assert.ok(login >= 0 && login < statements.indexOf('\\password :"current_user_name"'));
    });
    it("makes the alternate user act as the base role, so the base role owns what it creates", () => {
      const alternate = statements.filter((s) => s.includes("<> :'grafana_user'"));
      assert.deepStrictEqual(
        alternate.map((s) => s.match(/format\('([^']+)'/)![1]),
        ["GRANT %I TO %I", "ALTER ROLE %I SET role = %I"],
      );
    });
    it("makes the master a member before CREATE DATABASE ... OWNER (RDS has no superuser)", () => {
      const grant = statements.findIndex((s) => s.includes("GRANT %I TO CURRENT_USER"));
      const create = statements.findIndex((s) => s.includes("CREATE DATABASE"));
      assert.ok(grant >= 0 && grant < create);
    });
  });

  describe("the Job", () => {
    const spec = grafanaDatabaseSetupJobSpec(SETTINGS) as Any;
    const pod = spec.template.spec;
    const [init] = pod.initContainers;
    const [main] = pod.containers;

    it("pulls both images from the stack's ECR cache, as the image table pins them", () => {
      assert.strictEqual(init.image, `${HOST}/ecr-public/aws-cli/aws-cli:${IMAGES.awsCli.tag}`);
      assert.strictEqual(
        main.image,
        `${HOST}/ecr-public/docker/library/postgres:${IMAGES.postgresClient.tag}`,
      );
    });

    it("runs restricted: non-root, read-only root, no privilege escalation, no capabilities", () => {
      assert.deepStrictEqual(
        [pod.securityContext.runAsNonRoot, pod.securityContext.runAsUser],
        [true, 70],
      );
      for (const c of [init, main]) {
        assert.strictEqual(c.securityContext.readOnlyRootFilesystem, true, c.name);
        assert.strictEqual(c.securityContext.allowPrivilegeEscalation, false, c.name);
        assert.deepStrictEqual(c.securityContext.capabilities.drop, ["ALL"], c.name);
        assert.ok(c.resources.requests.memory && c.resources.limits.memory, c.name);
      }
    });

    it("reads both secrets by ARN into memory, and mounts no Kubernetes Secret", () => {
      const quoted = (arn: string) => `--secret-id '${arn.replace(/[$!]/g, "\\$&")}'`;
      assert.match(init.args[0], new RegExp(quoted(MASTER)));
      assert.match(init.args[0], new RegExp(quoted(USER_SECRET)));
      assert.ok(!JSON.stringify(main.env).includes("secretKeyRef"));
      assert.ok(!pod.volumes.some((v: Any) => v.secret));
      assert.ok(
        pod.volumes.find((v: Any) => v.name === "secrets" && v.emptyDir?.medium === "Memory"),
      );
    });

    it("connects over TLS to the primary, as a Job that never restarts in place", () => {
      const env = Object.fromEntries(main.env.map((e: Any) => [e.name, e.value]));
      assert.deepStrictEqual(
        [env.PGHOST, env.PGPORT, env.PGSSLMODE],
        ["db.example.internal", "5432", "require"],
      );
      assert.deepStrictEqual(spec.template.metadata.labels, GRAFANA_DATABASE_SETUP_LABELS);
      assert.strictEqual(pod.restartPolicy, "Never");
    });

    describe("its script, run as the image runs it (busybox where installed) with a stand-in psql", function () {
      const shell = alpineShell();
      /** Runs the container's script over files like the init container's; psql records its input. */
      function run(user: string, ending = ""): { status: number; stderr: string; psql?: string } {
        const dir = mkdtempSync(join(tmpdir(), "setup-"));
        writeFileSync(join(dir, "master.json"), '{"username":"dbadmin","password":"m4ster"}');
        writeFileSync(
          join(dir, "user.json"),
          `{"engine":"postgres","username":"${user}","password":"Alnum40chars"}${ending}`,
        );
        const psql = join(dir, "psql");
        writeFileSync(
          psql,
          `#!/bin/sh\n{ echo "PGUSER=$PGUSER"; echo "args=$*"; echo "stdin:"; cat; } > ${dir}/psql.out\n`,
        );
        chmodSync(psql, 0o755);
        const script = main.args[0].replaceAll("/run/setup", dir);
        const env = Object.fromEntries(main.env.map((e: Any) => [e.name, e.value]));
        const result = shell.run(script, { env, pathFirst: dir });
        return result.status === 0
          ? { ...result, psql: readFileSync(join(dir, "psql.out"), "utf8") }
          : result;
      }

      it("signs in as the master and passes the user the secret names now", () => {
        // The AWS CLI's text output ends in a newline; the stdin psql reads is the same either way.
        for (const [user, ending] of [
          ["grafana", ""],
          ["grafana_clone", "\n"],
        ]) {
          const result = run(user, ending);
          assert.strictEqual(result.status, 0, result.stderr);
          assert.match(result.psql!, /^PGUSER=dbadmin$/m);
          assert.match(result.psql!, new RegExp(`-v current_user_name=${user} `));
          // The password reaches psql through a file only, not its arguments.
          // Twice on stdin, for \password and its confirmation.
          assert.match(result.psql!, /^stdin:\nAlnum40chars\nAlnum40chars\n$/m);
          assert.ok(!/args=.*Alnum40chars/.test(result.psql!));
        }
      });

      it("refuses a secret that names any other user, naming it and the secret", () => {
        const result = run("postgres");
        assert.notStrictEqual(result.status, 0);
        assert.match(result.stderr, /names user 'postgres', not grafana or grafana_clone/);
        assert.ok(result.stderr.includes(USER_SECRET));
      });
    });
  });

  describe("the weekly restart", () => {
    const spec = grafanaRestartJobSpec("monitoring", "grafana", HOST) as Any;
    const pod = spec.template.spec;
    const [container] = pod.containers;
    it("restarts Grafana's Deployment with kubectl from the cache, nothing else", () => {
      assert.strictEqual(container.image, `${HOST}/k8s/kubectl:${IMAGES.kubectl.tag}`);
      assert.deepStrictEqual(
        [container.command, container.args],
        [
          ["/bin/kubectl"],
          ["rollout", "restart", "deployment/grafana", "--namespace", "monitoring"],
        ],
      );
      assert.deepStrictEqual(spec.template.metadata.labels, GRAFANA_RESTART_LABELS);
      assert.strictEqual(pod.serviceAccountName, "grafana-restart");
      assert.strictEqual(container.securityContext.readOnlyRootFilesystem, true);
      assert.strictEqual(pod.securityContext.runAsNonRoot, true);
    });
    it("runs weekly: every pod's credential is younger than a rotation interval", () => {
      const [minute, hour, dayOfMonth, month, dayOfWeek] = GRAFANA_RESTART_SCHEDULE.split(" ");
      assert.deepStrictEqual([dayOfMonth, month], ["*", "*"]);
      assert.match(`${minute} ${hour} ${dayOfWeek}`, /^\d+ \d+ [0-6]$/);
    });
  });
  it("grants only GetSecretValue on the named secrets, decrypting through Secrets Manager", () => {
    const policy = readSecretsPolicy({
      region: "us-west-2",
      secretArns: [MASTER, USER_SECRET],
      keyArn: KEY,
    }) as Any;
    assert.deepStrictEqual(
      policy.Statement.map((s: Any) => [s.Action, s.Resource]),
      [
        ["secretsmanager:GetSecretValue", [MASTER, USER_SECRET]],
        ["kms:Decrypt", KEY],
      ],
    );
    assert.deepStrictEqual(policy.Statement[1].Condition.StringEquals, {
      "kms:ViaService": "secretsmanager.us-west-2.amazonaws.com",
      "kms:EncryptionContext:SecretARN": [MASTER, USER_SECRET],
    });
  });
});
