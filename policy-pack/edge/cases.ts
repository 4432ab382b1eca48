/** Violating and passing cases of the edge policies. */
import { type Case, exercising, passes, stackCase, violates } from "../test/case";
import { change, withDeps } from "../test/builders";
import { happy } from "../test/fixtures";

export const cases: Case[] = [
  passes("cloudfront-tls", "TLS 1.2+ viewers, HTTPS-only origins", happy.distribution()),
  exercising(
    ["CKV_AWS_174", "AVD-AWS-0013"],
    violates(
      "cloudfront-tls",
      "TLS 1.0 viewer policy",
      change(happy.distribution(), "viewerCertificate.minimumProtocolVersion", "TLSv1_2016"),
    ),
  ),
  violates(
    "cloudfront-tls",
    "the default *.cloudfront.net certificate",
    change(happy.distribution(), "viewerCertificate", { cloudfrontDefaultCertificate: true }),
  ),
  exercising(
    ["CKV_AWS_34", "AVD-AWS-0012"],
    violates(
      "cloudfront-tls",
      "a behavior allowing plain HTTP",
      change(happy.distribution(), "defaultCacheBehavior.viewerProtocolPolicy", "allow-all"),
    ),
  ),
  violates(
    "cloudfront-tls",
    "an origin reached over HTTP",
    change(
      happy.distribution(),
      "origins.1.customOriginConfig.originProtocolPolicy",
      "match-viewer",
    ),
  ),
  violates(
    "cloudfront-tls",
    "an origin allowing TLS 1.1",
    change(happy.distribution(), "origins.0.customOriginConfig.originSslProtocols", [
      "TLSv1.1",
      "TLSv1.2",
    ]),
  ),

  passes("cloudfront-waf", "web ACL associated", happy.distribution()),
  exercising(
    ["CKV_AWS_68", "AVD-AWS-0011"],
    violates("cloudfront-waf", "no web ACL", change(happy.distribution(), "webAclId", "")),
  ),

  stackCase("cloudfront-access-logging", "standard logging v2 delivered", "passes"),
  stackCase("cloudfront-access-logging", "no delivery of the source", "violates", (s) => {
    delete (s as Record<string, unknown>).accessLogDelivery;
  }),
  stackCase("cloudfront-access-logging", "legacy logging to S3 instead", "passes", (s) => {
    delete (s as Record<string, unknown>).accessLogDelivery;
    s.distribution = change(s.distribution, "loggingConfig", {
      bucket: "platform-access-logs.s3.amazonaws.com",
      prefix: "cloudfront/",
    });
  }),
  stackCase("cloudfront-access-logging", "a source of error logs only", "violates", (s) => {
    s.accessLogSource = withDeps(change(s.accessLogSource, "logType", "CONNECTION_LOGS"), {
      resourceArn: [s.distribution],
    });
  }),

  stackCase("alb-behind-cloudfront-origin-lockdown", "prefix lists on the ALB class", "passes"),
  stackCase(
    "alb-behind-cloudfront-origin-lockdown",
    "ALB class without prefix lists",
    "violates",
    (s) => {
      s.ingressClassParams = change(s.ingressClassParams, "spec.prefixListsIDs", []);
    },
  ),
  stackCase(
    "alb-behind-cloudfront-origin-lockdown",
    "ALB class open to 0.0.0.0/0",
    "violates",
    (s) => {
      s.ingressClassParams = change(s.ingressClassParams, "spec.inboundCIDRs", ["0.0.0.0/0"]);
    },
  ),
  stackCase(
    "alb-behind-cloudfront-origin-lockdown",
    "a standby (no distribution) told it is behind CloudFront, class open",
    "violates",
    (s) => {
      delete (s as Record<string, unknown>).distribution;
      s.ingressClassParams = change(s.ingressClassParams, "spec.prefixListsIDs", []);
    },
    { "alb-behind-cloudfront-origin-lockdown": { behindCloudFront: true } },
  ),
  stackCase(
    "alb-behind-cloudfront-origin-lockdown",
    "a stack with no CloudFront in front",
    "passes",
    (s) => {
      delete (s as Record<string, unknown>).distribution;
      s.ingressClassParams = change(s.ingressClassParams, "spec.prefixListsIDs", []);
    },
  ),
];
