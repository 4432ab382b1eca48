/** A fixed day inside the pinned Kubernetes versions' support window, so tests do not age. */
export const TEST_TODAY = "2026-11-23";
