/**
 * Read-only access to a scanner's source: a checked-out directory, or one commit of a git directory
 * (a bare mirror works: files are read with `git show <commit>:<path>`, nothing is checked out).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

export interface SourceTree {
  /** Where the files come from, for the generated data's `generatedFrom`. */
  readonly description: string;
  /** Names of the files directly inside `dir` (a path relative to the tree's root), sorted. */
  list(dir: string): string[];
  /** Names of the directories directly inside `dir`, sorted. */
  subdirectories(dir: string): string[];
  /** The text of one file, by its path relative to the tree's root. */
  read(file: string): string;
  /** Whether a file exists. */
  exists(file: string): boolean;
}

export function directoryTree(root: string): SourceTree {
  if (!fs.statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`scanner source ${root} is not a directory`);
  }
  return {
    description: root,
    list: (dir) =>
      fs
        .readdirSync(path.join(root, dir), { withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => e.name)
        .sort(),
    subdirectories: (dir) =>
      fs
        .readdirSync(path.join(root, dir), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort(),
    read: (file) => fs.readFileSync(path.join(root, file), "utf8"),
    exists: (file) => fs.existsSync(path.join(root, file)),
  };
}

function git(gitDir: string, args: string[]): string {
  return execFileSync("git", ["--git-dir", gitDir, ...args], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** The full commit id a ref (tag, branch or commit) names in a git directory. */
export function resolveCommit(gitDir: string, ref: string): string {
  return git(gitDir, ["rev-parse", "--verify", `${ref}^{commit}`]).trim();
}

/** Reads many blobs with one `git cat-file --batch` (one process per file is slow on hundreds of files). */
function readBlobs(gitDir: string, commit: string, files: readonly string[]): Map<string, string> {
  const out = execFileSync("git", ["--git-dir", gitDir, "cat-file", "--batch"], {
    input: files.map((f) => `${commit}:${f}`).join("\n") + "\n",
    maxBuffer: 256 * 1024 * 1024,
  });
  const blobs = new Map<string, string>();
  let offset = 0;
  for (const file of files) {
    const headerEnd = out.indexOf(0x0a, offset);
    const header = out.subarray(offset, headerEnd).toString("utf8").split(" ");
    if (header[1] !== "blob")
      throw new Error(`${commit}:${file} is not a file (${header.join(" ")})`);
    const size = Number(header[2]);
    blobs.set(file, out.subarray(headerEnd + 1, headerEnd + 1 + size).toString("utf8"));
    offset = headerEnd + 1 + size + 1;
  }
  return blobs;
}

export function gitTree(gitDir: string, commit: string): SourceTree {
  const files = new Set(
    git(gitDir, ["ls-tree", "-r", "--name-only", commit]).split("\n").filter(Boolean),
  );
  const cache = new Map<string, string>();
  const list = (dir: string): string[] => {
    const prefix = dir.endsWith("/") ? dir : `${dir}/`;
    return [...files]
      .filter((f) => f.startsWith(prefix) && !f.slice(prefix.length).includes("/"))
      .map((f) => f.slice(prefix.length))
      .sort();
  };
  const subdirectories = (dir: string): string[] => {
    const prefix = dir.endsWith("/") ? dir : `${dir}/`;
    const names = [...files]
      .filter((f) => f.startsWith(prefix) && f.slice(prefix.length).includes("/"))
      .map((f) => f.slice(prefix.length).split("/")[0]);
    return [...new Set(names)].sort();
  };
  return {
    description: `${gitDir}@${commit}`,
    list,
    subdirectories,
    read: (file) => {
      if (!files.has(file)) throw new Error(`${commit} has no file ${file}`);
      if (!cache.has(file)) {
        // Read the file's whole directory at once: callers read directories file by file.
        const dir = path.posix.dirname(file);
        for (const [f, text] of readBlobs(
          gitDir,
          commit,
          list(dir).map((n) => `${dir}/${n}`),
        )) {
          cache.set(f, text);
        }
      }
      return cache.get(file) as string;
    },
    exists: (file) => files.has(file),
  };
}
