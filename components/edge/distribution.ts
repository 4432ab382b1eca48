/**
 * The distribution's shape as plain values: origins, the origin group and the cache behaviors,
 * tested without mocks.
 */
import { ORIGIN_VERIFY_HEADER } from "@platform/cluster-addons";
import * as aws from "@pulumi/aws";
import type { EdgeArgs } from "./args";

/**
 * AWS managed policies (ids from the CloudFront Developer Guide, "Use managed cache policies" and
 * "Use managed origin request policies", read 2026-12): CachingDisabled, and
 * AllViewerExceptHostHeader, which forwards every header, cookie and query string but the Host,
 * so the ALB sees the origin's own name, which its certificate and Ingress rules cover.
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-origin-request-policies.html
 */
export const MANAGED_POLICY_IDS = {
  cachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
  allViewerExceptHostHeader: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
} as const;

/** The origin group fails over on these status codes from the primary. */
export const FAILOVER_STATUS_CODES = [500, 502, 503, 504] as const;
/** TLS 1.2+ to viewers with CloudFront's modern policy, TLS 1.2 only to origins. */
export const VIEWER_SECURITY_POLICY = "TLSv1.2_2021";
const ORIGIN_TLS = ["TLSv1.2"];

export const ORIGIN_IDS = {
  primary: "primary",
  secondary: "secondary",
  failover: "failover",
  group: "regional-failover",
} as const;

const ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"];
const READ_METHODS = ["GET", "HEAD", "OPTIONS"];
const CACHED_METHODS = ["GET", "HEAD"];

function httpsOrigin(
  originId: string,
  domainName: string,
  originVerifyValue: EdgeArgs["originVerifyValue"],
): aws.types.input.cloudfront.DistributionOrigin {
  return {
    originId,
    domainName,
    customHeaders: [{ name: ORIGIN_VERIFY_HEADER, value: originVerifyValue }],
    customOriginConfig: {
      httpPort: 80,
      httpsPort: 443,
      originProtocolPolicy: "https-only",
      originSslProtocols: ORIGIN_TLS,
    },
  };
}

type OriginNames = Pick<
  EdgeArgs,
  "primaryOrigin" | "secondaryOrigin" | "failoverOrigin" | "originVerifyValue"
>;

/** Every origin over HTTPS (TLS 1.2) with the origin header the regional web ACL requires. */
export function origins(args: OriginNames): aws.types.input.cloudfront.DistributionOrigin[] {
  return [
    httpsOrigin(ORIGIN_IDS.primary, args.primaryOrigin, args.originVerifyValue),
    httpsOrigin(ORIGIN_IDS.secondary, args.secondaryOrigin, args.originVerifyValue),
    httpsOrigin(ORIGIN_IDS.failover, args.failoverOrigin, args.originVerifyValue),
  ];
}

export function originGroups(): aws.types.input.cloudfront.DistributionOriginGroup[] {
  return [
    {
      originId: ORIGIN_IDS.group,
      failoverCriteria: { statusCodes: [...FAILOVER_STATUS_CODES] },
      members: [{ originId: ORIGIN_IDS.primary }, { originId: ORIGIN_IDS.secondary }],
    },
  ];
}

interface Behaviors {
  readonly defaultCacheBehavior: aws.types.input.cloudfront.DistributionDefaultCacheBehavior;
  readonly orderedCacheBehaviors: aws.types.input.cloudfront.DistributionOrderedCacheBehavior[];
}

/**
 * Static paths: cached, compressed, read-only, through the origin group (CloudFront fails over only
 * GET, HEAD and OPTIONS). API paths and everything else: never cached, every method, to the DNS
 * failover name. HTTP is redirected to HTTPS everywhere.
 */
export function cacheBehaviors(
  patterns: Pick<EdgeArgs, "staticPathPatterns" | "apiPathPatterns">,
  staticCachePolicyId: string,
  viewerRequestFunctionArn?: string,
): Behaviors {
  // The viewer redirect runs where the origin request policy carries the viewer's country: the
  // uncached paths (pages, API). Static assets are served wherever they are asked for.
  const functionAssociations =
    viewerRequestFunctionArn !== undefined
      ? {
          functionAssociations: [
            { eventType: "viewer-request", functionArn: viewerRequestFunctionArn },
          ],
        }
      : {};
  const dynamic = {
    targetOriginId: ORIGIN_IDS.failover,
    viewerProtocolPolicy: "redirect-to-https",
    allowedMethods: ALL_METHODS,
    cachedMethods: CACHED_METHODS,
    compress: true,
    cachePolicyId: MANAGED_POLICY_IDS.cachingDisabled,
    originRequestPolicyId: MANAGED_POLICY_IDS.allViewerExceptHostHeader,
    ...functionAssociations,
  };
  const cached = {
    targetOriginId: ORIGIN_IDS.group,
    viewerProtocolPolicy: "redirect-to-https",
    allowedMethods: READ_METHODS,
    cachedMethods: CACHED_METHODS,
    compress: true,
    cachePolicyId: staticCachePolicyId,
  };
  return {
    defaultCacheBehavior: dynamic,
    orderedCacheBehaviors: [
      ...patterns.apiPathPatterns.map((pathPattern) => ({ pathPattern, ...dynamic })),
      ...patterns.staticPathPatterns.map((pathPattern) => ({ pathPattern, ...cached })),
    ],
  };
}
