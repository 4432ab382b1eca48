/**
 * The game-day plan of a primary stack, from its outputs (`gameDay`, written by
 * components/resilience): each experiment in order, what it proves, the SLO that stops it, its
 * blast radius, and how to start and stop it by hand. docs/game-day.md explains how to read a result.
 */
import type { GameDayPlan } from "@platform/resilience";
import { Problems } from "../../components/core/validation";

/** The game day inside a stack's outputs, checked for what the plan reads. */
export function readGameDay(outputs: unknown): GameDayPlan {
  const problems = new Problems();
  const root = (outputs ?? {}) as Record<string, unknown>;
  const plan = root.gameDay as Record<string, unknown> | undefined;
  problems.check(
    plan !== undefined,
    "outputs.gameDay",
    plan,
    "be present (pass the JSON of `pulumi stack output --json` for a primary stack; a standby declares no experiment)",
  );
  for (const key of ["region", "slo", "stopConditionAlarms", "logGroupName", "experiments"]) {
    if (plan === undefined) break;
    problems.check(plan[key] !== undefined, `outputs.gameDay.${key}`, plan[key], "be present");
  }
  problems.throwIfAny("Stack outputs");
  return plan as unknown as GameDayPlan;
}

export function renderGameDay(plan: GameDayPlan): string {
  const region = `--region ${plan.region}`;
  const lines = [
    `# Game day: ${plan.stack} (${plan.region}, zone ${plan.availabilityZone})`,
    "",
    `Every experiment is held to the SLO: it stops when ${plan.stopConditionAlarms.join(" or ")} fires (errors above ${plan.slo.errorRate * 100}% of requests, or mean response time above ${plan.slo.latencyMs} ms, in 2 of 3 minutes).`,
    plan.timeZone
      ? `Scheduled monthly (EventBridge Scheduler, ${plan.timeZone}); the commands below run a step by hand.`
      : "Not scheduled: start each experiment by hand, in this order, with people watching.",
    `Logs: ${plan.logGroupName}. Reading a result: docs/game-day.md#reading-a-result.`,
  ];
  plan.experiments.forEach((e, i) => {
    const actions = e.actions
      .map((a) => (a.duration ? `${a.actionId} (${a.duration})` : a.actionId))
      .join(", ");
    lines.push(
      "",
      `## ${i + 1}. ${e.title}${e.schedule ? ` - ${e.schedule}` : ""}`,
      `- Proves: ${e.hypothesis}.`,
      `- Blast radius: ${e.blastRadius}.`,
      `- Actions: ${actions}.`,
      `    aws fis start-experiment --experiment-template-id ${e.templateId} ${region}`,
      `    aws fis list-experiments ${region} --query "experiments[?experimentTemplateId=='${e.templateId}'] | [0].[id,state.status,state.reason]"`,
      `    aws fis stop-experiment --id <experiment id> ${region}   # stops every action now`,
    );
  });
  return `${lines.join("\n")}\n`;
}
