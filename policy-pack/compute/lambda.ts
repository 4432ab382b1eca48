/**
 * Lambda functions and who may invoke them: a supported runtime, no credentials in the
 * environment, inside the VPC, a concurrency limit and active tracing; and invoke permissions that
 * name their caller (never anyone) and, for an AWS service, the source resource or account.
 */
import { isUnknown } from "@platform/model";
import { configProperty, resourcePolicy, type DomainPolicy } from "../lib/policy";
import { isObject, label, undecidable } from "../lib/values";
import { CREDENTIALS } from "./user-data";

const FUNCTION = "aws:lambda/function:Function";
const PERMISSION = "aws:lambda/permission:Permission";

/**
 * Runtimes Lambda has deprecated: Checkov 3.3.13's list (DeprecatedLambdaRuntime.py at
 * bridgecrewio/checkov@0604e97b, after the Lambda runtimes page), plus the two it schedules in
 * comments, nodejs18.x from 2025-09-01 and provided.al2 from 2026-06-30, both past by 2026-12.
 */
const DEPRECATED_RUNTIMES = [
  "dotnetcore3.1",
  "nodejs12.x",
  "python3.6",
  "python2.7",
  "dotnet5.0",
  "dotnetcore2.1",
  "ruby2.5",
  "nodejs10.x",
  "nodejs8.10",
  "nodejs4.3",
  "nodejs6.10",
  "dotnetcore1.0",
  "dotnetcore2.0",
  "nodejs4.3-edge",
  "nodejs",
  "java8",
  "python3.7",
  "go1.x",
  "provided",
  "ruby2.7",
  "nodejs14.x",
  "nodejs16.x",
  "python3.9",
  "dotnet7",
  "dotnet6",
  "nodejs18.x",
  "provided.al2",
];

/** Environment variable names that say their value is a credential. */
const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;

const lambdaRuntimeSupported = resourcePolicy({
  name: "lambda-runtime-supported",
  description:
    "Checks that Lambda functions run a runtime Lambda still supports (a deprecated one gets no security patches).",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [FUNCTION],
  controls: { checkov: ["CKV_AWS_363"] },
  config: {
    deprecated: configProperty.strings(DEPRECATED_RUNTIMES, "Runtimes Lambda has deprecated."),
  },
  validate: (r) => {
    const runtime = r.props.runtime;
    if (isUnknown(runtime)) undecidable(r.args, ["runtime"]);
    if (typeof runtime === "string" && r.config.deprecated.includes(runtime)) {
      r.report(
        `${label("Lambda function", r.name)} must not run the deprecated runtime ${runtime}: move it to a supported one (nodejs22.x, python3.13 or newer).`,
      );
    }
  },
});

const lambdaNoCredentialsInEnvironment = resourcePolicy({
  name: "lambda-no-credentials-in-environment",
  description:
    "Checks that a Lambda function's environment carries no credential in plain text: no AWS key or private key, and no value but an ARN in a variable named as a secret.",
  enforcementLevel: "mandatory",
  severity: "critical",
  resourceTypes: [FUNCTION],
  controls: { checkov: ["CKV_AWS_45"] },
  validate: (r) => {
    const variables = isObject(r.props.environment) ? r.props.environment.variables : undefined;
    if (!isObject(variables)) return;
    const found: string[] = [];
    for (const [name, value] of Object.entries(variables)) {
      if (typeof value !== "string" || isUnknown(value) || value === "") continue;
      const shapes = CREDENTIALS.filter(([, re]) => re.test(value)).map(([what]) => what);
      if (shapes.length > 0) found.push(`${name} (${shapes.join(", ")})`);
      // An ARN names where the secret is; anything else under a secret's name is the secret.
      else if (SECRET_NAME.test(name) && !value.startsWith("arn:"))
        found.push(`${name} (a plain value in a secret's name)`);
    }
    if (found.length > 0) {
      r.report(
        `${label("Lambda function", r.name)} must not carry credentials in its environment: ${found.join("; ")}. Store them in Secrets Manager and read them with the function's role.`,
      );
    }
  },
});

const lambdaInVpc = resourcePolicy({
  name: "lambda-function-in-vpc",
  description:
    "Checks that Lambda functions run in the VPC (subnets and security groups), so their traffic is the platform's to filter and log.",
  enforcementLevel: "mandatory",
  severity: "medium",
  resourceTypes: [FUNCTION],
  controls: { checkov: ["CKV_AWS_117"] },
  validate: (r) => {
    const vpc = r.props.vpcConfig;
    if (isUnknown(vpc)) undecidable(r.args, ["vpcConfig"]);
    const subnets = isObject(vpc) ? vpc.subnetIds : undefined;
    if (isUnknown(subnets)) return;
    if (!Array.isArray(subnets) || subnets.length === 0) {
      r.report(
        `${label("Lambda function", r.name)} must run in the VPC: set vpcConfig.subnetIds (private subnets) and securityGroupIds.`,
      );
    }
  },
});

const lambdaConcurrencyLimit = resourcePolicy({
  name: "lambda-function-concurrency-limit",
  description:
    "Checks that Lambda functions set a function-level concurrency limit, so one cannot take the account's whole concurrency.",
  enforcementLevel: "advisory",
  severity: "low",
  resourceTypes: [FUNCTION],
  controls: { checkov: ["CKV_AWS_115"] },
  validate: (r) => {
    const reserved = r.props.reservedConcurrentExecutions;
    if (isUnknown(reserved)) return;
    // -1 (the provider's default) means unreserved.
    if (typeof reserved !== "number" || reserved < 0) {
      r.report(
        `${label("Lambda function", r.name)} must set reservedConcurrentExecutions to 0 or more (got ${JSON.stringify(reserved ?? "unset")}).`,
      );
    }
  },
});

const lambdaTracing = resourcePolicy({
  name: "lambda-function-tracing",
  description: "Checks that Lambda functions trace their invocations with X-Ray.",
  enforcementLevel: "advisory",
  severity: "low",
  resourceTypes: [FUNCTION],
  controls: { checkov: ["CKV_AWS_50"], trivy: ["AVD-AWS-0066"] },
  validate: (r) => {
    const mode = isObject(r.props.tracingConfig) ? r.props.tracingConfig.mode : undefined;
    if (isUnknown(mode)) return;
    if (mode !== "Active" && mode !== "PassThrough") {
      r.report(
        `${label("Lambda function", r.name)} must trace with X-Ray: set tracingConfig.mode to "Active" and give its role AWSXRayDaemonWriteAccess.`,
      );
    }
  },
});

const lambdaPermissionScoped = resourcePolicy({
  name: "lambda-permission-scoped",
  description:
    'Checks that Lambda invoke permissions never name Principal "*", and that a permission for an AWS service names the resource that invokes (sourceArn), so no other resource, in this account or another, can invoke the function through that service.',
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [PERMISSION],
  controls: { checkov: ["CKV_AWS_301", "CKV_AWS_364"], trivy: ["AVD-AWS-0067"] },
  validate: (r) => {
    const principal = r.props.principal;
    if (isUnknown(principal)) undecidable(r.args, ["principal"]);
    if (principal === "*") {
      r.report(
        `${label("Lambda permission", r.name)} must not let anyone invoke the function: name the service or account as principal.`,
      );
      return;
    }
    if (typeof principal === "string" && /\.amazonaws\.com$/.test(principal)) {
      // Checkov accepts sourceAccount alone (CKV_AWS_364); Trivy wants the resource (AVD-AWS-0067).
      if (r.props.sourceArn === undefined) {
        r.report(
          `${label("Lambda permission", r.name)} for ${principal} must name sourceArn, the resource that invokes (and sourceAccount where the ARN has no account): otherwise the service invokes the function for other resources too.`,
        );
      }
    }
  },
});

export const lambdaPolicies: DomainPolicy[] = [
  lambdaRuntimeSupported,
  lambdaNoCredentialsInEnvironment,
  lambdaInVpc,
  lambdaConcurrencyLimit,
  lambdaTracing,
  lambdaPermissionScoped,
];
