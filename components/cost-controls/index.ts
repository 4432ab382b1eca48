/** Budgets, cost anomaly detection and OpenCost for one stack. */
export { CostControls } from "./cost-controls";
export type {
  CostControlsArgs,
  OffHoursPool,
  OffHoursScheduleArgs,
  OpenCostArgs,
} from "./cost-controls";
export { KUBE_PROMETHEUS_STACK } from "./opencost";
export type { PrometheusEndpoint } from "./opencost";
