/** Arguments of the edge: one CloudFront distribution in front of a region's public ingress. */
import type { RateLimits } from "@platform/cluster-addons";
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** CloudFront price classes: which edge locations serve viewers. */
export const PRICE_CLASSES = ["PriceClass_All", "PriceClass_200", "PriceClass_100"] as const;
export type PriceClass = (typeof PRICE_CLASSES)[number];

export interface EdgeArgs {
  readonly accountId: string;
  /** The stack's region, whose ingress is the primary origin. */
  readonly region: string;
  /** Public hosted zone of the viewer names and of the origins. */
  readonly hostedZoneId: string;
  /**
   * Viewer names (alternate domain names) of the distribution. CloudFront lets one name belong to
   * one distribution only, and picks the distribution by the request's Host/SNI, not by the DNS
   * record that led there: each stack's edge therefore serves names of its own.
   * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/alternate-domain-names-move.html
   */
  readonly aliases: readonly string[];
  /** The region's ingress, `<region>.<domainName>` (external-dns publishes it). */
  readonly primaryOrigin: string;
  /** The standby's ingress, `<drRegion>.<domainName>`: the origin group's secondary. */
  readonly secondaryOrigin: string;
  /**
   * Origin of the requests an origin group cannot take (CloudFront fails over only GET, HEAD and
   * OPTIONS): the region's DNS failover name, which Route 53 moves to the standby.
   */
  readonly failoverOrigin: string;
  /**
   * Value of the origin header (`ORIGIN_VERIFY_HEADER` of @platform/cluster-addons) CloudFront adds
   * to every origin request and the regional web ACL requires: a generated secret.
   */
  readonly originVerifyValue: pulumi.Input<string>;
  /** Path patterns served from cache through the origin group, e.g. `/static/*`. */
  readonly staticPathPatterns: readonly string[];
  /** Path patterns never cached (every method forwarded), e.g. `/api/*`. */
  readonly apiPathPatterns: readonly string[];
  /** The platform's rate limits, the same the regional web ACL enforces. */
  readonly rateLimits: RateLimits;
  /**
   * Retention of the edge WAF's log group and of the access logs in S3, in days.
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * The stack's S3 server access-log bucket, which logs requests to the edge's access-log bucket.
   */
  readonly serverAccessLogBucket: pulumi.Input<string>;
  /**
   * Keep the edge web ACL's logs. AWS WAF delivers a CLOUDFRONT web ACL's logs only to a
   * destination in us-east-1, so a stack whose data stays out of us-east-1 (the EU pair) turns
   * them off: its viewers' addresses would leave its regions. Its CloudFront access logs (in its
   * own region) still record every request, blocked ones with their status, and the web ACL's
   * metrics and sampled requests remain.
   * @default true
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/logging.html
   */
  readonly wafLogs?: boolean;
  /**
   * Redirect viewers in these countries to another edge's name (the EU's), on the uncached paths.
   * @default - no redirect
   */
  readonly viewerRedirect?: {
    readonly targetHost: string;
    /** ISO 3166-1 alpha-2 codes, as CloudFront-Viewer-Country holds them. */
    readonly countryCodes: readonly string[];
  };
  /**
   * @default "PriceClass_All" - every edge location, lowest latency everywhere
   * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/PriceClass.html
   */
  readonly priceClass?: PriceClass;
  /**
   * Shield Advanced protection of the distribution. Opt-in: the subscription costs USD 3,000 a
   * month per organization (https://aws.amazon.com/shield/pricing/, read 2026-12).
   * @default false
   */
  readonly shieldAdvanced?: boolean;
  /**
   * Provider for us-east-1, where CloudFront's certificate, web ACL (scope CLOUDFRONT) and log
   * delivery source must live.
   */
  readonly globalProvider: aws.Provider;
}
