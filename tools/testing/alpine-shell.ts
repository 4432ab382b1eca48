/**
 * Runs a container's shell script as an Alpine-based image would: busybox's sh and applets (the
 * postgres:*-alpine and busybox images' /bin/sh, sed, tr, cat, rm, test), not the host's dash and
 * GNU tools, whose sed accepts more. Programs the test supplies (a stand-in psql) come first.
 * Undefined where busybox is not installed, so a test can skip and say why.
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

export type AlpineShell = (
  script: string,
  options: { readonly env?: Record<string, string>; readonly pathFirst?: string },
) => ScriptResult;

export function alpineShell(): AlpineShell | undefined {
  const found = spawnSync("sh", ["-c", "command -v busybox"], { encoding: "utf8" });
  if (found.status !== 0) return undefined;
  const busybox = found.stdout.trim();
  const bin = mkdtempSync(join(tmpdir(), "busybox-"));
  for (const applet of APPLETS) symlinkSync(busybox, join(bin, applet));
  return (script, options) => {
    try {
      const stdout = execFileSync(join(bin, "sh"), ["-ec", script], {
        encoding: "utf8",
        stdio: "pipe",
        // Only busybox's applets and the test's own programs: no host tool is found by accident.
        env: { ...options.env, PATH: [options.pathFirst, bin].filter(Boolean).join(":") },
      });
      return { status: 0, stdout, stderr: "" };
    } catch (error) {
      const e = error as { status: number; stdout: string; stderr: string };
      return { status: e.status, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
    }
  };
}
