/**
 * Grafana's database and user on the data tier's PostgreSQL, set up by a Kubernetes Job instead of
 * a manual SQL step: the program cannot reach the isolated subnets, a pod in the cluster can.
 *
 * The user is a password user of the data tier: its secret (host, username, password) lives in
 * Secrets Manager and rotates there with alternating users (`grafana`, `grafana_clone`). The Job
 * reads that secret and the RDS-managed master secret (IRSA, read-only on both), then, as the
 * master user, creates the base role and the database if they are absent and sets the password of
 * the user the secret names now. Every statement is idempotent, so a rerun (a replaced Job, a
 * restored cluster or database) converges on the secret and never drops anything: Grafana
 * migrates its own schema under its migration lock.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { IMAGES, imageReference, serviceAccountRole } from "@platform/core";
import { RESTRICTED_CONTAINER, restrictedPod } from "./security";

/** Kubernetes name of the Job's ServiceAccount, SQL ConfigMap and NetworkPolicy, and its label. */
export const GRAFANA_DATABASE_SETUP = "grafana-database-setup";
export const GRAFANA_DATABASE_SETUP_LABELS = {
  "app.kubernetes.io/name": GRAFANA_DATABASE_SETUP,
} as const;
/** The `postgres` user of the Alpine PostgreSQL image (docker-library/postgres alpine Dockerfile). */
const POSTGRES_ALPINE_UID = 70;
/** RESTRICTED_CONTAINER with a mutable capability list, as the Kubernetes types want. */
const CONTAINER_SECURITY = { ...RESTRICTED_CONTAINER, capabilities: { drop: ["ALL"] } };
/** Where the init container leaves both secrets for the psql step (memory-backed). */
const SECRETS_DIR = "/run/setup";
/** Where the psql step leaves the current password, which psql reads on stdin (never argv or env). */
const CURRENT_PASSWORD_FILE = `${SECRETS_DIR}/current-password`;
/** The alternate user of a password user (the data tier's rotation, alternating users). */
export const ALTERNATE_USER_SUFFIX = "_clone";

export interface GrafanaDatabaseSetupSettings {
  readonly region: string;
  /** `<account>.dkr.ecr.<region>.amazonaws.com`: the images come through its pull-through cache. */
  readonly registryHost: string;
  /** PostgreSQL primary's address and port. */
  readonly host: string;
  readonly port: number;
  readonly database: string;
  /** The base role; the secret names it or its alternate. */
  readonly user: string;
  /** The RDS-managed master secret (JSON with `username` and `password`). */
  readonly masterSecretArn: string;
  /** Grafana's password user's secret (JSON with `username` and `password`). */
  readonly userSecretArn: string;
}

/**
 * Extracts `"password"` or `"username"` from a secret's JSON with sed (the images have no jq). RDS
 * master passwords exclude `"`, `/`, `@` and spaces, and the password users' are alphanumeric, so
 * the only JSON escape left to undo is a doubled backslash.
 */
export function secretFieldCommand(field: "username" | "password", file: string): string {
  return `sed -n 's/.*"${field}" *: *"\\([^"]*\\)".*/\\1/p' ${file} | sed 's/\\\\\\\\/\\\\/g'`;
}

/**
 * The psql script, run as the master user with ON_ERROR_STOP. `\gexec` runs each generated
 * statement, so CREATE DATABASE (which cannot run in a DO block) is conditional too; `%I` quotes
 * the names.
 * - The password is set with psql's `\password`, which reads it twice, hashes it and sends only its
 *   SCRAM secret (`ALTER USER ... PASSWORD 'SCRAM-SHA-256$...'`), so no statement the server sees
 *   or logs holds it (psql docs, \password). Without a terminal (a pod has none) psql's prompt
 *   reads stdin: simple_prompt in postgres/postgres src/port/sprompt.c falls back to stdin when
 *   /dev/tty cannot be opened.
 * - The base role owns the database. When the secret names the alternate user (after a rotation),
 *   that user exists too, is a member of the base role, and acts as it (`SET role`), so whatever
 *   Grafana's migrations create belongs to the base role whichever user runs them: what the data
 *   tier's rotation function sets up as well.
 * - The master user becomes a member of the base role because RDS's master is not a superuser and
 *   PostgreSQL 16+ lets only members create a database owned by a role.
 */
export const SETUP_SQL = [
  "SELECT format('CREATE ROLE %I LOGIN', :'grafana_user') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'grafana_user')\\gexec",
  "SELECT format('CREATE ROLE %I LOGIN', :'current_user_name') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'current_user_name')\\gexec",
  "SELECT format('GRANT %I TO %I', :'grafana_user', :'current_user_name') WHERE :'current_user_name' <> :'grafana_user'\\gexec",
  "SELECT format('ALTER ROLE %I SET role = %I', :'current_user_name', :'grafana_user') WHERE :'current_user_name' <> :'grafana_user'\\gexec",
  // LOGIN first; then the password, hashed by psql from the two lines on stdin.
  "SELECT format('ALTER ROLE %I WITH LOGIN', :'current_user_name')\\gexec",
  '\\password :"current_user_name"',
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
  const user = `${SECRETS_DIR}/user.json`;
  const alternate = `\${GRAFANA_USER}${ALTERNATE_USER_SUFFIX}`;
  const fetch = (arn: string, file: string) =>
    `aws secretsmanager get-secret-value --region ${s.region} --secret-id '${arn}' --query SecretString --output text > ${file}`;
  return {
    backoffLimit: 4,
    // Under the 10 minutes Pulumi waits for a Job to complete (@pulumi/kubernetes 4.34 Job docs),
    // so a stuck run fails the update with the Job's own reason.
    activeDeadlineSeconds: 540,
    template: {
      metadata: { labels: { ...GRAFANA_DATABASE_SETUP_LABELS } },
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
            args: [
              `umask 077; ${fetch(s.masterSecretArn, master)}; ${fetch(s.userSecretArn, user)}`,
            ],
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
                "umask 077",
                `export PGUSER="$(${secretFieldCommand("username", master)})"`,
                `export PGPASSWORD="$(${secretFieldCommand("password", master)})"`,
                `CURRENT_USER_NAME="$(${secretFieldCommand("username", user)})"`,
                // The secret names the base role or its alternate, nothing else.
                `case "$CURRENT_USER_NAME" in "$GRAFANA_USER"|"${alternate}") ;; *) echo "secret ${s.userSecretArn} names user '$CURRENT_USER_NAME', not $GRAFANA_USER or ${alternate}" >&2; exit 1 ;; esac`,
                // One line exactly, whether or not the secret's text ends in a newline.
                `${secretFieldCommand("password", user)} | tr -d '\\n' > ${CURRENT_PASSWORD_FILE}`,
                // The password twice on stdin, for \password's prompt and its confirmation.
                `{ cat ${CURRENT_PASSWORD_FILE}; echo; cat ${CURRENT_PASSWORD_FILE}; echo; } | psql -v ON_ERROR_STOP=1 -v grafana_user="$GRAFANA_USER" -v grafana_database="$GRAFANA_DATABASE" -v current_user_name="$CURRENT_USER_NAME" -f /sql/setup.sql`,
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
              { name: "secrets", mountPath: SECRETS_DIR },
              { name: "sql", mountPath: "/sql", readOnly: true },
              { name: "tmp", mountPath: "/tmp" },
            ],
          },
        ],
        volumes: [
          { name: "secrets", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
          { name: "tmp", emptyDir: { sizeLimit: "16Mi" } },
          { name: "sql", configMap: { name: GRAFANA_DATABASE_SETUP } },
        ],
      },
    },
  };
}

/**
 * Read these secrets; decrypt with the data key only through Secrets Manager, for them. The setup
 * Job reads the master secret and Grafana's; Grafana reads its own.
 */
export function readSecretsPolicy(args: {
  readonly region: string;
  readonly secretArns: readonly string[];
  readonly keyArn: string;
}): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ReadSecrets",
        Effect: "Allow",
        Action: "secretsmanager:GetSecretValue",
        Resource: [...args.secretArns],
      },
      {
        Sid: "DecryptThemThroughSecretsManager",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: args.keyArn,
        Condition: {
          StringEquals: {
            "kms:ViaService": `secretsmanager.${args.region}.amazonaws.com`,
            // Values of one key are ORed: the context names one of these secrets.
            "kms:EncryptionContext:SecretARN": [...args.secretArns],
          },
        },
      },
    ],
  };
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
  readonly userSecretArn: pulumi.Input<string>;
  readonly keyArn: pulumi.Input<string>;

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
        .all([args.masterSecretArn, args.userSecretArn, args.keyArn])
        .apply(([masterSecretArn, userSecretArn, keyArn]) =>
          JSON.stringify(
            readSecretsPolicy({
              region: args.region,
              secretArns: [masterSecretArn, userSecretArn],
              keyArn,
            }),
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
      // No fixed name: Pulumi auto-names it, so a replacement (a changed pod template is immutable,
      // which pulumi-kubernetes treats as replace since PR 333) creates the new Job before
      // deleting the old one instead of colliding on the name (issue 2575).
      metadata: { namespace: args.namespace, labels: { ...GRAFANA_DATABASE_SETUP_LABELS } },
      spec: pulumi
        .all([args.host, args.masterSecretArn, args.userSecretArn])
        .apply(([host, masterSecretArn, userSecretArn]) =>
          grafanaDatabaseSetupJobSpec({
            region: args.region,
            registryHost: args.registryHost,
            host,
            port: args.port,
            database: args.database,
            user: args.user,
            masterSecretArn,
            userSecretArn,
          }),
        ),
    },
    { ...opts, dependsOn: [...args.dependsOn, serviceAccount, sql] },
  );
}

/** What Grafana's release waits for: the database exists and Grafana may read its credentials. */
export interface GrafanaDatabaseResources {
  readonly dependencies: readonly pulumi.Resource[];
}

/** The weekly rolling restart that makes Grafana read its rotated credentials. */
export const GRAFANA_RESTART = "grafana-restart";
export const GRAFANA_RESTART_LABELS = { "app.kubernetes.io/name": GRAFANA_RESTART } as const;
/**
 * Mondays 04:00 UTC: every Grafana pod then holds a credential under 7 days old, well inside the
 * 30 days the previous one stays valid after a rotation (alternating users), so a missed run or
 * two still leaves the pods working.
 */
export const GRAFANA_RESTART_SCHEDULE = "0 4 * * 1";
/** Any non-root user does for kubectl; the same as the restore drill's kubectl. */
const KUBECTL_UID = 65532;

/** The restart Job's pod: `kubectl rollout restart` of Grafana's Deployment, nothing else. */
export function grafanaRestartJobSpec(
  namespace: string,
  deployment: string,
  registryHost: string,
): k8s.types.input.batch.v1.JobSpec {
  return {
    backoffLimit: 2,
    activeDeadlineSeconds: 600,
    template: {
      metadata: { labels: { ...GRAFANA_RESTART_LABELS } },
      spec: {
        serviceAccountName: GRAFANA_RESTART,
        // kubectl talks to the API server with this pod's token; nothing else in it does.
        automountServiceAccountToken: true,
        restartPolicy: "Never",
        securityContext: restrictedPod(KUBECTL_UID),
        containers: [
          {
            name: "rollout-restart",
            image: imageReference(registryHost, IMAGES.kubectl),
            // The image's entrypoint is /bin/kubectl (kubernetes build/server-image/kubectl).
            command: ["/bin/kubectl"],
            args: ["rollout", "restart", `deployment/${deployment}`, "--namespace", namespace],
            // kubectl keeps its discovery cache under $HOME.
            env: [{ name: "HOME", value: "/tmp" }],
            securityContext: CONTAINER_SECURITY,
            resources: {
              requests: { cpu: "50m", memory: "64Mi" },
              limits: { memory: "128Mi" },
            },
            volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
          },
        ],
        volumes: [{ name: "tmp", emptyDir: { sizeLimit: "16Mi" } }],
      },
    },
  };
}

/**
 * Grafana reads its database credentials only when a pod starts, and the data tier rotates them
 * every 30 days; a credential stays valid until the rotation after the one that replaced it. A
 * weekly rolling restart (PDB and zone spread keep a replica serving) keeps every pod's credential
 * inside that window. Its RBAC can restart Grafana's Deployment and nothing else.
 */
export function createGrafanaRestart(
  name: string,
  args: {
    readonly namespace: string;
    readonly deployment: string;
    readonly registryHost: string;
    /** The namespace and the NetworkPolicy that lets the pod reach the API server. */
    readonly dependsOn: readonly pulumi.Resource[];
  },
  opts: pulumi.CustomResourceOptions,
): k8s.batch.v1.CronJob {
  const base = { ...opts, dependsOn: [...args.dependsOn] };
  const metadata = { name: GRAFANA_RESTART, namespace: args.namespace };
  const serviceAccount = new k8s.core.v1.ServiceAccount(
    `${name}-grafana-restart-sa`,
    // The pod asks for its token explicitly; nothing else runs as this account.
    { metadata, automountServiceAccountToken: false },
    base,
  );
  const role = new k8s.rbac.v1.Role(
    `${name}-grafana-restart-role`,
    {
      metadata,
      // `kubectl rollout restart` reads the Deployment and patches its pod template annotation.
      rules: [
        {
          apiGroups: ["apps"],
          resources: ["deployments"],
          resourceNames: [args.deployment],
          verbs: ["get", "patch"],
        },
      ],
    },
    base,
  );
  new k8s.rbac.v1.RoleBinding(
    `${name}-grafana-restart-binding`,
    {
      metadata,
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: GRAFANA_RESTART },
      subjects: [{ kind: "ServiceAccount", name: GRAFANA_RESTART, namespace: args.namespace }],
    },
    { ...base, dependsOn: [...args.dependsOn, role, serviceAccount] },
  );
  return new k8s.batch.v1.CronJob(
    `${name}-grafana-restart`,
    {
      metadata: { ...metadata, labels: { ...GRAFANA_RESTART_LABELS } },
      spec: {
        schedule: GRAFANA_RESTART_SCHEDULE,
        timeZone: "Etc/UTC",
        concurrencyPolicy: "Forbid",
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 2,
        failedJobsHistoryLimit: 4,
        jobTemplate: {
          spec: grafanaRestartJobSpec(args.namespace, args.deployment, args.registryHost),
        },
      },
    },
    { ...base, dependsOn: [...args.dependsOn, serviceAccount] },
  );
}
