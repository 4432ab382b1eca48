/**
 * Generates docs/policies.md, the pack's coverage table, from the policies' own declarations
 * (name, resource types, controls, default enforcement level, config). policy-pack/test/coverage.test.ts
 * fails when the committed file differs from what this script renders.
 *
 * Usage: npm run docs:policies
 */
import * as fs from "fs";
import * as path from "path";
import { policies } from "../catalog";
import type { PlatformPolicy } from "../lib/policy";
import { TAGGABLE_TYPES } from "../resources/tags";

export const OUTPUT = path.join(__dirname, "..", "..", "docs", "policies.md");

function code(s: string): string {
  return "`" + s + "`";
}

function typesCell(p: PlatformPolicy): string {
  const types = p.meta.resourceTypes;
  if (types === TAGGABLE_TYPES) {
    return `${types.length} taggable AWS types (policy-pack/generated/aws-taggable-types.json)`;
  }
  return types.map((t) => (t === "aws:*" ? "every AWS resource" : code(t))).join(", ");
}

function controlsCell(p: PlatformPolicy): string {
  const c = p.meta.controls;
  const all = [
    ...(c.checkov ?? []),
    ...(c.trivy ?? []),
    ...(c.cisEks ?? []).map((s) => `CIS EKS ${s}`),
  ];
  return all.length ? all.join(", ") : "-";
}

function configCell(p: PlatformPolicy): string {
  const props = p.configSchema?.properties ?? {};
  const entries = Object.entries(props).map(
    ([k, v]) => `${code(k)} = ${code(JSON.stringify((v as { default?: unknown }).default))}`,
  );
  return entries.length ? entries.join("<br>") : "-";
}

interface ScannerTable {
  readonly version: string;
  readonly commit: string;
  readonly types: Record<
    string,
    { readonly checks: readonly { id: string; name?: string; title?: string; avdId?: string }[] }
  >;
}
interface Reasons {
  readonly reasons: readonly { readonly why: string; readonly ids: readonly string[] }[];
}

const SCANNERS = path.join(__dirname, "..", "scanners");
const readJson = <T>(file: string): T =>
  JSON.parse(fs.readFileSync(path.join(SCANNERS, file), "utf8")) as T;

/** Trivy Kubernetes ids are claimed without the AVD- prefix (KSV-0017). */
const normalize = (id: string) => id.replace(/^AVD-KSV-/, "KSV-");

/**
 * Every check of the pinned scanner lists on the types the stacks declare: enforced (with the
 * policies claiming it) or not (with the reason from scanners/not-enforced.json). A Checkov check
 * with neither fails the render, so a new scanner release shows what is new.
 */
function scannerCoverage(lines: string[]): void {
  const checkov = readJson<ScannerTable>("checkov.json");
  const trivy = readJson<ScannerTable>("trivy.json");
  const why = new Map<string, string>();
  for (const r of readJson<Reasons>("not-enforced.json").reasons)
    for (const id of r.ids) why.set(id, r.why);
  const claims = new Map<string, string[]>();
  for (const p of policies) {
    const c = p.meta.controls;
    for (const id of [...(c.checkov ?? []), ...(c.trivy ?? [])]) {
      claims.set(normalize(id), [...(claims.get(normalize(id)) ?? []), p.name]);
    }
  }
  const rows = (table: ScannerTable, idOf: (c: { id: string; avdId?: string }) => string) => {
    const byId = new Map<string, { name: string; types: string[] }>();
    for (const [type, entry] of Object.entries(table.types)) {
      for (const check of entry.checks) {
        const id = normalize(idOf(check));
        const row = byId.get(id) ?? { name: check.name ?? check.title ?? "", types: [] };
        row.types.push(type);
        byId.set(id, row);
      }
    }
    return [...byId.entries()].sort(([a], [b]) => a.localeCompare(b, "en", { numeric: true }));
  };
  const checkovRows = rows(checkov, (c) => c.id);
  const trivyRows = rows(trivy, (c) => c.avdId ?? c.id);
  const missing = checkovRows.filter(([id]) => !claims.has(id) && !why.has(id)).map(([id]) => id);
  if (missing.length > 0) {
    throw new Error(
      `Checkov checks with neither a policy nor a reason in policy-pack/scanners/not-enforced.json: ${missing.join(", ")}`,
    );
  }
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  const typesCellOf = (types: string[]) => types.map(code).join(", ");
  for (const [title, table, list] of [
    ["Checkov", checkov, checkovRows],
    ["Trivy", trivy, trivyRows],
  ] as const) {
    const enforced = list.filter(([id]) => claims.has(id));
    const notEnforced = list.filter(([id]) => !claims.has(id));
    lines.push(`## ${title} ${table.version} checks on the platform's types`);
    lines.push("");
    lines.push(
      `Pinned in \`policy-pack/scanners/${title.toLowerCase()}.json\` (commit ${table.commit.slice(0, 8)}): ${list.length} checks, ${enforced.length} enforced, ${notEnforced.length} not enforced.`,
    );
    lines.push("");
    lines.push("### Enforced");
    lines.push("");
    lines.push("| Check | What it tests | Types | Policies |");
    lines.push("|---|---|---|---|");
    for (const [id, row] of enforced) {
      lines.push(
        `| ${id} | ${cell(row.name)} | ${typesCellOf(row.types)} | ${(claims.get(id) ?? []).map(code).join(", ")} |`,
      );
    }
    lines.push("");
    lines.push("### Not enforced (why)");
    lines.push("");
    lines.push("| Check | What it tests | Types | Why not |");
    lines.push("|---|---|---|---|");
    for (const [id, row] of notEnforced) {
      lines.push(
        `| ${id} | ${cell(row.name)} | ${typesCellOf(row.types)} | ${cell(why.get(id) ?? "Not reviewed yet: listed so the next review sees it.")} |`,
      );
    }
    lines.push("");
  }
}

export function render(): string {
  const lines: string[] = [];
  const mandatory = policies.filter((p) => p.enforcementLevel === "mandatory").length;
  const stack = policies.filter((p) => "validateStack" in p).length;
  lines.push("# Policy pack coverage");
  lines.push("");
  lines.push(
    "<!-- Generated by `npm run docs:policies` from policy-pack/<domain>/*.ts. Do not edit by hand. -->",
  );
  lines.push("");
  lines.push(
    `The pack (\`policy-pack/\`) serves ${policies.length} policies: ${mandatory} mandatory and ${policies.length - mandatory} advisory by default; ` +
      `${policies.length - stack} check resources one at a time (Analyze), ${stack} check the whole stack (AnalyzeStack). ` +
      "Every level and setting below can be changed per stack in `policy-pack/config/<stack>.json` " +
      "(`pulumi preview --policy-pack policy-pack --policy-pack-config policy-pack/config/<stack>.json`).",
  );
  lines.push("");
  lines.push(
    "| Policy | Domain | Checks | Resource types | Controls | Default level | Config (default) |",
  );
  lines.push("|---|---|---|---|---|---|---|");
  for (const p of policies) {
    const kind = "validateStack" in p ? "stack" : "resource";
    lines.push(
      `| ${code(p.name)} | ${p.meta.domain} | ${kind} | ${typesCell(p)} | ${controlsCell(p)} | ${p.enforcementLevel} | ${configCell(p)} |`,
    );
  }
  lines.push("");
  scannerCoverage(lines);
  return lines.join("\n");
}

if (require.main === module) {
  fs.writeFileSync(OUTPUT, render());
  console.log(`wrote ${OUTPUT}`);
}
