/**
 * A Secrets Manager rotation function of the data tier and what every one needs: its log group
 * (created first, so it has retention and the logs key), an execution role with its own policy,
 * and, per secret, the permission for Secrets Manager to invoke it and the rotation schedule.
 * The Valkey AUTH token's function and PostgreSQL's password users' function are both built here.
 */
import { policyDocument } from "@platform/core";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DataTierArgs } from "./args";
import { lambdaArchive } from "./lambda-package";
import { encryptedLogGroup } from "./network";

const VPC_ACCESS_POLICY = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole";
/**
 * What active tracing needs of the execution role: xray:PutTraceSegments and PutTelemetryRecords,
 * which take no resource ARN (AWS managed policy reference, AWSXRayDaemonWriteAccess v2).
 */
const XRAY_WRITE_POLICY = "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess";

export interface RotationFunctionArgs {
  /** Logical name of the role, its policy and the function; the log group's is `<id>-logs`. */
  readonly id: string;
  readonly functionName: string;
  /** What the function rotates, for descriptions: "the AUTH token of <group>". */
  readonly rotates: string;
  /** The directory of its `index.js`, and the npm packages it loads at run time. */
  readonly sourceDir: string;
  readonly packages?: readonly string[];
  /** The role's policy, given the log group's ARN. */
  readonly policy: (logGroupArn: pulumi.Output<string>) => pulumi.Input<string>;
  readonly timeoutSeconds: number;
  readonly memoryMiB: number;
  readonly environment: Record<string, pulumi.Input<string>>;
  /** Subnets and security groups when the function must reach into the VPC. */
  readonly vpc?: {
    readonly subnetIds: pulumi.Input<string>[];
    readonly securityGroupIds: pulumi.Input<string>[];
  };
}

export function createRotationFunction(
  name: string,
  dataTier: DataTierArgs,
  f: RotationFunctionArgs,
  opts: pulumi.CustomResourceOptions,
): aws.lambda.Function {
  const logGroup = encryptedLogGroup(
    `${name}-${f.id}-logs`,
    `/aws/lambda/${f.functionName}`,
    dataTier.logRetentionDays ?? 365,
    dataTier.logsKeyArn,
    opts,
  );
  const role = new aws.iam.Role(
    `${name}-${f.id}`,
    {
      description: `Rotation of ${f.rotates}`,
      // Lambda's execution-role trust names the service only (it sets no aws:SourceAccount).
      assumeRolePolicy: JSON.stringify(
        policyDocument([
          {
            Effect: "Allow",
            Principal: { Service: "lambda.amazonaws.com" },
            Action: "sts:AssumeRole",
          },
        ]),
      ),
    },
    opts,
  );
  const rolePolicy = new aws.iam.RolePolicy(
    `${name}-${f.id}`,
    { role: role.name, policy: f.policy(logGroup.arn) },
    opts,
  );
  // Its network interfaces in the VPC: AWS's managed policy, the actions Lambda documents.
  const vpcAccess = f.vpc
    ? [
        new aws.iam.RolePolicyAttachment(
          `${name}-${f.id}-vpc`,
          { role: role.name, policyArn: VPC_ACCESS_POLICY },
          opts,
        ),
      ]
    : [];
  const tracing = new aws.iam.RolePolicyAttachment(
    `${name}-${f.id}-xray`,
    { role: role.name, policyArn: XRAY_WRITE_POLICY },
    opts,
  );
  return new aws.lambda.Function(
    `${name}-${f.id}`,
    {
      name: f.functionName,
      description: `Rotates ${f.rotates} (Secrets Manager rotation)`,
      runtime: "nodejs22.x",
      handler: "index.handler",
      code: lambdaArchive(f.sourceDir, f.packages ?? []),
      role: role.arn,
      timeout: f.timeoutSeconds,
      memorySize: f.memoryMiB,
      // One rotation at a time: two would race on what they change.
      reservedConcurrentExecutions: 1,
      ...(f.vpc
        ? { vpcConfig: { subnetIds: f.vpc.subnetIds, securityGroupIds: f.vpc.securityGroupIds } }
        : {}),
      environment: { variables: f.environment },
      loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
      // A trace of each step's calls (Secrets Manager, the database or ElastiCache) beside its logs.
      tracingConfig: { mode: "Active" },
    },
    { ...opts, dependsOn: [rolePolicy, ...vpcAccess, tracing, logGroup] },
  );
}

/**
 * Rotates `secret` with `rotationFunction` every `days` days, from `days` after creation: the first
 * value is new. Secrets Manager may invoke the function for this secret only, from this account.
 */
export function scheduleRotation(
  names: { readonly permission: string; readonly rotation: string },
  rotation: {
    readonly secret: aws.secretsmanager.Secret;
    readonly rotationFunction: aws.lambda.Function;
    readonly days: number;
    readonly accountId: string;
  },
  opts: pulumi.CustomResourceOptions,
): aws.secretsmanager.SecretRotation {
  const invoke = new aws.lambda.Permission(
    names.permission,
    {
      function: rotation.rotationFunction.name,
      action: "lambda:InvokeFunction",
      principal: "secretsmanager.amazonaws.com",
      sourceArn: rotation.secret.arn,
      sourceAccount: rotation.accountId,
    },
    opts,
  );
  return new aws.secretsmanager.SecretRotation(
    names.rotation,
    {
      secretId: rotation.secret.id,
      rotationLambdaArn: rotation.rotationFunction.arn,
      rotationRules: { automaticallyAfterDays: rotation.days },
      rotateImmediately: false,
    },
    { ...opts, dependsOn: [invoke] },
  );
}
