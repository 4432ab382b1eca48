// @ts-check
"use strict";
/**
 * Classifies one Pulumi CLI run (preview, up, or the drift check `refresh --preview-only
 * --expect-no-changes`) from its exit code and text output, and renders it as Markdown for the job
 * summary, the pull-request comment and the drift issue.
 *
 *   node .github/scripts/pulumi-result.js <operation> <stack> <exit-code> <output.txt> <out-dir>
 *
 * Writes <out-dir>/result.json and <out-dir>/section.md, appends the section to the job summary and
 * sets the step output `outcome`.
 */
const fs = require("node:fs");
const path = require("node:path");

const OPERATIONS = ["preview", "up", "drift"];
// The CLI's own verdict for `--expect-no-changes` (pkg/cmd/pulumi/operations/refresh.go).
const DRIFT_MESSAGE = "no changes were expected but changes occurred";
// A policy violation prints as `[<level>]  <policy>  (<type>: <name>)`: after `- ` in the
// progress display's "Policies:" section, after `<pack>@v<version> ` inline in the --diff display
// (pkg/backend/display: renderDiffPolicyViolationEvent).
const VIOLATION = /\[(mandatory|advisory)\] {2}(\S+) {2}\(([^)]*)\)/;
// A GitHub comment holds 65,536 characters; one stack's output gets a share of that.
const DEFAULT_OUTPUT_LIMIT = 20000;

/** @param {string} text */
function stripAnsi(text) {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "");
}

/**
 * The indented lines after a heading such as `Resources:`, up to the next blank line.
 * @param {string} output @param {string} heading
 */
function block(output, heading) {
  const lines = output.split("\n");
  const start = lines.findIndex((line) => line.trim() === heading);
  if (start < 0) return [];
  const body = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === "" || !/^\s/.test(line)) break;
    body.push(line.trim());
  }
  return body;
}

/**
 * @param {string} operation preview | up | drift
 * @param {number} exitCode the CLI's exit code
 * @param {string} rawOutput the CLI's combined stdout and stderr
 */
function classify(operation, exitCode, rawOutput) {
  if (!OPERATIONS.includes(operation)) {
    throw new Error(`operation must be one of ${OPERATIONS.join(", ")} (got ${operation})`);
  }
  const output = stripAnsi(rawOutput);
  const violations = output
    .split("\n")
    .map((line) => VIOLATION.exec(line))
    .filter(/** @returns {m is RegExpExecArray} */ (m) => m !== null)
    .map((m) => ({ level: m[1], policy: m[2], resource: m[3] }));
  const mandatory = violations.filter((v) => v.level === "mandatory");
  /** @type {"passed" | "no-drift" | "drift" | "policy-violation" | "error"} */
  let outcome;
  if (exitCode === 0) outcome = operation === "drift" ? "no-drift" : "passed";
  else if (operation === "drift" && output.includes(DRIFT_MESSAGE)) outcome = "drift";
  else if (mandatory.length > 0) outcome = "policy-violation";
  else outcome = "error";
  return { outcome, exitCode, resources: block(output, "Resources:"), violations };
}

/**
 * Keeps the head (the diff) and the tail (policies, resource summary) of a long output.
 * @param {string} text @param {number} limit
 */
function truncateMiddle(text, limit) {
  if (text.length <= limit) return text;
  const head = Math.floor(limit * 0.4);
  const tail = limit - head;
  const omitted = text.length - head - tail;
  return `${text.slice(0, head)}\n… ${omitted} characters omitted, see the job log …\n${text.slice(-tail)}`;
}

/**
 * A code fence longer than any backtick run inside the text, so the output cannot close it.
 * @param {string} text
 */
function fence(text) {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return "`".repeat(Math.max(3, longest + 1));
}

/** @type {Record<string, string>} */
const COMMANDS = {
  preview: "pulumi preview --policy-pack policy-pack",
  up: "pulumi up --policy-pack policy-pack",
  drift: "pulumi refresh --preview-only --expect-no-changes",
};

/** @type {Record<string, string>} */
const HEADLINES = {
  passed: "✅ passed",
  "no-drift": "✅ no drift",
  drift: "⚠️ drift: the cloud differs from the stack's state",
  "policy-violation": "❌ mandatory policy violation",
  error: "❌ failed",
};

/**
 * @param {string} operation
 * @param {string} stack
 * @param {ReturnType<typeof classify>} result
 * @param {string} rawOutput
 * @param {number} [outputLimit]
 */
function renderSection(operation, stack, result, rawOutput, outputLimit = DEFAULT_OUTPUT_LIMIT) {
  const exit = result.outcome === "error" ? ` (exit code ${result.exitCode})` : "";
  const lines = [`#### \`${stack}\`: ${operation} ${HEADLINES[result.outcome]}${exit}`, ""];
  if (result.resources.length > 0) {
    lines.push(`**Resources:** ${result.resources.join(" · ")}`, "");
  }
  const mandatory = result.violations.filter((v) => v.level === "mandatory");
  if (mandatory.length > 0) {
    lines.push("**Mandatory policy violations:**", "");
    for (const v of mandatory) lines.push(`- \`${v.policy}\` on ${v.resource}`);
    lines.push("");
  }
  const advisory = result.violations.length - mandatory.length;
  if (advisory > 0) lines.push(`${advisory} advisory policy finding(s), listed in the output.`, "");
  const output = truncateMiddle(stripAnsi(rawOutput).trimEnd(), outputLimit);
  const marks = fence(output);
  lines.push(
    `<details><summary><code>${COMMANDS[operation]}</code> output</summary>`,
    "",
    `${marks}text`,
    output,
    marks,
    "",
    "</details>",
    "",
  );
  return lines.join("\n");
}

/** @param {string} name @param {string} value */
function setOutput(name, value) {
  if (process.env.GITHUB_OUTPUT) fs.appendFileSync(process.env.GITHUB_OUTPUT, `${name}=${value}\n`);
}

function main() {
  const [operation, stack, exitCodeText, outputFile, outDir] = process.argv.slice(2);
  if (!outDir || !/^\d+$/.test(exitCodeText ?? "")) {
    console.error("usage: pulumi-result.js <operation> <stack> <exit-code> <output.txt> <out-dir>");
    process.exit(2);
  }
  const rawOutput = fs.existsSync(outputFile) ? fs.readFileSync(outputFile, "utf8") : "";
  const result = classify(operation, Number(exitCodeText), rawOutput);
  const section = renderSection(operation, stack, result, rawOutput);
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(
    path.join(outDir, "result.json"),
    `${JSON.stringify({ stack, operation, ...result }, null, 2)}\n`,
  );
  fs.writeFileSync(path.join(outDir, "output.txt"), stripAnsi(rawOutput));
  fs.writeFileSync(path.join(outDir, "section.md"), section);
  if (process.env.GITHUB_STEP_SUMMARY) fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, section);
  setOutput("outcome", result.outcome);
  console.log(`${stack}: ${operation} ${result.outcome}`);
}

module.exports = { classify, renderSection, truncateMiddle, fence, DRIFT_MESSAGE };

if (require.main === module) main();
