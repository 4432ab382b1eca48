/**
 * PostgreSQL users that sign in with a password, for clients without IAM database authentication
 * (Grafana's own database is one): each user's secret lives in Secrets Manager, encrypted with the
 * data key, and one rotation function in the VPC rotates them all with alternating users.
 *
 * Alternating users (`<name>`, `<name>_clone`): a rotation changes the password of the user the
 * secret does not name now, then makes it current. The credential a client read before stays
 * valid until the rotation after, so clients pick up the new one on their next restart without an
 * outage, as long as they restart within a rotation interval.
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotation-strategy.html
 */
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DataTierArgs, POSTGRES_PORT, POSTGRES_USER_ROTATION_DAYS, PostgresUserArgs } from "./args";
import { postgresUserRotationPolicy } from "./documents";
import { allowHttpsToAwsApis, allowTcpFrom, allowTcpTo, emptySecurityGroup } from "./network";
import type { PostgresResources } from "./postgres";
import { RUNTIME_ENVIRONMENT } from "./postgres-user-rotation/runtime";
import { createRotationFunction, scheduleRotation } from "./rotation-function";

/** The JSON a password user's secret holds: the fields AWS's RDS rotation templates use. */
export interface PostgresUserSecret {
  readonly engine: "postgres";
  readonly host: string;
  readonly port: number;
  readonly dbname: string;
  readonly username: string;
  readonly password: string;
  /** The RDS-managed master secret the rotation signs in with. */
  readonly masterarn: string;
}

export function postgresUserSecretName(namePrefix: string, user: string): string {
  return `${namePrefix}/postgres/users/${user}`;
}

export interface PostgresUserResources {
  /** Each user's secret, keyed by user name. */
  readonly secrets: Readonly<Record<string, aws.secretsmanager.Secret>>;
  readonly rotationFunction: aws.lambda.Function;
  readonly rotations: readonly aws.secretsmanager.SecretRotation[];
}

export function createPostgresUsers(
  name: string,
  args: DataTierArgs,
  users: readonly PostgresUserArgs[],
  postgres: PostgresResources,
  dataKey: aws.kms.Key,
  opts: pulumi.CustomResourceOptions,
): PostgresUserResources {
  const secrets: Record<string, aws.secretsmanager.Secret> = {};
  for (const user of users) {
    const secret = new aws.secretsmanager.Secret(
      `${name}-postgres-user-${user.name}`,
      {
        name: postgresUserSecretName(args.namePrefix, user.name),
        description: `Password user ${user.name} of ${args.namePrefix}-postgres (rotated, alternating users)`,
        kmsKeyId: dataKey.arn,
        recoveryWindowInDays: 30,
      },
      { ...opts, protect: true },
    );
    // No special characters: the value travels through shells and connection strings unquoted.
    const password = new random.RandomPassword(
      `${name}-postgres-user-${user.name}`,
      { length: 40, special: false },
      opts,
    );
    // The first version only: the rotation function writes every later one and moves AWSCURRENT.
    new aws.secretsmanager.SecretVersion(
      `${name}-postgres-user-${user.name}`,
      {
        secretId: secret.id,
        secretString: pulumi
          .all([postgres.primary.address, postgres.masterSecretArn, password.result])
          .apply(([host, masterarn, value]) =>
            JSON.stringify({
              engine: "postgres",
              host,
              port: POSTGRES_PORT,
              dbname: user.database,
              username: user.name,
              password: value,
              masterarn,
            } satisfies PostgresUserSecret),
          ),
      },
      { ...opts, ignoreChanges: ["secretString", "versionStages"] },
    );
    secrets[user.name] = secret;
  }
  const rotationFunction = createUsersRotationFunction(
    name,
    args,
    Object.values(secrets),
    postgres,
    dataKey,
    opts,
  );
  const rotations = users.map((user) =>
    scheduleRotation(
      {
        permission: `${name}-postgres-user-${user.name}-rotation`,
        rotation: `${name}-postgres-user-${user.name}`,
      },
      {
        secret: secrets[user.name],
        rotationFunction,
        days: POSTGRES_USER_ROTATION_DAYS,
        accountId: args.accountId,
      },
      opts,
    ),
  );
  return { secrets, rotationFunction, rotations };
}

/**
 * One function for every user: it reaches PostgreSQL (its own security group, admitted by the
 * database's) and Secrets Manager's API from the rotation subnets.
 */
function createUsersRotationFunction(
  name: string,
  args: DataTierArgs,
  secrets: readonly aws.secretsmanager.Secret[],
  postgres: PostgresResources,
  dataKey: aws.kms.Key,
  opts: pulumi.CustomResourceOptions,
): aws.lambda.Function {
  const functionName = `${args.namePrefix}-postgres-user-rotation`;
  const securityGroup = emptySecurityGroup(
    `${name}-postgres-user-rotation-sg`,
    functionName,
    args.vpcId,
    `Rotation of ${args.namePrefix}-postgres password users: PostgreSQL and Secrets Manager only`,
    opts,
  );
  allowTcpTo(
    `${name}-postgres-user-rotation-to-postgres`,
    securityGroup.id,
    postgres.securityGroup.id,
    POSTGRES_PORT,
    "PostgreSQL, to change the users' passwords",
    opts,
  );
  allowHttpsToAwsApis(
    `${name}-postgres-user-rotation-to-secrets-manager`,
    securityGroup.id,
    "Secrets Manager's",
    opts,
  );
  allowTcpFrom(
    `${name}-postgres-from-user-rotation`,
    postgres.securityGroup.id,
    securityGroup.id,
    POSTGRES_PORT,
    "PostgreSQL from the password users' rotation function",
    opts,
  );
  return createRotationFunction(
    name,
    args,
    {
      id: "postgres-user-rotation",
      functionName,
      rotates: `the password users of ${args.namePrefix}-postgres, alternating users`,
      sourceDir: path.join(__dirname, "postgres-user-rotation"),
      packages: ["pg", "@platform/secrets-rotation"],
      policy: (logGroupArn) =>
        pulumi
          .all([
            pulumi.all(secrets.map((s) => s.arn)),
            postgres.masterSecretArn,
            dataKey.arn,
            logGroupArn,
          ])
          .apply(([userSecretArns, masterSecretArn, dataKeyArn, logGroup]) =>
            JSON.stringify(
              postgresUserRotationPolicy({
                region: args.region,
                userSecretArns,
                masterSecretArn,
                dataKeyArn,
                logGroupArn: logGroup,
              }),
            ),
          ),
      // A few statements over TLS; each connection attempt gives up after 10 s.
      timeoutSeconds: 120,
      memoryMiB: 256,
      environment: { ...RUNTIME_ENVIRONMENT },
      vpc: {
        subnetIds: args.rotationSubnetIds,
        securityGroupIds: [securityGroup.id],
      },
    },
    opts,
  );
}
