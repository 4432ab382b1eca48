/**
 * CloudFront distributions: TLS 1.2+ to viewers and HTTPS-only to custom origins, a WAF web ACL,
 * access logging (standard logging v2 or legacy); and an ALB behind CloudFront that admits only
 * CloudFront's origin-facing prefix list on its listeners.
 */
import { isUnknown } from "@platform/model";
import { configProperty, resourcePolicy, stackPolicy, type DomainPolicy } from "../lib/policy";
import { dependencyUrns, knownString, StackIndex } from "../lib/stack-index";
import { asArray, isObject, label } from "../lib/values";

const DISTRIBUTION = "aws:cloudfront/distribution:Distribution";
const LOG_SOURCE = "aws:cloudwatch/logDeliverySource:LogDeliverySource";
const LOG_DELIVERY = "aws:cloudwatch/logDelivery:LogDelivery";
const CLASS_PARAMS = "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams";
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const HTTPS_VIEWER_POLICIES = ["redirect-to-https", "https-only"];
const WORLD = ["0.0.0.0/0", "::/0"];
const INBOUND_CIDRS_ANNOTATION = "alb.ingress.kubernetes.io/inbound-cidrs";

export const cloudFrontTls = resourcePolicy({
  name: "cloudfront-tls",
  description:
    "Checks that a CloudFront distribution serves viewers over HTTPS with TLS 1.2 or later (an ACM certificate, a TLSv1.2_* security policy) and reaches custom origins over HTTPS with TLS 1.2 only.",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [DISTRIBUTION],
  controls: {
    checkov: ["CKV_AWS_34", "CKV_AWS_174"],
    trivy: ["AVD-AWS-0012", "AVD-AWS-0013"],
  },
  validate: (r) => {
    const problems: string[] = [];
    const certificate = r.props.viewerCertificate;
    if (!isUnknown(certificate)) {
      const policy = isObject(certificate) ? certificate.minimumProtocolVersion : undefined;
      const defaultCertificate = isObject(certificate) && certificate.cloudfrontDefaultCertificate;
      if (
        defaultCertificate === true ||
        (!isUnknown(policy) && !(typeof policy === "string" && policy.startsWith("TLSv1.2_")))
      )
        problems.push(
          `viewerCertificate must be an ACM certificate with minimumProtocolVersion "TLSv1.2_2021" or later (got ${JSON.stringify(defaultCertificate === true ? "the default certificate" : (policy ?? "none"))})`,
        );
    }
    const behaviors = [r.props.defaultCacheBehavior, ...asArray(r.props.orderedCacheBehaviors)];
    for (const behavior of behaviors) {
      if (!isObject(behavior) || isUnknown(behavior.viewerProtocolPolicy)) continue;
      if (!HTTPS_VIEWER_POLICIES.includes(String(behavior.viewerProtocolPolicy)))
        problems.push(
          `cache behavior ${String(behavior.pathPattern ?? "default")} must set viewerProtocolPolicy "redirect-to-https" or "https-only" (got ${JSON.stringify(behavior.viewerProtocolPolicy)})`,
        );
    }
    for (const origin of asArray(r.props.origins)) {
      if (!isObject(origin) || !isObject(origin.customOriginConfig)) continue;
      const config = origin.customOriginConfig;
      const protocols = asArray(config.originSslProtocols);
      if (
        (!isUnknown(config.originProtocolPolicy) && config.originProtocolPolicy !== "https-only") ||
        (!isUnknown(config.originSslProtocols) && protocols.some((p) => p !== "TLSv1.2"))
      )
        problems.push(
          `origin ${String(origin.originId)} must set originProtocolPolicy "https-only" and originSslProtocols ["TLSv1.2"] (got ${JSON.stringify(config.originProtocolPolicy)}, ${JSON.stringify(protocols)})`,
        );
    }
    if (problems.length > 0)
      r.report(`${label("CloudFront distribution", r.name)}: ${problems.join("; ")}.`);
  },
});

export const cloudFrontWaf = resourcePolicy({
  name: "cloudfront-waf",
  description:
    "Checks that a CloudFront distribution is associated with a WAF web ACL (scope CLOUDFRONT).",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [DISTRIBUTION],
  controls: { checkov: ["CKV_AWS_68"], trivy: ["AVD-AWS-0011"] },
  validate: (r) => {
    const webAclId = r.props.webAclId;
    if (isUnknown(webAclId)) return;
    if (typeof webAclId !== "string" || webAclId === "")
      r.report(
        `${label("CloudFront distribution", r.name)} must have a WAF web ACL: set webAclId to the ARN of a CLOUDFRONT-scope aws.wafv2.WebAcl (components/edge creates one).`,
      );
  },
});

/**
 * Standard logging v2 is three resources (a delivery source on the distribution, a destination, a
 * delivery joining them): the stack is checked as a whole. Checkov's CKV_AWS_86 and Trivy's
 * AVD-AWS-0010 accept legacy logging only, so they are not claimed.
 */
export const cloudFrontAccessLogging = stackPolicy({
  name: "cloudfront-access-logging",
  description:
    "Checks that every CloudFront distribution logs its requests: standard logging v2 (an ACCESS_LOGS delivery source on the distribution with a delivery) or legacy logging to S3 (loggingConfig).",
  enforcementLevel: "mandatory",
  severity: "medium",
  resourceTypes: [DISTRIBUTION, LOG_SOURCE, LOG_DELIVERY],
  controls: {},
  validate: ({ args, report }) => {
    const index = new StackIndex(args.resources);
    const delivered = new Set(
      index.of(LOG_DELIVERY).flatMap((d) => dependencyUrns(d, "deliverySourceName")),
    );
    const logged = new Set(
      index
        .of(LOG_SOURCE)
        .filter((s) => s.props.logType === "ACCESS_LOGS" && delivered.has(s.urn))
        .flatMap((s) => dependencyUrns(s, "resourceArn")),
    );
    for (const distribution of index.of(DISTRIBUTION)) {
      const legacy = distribution.props.loggingConfig;
      const legacyBucket = isObject(legacy) ? legacy.bucket : undefined;
      if (isUnknown(legacyBucket) || knownString(legacyBucket) !== undefined) continue;
      if (logged.has(distribution.urn)) continue;
      report(
        `${label("CloudFront distribution", distribution.name)} must log its requests: add a standard logging v2 delivery (aws.cloudwatch.LogDeliverySource with logType "ACCESS_LOGS" and resourceArn the distribution's ARN, a LogDeliveryDestination and a LogDelivery) or set loggingConfig.bucket.`,
        distribution.urn,
      );
    }
  },
});

export const albBehindCloudFront = stackPolicy({
  name: "alb-behind-cloudfront-origin-lockdown",
  description:
    "Checks that in a stack behind CloudFront (it declares a distribution, or `behindCloudFront` is set: a standby whose ALB is its primary's secondary origin) every internet-facing ALB class admits CloudFront's origin-facing prefix list and no 0.0.0.0/0 or ::/0 on its listeners (IngressClassParams prefixListsIDs and inboundCIDRs; no Ingress opening itself with inbound-cidrs).",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [DISTRIBUTION, CLASS_PARAMS, INGRESS],
  controls: {},
  config: {
    behindCloudFront: configProperty.boolean(
      false,
      "The stack's ALB is a CloudFront origin though the stack declares no distribution (a standby).",
    ),
  },
  validate: ({ args, config, report }) => {
    const index = new StackIndex(args.resources);
    if (!config.behindCloudFront && index.of(DISTRIBUTION).length === 0) return;
    for (const params of index.of(CLASS_PARAMS)) {
      const spec = isObject(params.props.spec) ? params.props.spec : {};
      if (spec.scheme === "internal") continue;
      const prefixLists = spec.prefixListsIDs ?? spec.PrefixListsIDs;
      const cidrs = asArray(spec.inboundCIDRs).filter((c) => !isUnknown(c));
      if (
        (!isUnknown(prefixLists) && asArray(prefixLists).length === 0) ||
        cidrs.some((c) => WORLD.includes(String(c)))
      )
        report(
          `${label("IngressClassParams", params.name)} must admit only CloudFront on its listeners: set spec.prefixListsIDs to the com.amazonaws.global.cloudfront.origin-facing prefix list (and the Route 53 health-check list) and keep 0.0.0.0/0 and ::/0 out of spec.inboundCIDRs.`,
          params.urn,
        );
    }
    for (const ingress of index.of(INGRESS)) {
      const metadata = isObject(ingress.props.metadata) ? ingress.props.metadata : {};
      const annotations = isObject(metadata.annotations) ? metadata.annotations : {};
      const value = annotations[INBOUND_CIDRS_ANNOTATION];
      if (typeof value !== "string") continue;
      if (value.split(",").some((c) => WORLD.includes(c.trim())))
        report(
          `${label("Ingress", ingress.name)} must not open the ALB behind CloudFront to the internet: remove ${WORLD.join(", ")} from its ${INBOUND_CIDRS_ANNOTATION} annotation.`,
          ingress.urn,
        );
    }
  },
});

export const distributionPolicies: DomainPolicy[] = [
  cloudFrontTls,
  cloudFrontWaf,
  cloudFrontAccessLogging,
  albBehindCloudFront,
];
