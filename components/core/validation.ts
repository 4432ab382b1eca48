import * as pulumi from "@pulumi/pulumi";

/** One rejected value: where it is, what was received, and what is allowed. */
export interface Problem {
  /** Config key or argument path, e.g. `platform:vpcCidr` or `args.nodePools.system.minSize`. */
  readonly path: string;
  readonly received: unknown;
  /** What is allowed, phrased to follow "must", e.g. "be between 7 and 35". */
  readonly allowed: string;
}

/** Longest value a message quotes whole; a longer one is cut, saying how long it was. */
const MAX_QUOTED_LENGTH = 120;

/** A received value as messages quote it: JSON, cut when long. */
export function quoteValue(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? String(value);
  if (text.length <= MAX_QUOTED_LENGTH) return text;
  return `${text.slice(0, MAX_QUOTED_LENGTH - 40)}… (${text.length} characters)`;
}

function formatProblem(problem: Problem): string {
  return `${problem.path} must ${problem.allowed} (got ${quoteValue(problem.received)})`;
}

/**
 * Every problem found in one validation pass, reported together.
 *
 * It extends `pulumi.RunError` so that the Pulumi language host prints the message alone, without a
 * stack trace, and stops before any resource is registered.
 */
export class ValidationError extends pulumi.RunError {
  constructor(
    readonly subject: string,
    readonly problems: readonly Problem[],
  ) {
    super(
      `${subject} is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${formatProblem(p)}`).join("\n"),
    );
    this.name = "ValidationError";
  }

  static isInstance(value: unknown): value is ValidationError {
    return value instanceof Error && value.name === "ValidationError" && "problems" in value;
  }
}

/** Collects problems so that a validator reports all of them at once. */
export class Problems {
  private readonly found: Problem[] = [];

  add(path: string, received: unknown, allowed: string): void {
    this.found.push({ path, received, allowed });
  }

  /** Records a problem unless `ok` holds; returns `ok` so callers can skip dependent checks. */
  check(ok: boolean, path: string, received: unknown, allowed: string): boolean {
    if (!ok) this.add(path, received, allowed);
    return ok;
  }

  integerInRange(path: string, value: number, min: number, max: number): boolean {
    return this.check(
      Number.isInteger(value) && value >= min && value <= max,
      path,
      value,
      `be a whole number between ${min} and ${max}`,
    );
  }

  oneOf<T>(path: string, value: T, allowed: readonly T[]): boolean {
    return this.check(
      allowed.includes(value),
      path,
      value,
      `be one of ${allowed.map((a) => quoteValue(a)).join(", ")}`,
    );
  }

  get list(): readonly Problem[] {
    return this.found;
  }

  throwIfAny(subject: string): void {
    if (this.found.length > 0) throw new ValidationError(subject, this.found);
  }
}
