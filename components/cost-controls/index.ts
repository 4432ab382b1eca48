export * from "./budget";
export * from "./opencost";
export * from "./cost-controls";
