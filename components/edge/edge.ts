import { webAclRules } from "@platform/cluster-addons";
import {
  dnsValidatedCertificate,
  encryptionKey,
  KEY_USER_ACTIONS,
  secureBucket,
} from "@platform/core";
import { DR_EXEMPT_TAG } from "@platform/model";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EdgeArgs } from "./args";
import { cacheBehaviors, originGroups, origins, VIEWER_SECURITY_POLICY } from "./distribution";
import { viewerRedirectCode } from "./redirect";
import { validateEdgeArgs } from "./validation";

/** Where CloudFront's certificates, web ACLs and log delivery sources live. */
const GLOBAL_REGION = "us-east-1";
const DAY_SECONDS = 86_400;

function visibility(metricName: string) {
  return { cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true };
}

/**
 * The access-log bucket in the stack's region: a customer key that CloudWatch Logs' delivery may
 * use, and a bucket policy letting the delivery write under AWSLogs/<account>/, both limited to
 * this account's delivery sources in us-east-1 (CloudWatch Logs User Guide, "Logs sent to Amazon
 * S3", read 2026-12-05). Logs are not restored after a failover (DR-exempt).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-V2-S3.html
 */
function accessLogBucket(
  name: string,
  resourceName: string,
  args: EdgeArgs,
  retentionInDays: number,
  opts: pulumi.CustomResourceOptions,
) {
  const deliveryConditions = {
    StringEquals: { "aws:SourceAccount": [args.accountId] },
    ArnLike: {
      "aws:SourceArn": [`arn:aws:logs:${GLOBAL_REGION}:${args.accountId}:delivery-source:*`],
    },
  };
  const key = encryptionKey(
    `${name}-access-logs-key`,
    {
      description: `CloudFront access logs of ${args.region}'s distribution`,
      accountId: args.accountId,
      region: args.region,
      alias: `${resourceName}-access-logs`,
      extraStatements: [
        {
          Sid: "AllowLogsDeliveryToUseTheKey",
          Effect: "Allow",
          Principal: { Service: ["delivery.logs.amazonaws.com"] },
          Action: KEY_USER_ACTIONS,
          Resource: "*",
          Condition: deliveryConditions,
        },
      ],
    },
    { ...opts, protect: true },
  );
  const bucketName = `${resourceName}-access-logs-${args.accountId}`;
  const bucketArn = `arn:aws:s3:::${bucketName}`;
  const { bucket, policy } = secureBucket(
    `${name}-access-logs`,
    {
      bucketName,
      tags: { [DR_EXEMPT_TAG]: "edge access logs: not restored after a regional failover" },
      encryption: { kmsKeyArn: key.arn },
      lifecycleRules: [
        {
          id: "expire-after-retention",
          status: "Enabled",
          filter: {},
          expiration: { days: retentionInDays },
          noncurrentVersionExpiration: { noncurrentDays: 30 },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
      ],
      policyStatements: [
        {
          Sid: "AWSLogDeliveryWrite",
          Effect: "Allow",
          Principal: { Service: "delivery.logs.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `${bucketArn}/AWSLogs/${args.accountId}/*`,
          Condition: {
            ...deliveryConditions,
            StringEquals: {
              ...deliveryConditions.StringEquals,
              "s3:x-amz-acl": "bucket-owner-full-control",
            },
          },
        },
      ],
      accessLogs: { targetBucket: args.serverAccessLogBucket, targetPrefix: `${bucketName}/` },
    },
    opts,
  );
  return { bucket, policy };
}

/**
 * A region's edge: a CloudFront distribution (TLS 1.2+, HTTP/2 and HTTP/3, compression) in front of
 * the region's ingress with an origin group failing over to the standby's, a web ACL of CloudFront
 * scope with the platform's rate limits and AWS managed rules, access logs (CloudFront standard
 * logging v2) and WAF logs in KMS-encrypted log groups, a us-east-1 ACM certificate, and alias
 * records for the viewer names. Shield Advanced is opt-in.
 */
export class Edge extends pulumi.ComponentResource {
  public readonly distribution: aws.cloudfront.Distribution;
  public readonly distributionArn: pulumi.Output<string>;
  public readonly distributionDomainName: pulumi.Output<string>;
  public readonly webAclArn: pulumi.Output<string>;
  public readonly certificateArn: pulumi.Output<string>;
  public readonly accessLogBucketName: pulumi.Output<string>;
  public readonly aliases: readonly string[];

  constructor(name: string, args: EdgeArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("platform:edge:Edge", name, {}, opts);
    validateEdgeArgs(name, args);
    const childOpts = { parent: this };
    const globalOpts = { parent: this, provider: args.globalProvider };
    const retentionInDays = args.logRetentionDays ?? 365;
    const resourceName = `platform-${args.region}-edge`;

    const [domainName, ...sans] = args.aliases;
    const validation = dnsValidatedCertificate(
      name,
      { names: [domainName, ...sans], hostedZoneId: args.hostedZoneId },
      globalOpts,
      childOpts,
    );

    const webAcl = new aws.wafv2.WebAcl(
      `${name}-web-acl`,
      {
        name: resourceName,
        description: `Rate limits and managed rules at the edge of ${args.region}`,
        scope: "CLOUDFRONT",
        defaultAction: { allow: {} },
        rules: webAclRules(args.rateLimits),
        visibilityConfig: visibility(resourceName),
      },
      globalOpts,
    );
    if (args.wafLogs ?? true) {
      // WAF delivers a CLOUDFRONT web ACL's logs to us-east-1 only, and a log group's key must be
      // in the log group's region.
      const wafLogsKey = encryptionKey(
        `${name}-logs-key`,
        {
          description: `Edge WAF logs of ${args.region}'s distribution`,
          accountId: args.accountId,
          region: GLOBAL_REGION,
          logsService: true,
          alias: `${resourceName}-logs`,
        },
        { ...globalOpts, protect: true },
      );
      const wafLogs = new aws.cloudwatch.LogGroup(
        `${name}-waf-logs`,
        {
          // WAF only delivers to log groups whose name starts with aws-waf-logs-.
          name: `aws-waf-logs-${resourceName}`,
          retentionInDays,
          kmsKeyId: wafLogsKey.arn,
        },
        globalOpts,
      );
      new aws.wafv2.WebAclLoggingConfiguration(
        `${name}-waf-logging`,
        {
          resourceArn: webAcl.arn,
          logDestinationConfigs: [wafLogs.arn],
          redactedFields: [
            { singleHeader: { name: "authorization" } },
            { singleHeader: { name: "cookie" } },
          ],
        },
        globalOpts,
      );
    }

    // Static assets are versioned by name: a day by default, a year at most, keyed on the path
    // alone (no cookies, headers or query strings), stored compressed.
    const staticCachePolicy = new aws.cloudfront.CachePolicy(
      `${name}-static-cache`,
      {
        name: `${resourceName}-static`,
        comment: "Static paths: cached, keyed on the path, gzip and brotli",
        minTtl: 0,
        defaultTtl: DAY_SECONDS,
        maxTtl: 365 * DAY_SECONDS,
        parametersInCacheKeyAndForwardedToOrigin: {
          cookiesConfig: { cookieBehavior: "none" },
          headersConfig: { headerBehavior: "none" },
          queryStringsConfig: { queryStringBehavior: "none" },
          enableAcceptEncodingGzip: true,
          enableAcceptEncodingBrotli: true,
        },
      },
      childOpts,
    );

    const redirect = args.viewerRedirect
      ? new aws.cloudfront.Function(
          `${name}-viewer-redirect`,
          {
            name: `${resourceName}-viewer-redirect`,
            runtime: "cloudfront-js-2.0",
            comment: `Redirects viewers in ${args.viewerRedirect.countryCodes.length} countries to ${args.viewerRedirect.targetHost}`,
            code: viewerRedirectCode(
              args.viewerRedirect.targetHost,
              args.viewerRedirect.countryCodes,
            ),
            publish: true,
          },
          globalOpts,
        )
      : undefined;
    const behaviors = pulumi
      .all([staticCachePolicy.id, redirect?.arn])
      .apply(([id, functionArn]) => cacheBehaviors(args, id, functionArn));
    this.distribution = new aws.cloudfront.Distribution(
      `${name}-distribution`,
      {
        enabled: true,
        comment: `Edge of ${args.region}: ${args.aliases.join(", ")}`,
        aliases: [...args.aliases],
        httpVersion: "http2and3",
        isIpv6Enabled: true,
        priceClass: args.priceClass ?? "PriceClass_All",
        webAclId: webAcl.arn,
        origins: origins(args),
        originGroups: originGroups(),
        defaultCacheBehavior: behaviors.defaultCacheBehavior,
        orderedCacheBehaviors: behaviors.orderedCacheBehaviors,
        restrictions: { geoRestriction: { restrictionType: "none" } },
        viewerCertificate: {
          acmCertificateArn: validation.certificateArn,
          sslSupportMethod: "sni-only",
          minimumProtocolVersion: VIEWER_SECURITY_POLICY,
        },
      },
      childOpts,
    );
    const distribution = this.distribution;

    // Standard logging v2 to S3 in the stack's own region: EU viewers' requests stay in the EU. The
    // delivery objects live in us-east-1 with the distribution; the data lands in the bucket.
    const accessLogs = accessLogBucket(name, resourceName, args, retentionInDays, childOpts);
    const source = new aws.cloudwatch.LogDeliverySource(
      `${name}-access-log-source`,
      { name: resourceName, logType: "ACCESS_LOGS", resourceArn: distribution.arn },
      globalOpts,
    );
    const destination = new aws.cloudwatch.LogDeliveryDestination(
      `${name}-access-log-destination`,
      {
        name: resourceName,
        outputFormat: "json",
        deliveryDestinationConfiguration: { destinationResourceArn: accessLogs.bucket.arn },
      },
      globalOpts,
    );
    new aws.cloudwatch.LogDelivery(
      `${name}-access-log-delivery`,
      { deliverySourceName: source.name, deliveryDestinationArn: destination.arn },
      // The bucket policy lets the delivery write before the delivery exists.
      { ...globalOpts, dependsOn: [accessLogs.policy] },
    );

    for (const alias of args.aliases) {
      for (const type of ["A", "AAAA"] as const) {
        new aws.route53.Record(
          `${name}-${alias}-${type.toLowerCase()}`,
          {
            zoneId: args.hostedZoneId,
            name: alias,
            type,
            aliases: [
              {
                name: distribution.domainName,
                zoneId: distribution.hostedZoneId,
                evaluateTargetHealth: false,
              },
            ],
          },
          childOpts,
        );
      }
    }

    if (args.shieldAdvanced) {
      new aws.shield.Protection(
        `${name}-shield`,
        { name: resourceName, resourceArn: distribution.arn },
        globalOpts,
      );
    }

    this.distributionArn = distribution.arn;
    this.distributionDomainName = distribution.domainName;
    this.webAclArn = webAcl.arn;
    this.certificateArn = validation.certificateArn;
    this.accessLogBucketName = accessLogs.bucket.bucket;
    this.aliases = args.aliases;
    this.registerOutputs({
      distributionArn: this.distributionArn,
      distributionDomainName: this.distributionDomainName,
      webAclArn: this.webAclArn,
      certificateArn: this.certificateArn,
      accessLogBucketName: this.accessLogBucketName,
    });
  }
}
