/**
 * The edge of a primary stack (`platform:edgeDomainNames`): CloudFront in front of the region's
 * ingress, failing over to the standby's, with its web ACL, certificate and log delivery in
 * us-east-1 (where CloudFront requires them).
 */
import { Edge } from "@platform/edge";
import * as aws from "@pulumi/aws";
import type { PlatformContext } from "./program";

interface EdgeDeployment {
  readonly edge: Edge;
  readonly outputs: Record<string, unknown>;
}

export function deployEdge(
  context: PlatformContext,
  globalProvider: aws.Provider,
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
      staticPathPatterns: settings.distribution.staticPathPatterns,
      // The API prefix the regional web ACL limits, as a CloudFront path pattern.
      apiPathPatterns: [`${clusterAddons.rateLimits.apiPathPrefix.replace(/\/?$/, "/")}*`],
      rateLimits: clusterAddons.rateLimits,
      logRetentionDays: clusterAddons.wafLogRetentionDays,
      priceClass: settings.distribution.priceClass,
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
