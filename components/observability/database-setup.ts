/**
 * Grafana's database and user on the data tier's PostgreSQL, set up by a Kubernetes Job instead of
 * a manual SQL step: the program cannot reach the isolated subnets, a pod in the cluster can.
 *
 * The Job reads the RDS-managed master secret from Secrets Manager (IRSA, read-only on that secret)
 * and Grafana's generated password from the Kubernetes Secret Grafana reads too, then, as the
 * master user, creates the role and the database if they are absent and sets the role's password. Every statement is
 * idempotent, so a rerun (a new password version, a replaced Job, a restored cluster) converges
 * and never drops anything: Grafana migrates its own schema under its migration lock.
 */
import { createHash } from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { IMAGES, imageReference, serviceAccountRole } from "@platform/core";
import { RESTRICTED_CONTAINER, restrictedPod } from "./security";
import { GRAFANA_DATABASE_SECRET, GRAFANA_PASSWORD_VERSION_ANNOTATION } from "./values";

/** Kubernetes name of the Job's ServiceAccount, SQL ConfigMap and NetworkPolicy, and its label. */
export const GRAFANA_DATABASE_SETUP = "grafana-database-setup";
export const GRAFANA_DATABASE_SETUP_LABELS = {
  "app.kubernetes.io/name": GRAFANA_DATABASE_SETUP,
} as const;
/** The `postgres` user of the Alpine PostgreSQL image (docker-library/postgres alpine Dockerfile). */
const POSTGRES_ALPINE_UID = 70;
/** RESTRICTED_CONTAINER with a mutable capability list, as the Kubernetes types want. */
const CONTAINER_SECURITY = { ...RESTRICTED_CONTAINER, capabilities: { drop: ["ALL"] } };
/** Where Grafana's password Secret is mounted (key `password`), readable by the pod's fsGroup. */
const PASSWORD_DIR = "/run/grafana-database";
/** Where the init container leaves the master secret for the psql step (memory-backed). */
const SECRETS_DIR = "/run/setup";

export interface GrafanaDatabaseSetupSettings {
  readonly region: string;
  /** `<account>.dkr.ecr.<region>.amazonaws.com`: the images come through its pull-through cache. */
  readonly registryHost: string;
  /** PostgreSQL primary's address and port. */
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  /** The RDS-managed master secret (JSON with `username` and `password`). */
  readonly masterSecretArn: string;
  /** SHA-256 of Grafana's password: a new password changes the pod template. */
  readonly passwordVersion: string;
}

/**
 * Extracts `"password"` and `"username"` from the master secret's JSON with sed (the image has no
 * jq). RDS master passwords exclude `"`, `/`, `@` and spaces, so the only JSON escape left to undo
 * is a doubled backslash.
 */
export function masterFieldCommand(field: "username" | "password", file: string): string {
  return `sed -n 's/.*"${field}" *: *"\\([^"]*\\)".*/\\1/p' ${file} | sed 's/\\\\\\\\/\\\\/g'`;
}

/**
 * The psql script, run as the master user with ON_ERROR_STOP. `\gexec` runs each generated
 * statement, so CREATE DATABASE (which cannot run in a DO block) is conditional too; `%I`/`%L`
 * quote the names and the password. The master user becomes a member of Grafana's role because
 * RDS's master is not a superuser and PostgreSQL 16+ lets only members create a database owned
 * by a role.
 */
export const SETUP_SQL = [
  // From the mounted Secret into a psql variable (psql runs the backquotes), never into argv.
  `\\set grafana_password \`cat ${PASSWORD_DIR}/password\``,
  "SELECT format('CREATE ROLE %I LOGIN', :'grafana_user') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'grafana_user')\\gexec",
  "SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'grafana_user', :'grafana_password')\\gexec",
  "SELECT format('GRANT %I TO CURRENT_USER', :'grafana_user')\\gexec",
  "SELECT format('CREATE DATABASE %I OWNER %I', :'grafana_database', :'grafana_user') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'grafana_database')\\gexec",
  "SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'grafana_database')\\gexec",
].join("\n");

/** The Job's pod: fetch both secrets, then apply SETUP_SQL over TLS. */
export function grafanaDatabaseSetupJobSpec(
  s: GrafanaDatabaseSetupSettings,
): k8s.types.input.batch.v1.JobSpec {
  const resources = {
    requests: { cpu: "50m", memory: "64Mi" },
    limits: { memory: "256Mi" },
  };
  const master = `${SECRETS_DIR}/master.json`;
  const fetch = (arn: string, file: string) =>
    `aws secretsmanager get-secret-value --region ${s.region} --secret-id '${arn}' --query SecretString --output text > ${file}`;
  return {
    backoffLimit: 4,
    // Under the 10 minutes Pulumi waits for a Job to complete (@pulumi/kubernetes 4.34 Job docs),
    // so a stuck run fails the update with the Job's own reason.
    activeDeadlineSeconds: 540,
    template: {
      metadata: {
        labels: { ...GRAFANA_DATABASE_SETUP_LABELS },
        // A new password version changes the template, so Pulumi replaces the Job and it reruns.
        annotations: { [GRAFANA_PASSWORD_VERSION_ANNOTATION]: s.passwordVersion },
      },
      spec: {
        serviceAccountName: GRAFANA_DATABASE_SETUP,
        // IRSA's web identity token is projected by EKS's pod identity webhook, not this token.
        automountServiceAccountToken: false,
        restartPolicy: "Never",
        securityContext: restrictedPod(POSTGRES_ALPINE_UID),
        initContainers: [
          {
            name: "read-secrets",
            image: imageReference(s.registryHost, IMAGES.awsCli),
            command: ["/bin/sh", "-ec"],
            args: [`umask 077; ${fetch(s.masterSecretArn, master)}`],
            // The CLI keeps its cache under $HOME; the root filesystem is read-only.
            env: [{ name: "HOME", value: "/tmp" }],
            securityContext: CONTAINER_SECURITY,
            resources,
            volumeMounts: [
              { name: "secrets", mountPath: SECRETS_DIR },
              { name: "tmp", mountPath: "/tmp" },
            ],
          },
        ],
        containers: [
          {
            name: "create-database",
            image: imageReference(s.registryHost, IMAGES.postgresClient),
            command: ["/bin/sh", "-ec"],
            args: [
              [
                `export PGUSER="$(${masterFieldCommand("username", master)})"`,
                `export PGPASSWORD="$(${masterFieldCommand("password", master)})"`,
                `psql -v ON_ERROR_STOP=1 -v grafana_user="$GRAFANA_USER" -v grafana_database="$GRAFANA_DATABASE" -f /sql/setup.sql`,
              ].join("\n"),
            ],
            env: [
              { name: "PGHOST", value: s.host },
              { name: "PGPORT", value: String(s.port) },
              // The master user's maintenance database always exists.
              { name: "PGDATABASE", value: "postgres" },
              // The parameter group forces TLS (rds.force_ssl).
              { name: "PGSSLMODE", value: "require" },
              { name: "PGCONNECT_TIMEOUT", value: "10" },
              { name: "GRAFANA_USER", value: s.user },
              { name: "GRAFANA_DATABASE", value: s.database },
              { name: "HOME", value: "/tmp" },
            ],
            securityContext: CONTAINER_SECURITY,
            resources,
            volumeMounts: [
              { name: "secrets", mountPath: SECRETS_DIR, readOnly: true },
              { name: "grafana-password", mountPath: PASSWORD_DIR, readOnly: true },
              { name: "sql", mountPath: "/sql", readOnly: true },
              { name: "tmp", mountPath: "/tmp" },
            ],
          },
        ],
        volumes: [
          { name: "secrets", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
          { name: "tmp", emptyDir: { sizeLimit: "16Mi" } },
          { name: "sql", configMap: { name: GRAFANA_DATABASE_SETUP } },
          {
            name: "grafana-password",
            secret: { secretName: GRAFANA_DATABASE_SECRET, defaultMode: 0o440 },
          },
        ],
      },
    },
  };
}

/** Read the master secret; decrypt with the data key only through Secrets Manager, for it. */
export function grafanaDatabaseSetupPolicy(args: {
  readonly region: string;
  readonly masterSecretArn: string;
  readonly keyArn: string;
}): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ReadMasterSecret",
        Effect: "Allow",
        Action: "secretsmanager:GetSecretValue",
        Resource: args.masterSecretArn,
      },
      {
        Sid: "DecryptMasterSecretThroughSecretsManager",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: args.keyArn,
        Condition: {
          StringEquals: {
            "kms:ViaService": `secretsmanager.${args.region}.amazonaws.com`,
            "kms:EncryptionContext:SecretARN": args.masterSecretArn,
          },
        },
      },
    ],
  };
}

/** Hex SHA-256 of the password: changes with it, reveals nothing of a 40-character random one. */
export function passwordVersion(password: string): string {
  return createHash("sha256").update(password).digest("hex");
}

export interface GrafanaDatabaseSetupArgs {
  readonly namespace: string;
  readonly region: string;
  readonly registryHost: string;
  readonly oidcProviderArn: pulumi.Input<string>;
  readonly oidcProviderUrl: pulumi.Input<string>;
  readonly host: pulumi.Input<string>;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly masterSecretArn: pulumi.Input<string>;
  readonly keyArn: pulumi.Input<string>;
  /** Grafana's generated password and the Kubernetes Secret holding it. */
  /** The SHA-256 of Grafana's password and the Kubernetes Secret holding the password. */
  readonly password: {
    readonly passwordSha256: pulumi.Output<string>;
    readonly secret: k8s.core.v1.Secret;
  };

  /** The namespace, and the NetworkPolicy that lets the Job reach the database and AWS. */
  readonly dependsOn: readonly pulumi.Resource[];
}

/**
 * The Job and what it needs: IRSA role, ServiceAccount, the SQL as a ConfigMap. Pulumi waits for
 * the Job to complete, so Grafana (which depends on it) starts against an existing database.
 */
export function createGrafanaDatabaseSetup(
  name: string,
  args: GrafanaDatabaseSetupArgs,
  opts: pulumi.CustomResourceOptions,
): k8s.batch.v1.Job {
  const role = serviceAccountRole(
    `${name}-grafana-database-setup-role`,
    {
      oidcProviderArn: args.oidcProviderArn,
      oidcIssuerUrl: args.oidcProviderUrl,
      namespace: args.namespace,
      serviceAccount: GRAFANA_DATABASE_SETUP,
      policy: pulumi
        .all([args.masterSecretArn, args.keyArn])
        .apply(([masterSecretArn, keyArn]) =>
          JSON.stringify(
            grafanaDatabaseSetupPolicy({ region: args.region, masterSecretArn, keyArn }),
          ),
        ),
    },
    { parent: opts.parent },
  );
  const serviceAccount = new k8s.core.v1.ServiceAccount(
    `${name}-grafana-database-setup-sa`,
    {
      metadata: {
        name: GRAFANA_DATABASE_SETUP,
        namespace: args.namespace,
        annotations: { "eks.amazonaws.com/role-arn": role.arn },
      },
      automountServiceAccountToken: false,
    },
    opts,
  );
  const sql = new k8s.core.v1.ConfigMap(
    `${name}-grafana-database-setup-sql`,
    {
      metadata: { name: GRAFANA_DATABASE_SETUP, namespace: args.namespace },
      data: { "setup.sql": `${SETUP_SQL}\n` },
    },
    opts,
  );
  return new k8s.batch.v1.Job(
    `${name}-grafana-database-setup`,
    {
      // No fixed name: Pulumi auto-names it, so a replacement (a new password changes the
      // immutable pod template, which pulumi-kubernetes treats as replace since PR 333) creates the
      // new Job before deleting the old one instead of colliding on the name (issue 2575).
      metadata: { namespace: args.namespace, labels: { ...GRAFANA_DATABASE_SETUP_LABELS } },
      spec: pulumi
        .all([args.host, args.masterSecretArn, args.password.passwordSha256])
        .apply(([host, masterSecretArn, passwordSha256]) =>
          grafanaDatabaseSetupJobSpec({
            region: args.region,
            registryHost: args.registryHost,
            host,
            port: args.port,
            database: args.database,
            user: args.user,
            masterSecretArn,
            passwordVersion: passwordSha256,
          }),
        ),
    },
    { ...opts, dependsOn: [...args.dependsOn, serviceAccount, sql, args.password.secret] },
  );
}
