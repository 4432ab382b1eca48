// @ts-check
"use strict";
/**
 * GitHub API calls made from `actions/github-script` steps:
 *   const { upsertStickyComment } = require("./.github/scripts/github-api.js");
 * `github` is the Octokit client that github-script provides, `context` the event context.
 */
const { MARKER } = require("./pr-comment.js");

const DRIFT_LABEL = "drift";

/** @param {string} stack */
function driftMarker(stack) {
  return `<!-- platform-drift:${stack} -->`;
}

/**
 * Edits the bot's comment that carries the marker, or creates it: one comment per pull request,
 * updated in place by every run.
 * @param {{github: any, context: any, body: string, marker?: string}} args
 */
async function upsertStickyComment({ github, context, body, marker = MARKER }) {
  const { owner, repo } = context.repo;
  const issue_number = context.issue.number;
  const comments = await github.paginate(github.rest.issues.listComments, {
    owner,
    repo,
    issue_number,
    per_page: 100,
  });
  const existing = comments.find(
    (/** @type {any} */ comment) =>
      comment.user?.type === "Bot" && String(comment.body ?? "").includes(marker),
  );
  if (existing) {
    await github.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
    return { action: "updated", id: existing.id };
  }
  const created = await github.rest.issues.createComment({ owner, repo, issue_number, body });
  return { action: "created", id: created.data.id };
}

/**
 * @param {string} stack
 * @param {string} section the rendered drift report (pulumi-result.js)
 * @param {string} runUrl
 */
function driftIssueBody(stack, section, runUrl) {
  return [
    driftMarker(stack),
    `The scheduled drift check found resources in stack \`${stack}\` that differ from what Pulumi`,
    `recorded: something changed them outside Pulumi. Latest check: ${runUrl}`,
    "",
    section,
    "**What to do.** To keep a change, put it in the code and merge it. To undo it, run the",
    "deploy workflow by hand with `refresh` ticked (`pulumi up --refresh` re-reads the cloud, then",
    "puts every resource back as the code declares it). This issue closes itself when a drift",
    "check finds no difference.",
    "",
  ].join("\n");
}

/**
 * Opens, updates or closes the stack's drift issue from one drift check's outcome. A failed
 * check (outcome `error`) changes nothing: the failed workflow run reports it.
 * @param {{github: any, context: any, stack: string, outcome: string, section: string, runUrl: string}} args
 */
async function syncDriftIssue({ github, context, stack, outcome, section, runUrl }) {
  const { owner, repo } = context.repo;
  const open = await github.paginate(github.rest.issues.listForRepo, {
    owner,
    repo,
    state: "open",
    labels: DRIFT_LABEL,
    per_page: 100,
  });
  const existing = open.find(
    (/** @type {any} */ issue) =>
      !issue.pull_request && String(issue.body ?? "").includes(driftMarker(stack)),
  );
  if (outcome === "drift") {
    const body = driftIssueBody(stack, section, runUrl);
    if (existing) {
      await github.rest.issues.update({ owner, repo, issue_number: existing.number, body });
      return { action: "updated", number: existing.number };
    }
    const created = await github.rest.issues.create({
      owner,
      repo,
      title: `Drift detected in stack ${stack}`,
      body,
      labels: [DRIFT_LABEL],
    });
    return { action: "opened", number: created.data.number };
  }
  if (outcome === "no-drift" && existing) {
    await github.rest.issues.createComment({
      owner,
      repo,
      issue_number: existing.number,
      body: `No drift found any more in \`${stack}\` (${runUrl}). Closing.`,
    });
    await github.rest.issues.update({
      owner,
      repo,
      issue_number: existing.number,
      state: "closed",
      state_reason: "completed",
    });
    return { action: "closed", number: existing.number };
  }
  return { action: "none" };
}

module.exports = { upsertStickyComment, syncDriftIssue, driftIssueBody, driftMarker, DRIFT_LABEL };
