/**
 * Text and markdown renderings of the report: the resource tree grouped by component with counts
 * per type, the policy summary with every violation, the cost line, the deploy-time estimate, the
 * diff against a base report, the diagram and the timings.
 */
import { DeployEstimate, formatDuration } from "./deploy-time";
import { ChangeKind, ResourceChange } from "./diff";
import { Comparison, ResourceEntry, StackReport } from "./report";

/** `urn:pulumi:s::p::a$b:c:D::name` -> `name`. */
function urnName(urn: string): string {
  return urn.split("::").slice(3).join("::");
}

/** `urn:pulumi:s::p::a$b:c:D::name` -> `b:c:D`. */
function urnType(urn: string): string {
  return urn.split("::")[2]?.split("$").pop() ?? "";
}

function describeUrn(urn: string): string {
  return urn ? `${urnName(urn)} (${urnType(urn)})` : "(stack)";
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function money(currency: string, amount: number): string {
  return `${currency} ${amount.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

interface TreeNode {
  readonly resource: ResourceEntry;
  readonly children: TreeNode[];
}

function isComponent(r: ResourceEntry): boolean {
  return !r.custom && !r.remote;
}

/** Components as a tree; custom resources and remote components are counted at their parent. */
function componentTree(resources: readonly ResourceEntry[]): TreeNode[] {
  const nodes = new Map<string, TreeNode>();
  for (const r of resources) if (isComponent(r)) nodes.set(r.urn, { resource: r, children: [] });
  const roots: TreeNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.resource.parent ? nodes.get(node.resource.parent) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

/** Number of resources at and below a component (the component itself excluded). */
function countBelow(node: TreeNode, resources: readonly ResourceEntry[]): number {
  const own = resources.filter((r) => r.parent === node.resource.urn && !isComponent(r)).length;
  return own + node.children.reduce((n, c) => n + 1 + countBelow(c, resources), 0);
}

function typeCounts(resources: readonly ResourceEntry[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function treeLines(report: StackReport): string[] {
  const lines: string[] = [];
  const walk = (node: TreeNode, depth: number) => {
    const indent = "  ".repeat(depth);
    const r = node.resource;
    const below = countBelow(node, report.resources);
    lines.push(`${indent}${r.name}  ${r.type}  (${below} resource${below === 1 ? "" : "s"})`);
    const direct = report.resources.filter((c) => c.parent === r.urn && !isComponent(c));
    for (const [type, count] of typeCounts(direct)) {
      const protectedCount = direct.filter((c) => c.type === type && c.protect).length;
      const notes = [
        direct.some((c) => c.type === type && c.remote) ? "remote component" : "",
        protectedCount > 0 ? `${protectedCount} protected` : "",
      ].filter(Boolean);
      lines.push(
        `${indent}  ${String(count).padStart(3)} ${type}${notes.length ? `  [${notes.join(", ")}]` : ""}`,
      );
    }
    for (const child of node.children) walk(child, depth + 1);
  };
  for (const root of componentTree(report.resources)) walk(root, 1);
  return lines;
}

function policyHeadline(report: StackReport): string {
  const p = report.policies;
  const mandatory = p.violations.filter((v) => v.level === "mandatory" || v.level === "remediate");
  const advisory = p.violations.length - mandatory.length;
  const notRun = new Set(p.notRun.map((n) => n.policy)).size;
  return (
    `${p.pack}@${p.version}: ${p.evaluated.length} policies, ` +
    `${mandatory.length} mandatory and ${advisory} advisory violation${advisory === 1 ? "" : "s"}` +
    (notRun > 0 ? `, ${notRun} could not run on unknown values` : "")
  );
}

function costLine(report: StackReport): string {
  const c = report.cost;
  if (!c) return "not estimated (no cost estimate available)";
  const budget = c.budget ? `, budget ${money(c.currency, c.budget.monthly)}` : "";
  const unknown = c.unknown ? `, ${c.unknown} resource(s) without a price` : "";
  return `${money(c.currency, c.monthly)} per month${budget}${unknown}`;
}

/** The largest items of the estimate, one per line. */
function topCostLines(report: StackReport, count: number): string[] {
  const c = report.cost;
  if (!c) return [];
  return c.byResource
    .slice(0, count)
    .map(
      (l) =>
        `${money(c.currency, l.monthly).padStart(14)}  ${l.name ?? urnName(l.urn)} (${l.type})${l.status === "unknown" ? " [no price]" : ""}`,
    );
}

const MARK: Record<ChangeKind, string> = { create: "+", update: "~", replace: "+-", delete: "-" };

function atRisk(c: ResourceChange): boolean {
  return c.protect && (c.kind === "delete" || c.kind === "replace");
}

function changeLine(c: ResourceChange): string {
  const kind = c.kind === "update" && c.mayReplace ? "update (may replace)" : c.kind;
  return `${MARK[c.kind]} ${kind.padEnd(7)} ${describeUrn(c.urn)}${atRisk(c) ? "  [PROTECTED]" : ""}`;
}

/** One line per change, with the inputs that change under it (at most `perResource`). */
function diffLines(cmp: Comparison, perResource: number): string[] {
  const lines: string[] = [];
  for (const c of cmp.diff.changes) {
    lines.push(changeLine(c));
    for (const p of c.properties.slice(0, perResource)) {
      const note = p.replaces === true ? "  (forces replacement)" : "";
      lines.push(`      ${p.path}: ${p.before} => ${p.after}${note}`);
    }
    if (c.properties.length > perResource) {
      lines.push(`      … and ${c.properties.length - perResource} more input(s)`);
    }
    if (c.replaceReason) lines.push(`      replaced because ${c.replaceReason}`);
  }
  return lines;
}

function diffHeadline(cmp: Comparison): string {
  const d = cmp.diff;
  const mayReplace = d.changes.filter((c) => c.mayReplace).length;
  return (
    `${d.create} to create, ${d.update} to update${mayReplace ? ` (${mayReplace} may replace)` : ""}, ` +
    `${d.replace} to replace, ${d.delete} to delete, ${d.same} unchanged; ` +
    `estimated update time ${formatDuration(cmp.updateTime.seconds)}`
  );
}

function protectedWarnings(cmp: Comparison): string[] {
  return cmp.diff.changes
    .filter(atRisk)
    .map(
      (c) =>
        `Protected resource would be ${c.kind === "delete" ? "deleted" : "replaced"}: ${describeUrn(c.urn)}. ` +
        "`pulumi up` stops at it; if this is intended, remove `protect` in its own reviewed change first.",
    );
}

function costChangeLines(cmp: Comparison): string[] {
  if (!cmp.cost) return [];
  const sign = cmp.cost.delta >= 0 ? "+" : "-";
  const lines = [
    `cost: ${money(cmp.cost.currency, cmp.cost.before)} -> ${money(cmp.cost.currency, cmp.cost.after)} (${sign}${money(cmp.cost.currency, Math.abs(cmp.cost.delta))} per month)`,
  ];
  for (const r of (cmp.cost.resources ?? []).slice(0, 10)) {
    lines.push(
      `  ${r.delta >= 0 ? "+" : "-"}${money(cmp.cost.currency, Math.abs(r.delta))}  ${describeUrn(r.urn)}`,
    );
  }
  return lines;
}

function comparisonLines(report: StackReport): string[] {
  const cmp = report.comparison;
  if (!cmp) return [];
  return [
    "",
    ...protectedWarnings(cmp).map((w) => `!! ${w}`),
    `Changes against ${cmp.file}: ${diffHeadline(cmp)}`,
    ...diffLines(cmp, 20).map((l) => `  ${l}`),
    ...costChangeLines(cmp).map((l) => `  ${l}`),
  ];
}

function estimateHeadline(estimate: DeployEstimate): string {
  return (
    `${formatDuration(estimate.seconds)} (critical path of ${estimate.criticalPath.length} steps; ` +
    `${estimate.atDefault} of ${estimate.resources} resources at the ${estimate.defaultSeconds} s default)`
  );
}

function criticalPathLines(estimate: DeployEstimate): string[] {
  return estimate.criticalPath.map(
    (s) =>
      `${formatDuration(s.seconds).padStart(12)}  done at ${formatDuration(s.finishesAt).padEnd(12)} ${describeUrn(s.urn)}`,
  );
}

export function renderText(report: StackReport, verbose: boolean): string {
  const lines: string[] = [];
  const mode = report.mode === "first-deploy" ? ", first deploy" : "";
  lines.push(
    `Stack ${report.stack} (${report.region}, account ${report.accountId}${mode}): ${report.resources.length} resources`,
  );
  lines.push(...treeLines(report));
  if (report.messages.length > 0) {
    lines.push("", "Program messages:");
    for (const m of report.messages) lines.push(`  ${m.severity}: ${m.message}`);
  }
  if (verbose) {
    lines.push("", "Resources:");
    for (const r of report.resources) {
      const flags = [r.protect ? "protect" : "", r.retainOnDelete ? "retainOnDelete" : ""].filter(
        Boolean,
      );
      lines.push(`  ${r.urn}${flags.length ? `  [${flags.join(", ")}]` : ""}`);
      if (r.unknownInputs.length)
        lines.push(`      unknown until deployed: ${r.unknownInputs.join(", ")}`);
    }
  }
  lines.push("", `Policies: ${policyHeadline(report)}`);
  for (const v of report.policies.violations) {
    lines.push(`  ${v.level.toUpperCase()}  ${v.policy}  ${describeUrn(v.urn)}`);
    lines.push(`      ${v.message.split("\n").join("\n      ")}`);
  }
  const notRunByPolicy = new Map<
    string,
    NonNullable<StackReport["policies"]["notRun"]>[number][]
  >();
  for (const n of report.policies.notRun) {
    notRunByPolicy.set(n.policy, [...(notRunByPolicy.get(n.policy) ?? []), n]);
  }
  if (notRunByPolicy.size > 0) {
    lines.push("  Could not run during preview (an input is unknown until deployed):");
    for (const [policy, entries] of notRunByPolicy) {
      const shown = entries.slice(0, verbose ? entries.length : 3).map((e) => urnName(e.urn));
      const more = entries.length - shown.length;
      lines.push(`    ${policy}: ${shown.join(", ")}${more > 0 ? ` and ${more} more` : ""}`);
    }
  }
  lines.push("", `Cost: ${costLine(report)}`, ...topCostLines(report, verbose ? 50 : 5));
  lines.push(
    "",
    `Deploy time (estimate of a first \`pulumi up\`): ${estimateHeadline(report.deployTime)}`,
    ...criticalPathLines(report.deployTime),
  );
  lines.push(...comparisonLines(report));
  if (report.diagram) {
    lines.push("", "Diagram (Mermaid):", "```mermaid", report.diagram, "```");
  }
  const t = report.timings;
  lines.push(
    "",
    `Timings: ${t.loadMs > 0 ? `loading ${seconds(t.loadMs)}, ` : ""}program ${seconds(t.programMs)}, ` +
      `policies ${seconds(t.policyMs)}, total ${seconds(t.totalMs)}`,
  );
  return lines.join("\n");
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, "<br>");
}

export function renderMarkdown(report: StackReport): string {
  const p = report.policies;
  const mandatory = p.violations.some((v) => v.level === "mandatory" || v.level === "remediate");
  const lines: string[] = [];
  lines.push(
    `### ${mandatory ? ":x:" : ":white_check_mark:"} Offline preview of \`${report.stack}\` (${report.region}${report.mode === "first-deploy" ? ", first deploy" : ""})`,
    "",
    `| Resources | Policies | Cost per month | First deploy (estimate) | Time |`,
    `|---:|---|---|---|---:|`,
    `| ${report.resources.length} | ${escapeCell(policyHeadline(report))} | ${escapeCell(costLine(report))} | ${formatDuration(report.deployTime.seconds)} | ${seconds(report.timings.totalMs)} |`,
    "",
  );
  const atRiskWarnings = report.comparison ? protectedWarnings(report.comparison) : [];
  if (atRiskWarnings.length > 0) {
    lines.splice(1, 0, "", "> [!CAUTION]", ...atRiskWarnings.map((w) => `> ${escapeCell(w)}`));
  }
  if (p.violations.length > 0) {
    lines.push("| Level | Policy | Resource | Message |", "|---|---|---|---|");
    for (const v of p.violations) {
      lines.push(
        `| ${v.level} | \`${v.policy}\` | \`${escapeCell(describeUrn(v.urn))}\` | ${escapeCell(v.message)} |`,
      );
    }
    lines.push("");
  }
  const warnings = report.messages.filter((m) => m.severity !== "info");
  if (warnings.length > 0) {
    lines.push(...warnings.map((m) => `> **${m.severity}**: ${escapeCell(m.message)}`), "");
  }
  if (p.notRun.length > 0) {
    const policies = [...new Set(p.notRun.map((n) => n.policy))];
    lines.push(
      `Could not run during preview (unknown inputs): ${policies.map((n) => `\`${n}\``).join(", ")}`,
      "",
    );
  }
  lines.push(...markdownComparison(report));
  const top = topCostLines(report, 10);
  if (top.length > 0) {
    lines.push(
      "<details><summary>Largest cost items</summary>",
      "",
      "```",
      ...top,
      "```",
      "</details>",
      "",
    );
  }
  lines.push(
    `<details><summary>Estimated first deploy: ${escapeCell(estimateHeadline(report.deployTime))}</summary>`,
    "",
    "```",
    ...criticalPathLines(report.deployTime),
    "```",
    "Create times and their sources: `docs/architecture.md`.",
    "</details>",
    "",
  );
  if (report.diagram) {
    lines.push(
      "<details><summary>Diagram</summary>",
      "",
      "```mermaid",
      report.diagram,
      "```",
      "</details>",
      "",
    );
  }
  lines.push(
    "<details><summary>Resources by component</summary>",
    "",
    "```",
    ...treeLines(report).map((l) => l.slice(2)),
    "```",
    "</details>",
  );
  return lines.join("\n");
}

/** Lines of diff at which the comment collapses the list. */
const OPEN_DIFF_LINES = 25;

function markdownComparison(report: StackReport): string[] {
  const cmp = report.comparison;
  if (!cmp) return [];
  const lines = [
    `**Changes against the base** (\`${escapeCell(cmp.file)}\`): ${diffHeadline(cmp)}`,
    "",
  ];
  // A value holding a fence would end the block early: break it with zero-width spaces.
  const listed = diffLines(cmp, 10).map((l) =>
    l.replace(/`{3,}/g, (m) => m.split("").join("\u200b")),
  );
  if (listed.length > 0) {
    lines.push(
      `<details${listed.length <= OPEN_DIFF_LINES ? " open" : ""}><summary>${cmp.diff.changes.length} resource change(s)</summary>`,
      "",
      "```diff",
      ...listed,
      "```",
      "</details>",
      "",
    );
  }
  const cost = costChangeLines(cmp);
  if (cost.length > 0) lines.push("```", ...cost, "```", "");
  return lines;
}

export function renderSummary(
  reports: readonly StackReport[],
  totalMs: number,
  markdown: boolean,
): string {
  const rows = reports.map((r) => {
    const mandatory = r.policies.violations.filter(
      (v) => v.level === "mandatory" || v.level === "remediate",
    ).length;
    const advisory = r.policies.violations.length - mandatory;
    return {
      stack: r.stack,
      resources: r.resources.length,
      mandatory,
      advisory,
      cost: costLine(r),
      deploy: formatDuration(r.deployTime.seconds),
      ms: r.timings.totalMs,
    };
  });
  if (markdown) {
    return [
      "### Offline preview: all stacks",
      "",
      "| Stack | Resources | Mandatory | Advisory | Cost per month | First deploy (estimate) |",
      "|---|---:|---:|---:|---|---|",
      ...rows.map(
        (r) =>
          `| \`${r.stack}\` | ${r.resources} | ${r.mandatory} | ${r.advisory} | ${escapeCell(r.cost)} | ${r.deploy} |`,
      ),
      "",
      `Total time ${seconds(totalMs)}.`,
    ].join("\n");
  }
  return [
    "Summary:",
    ...rows.map(
      (r) =>
        `  ${r.stack.padEnd(20)} ${String(r.resources).padStart(5)} resources  ${r.mandatory} mandatory  ${r.advisory} advisory  first deploy ~${r.deploy}  cost: ${r.cost}`,
    ),
    `  total ${seconds(totalMs)}`,
  ].join("\n");
}
