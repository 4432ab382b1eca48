/**
 * The edge of a primary stack (`platform:edgeDomainNames`): CloudFront in front of the region's
 * ingress, failing over to the standby's, with its web ACL, certificate and log delivery in
 * us-east-1 (where CloudFront requires them).
 */
import type { OriginLockdown } from "@platform/cluster-addons";
import { EEA_COUNTRY_CODES, Edge } from "@platform/edge";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { PlatformContext } from "./program";

/**
 * AWS-managed prefix lists the ALB behind CloudFront admits. Each counts against the security
 * group's rules quota by its weight: CloudFront origin-facing 55, Route 53 health checks 25
 * (Amazon VPC User Guide, "AWS-managed prefix lists", weights table, read 2026-12-05): 80 rules on
 * the listener's port plus one per NAT gateway, above the default of 60 inbound rules per security
 * group (quota L-0EA8095F), so the account needs that quota raised before the lockdown applies
 * (docs/components/edge.md).
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/working-with-aws-managed-prefix-lists.html#aws-managed-prefix-list-weights
 */
export const ORIGIN_PREFIX_LISTS = {
  cloudFrontOriginFacing: () => "com.amazonaws.global.cloudfront.origin-facing",
  route53HealthChecks: (region: string) => `com.amazonaws.${region}.route53-healthchecks`,
} as const;

/** The primary's stack output holding the origin header's value (a secret), read by its standby. */
export const EDGE_ORIGIN_VERIFY_OUTPUT = "edgeOriginVerifyValue";

/**
 * The ALB of a stack behind CloudFront admits CloudFront's origin-facing servers, Route 53's
 * health checkers (the DR failover check requests the ALB directly) and the stack's NAT gateways
 * (the in-cluster blackbox probes) only. A primary with an edge generates the origin header's
 * value here (never typed, never in config), which its distribution sends and its web ACL
 * requires; its standby (the origin group's secondary) reads the value from the primary's secret
 * stack output and requires it too, so the primary deploys first.
 */
export function edgeOriginLockdown(context: PlatformContext): OriginLockdown | undefined {
  const { foundation, edge: settings } = context.config;
  if (!settings.behindEdge) return undefined;
  const opts = { provider: context.aws };
  const prefixList = (name: string) => aws.ec2.getManagedPrefixListOutput({ name }, opts).id;
  const originVerifyValue: pulumi.Output<string> | undefined = settings.distribution
    ? new random.RandomPassword("edge-origin-verify", { length: 64, special: false }).result
    : context.primary
      ? pulumi.secret(
          context.primary.requireOutput(EDGE_ORIGIN_VERIFY_OUTPUT) as pulumi.Output<string>,
        )
      : undefined;
  return {
    prefixListIds: [
      prefixList(ORIGIN_PREFIX_LISTS.cloudFrontOriginFacing()),
      prefixList(ORIGIN_PREFIX_LISTS.route53HealthChecks(foundation.region)),
    ],
    inboundCidrs: context.network.natPublicIps.map((ip) => ip.apply((a) => `${a}/32`)),
    originVerifyValue,
  };
}

interface EdgeDeployment {
  readonly edge: Edge;
  readonly outputs: Record<string, unknown>;
}

/** CloudFront's control plane, where WAF delivers a CLOUDFRONT web ACL's logs. */
const CLOUDFRONT_REGION = "us-east-1";

export function deployEdge(
  context: PlatformContext,
  globalProvider: aws.Provider,
  originVerifyValue: pulumi.Input<string>,
  serverAccessLogBucket: pulumi.Input<string>,
): EdgeDeployment | undefined {
  const { foundation, edge: settings, clusterAddons, disasterRecovery } = context.config;
  if (settings.distribution === undefined) return undefined;
  const { dns } = disasterRecovery;
  const edge = new Edge(
    "edge",
    {
      accountId: foundation.accountId,
      region: foundation.region,
      hostedZoneId: dns.hostedZoneId,
      aliases: settings.distribution.aliases,
      primaryOrigin: dns.primaryEndpoint,
      secondaryOrigin: dns.peerEndpoint,
      failoverOrigin: dns.failoverRecordName,
      originVerifyValue,
      staticPathPatterns: settings.distribution.staticPathPatterns,
      // The API prefix the regional web ACL limits, as a CloudFront path pattern.
      apiPathPatterns: [`${clusterAddons.rateLimits.apiPathPrefix.replace(/\/?$/, "/")}*`],
      rateLimits: clusterAddons.rateLimits,
      logRetentionDays: clusterAddons.wafLogRetentionDays,
      serverAccessLogBucket,
      // The edge web ACL's logs can only be kept in us-east-1: only where the stack's data may be.
      wafLogs: [foundation.region, foundation.drRegion].includes(CLOUDFRONT_REGION),
      priceClass: settings.distribution.priceClass,
      // CloudFront routes by Host: the EU's viewers are redirected to the EU edge's own name.
      ...(settings.distribution.europeanEdgeName !== undefined
        ? {
            viewerRedirect: {
              targetHost: settings.distribution.europeanEdgeName,
              countryCodes: EEA_COUNTRY_CODES,
            },
          }
        : {}),
      shieldAdvanced: settings.distribution.shieldAdvanced,
      globalProvider,
    },
    { providers: { aws: context.aws } },
  );
  return {
    edge,
    outputs: {
      edge: {
        aliases: edge.aliases,
        distributionDomainName: edge.distributionDomainName,
        webAclArn: edge.webAclArn,
      },
    },
  };
}
