export * from "./types";
export * from "./documents";
export * from "./storage";
export * from "./databases";
export * from "./backup";
export * from "./cluster";
export * from "./failover";
export * from "./recovery";
