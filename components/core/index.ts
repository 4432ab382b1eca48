export * from "./validation";
export * from "./tags";
export * from "./charts";
export * from "./helm";
export * from "./irsa";
export * from "./kms";
export * from "./bucket";
export * from "./policy-document";
