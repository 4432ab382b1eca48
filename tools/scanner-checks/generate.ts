/**
 * Pins the scanners' checks per resource type the stacks declare (and the types open issues add).
 *
 * Two steps, the second one offline:
 *  1. From the scanners' source (nothing is run): writes policy-pack/scanners/checkov.json and
 *     trivy.json from policy-pack/scanners/resource-types.json and a Checkov and a trivy-checks
 *     source, each a git directory (a bare mirror works) at a release tag, or a checked-out directory
 *     with its version and commit given.
 *       npx ts-node -T tools/scanner-checks/generate.ts \
 *         --checkov <git dir> --checkov-ref 3.3.13 --trivy <git dir> --trivy-ref v2.2.0
 *       (a directory: --checkov <dir> --checkov-version 3.3.13 --checkov-commit <sha>, same for trivy)
 *  2. From the committed tables and docs/policies.md: rewrites the generated part of
 *     policy-pack/scanners/README.md (checks per type the pack does not claim). Runs after step 1, or
 *     alone with --readme-only; generate.test.ts fails when that part is stale.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as prettier from "prettier";
import { CHECKOV_SOURCES, collectCheckovChecks } from "./checkov";
import { directoryTree, gitTree, resolveCommit, type SourceTree } from "./source-tree";
import {
  buildCheckovTable,
  buildTrivyTable,
  parsePolicyClaims,
  renderCoverage,
  replaceGenerated,
  type CheckovTable,
  type Pin,
  type ResourceTypes,
  type TrivyTable,
} from "./tables";
import { collectTrivyChecks, TRIVY_SOURCES } from "./trivy";

const ROOT = path.join(__dirname, "..", "..");
export const SCANNERS_DIR = path.join(ROOT, "policy-pack", "scanners");
export const FILES = {
  resourceTypes: path.join(SCANNERS_DIR, "resource-types.json"),
  checkov: path.join(SCANNERS_DIR, "checkov.json"),
  trivy: path.join(SCANNERS_DIR, "trivy.json"),
  readme: path.join(SCANNERS_DIR, "README.md"),
  policies: path.join(ROOT, "docs", "policies.md"),
};

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, "utf8")) as T;
}

/** The README with its generated part rendered from the committed tables and docs/policies.md. */
export function renderReadme(): string {
  const claims = parsePolicyClaims(fs.readFileSync(FILES.policies, "utf8"), () => {
    // The coverage table names this file for the tagging policy's types.
    return readJson<string[]>(
      path.join(ROOT, "policy-pack", "generated", "aws-taggable-types.json"),
    );
  });
  const block = renderCoverage(
    readJson<CheckovTable>(FILES.checkov),
    readJson<TrivyTable>(FILES.trivy),
    claims,
  );
  return replaceGenerated(fs.readFileSync(FILES.readme, "utf8"), block);
}

interface OpenedSource {
  readonly tree: SourceTree;
  readonly version: string;
  readonly commit: string;
}

function isGitDir(dir: string): boolean {
  return fs.existsSync(path.join(dir, "HEAD")) && fs.existsSync(path.join(dir, "objects"));
}

/** A scanner's source, pinned: a git directory at a release tag, or a directory with version and commit. */
function openSource(name: string, args: Map<string, string>): OpenedSource {
  const location = args.get(name);
  if (!location) throw new Error(`--${name} is required: a git directory or a checkout of ${name}`);
  const gitDir = isGitDir(location) ? location : path.join(location, ".git");
  if (isGitDir(gitDir) && args.has(`${name}-ref`)) {
    const ref = args.get(`${name}-ref`) as string;
    const commit = resolveCommit(gitDir, ref);
    const tags = execFileSync("git", ["--git-dir", gitDir, "tag", "--points-at", commit], {
      encoding: "utf8",
    })
      .split("\n")
      .filter(Boolean);
    if (!tags.includes(ref)) {
      throw new Error(
        `--${name}-ref must be a release tag (got "${ref}"; tags at ${commit}: ${tags.join(", ") || "none"})`,
      );
    }
    return { tree: gitTree(gitDir, commit), version: ref, commit };
  }
  const version = args.get(`${name}-version`);
  const commit = args.get(`${name}-commit`);
  if (!version || !commit || !/^[0-9a-f]{40}$/.test(commit)) {
    throw new Error(
      `--${name} ${location}: give --${name}-ref <release tag> for a git directory, or --${name}-version and --${name}-commit <40-hex commit> for a plain directory`,
    );
  }
  return { tree: directoryTree(location), version, commit };
}

function parseArgs(argv: readonly string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) throw new Error(`unexpected argument "${a}"`);
    if (a === "--readme-only") args.set("readme-only", "true");
    else if (i + 1 < argv.length) args.set(a.slice(2), argv[++i]);
    else throw new Error(`${a} needs a value`);
  }
  return args;
}

async function writeFormatted(
  file: string,
  content: string,
  parser: "json" | "markdown",
): Promise<void> {
  const options = (await prettier.resolveConfig(file)) ?? {};
  const text = parser === "json" ? await prettier.format(content, { ...options, parser }) : content;
  fs.writeFileSync(file, text);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

async function main(argv: readonly string[]): Promise<void> {
  const args = parseArgs(argv);
  if (!args.has("readme-only")) {
    const resourceTypes = readJson<ResourceTypes>(FILES.resourceTypes);
    const checkov = openSource("checkov", args);
    const checkovPin: Pin = {
      repository: "bridgecrewio/checkov",
      version: checkov.version,
      commit: checkov.commit,
      directories: CHECKOV_SOURCES.map((s) => s.dir),
    };
    const checkovTable = buildCheckovTable(
      collectCheckovChecks(checkov.tree),
      resourceTypes,
      checkovPin,
    );
    await writeFormatted(FILES.checkov, JSON.stringify(checkovTable), "json");
    const trivy = openSource("trivy", args);
    const trivyPin: Pin = {
      repository: "aquasecurity/trivy-checks",
      version: trivy.version,
      commit: trivy.commit,
      directories: TRIVY_SOURCES.map((s) => s.dir),
    };
    const trivyTable = buildTrivyTable(collectTrivyChecks(trivy.tree), resourceTypes, trivyPin);
    await writeFormatted(FILES.trivy, JSON.stringify(trivyTable), "json");
  }
  await writeFormatted(FILES.readme, renderReadme(), "markdown");
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: Error) => {
    console.error(e.message);
    process.exit(1);
  });
}
