/**
 * The testing toolkit every test imports (by relative path; it is not a package of its own):
 * - running the platform program under the recording mock engine (`runStack`: one run per stack,
 *   overrides and mode per mocha process, shared read-only), finding its resources (`ofType`,
 *   `named`) and what the policy pack says about it (`policyResults`, `resultsOn`);
 * - the compiled policy pack over the Analyzer protocol, one process per test run (`packSession`);
 * - loading stack config as the program does and reading a rejection (`loadConfig`,
 *   `configProblems`, `configErrorLines`, `assertRejected`);
 * - hand-made registrations (`recorded`, `STACK_URN`);
 * - the fixed day the tests judge support windows on (`TEST_TODAY`);
 * - custom resources checked against the pinned charts' CRD schemas (`crdSchemaProblems`,
 *   `customResourceProblems`; schemas vendored in crd-schemas/ by its vendor.ts);
 * - what a Helm release's values make of its chart's images (`readManifest`, `renderedImages`,
 *   `CHART_IMAGE_RULES`; image manifests vendored in chart-images/ by its vendor.ts);
 * - a PEM public key no one holds, for signature policies (`TEST_SIGNING_PUBLIC_KEY`).
 * register.js loads TypeScript for mocha (.mocharc.json).
 */
export { TEST_SIGNING_PUBLIC_KEY } from "./keys";
export { PACK_DIR, packSession } from "./pack-session";
export { recorded, STACK_URN } from "./recorded";
export {
  assertRejected,
  configErrorLines,
  configProblems,
  loadConfig,
  type CommittedStack,
  type LoadConfigOptions,
} from "./stack-config";
export {
  named,
  ofType,
  policyResults,
  resultsOn,
  runStack,
  type StackRun,
  type StackRunOptions,
} from "./stack-run";
export { TEST_TODAY } from "./today";
export {
  crdSchemaProblems,
  customResourceProblems,
  hasCrdSchema,
  vendoredCrds,
} from "./crd-schemas/validate";
export { chartName, readManifest, renderedImages, unknownValueKeys } from "./chart-images/manifest";
export { CHART_IMAGE_RULES } from "./chart-images/rules";
