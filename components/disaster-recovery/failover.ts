/**
 * DNS failover: Route 53 health-checks the region's public endpoint and answers the failover name
 * with it while healthy, with the peer region's endpoint otherwise. No human in the loop.
 */
import { STANDBY_REGION_TAG, STANDBY_STACK_TAG } from "@platform/model";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface FailoverArgs {
  readonly hostedZoneId: string;
  /** Name clients use, e.g. `us.platform.example.com`. */
  readonly recordName: string;
  /** This region's endpoint, e.g. `us-west-2.platform.example.com` (published by external-dns). */
  readonly primaryEndpoint: string;
  /** The peer region's endpoint, which the standby stack's external-dns publishes. */
  readonly peerEndpoint: string;
  readonly healthCheckPath: string;
  readonly region: string;
  readonly peerRegion: string;
  /**
   * The standby stack serving `peerEndpoint`, recorded on the health check (tags
   * `platform:standby-stack`, `platform:standby-region`) for policy dr-failover-has-standby.
   * @default undefined - no standby
   */
  readonly standbyStack?: string;
}

/** Health checker regions: Route 53 requires at least three; these span three continents. */
const HEALTH_CHECK_REGIONS = ["us-east-1", "us-west-2", "eu-west-1"] as const;

/**
 * Seconds to fail over: 3 failed checks 10 s apart, plus a 60 s TTL for resolvers to forget the old
 * answer, about 90 s in all (well inside the 30-minute RTO).
 */
const FAILOVER_TIMING = { requestIntervalSeconds: 10, failureThreshold: 3, ttlSeconds: 60 };

export interface Failover {
  readonly healthCheck: aws.route53.HealthCheck;
  readonly primary: aws.route53.Record;
  readonly secondary: aws.route53.Record;
}

export function createFailover(
  name: string,
  args: FailoverArgs,
  opts: pulumi.CustomResourceOptions,
): Failover {
  const healthCheck = new aws.route53.HealthCheck(
    `${name}-health-check`,
    {
      type: "HTTPS",
      fqdn: args.primaryEndpoint,
      port: 443,
      resourcePath: args.healthCheckPath,
      enableSni: true,
      requestInterval: FAILOVER_TIMING.requestIntervalSeconds,
      failureThreshold: FAILOVER_TIMING.failureThreshold,
      measureLatency: true,
      regions: [...HEALTH_CHECK_REGIONS],
      tags: {
        Name: `${args.primaryEndpoint}${args.healthCheckPath}`,
        ...(args.standbyStack
          ? { [STANDBY_STACK_TAG]: args.standbyStack, [STANDBY_REGION_TAG]: args.peerRegion }
          : {}),
      },
    },
    opts,
  );
  const record = (
    role: "PRIMARY" | "SECONDARY",
    target: string,
    region: string,
    check?: aws.route53.HealthCheck,
  ) =>
    new aws.route53.Record(
      `${name}-${role.toLowerCase()}`,
      {
        zoneId: args.hostedZoneId,
        name: args.recordName,
        type: "CNAME",
        ttl: FAILOVER_TIMING.ttlSeconds,
        records: [target],
        setIdentifier: `${region}-${role.toLowerCase()}`,
        failoverRoutingPolicies: [{ type: role }],
        ...(check ? { healthCheckId: check.id } : {}),
      },
      opts,
    );
  const primary = record("PRIMARY", args.primaryEndpoint, args.region, healthCheck);
  // No health check on the secondary: Route 53 then treats it as healthy, the last resort.
  const secondary = record("SECONDARY", args.peerEndpoint, args.peerRegion);
  return { healthCheck, primary, secondary };
}
