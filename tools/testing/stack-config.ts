/**
 * Loads stack config the way the program does (committed stack file, the other committed stack
 * for the cross-stack checks, secrets read through the `platform` namespace) with a test's
 * overrides, and reads the problems a rejected config reports.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { ValidationError } from "@platform/core";
import { configKey, loadStackConfig, SECTIONS } from "../../stacks/config";
import { readStackFile } from "../../stacks/stack-files";
import { TEST_TODAY } from "./today";

export type CommittedStack = "prod-us-west-2" | "prod-eu-west-1";

export interface LoadConfigOptions {
  /** The committed stack file to start from; the other committed stack is the peer. */
  readonly stack?: CommittedStack;
  /** Replaces or adds keys of the stack file; `undefined` removes the key. */
  readonly overrides?: Record<string, string | undefined>;
  /** Keys set as encrypted values (added to the config and to its secret keys). */
  readonly secrets?: Record<string, string>;
  /** The day the Kubernetes and engine support windows are judged on. */
  readonly today?: string;
}

export function loadConfig(options: LoadConfigOptions = {}) {
  const stack = options.stack ?? "prod-us-west-2";
  const base = readStackFile(stack);
  const other = readStackFile(stack === "prod-us-west-2" ? "prod-eu-west-1" : "prod-us-west-2");
  const config: Record<string, string> = { ...base.config };
  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    if (value === undefined) delete config[key];
    else config[key] = value;
  }
  const secrets = options.secrets ?? {};
  Object.assign(config, secrets);
  const secretKeys = [...new Set([...base.secretKeys, ...Object.keys(secrets)])];
  return loadStackConfig(
    SECTIONS,
    { stack, config, secretKeys },
    {
      today: options.today ?? TEST_TODAY,
      otherStacks: [{ stack: other.stack, config: other.config }],
      // As the program's `new pulumi.Config("platform").getSecret(key)`.
      secret: (key) => {
        const value = config[configKey(key)];
        return value === undefined ? undefined : pulumi.secret(value);
      },
    },
  );
}

function rejection(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (err) {
    assert.ok(ValidationError.isInstance(err), `expected a ValidationError, got ${String(err)}`);
    return err;
  }
  assert.fail("expected the config to be rejected");
}

/** Runs `fn`, which must throw a ValidationError; its problems as `<key> must <what is allowed>`. */
export function configProblems(fn: () => unknown): string[] {
  return rejection(fn).problems.map((p) => `${p.path} must ${p.allowed}`);
}

/**
 * Runs `fn`, which must throw a ValidationError; the lines of its message after the heading, as an
 * engineer reads them: `- <key> must <what is allowed> (got <value received>)`.
 */
export function configErrorLines(fn: () => unknown): string[] {
  return rejection(fn)
    .message.split("\n")
    .slice(1)
    .map((l) => l.trim());
}

/** Asserts the config is rejected with a problem that starts with `expected` (key first). */
export function assertRejected(options: LoadConfigOptions, expected: string): void {
  const problems = configProblems(() => loadConfig(options));
  assert.ok(
    problems.some((p) => p.startsWith(expected)),
    `expected a problem starting "${expected}", got:\n${problems.join("\n")}`,
  );
}
