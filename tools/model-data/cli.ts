/**
 * What the model-data generators share: their command line (`--name value` flags), reading the
 * pinned source file (a path, or standard input), the pinned source's description, and writing a
 * generated JSON file formatted as the repository's Prettier config formats it, so the committed
 * file is exactly the generator's output.
 */
import * as fs from "fs";
import * as path from "path";
import * as prettier from "prettier";

export const GENERATED_DIR = path.join(__dirname, "..", "..", "components", "model", "aws");

/** A file of a public repository, pinned to a commit. */
export interface PinnedSource {
  readonly repository: string;
  readonly path: string;
  readonly commit: string;
  /** Committer date of `commit` (ISO 8601), e.g. `git show -s --format=%cI <commit>`. */
  readonly commitDate: string;
  readonly url: string;
}

export class UsageError extends Error {}

const COMMIT = /^[0-9a-f]{40}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2}))?$/;

/** Parses `--name value` pairs; every flag is named in `allowed`, none is repeated. */
export function parseFlags(
  argv: readonly string[],
  allowed: readonly string[],
): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i];
    const value = argv[i + 1];
    if (!name.startsWith("--") || !allowed.includes(name.slice(2))) {
      throw new UsageError(
        `unknown argument ${JSON.stringify(name)}; allowed: ${allowed.map((a) => `--${a}`).join(", ")}`,
      );
    }
    if (value === undefined || value.startsWith("--")) {
      throw new UsageError(`${name} needs a value`);
    }
    if (flags.has(name.slice(2))) throw new UsageError(`${name} is given twice`);
    flags.set(name.slice(2), value);
  }
  return flags;
}

export function requireFlag(flags: Map<string, string>, name: string, what: string): string {
  const value = flags.get(name);
  if (value === undefined) throw new UsageError(`--${name} is required (${what})`);
  return value;
}

/** The pinned source, with its commit and date checked for form (they are copied into the output). */
export function pinnedSource(
  repository: string,
  filePath: string,
  commit: string,
  commitDate: string,
): PinnedSource {
  if (!COMMIT.test(commit)) {
    throw new UsageError(`--commit must be a full 40-character commit hash (got "${commit}")`);
  }
  if (!ISO_DATE.test(commitDate)) {
    throw new UsageError(
      `--commit-date must be an ISO 8601 date such as 2026-07-20T21:17:51-07:00 (got "${commitDate}")`,
    );
  }
  return {
    repository,
    path: filePath,
    commit,
    commitDate,
    url: `https://github.com/${repository}/blob/${commit}/${filePath}`,
  };
}

/** The text of `file`, or of standard input when `file` is undefined or `-`. */
export async function readInput(file: string | undefined): Promise<string> {
  if (file === undefined || file === "-") {
    if (process.stdin.isTTY) {
      throw new UsageError("no input: give --input <file> or pipe the file to standard input");
    }
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }
  if (!fs.existsSync(file)) throw new UsageError(`--input ${file}: no such file`);
  return fs.readFileSync(file, "utf8");
}

/** JSON as Prettier formats it with the repository's config (what `npm run lint` checks). */
export async function formatJson(file: string, value: unknown): Promise<string> {
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(JSON.stringify(value), { ...options, filepath: file });
}

export async function writeGenerated(name: string, value: unknown): Promise<string> {
  const file = path.join(GENERATED_DIR, name);
  fs.mkdirSync(GENERATED_DIR, { recursive: true });
  fs.writeFileSync(file, await formatJson(file, value));
  return file;
}

/** Runs a generator's main, printing a usage or input error without a stack trace (exit 2). */
export function runMain(main: () => Promise<string[]>): void {
  main().then(
    (written) => {
      for (const file of written) console.log(`wrote ${path.relative(process.cwd(), file)}`);
    },
    (err: unknown) => {
      if (err instanceof UsageError || err instanceof SourceFormatError) {
        console.error(`error: ${err.message}`);
        process.exitCode = 2;
      } else {
        throw err;
      }
    },
  );
}

/** The source file does not have the shape the parser knows: regenerate by hand, do not guess. */
export class SourceFormatError extends Error {}
