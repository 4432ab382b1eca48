/**
 * Runs a container's shell script as an Alpine-based image would: busybox's sh and applets (the
 * postgres:*-alpine and busybox images' /bin/sh, sed, tr, cat, rm, test), not the host's dash and
 * GNU tools, whose sed accepts more. Programs the test supplies (a stand-in psql) come first.
 * Where busybox is not installed (Debian's package `busybox`), the host's /bin/sh and tools run
 * the script instead, and `shell.busybox` says so.
 */
import { execFileSync, spawnSync } from "child_process";
import { mkdtempSync, symlinkSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

/** The applets the platform's container scripts call. */
const APPLETS = ["sh", "sed", "tr", "cat", "rm", "test", "echo", "printf"];

export interface ScriptResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface AlpineShell {
  /** True when busybox runs the scripts; false on a host without it. */
  readonly busybox: boolean;
  run(
    script: string,
    options: { readonly env?: Record<string, string>; readonly pathFirst?: string },
  ): ScriptResult;
}

export function alpineShell(): AlpineShell {
  const found = spawnSync("sh", ["-c", "command -v busybox"], { encoding: "utf8" });
  const busybox = found.status === 0 ? found.stdout.trim() : undefined;
  // Only busybox's applets and the test's own programs: no host tool is found by accident.
  let shell = "/bin/sh";
  let tools = "/usr/bin:/bin";
  if (busybox) {
    const bin = mkdtempSync(join(tmpdir(), "busybox-"));
    for (const applet of APPLETS) symlinkSync(busybox, join(bin, applet));
    shell = join(bin, "sh");
    tools = bin;
  }
  return {
    busybox: busybox !== undefined,
    run: (script, options) => {
      try {
        const stdout = execFileSync(shell, ["-ec", script], {
          encoding: "utf8",
          stdio: "pipe",
          env: { ...options.env, PATH: [options.pathFirst, tools].filter(Boolean).join(":") },
        });
        return { status: 0, stdout, stderr: "" };
      } catch (error) {
        const e = error as { status: number; stdout: string; stderr: string };
        return { status: e.status, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
      }
    },
  };
}
