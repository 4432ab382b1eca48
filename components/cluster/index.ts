export * from "./cidr";
export * from "./versions";
export * from "./network";
export * from "./nodes";
export * from "./cluster";
export * from "./baseline";
