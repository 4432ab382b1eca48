// @ts-check
"use strict";
/**
 * Builds the body of the one sticky pull-request comment: the offline preview report of every stack
 * (its resource diff, cost change and update time against the base branch, its first-deploy
 * estimate and its diagram), then the cloud `pulumi preview --policy-pack` of each stack that has
 * credentials configured.
 *
 * Environment: OFFLINE_DIR (report.md, exit-code), CLOUD_DIR (one folder per stack with
 * result.json and output.txt), CLOUD_STATE (pending | done | not-configured | skipped),
 * HEAD_SHA, RUN_URL. Prints the body.
 */
const fs = require("node:fs");
const path = require("node:path");
const { renderSection } = require("./pulumi-result.js");

/** Marks the comment so that every run finds and edits it instead of adding another. */
const MARKER = "<!-- platform-preview:sticky -->";
// GitHub rejects comment bodies over 65,536 characters; keep a margin for the frame.
const BODY_LIMIT = 65000;
const OFFLINE_LIMIT = 30000;

/** @type {Record<number, string>} */
const OFFLINE_VERDICT = {
  0: "✅ no mandatory policy violation",
  1: "❌ mandatory policy violation",
  2: "❌ the stack config or program is wrong",
};

/**
 * Cuts at a line boundary and says so; a code fence or <details> left open by the cut is closed,
 * so the rest of the comment still renders.
 * @param {string} text @param {number} limit
 */
function truncateLines(text, limit) {
  if (text.length <= limit) return text;
  const cut = text.lastIndexOf("\n", limit);
  const kept = text.slice(0, cut > 0 ? cut : limit);
  const fences = kept.split("\n").filter((line) => line.startsWith("```")).length;
  const openDetails =
    (kept.match(/<details[ >]/g) ?? []).length - (kept.match(/<\/details>/g) ?? []).length;
  const closing = [fences % 2 === 1 ? "```" : "", ..."</details>\n".repeat(openDetails).split("\n")]
    .filter(Boolean)
    .join("\n");
  return `${kept}${closing ? `\n${closing}` : ""}\n\n… report truncated to fit a comment; the full report is in the workflow run's artifacts.\n`;
}

/**
 * Collapsed sections of the report that the comment drops first when it is too long, so every
 * stack's verdict, diff and diagram stay in it (the full report is in the run's artifacts).
 */
const DROPPABLE = ["Resources by component", "Largest cost items"];

/** @param {string} text @param {number} limit */
function fitReport(text, limit) {
  let fitted = text;
  for (const summary of DROPPABLE) {
    if (fitted.length <= limit) break;
    fitted = fitted.replace(
      new RegExp(`<details><summary>${summary}</summary>[\\s\\S]*?</details>`, "g"),
      `<sub>${summary}: left out to fit the comment; see report.md in the run's artifacts.</sub>`,
    );
  }
  return truncateLines(fitted, limit);
}

/** @param {string | undefined} dir */
function readOffline(dir) {
  const file = (/** @type {string} */ name) => (dir ? path.join(dir, name) : "");
  if (!dir || !fs.existsSync(file("report.md"))) return null;
  const exitCode = Number(fs.readFileSync(file("exit-code"), "utf8").trim());
  return { exitCode, report: fs.readFileSync(file("report.md"), "utf8") };
}

/**
 * @param {string | undefined} dir
 * @returns {{result: any, output: string}[]}
 */
function readCloud(dir) {
  if (!dir || !fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((entry) => path.join(dir, entry))
    .filter((folder) => fs.existsSync(path.join(folder, "result.json")))
    .map((folder) => ({
      result: JSON.parse(fs.readFileSync(path.join(folder, "result.json"), "utf8")),
      output: fs.existsSync(path.join(folder, "output.txt"))
        ? fs.readFileSync(path.join(folder, "output.txt"), "utf8")
        : "",
    }));
}

/**
 * @param {{
 *   offline: {exitCode: number, report: string} | null,
 *   cloud: {result: any, output: string}[],
 *   cloudState: string,
 *   headSha?: string,
 *   runUrl?: string,
 * }} input
 */
function buildBody({ offline, cloud, cloudState, headSha, runUrl }) {
  const head = [MARKER, "## Platform preview", ""];
  const origin = [
    headSha ? `Commit \`${headSha.slice(0, 7)}\`` : "",
    runUrl ? `[run](${runUrl})` : "",
  ];
  if (origin.some(Boolean)) head.push(origin.filter(Boolean).join(" · "), "");

  head.push("### Offline preview: every stack, mock engine, policy pack", "");
  if (offline) {
    const verdict = OFFLINE_VERDICT[offline.exitCode] ?? `❌ exit code ${offline.exitCode}`;
    head.push(
      `**${verdict}** (\`npm run preview -- --all\`)`,
      "",
      fitReport(offline.report.trim(), OFFLINE_LIMIT),
      "",
    );
  } else {
    head.push("❌ The offline preview produced no report; see the workflow run.", "");
  }

  head.push("### Cloud preview: `pulumi preview --policy-pack policy-pack`", "");
  const frame = head.join("\n");
  if (cloudState === "pending") {
    return `${frame}⏳ Running for the stacks with credentials; this comment is updated when they finish.\n`;
  }
  if (cloudState === "not-configured") {
    return `${frame}Not configured: no state backend or no preview role variable for any stack (see docs/ci-cd.md).\n`;
  }
  if (cloudState === "skipped" || cloud.length === 0) {
    return `${frame}Skipped: the tests failed or the cloud previews did not run; see the workflow run.\n`;
  }
  // Share what is left of the comment between the stacks' outputs (each section adds ~1,500 of frame).
  const perStack = Math.max(2000, Math.floor((BODY_LIMIT - frame.length) / cloud.length) - 1500);
  const byStack = [...cloud].sort((a, b) => String(a.result.stack).localeCompare(b.result.stack));
  const sections = byStack.map(({ result, output }) =>
    renderSection(result.operation, result.stack, result, output, perStack),
  );
  return `${frame}${sections.join("\n")}`;
}

function main() {
  const body = buildBody({
    offline: readOffline(process.env.OFFLINE_DIR),
    cloud: readCloud(process.env.CLOUD_DIR),
    cloudState: process.env.CLOUD_STATE ?? "done",
    headSha: process.env.HEAD_SHA,
    runUrl: process.env.RUN_URL,
  });
  process.stdout.write(body);
}

module.exports = {
  MARKER,
  BODY_LIMIT,
  OFFLINE_LIMIT,
  buildBody,
  fitReport,
  readOffline,
  readCloud,
  truncateLines,
};

if (require.main === module) main();
