/** Allowed regions: AWS resources are created only in the stack's regions (EU stacks stay in the EU). */
import { isUnknown } from "@platform/model";
import { configProperty, resourcePolicy } from "../lib/policy";
import { label, raw, undecidable } from "../lib/values";

const AWS_PROVIDER = "pulumi:providers:aws";

/**
 * CloudFront's control plane is in us-east-1: a distribution takes its ACM certificate from there
 * only ("To use an ACM certificate with Amazon CloudFront, you must request or import the
 * certificate in the US East (N. Virginia) region", ACM User Guide, Supported Regions), and a
 * CLOUDFRONT-scope web ACL is created there ("To work with CloudFront, you must also specify the
 * Region US East (N. Virginia)", WAFV2 API, Scope); both read 2026-12-05. So is the distribution's
 * access-log delivery (standard logging v2: its delivery source, whose ARN is
 * arn:aws:logs:us-east-1:...:delivery-source:*, CloudWatch Logs User Guide, "Logs sent to Amazon
 * S3"), whose destination is an S3 bucket the stack owns in its own region. None holds viewer data.
 * A stack whose regions exclude us-east-1 (an EU stack) may create exactly these there; anything
 * else, logs and their keys included, stays out.
 * @see https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html
 * @see https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html
 */
const CLOUDFRONT_CONTROL_PLANE_REGION = "us-east-1";

function isCloudFrontControlPlane(type: string, props: Record<string, unknown>): boolean {
  switch (type) {
    case "aws:acm/certificate:Certificate":
    case "aws:acm/certificateValidation:CertificateValidation":
      return true;
    case "aws:wafv2/webAcl:WebAcl":
      return props.scope === "CLOUDFRONT";
    case "aws:cloudwatch/logDeliverySource:LogDeliverySource":
      return props.logType === "ACCESS_LOGS";
    case "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": {
      // The data's destination: an S3 bucket (its ARN names no region: the bucket is the stack's).
      const config = props.deliveryDestinationConfiguration as Record<string, unknown> | undefined;
      const arn = config?.destinationResourceArn;
      return isUnknown(arn) || (typeof arn === "string" && arn.startsWith("arn:aws:s3:::"));
    }
    case "aws:cloudwatch/logDelivery:LogDelivery":
      return true;
    default:
      return false;
  }
}

export const allowedRegions = resourcePolicy({
  name: "allowed-regions",
  description:
    "Checks that AWS resources are created only in the stack's allowed regions, through an explicit regional provider; a distribution's ACM certificate, CLOUDFRONT-scope web ACL and access-log delivery objects (to an S3 bucket) may be in us-east-1, where CloudFront requires them.",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: ["aws:*", AWS_PROVIDER],
  config: {
    allowedRegions: configProperty.strings(
      ["us-west-2", "us-east-1", "eu-west-1", "eu-central-1"],
      "Regions this stack may create resources in (EU stacks list EU regions only).",
    ),
  },
  validate: (r) => {
    const allowed = r.config.allowedRegions;
    if (r.type === AWS_PROVIDER) {
      const region = r.props.region;
      if (isUnknown(region)) undecidable(r.args, ["region"]);
      // A us-east-1 provider may carry CloudFront's control plane: its resources are judged one by one.
      if (region === CLOUDFRONT_CONTROL_PLANE_REGION) return;
      if (typeof region !== "string" || !allowed.includes(region)) {
        r.report(
          `${label("AWS provider", r.name)} must target an allowed region (${allowed.join(", ")}): set region explicitly (got ${JSON.stringify(region ?? "the environment's region")}).`,
        );
      }
      return;
    }
    // Resources may override the provider's region (aws v7 `region` input).
    const override = r.props.region;
    if (override !== undefined) {
      if (isUnknown(override)) undecidable(r.args, ["region"]);
      const controlPlane =
        override === CLOUDFRONT_CONTROL_PLANE_REGION && isCloudFrontControlPlane(r.type, r.props);
      if (!allowed.includes(override) && !controlPlane) {
        r.report(
          `${label(r.type, r.name)} must stay in the allowed regions (${allowed.join(", ")}): remove region ${override} or use the provider of an allowed region.`,
        );
      }
      return;
    }
    const provider = r.args.provider;
    if (!provider) return;
    const providerRegion = raw(provider.props).region;
    if (
      typeof providerRegion === "string" &&
      !allowed.includes(providerRegion) &&
      !(
        providerRegion === CLOUDFRONT_CONTROL_PLANE_REGION &&
        isCloudFrontControlPlane(r.type, r.props)
      )
    ) {
      r.report(
        `${label(r.type, r.name)} must stay in the allowed regions (${allowed.join(", ")}): its provider targets ${providerRegion}${providerRegion === CLOUDFRONT_CONTROL_PLANE_REGION ? ", where only a CloudFront distribution's ACM certificate, CLOUDFRONT-scope web ACL and access-log delivery to S3 may be created" : ""}; use the provider of an allowed region.`,
      );
      return;
    }
    // The default provider reads the region from the environment: the platform never relies on it.
    if (/::default(_[0-9_]+)?$/.test(provider.urn)) {
      r.report(
        `${label(r.type, r.name)} must be created with the stack's explicit regional aws.Provider (pass { provider }), not the default provider that reads the region from the environment.`,
      );
    }
  },
});

export const regionPolicies = [allowedRegions];
