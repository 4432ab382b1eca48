/**
 * Where each alert's runbook lives: a heading of docs/runbooks/observability.md, linked from every
 * Prometheus rule (`runbook_url`) and CloudWatch alarm (its description). A test resolves every link
 * to a heading with GitHub's anchor rules.
 */

/** The runbook document, as a path from the repository root. */
export const RUNBOOK_DOC = "docs/runbooks/observability.md";

/** The link to a runbook section: `docs/runbooks/observability.md#<anchor>`. */
export function runbookUrl(anchor: string): string {
  return `${RUNBOOK_DOC}#${anchor}`;
}

/** Prometheus alerts have a section titled by the alert's name, whose anchor is the name in lower case. */
export function alertRunbookUrl(alertName: string): string {
  return runbookUrl(alertName.toLowerCase());
}
