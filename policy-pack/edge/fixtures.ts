/** Happy-path edge resources: a distribution that passes every policy, and its log delivery. */
import { ACCOUNT, aws, k8s } from "../test/builders";

const DISTRIBUTION_ARN = `arn:aws:cloudfront::${ACCOUNT}:distribution/E2EXAMPLE123`;
const httpsOrigin = (originId: string, domainName: string) => ({
  originId,
  domainName,
  customOriginConfig: {
    httpPort: 80,
    httpsPort: 443,
    originProtocolPolicy: "https-only",
    originSslProtocols: ["TLSv1.2"],
  },
});

export const happyEdge = {
  distribution: () =>
    aws("aws:cloudfront/distribution:Distribution", "edge-distribution", {
      enabled: true,
      aliases: ["platform.example.com"],
      webAclId: `arn:aws:wafv2:us-east-1:${ACCOUNT}:global/webacl/platform-us-west-2-edge/0b7e4d3c`,
      origins: [
        httpsOrigin("primary", "us-west-2.platform.example.com"),
        httpsOrigin("secondary", "us-east-1.platform.example.com"),
      ],
      defaultCacheBehavior: {
        targetOriginId: "primary",
        viewerProtocolPolicy: "redirect-to-https",
      },
      orderedCacheBehaviors: [
        { pathPattern: "/static/*", targetOriginId: "primary", viewerProtocolPolicy: "https-only" },
      ],
      viewerCertificate: {
        acmCertificateArn: `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/0b7e4d3c`,
        sslSupportMethod: "sni-only",
        minimumProtocolVersion: "TLSv1.2_2021",
      },
    }),
  accessLogSource: () =>
    aws("aws:cloudwatch/logDeliverySource:LogDeliverySource", "edge-access-log-source", {
      name: "platform-us-west-2-edge",
      logType: "ACCESS_LOGS",
      resourceArn: DISTRIBUTION_ARN,
    }),
  accessLogDelivery: () =>
    aws("aws:cloudwatch/logDelivery:LogDelivery", "edge-access-log-delivery", {
      deliverySourceName: "platform-us-west-2-edge",
      deliveryDestinationArn: `arn:aws:logs:us-east-1:${ACCOUNT}:delivery-destination:edge`,
    }),
  ingressClassParams: () =>
    k8s("kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams", "alb", {
      metadata: { name: "alb" },
      spec: {
        scheme: "internet-facing",
        prefixListsIDs: ["pl-82a045eb", "pl-0a1b2c3d4e5f"],
        inboundCIDRs: ["203.0.113.10/32"],
      },
    }),
};
