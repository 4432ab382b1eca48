// @ts-check
"use strict";
/**
 * Stack discovery for the workflows. The stacks are the repository's `Pulumi.<stack>.yaml` files (as
 * for `npm run preview -- --all`), so a new region needs a config file and a role variable, not a
 * workflow edit.
 *
 *   node .github/scripts/stacks.js matrix <role-variable-prefix>   (reads VARS_JSON = toJSON(vars))
 *   node .github/scripts/stacks.js info <stack>   (step outputs region and account-id)
 */
const fs = require("node:fs");
const path = require("node:path");

const STACK_FILE = /^Pulumi\.([a-z0-9][a-z0-9-]*)\.yaml$/;
// Both keys sit under the top-level `config:` map of a stack file.
const REGION_LINE = /^\s+aws:region:\s*["']?([a-z]{2}(?:-[a-z]+)+-\d+)["']?\s*(?:#.*)?$/m;
const ACCOUNT_LINE = /^\s+platform:accountId:\s*["']?(\d{12})["']?\s*(?:#.*)?$/m;

/** @param {string} root @returns {string[]} stack names, sorted */
function listStacks(root) {
  return fs
    .readdirSync(root)
    .map((file) => STACK_FILE.exec(file)?.[1])
    .filter(/** @returns {name is string} */ (name) => name !== undefined)
    .sort();
}

/**
 * The stack's region, and its AWS account when the stack file names one (credentials for any
 * other account are then refused before Pulumi runs).
 * @param {string} root @param {string} stack
 */
function stackInfo(root, stack) {
  const file = path.join(root, `Pulumi.${stack}.yaml`);
  const text = fs.readFileSync(file, "utf8");
  const region = REGION_LINE.exec(text)?.[1];
  if (!region) {
    throw new Error(`${path.basename(file)} must set aws:region under config (got none)`);
  }
  return { region, accountId: ACCOUNT_LINE.exec(text)?.[1] ?? "" };
}

/**
 * `prod-us-west-2` -> `PROD_US_WEST_2`: GitHub variable names allow letters, digits and `_`.
 * @param {string} stack
 */
function variableSuffix(stack) {
  return stack.toUpperCase().replace(/[^A-Z0-9]/g, "_");
}

/**
 * The role a stack's cloud step assumes: the repository variable `<rolePrefix><STACK>`, empty when
 * unset; a value that is not an IAM role ARN is an error naming the variable.
 *
 * @param {Record<string, string>} vars repository variables (the `vars` context)
 * @param {string} rolePrefix e.g. `AWS_PREVIEW_ROLE_ARN_`
 * @param {string} stack
 */
function stackRole(vars, rolePrefix, stack) {
  const variable = `${rolePrefix}${variableSuffix(stack)}`;
  const roleArn = (vars[variable] ?? "").trim();
  if (roleArn && !/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(roleArn)) {
    throw new Error(`${variable} must be an IAM role ARN (got ${roleArn})`);
  }
  return { variable, roleArn };
}

/**
 * The stacks that can be previewed in the cloud: a state backend is configured and the stack has
 * its role variable. Returns the matrix and a line per stack that is left out, saying why.
 *
 * @param {string} root
 * @param {Record<string, string>} vars repository variables (the `vars` context)
 * @param {string} rolePrefix e.g. `AWS_PREVIEW_ROLE_ARN_`
 */
function cloudMatrix(root, vars, rolePrefix) {
  /** @type {{stack: string, region: string, roleArn: string}[]} */
  const include = [];
  /** @type {string[]} */
  const skipped = [];
  const backend = vars.PULUMI_BACKEND_URL || vars.PULUMI_CLOUD_ORGANIZATION;
  for (const stack of listStacks(root)) {
    if (!backend) {
      skipped.push(
        `${stack}: no state backend (set PULUMI_BACKEND_URL or PULUMI_CLOUD_ORGANIZATION)`,
      );
      continue;
    }
    const { variable, roleArn } = stackRole(vars, rolePrefix, stack);
    if (!roleArn) {
      skipped.push(`${stack}: repository variable ${variable} is not set`);
    } else {
      include.push({ stack, region: stackInfo(root, stack).region, roleArn });
    }
  }
  return { matrix: { include }, count: include.length, skipped };
}

/** @param {string} name @param {string} value */
function setOutput(name, value) {
  const line = `${name}=${value}\n`;
  if (process.env.GITHUB_OUTPUT) fs.appendFileSync(process.env.GITHUB_OUTPUT, line);
  else process.stdout.write(line);
}

function main() {
  const [command, argument] = process.argv.slice(2);
  const root = process.cwd();
  if (command === "info" && argument) {
    const { region, accountId } = stackInfo(root, argument);
    setOutput("region", region);
    setOutput("account-id", accountId);
  } else if (command === "matrix" && argument) {
    const vars = JSON.parse(process.env.VARS_JSON || "{}");
    const { matrix, count, skipped } = cloudMatrix(root, vars, argument);
    for (const line of skipped) console.log(`::notice title=Cloud step skipped::${line}`);
    setOutput("matrix", JSON.stringify(matrix));
    setOutput("count", String(count));
  } else {
    console.error("usage: stacks.js matrix <role-variable-prefix> | info <stack>");
    process.exit(2);
  }
}

module.exports = { listStacks, stackInfo, variableSuffix, stackRole, cloudMatrix, setOutput };

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(`::error::${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
}
