/**
 * How a policy's cases are written: each starts from a happy-path resource (or the happy stack) and
 * changes one thing. Every domain folder's cases.ts lists the cases of its policies, a violating and
 * a passing one at least (test/policies.test.ts runs them all).
 */
import type { AnalyzerResource, PolicyPackConfig } from "../../tools/analyzer";
import { happyStack, stackResources } from "./fixtures";

export interface Case {
  readonly policy: string;
  readonly title: string;
  readonly expect: "violates" | "passes";
  /** Resources to analyze one by one, or as one stack when `stack` is set. */
  readonly resources: readonly AnalyzerResource[];
  readonly stack?: boolean;
  readonly config?: PolicyPackConfig;
  /**
   * Controls this violating case exercises: ids the policy claims whose scanner check fails this
   * variant too. Every id a policy claims must be exercised by one of its violating cases.
   */
  readonly controls?: readonly string[];
}

/** Marks a violating case as exercising the given control ids (Checkov, Trivy, `CIS EKS x.y.z`). */
export const exercising = (controls: readonly string[], c: Case): Case => ({ ...c, controls });

export const violates = (
  policy: string,
  title: string,
  r: AnalyzerResource,
  config?: PolicyPackConfig,
): Case => ({
  policy,
  title,
  expect: "violates",
  resources: [r],
  config,
});
export const passes = (
  policy: string,
  title: string,
  r: AnalyzerResource,
  config?: PolicyPackConfig,
): Case => ({
  policy,
  title,
  expect: "passes",
  resources: [r],
  config,
});
/** A stack case: the happy stack with one resource replaced, added or removed. */
export function stackCase(
  policy: string,
  title: string,
  expect: Case["expect"],
  edit: (s: ReturnType<typeof happyStack>) => void = () => undefined,
  config?: PolicyPackConfig,
): Case {
  const s = happyStack();
  edit(s);
  return { policy, title, expect, resources: stackResources(s), stack: true, config };
}

export const WORLD = ["0.0.0.0/0"];
