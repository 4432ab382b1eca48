/**
 * `npm run docs:architecture`: writes the generated parts of docs/architecture.md from the offline
 * preview of every stack: its diagram, its estimated first deploy with the critical path, and the
 * table of create times with their sources. The prose around them is kept as written.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import {
  CREATE_TIME_VARIANTS,
  CREATE_TIMES,
  DEFAULT_CREATE,
  DeployEstimate,
  formatDuration,
} from "./deploy-time";

export const DOC = path.resolve(__dirname, "..", "..", "docs", "architecture.md");

export interface DocStack {
  readonly stack: string;
  readonly region: string;
  readonly diagram: string;
  readonly deployTime: DeployEstimate;
}

const BEGIN = (name: string) => `<!-- BEGIN GENERATED ${name} (npm run docs:architecture) -->`;
const END = (name: string) => `<!-- END GENERATED ${name} -->`;

/** The figures table, from the table in tools/preview/deploy-time.ts. */
export function figuresSection(): string {
  const rows = Object.entries(CREATE_TIMES).map(
    ([type, f]) =>
      `| \`${type}\` | ${formatDuration(f.seconds)} | ${f.source.replace(/\|/g, "\\|")} |`,
  );
  return [
    "| Type | Create time | Source |",
    "|---|---|---|",
    ...rows,
    ...CREATE_TIME_VARIANTS.map(
      (v) =>
        `| ${v.when} | ${formatDuration(v.figure.seconds)} | ${v.figure.source.replace(/\|/g, "\\|")} |`,
    ),
    `| anything else | ${formatDuration(DEFAULT_CREATE.seconds)} | ${DEFAULT_CREATE.source} |`,
  ].join("\n");
}

/** One section per stack: the estimate, its critical path, and the diagram. */
export function stacksSection(stacks: readonly DocStack[]): string {
  return stacks
    .map((s) =>
      [
        `### \`${s.stack}\` (${s.region})`,
        "",
        `Estimated first \`pulumi up\`: **${formatDuration(s.deployTime.seconds)}** ` +
          `(${s.deployTime.atDefault} of ${s.deployTime.resources} resources at the default figure). Critical path:`,
        "",
        "| Step | Takes | Done at |",
        "|---|---|---|",
        ...s.deployTime.criticalPath.map(
          (p) =>
            `| \`${p.urn.split("::").pop()}\` (\`${p.type}\`) | ${formatDuration(p.seconds)} | ${formatDuration(p.finishesAt)} |`,
        ),
        "",
        "```mermaid",
        s.diagram,
        "```",
      ].join("\n"),
    )
    .join("\n\n");
}

/** Replaces the text between a generated section's markers. */
export function replaceSection(doc: string, name: string, content: string): string {
  const begin = doc.indexOf(BEGIN(name));
  const end = doc.indexOf(END(name));
  if (begin < 0 || end < begin) {
    throw new Error(`${path.relative(process.cwd(), DOC)} has no ${name} markers`);
  }
  return `${doc.slice(0, begin + BEGIN(name).length)}\n${content}\n${doc.slice(end)}`;
}

/** The diagram of each stack as the doc holds it, by stack name. */
export function diagramsInDoc(doc: string): Map<string, string> {
  const found = new Map<string, string>();
  const pattern = /### `([^`]+)`[^\n]*\n[\s\S]*?```mermaid\n([\s\S]*?)\n```/g;
  for (const match of doc.matchAll(pattern)) found.set(match[1], match[2]);
  return found;
}

function main(): void {
  const cli = path.join(__dirname, "cli.js");
  const run = spawnSync(process.execPath, [cli, "--all", "--json", "--diagram"], {
    encoding: "utf8",
    maxBuffer: 512 * 1024 * 1024,
  });
  if (run.status !== 0 && run.status !== 1) {
    process.stderr.write(run.stderr);
    process.exit(run.status ?? 2);
  }
  const { stacks } = JSON.parse(run.stdout) as { stacks: DocStack[] };
  let doc = fs.readFileSync(DOC, "utf8");
  doc = replaceSection(doc, "STACKS", stacksSection(stacks));
  doc = replaceSection(doc, "FIGURES", figuresSection());
  fs.writeFileSync(DOC, doc);
  process.stdout.write(`wrote ${path.relative(process.cwd(), DOC)} (${stacks.length} stacks)\n`);
}

if (require.main === module) main();
