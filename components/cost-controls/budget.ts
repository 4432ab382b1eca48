/**
 * Pure builders for the stack's AWS Budget and Cost Anomaly Detection: notifications, the
 * cost-allocation tag filter, the anomaly monitor's specification and the subscription's
 * absolute-impact threshold.
 */
import { STACK_TAG_KEY } from "@platform/model";
import type * as aws from "@pulumi/aws";

/**
 * Actual-spend thresholds, then one forecast threshold, each as a notification to every address.
 * @see https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-best-practices.html
 */
export function budgetNotifications(
  actualPercents: readonly number[],
  forecastPercent: number,
  emails: readonly string[],
): aws.types.input.budgets.BudgetNotification[] {
  const notification = (notificationType: "ACTUAL" | "FORECASTED", threshold: number) => ({
    notificationType,
    comparisonOperator: "GREATER_THAN",
    threshold,
    thresholdType: "PERCENTAGE",
    subscriberEmailAddresses: [...emails],
  });
  return [
    ...actualPercents.map((p) => notification("ACTUAL", p)),
    notification("FORECASTED", forecastPercent),
  ];
}

/** Spend of resources tagged with this stack only (an activated cost-allocation tag). */
export function stackCostFilter(stack: string): aws.types.input.budgets.BudgetFilterExpression {
  return { tags: { key: STACK_TAG_KEY, values: [stack], matchOptions: ["EQUALS"] } };
}

/** A Cost Explorer expression (as JSON) selecting the stack's tagged spend, for a CUSTOM monitor. */
export function anomalyMonitorSpecification(stack: string): string {
  return JSON.stringify({
    Tags: { Key: STACK_TAG_KEY, Values: [stack], MatchOptions: ["EQUALS"] },
  });
}

/** Alert on anomalies whose total impact reaches `usd` dollars. */
export function anomalyThreshold(
  usd: number,
): aws.types.input.costexplorer.AnomalySubscriptionThresholdExpression {
  return {
    dimension: {
      key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
      matchOptions: ["GREATER_THAN_OR_EQUAL"],
      values: [String(usd)],
    },
  };
}
