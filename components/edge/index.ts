/** The edge of one region: CloudFront, its web ACL, certificate, logs and DNS (`Edge`). */
export { Edge } from "./edge";
export type { EdgeArgs, PriceClass } from "./args";
export { PRICE_CLASSES } from "./args";
export { validateEdgeArgs } from "./validation";
// Who the default edge sends to the EU's, and how.
export { EEA_COUNTRY_CODES, viewerRedirectCode } from "./redirect";
// The distribution's shape, which the stack tests compare with what is declared.
export {
  cacheBehaviors,
  FAILOVER_STATUS_CODES,
  MANAGED_POLICY_IDS,
  ORIGIN_IDS,
  originGroups,
  origins,
  VIEWER_SECURITY_POLICY,
} from "./distribution";
