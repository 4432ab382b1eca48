import * as assert from "assert";
import { execFileSync } from "child_process";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { IMAGES } from "@platform/core";
import {
  GRAFANA_DATABASE_SETUP_LABELS,
  SETUP_SQL,
  grafanaDatabaseSetupJobSpec,
  grafanaDatabaseSetupPolicy,
  masterFieldCommand,
  passwordVersion,
} from "./database-setup";
import { GRAFANA_DATABASE_SECRET, GRAFANA_PASSWORD_VERSION_ANNOTATION } from "./values";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const HOST = "123456789012.dkr.ecr.us-west-2.amazonaws.com";
const MASTER = "arn:aws:secretsmanager:us-west-2:123456789012:secret:rds!db-1-AbCdEf";
const KEY = "arn:aws:kms:us-west-2:123456789012:key/1111";
const SETTINGS = {
  region: "us-west-2",
  registryHost: HOST,
  host: "db.example.internal",
  port: 5432,
  database: "grafana",
  user: "grafana",
  masterSecretArn: MASTER,
  passwordVersion: "a".repeat(64),
};

describe("Grafana database setup", () => {
  describe("reading the RDS master secret without jq", () => {
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
          execFileSync("/bin/sh", ["-c", masterFieldCommand(field, file)])
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
    it("sets the password on every run, quoted by format(%L), from the mounted Secret", () => {
      assert.ok(statements.some((s) => s.includes("ALTER ROLE %I WITH LOGIN PASSWORD %L")));
      assert.match(
        statements[0],
        /^\\set grafana_password `cat \/run\/grafana-database\/password`$/,
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

    it("reads the master secret by ARN and Grafana's password only as a mounted file", () => {
      assert.match(init.args[0], new RegExp(`--secret-id '${MASTER.replace(/[$!]/g, "\\$&")}'`));
      assert.ok(!JSON.stringify(main.env).includes("secretKeyRef"));
      const volume = pod.volumes.find((v: Any) => v.secret);
      assert.strictEqual(volume.secret.secretName, GRAFANA_DATABASE_SECRET);
      assert.ok(pod.volumes.find((v: Any) => v.emptyDir?.medium === "Memory"));
    });

    it("connects over TLS to the primary, and reruns when the password changes", () => {
      const env = Object.fromEntries(main.env.map((e: Any) => [e.name, e.value]));
      assert.deepStrictEqual(
        [env.PGHOST, env.PGPORT, env.PGSSLMODE],
        ["db.example.internal", "5432", "require"],
      );
      assert.deepStrictEqual(spec.template.metadata.labels, GRAFANA_DATABASE_SETUP_LABELS);
      assert.strictEqual(
        spec.template.metadata.annotations[GRAFANA_PASSWORD_VERSION_ANNOTATION],
        SETTINGS.passwordVersion,
      );
      assert.strictEqual(pod.restartPolicy, "Never");
    });
  });

  it("grants only GetSecretValue on the master secret, decrypting through Secrets Manager", () => {
    const policy = grafanaDatabaseSetupPolicy({
      region: "us-west-2",
      masterSecretArn: MASTER,
      keyArn: KEY,
    }) as Any;
    assert.deepStrictEqual(
      policy.Statement.map((s: Any) => [s.Action, s.Resource]),
      [
        ["secretsmanager:GetSecretValue", MASTER],
        ["kms:Decrypt", KEY],
      ],
    );
    assert.deepStrictEqual(policy.Statement[1].Condition.StringEquals, {
      "kms:ViaService": "secretsmanager.us-west-2.amazonaws.com",
      "kms:EncryptionContext:SecretARN": MASTER,
    });
  });

  it("versions the password by its SHA-256: changes with it, never contains it", () => {
    const a = passwordVersion("first-password");
    assert.match(a, /^[0-9a-f]{64}$/);
    assert.notStrictEqual(a, passwordVersion("second-password"));
    assert.ok(!a.includes("first-password"));
  });
});
