export { startPolicyPack } from "./client";
export type { PolicyPackSession, StartPolicyPackOptions } from "./client";
export { resolvePolicyConfig } from "./config";
export * from "./types";
export { providerUrn, toAnalyzerResource, toAnalyzerResources } from "./resources";
