/** Violating and passing cases of the rules every AWS resource follows policies. */
import { type Case, passes, violates } from "../test/case";
import type { AnalyzerResource } from "../../tools/analyzer";
import { aws, awsProvider, change, resource, urn } from "../test/builders";
import { happy } from "../test/fixtures";

const EU_ONLY = { "allowed-regions": { allowedRegions: ["eu-west-1", "eu-central-1"] } };
const US_EAST_1 = {
  ...awsProvider,
  urn: urn("pulumi:providers:aws", "aws-us-east-1"),
  name: "aws-us-east-1",
  properties: { ...awsProvider.properties, region: "us-east-1" },
};
const onUsEast1 = (r: AnalyzerResource): AnalyzerResource => ({ ...r, provider: US_EAST_1 });
const usEast1Provider = () =>
  resource(US_EAST_1.type, US_EAST_1.name, { ...US_EAST_1.properties }, undefined);

export const cases: Case[] = [
  passes("required-cost-allocation-tags", "tags from the provider", happy.bucket()),
  passes(
    "required-cost-allocation-tags",
    "tags on the resource",
    change(
      { ...happy.logGroup(), provider: { ...awsProvider, properties: { region: "us-west-2" } } },
      "tags",
      {
        "platform:stack": "s",
        "platform:environment": "e",
        "platform:cost-center": "c",
        "platform:owner": "o",
      },
    ),
  ),
  violates("required-cost-allocation-tags", "provider without default tags", {
    ...happy.logGroup(),
    provider: { ...awsProvider, properties: { region: "us-west-2" } },
  }),
  passes("allowed-regions", "us-west-2 provider", happy.awsProviderResource()),
  passes("allowed-regions", "resource on the regional provider", happy.bucket()),
  violates("allowed-regions", "EU stack given a US provider", happy.awsProviderResource(), {
    "allowed-regions": { allowedRegions: ["eu-west-1", "eu-central-1"] },
  }),
  passes(
    "allowed-regions",
    "EU stack: a CloudFront certificate on a us-east-1 provider",
    onUsEast1(
      aws("aws:acm/certificate:Certificate", "edge-certificate", {
        domainName: "europe.platform.example.com",
        validationMethod: "DNS",
      }),
    ),
    EU_ONLY,
  ),
  passes(
    "allowed-regions",
    "EU stack: a CLOUDFRONT web ACL on a us-east-1 provider",
    onUsEast1(change(happy.webAcl(), "scope", "CLOUDFRONT")),
    EU_ONLY,
  ),
  passes("allowed-regions", "EU stack: the us-east-1 provider itself", usEast1Provider(), EU_ONLY),
  passes(
    "allowed-regions",
    "EU stack: access-log delivery to an S3 bucket, configured in us-east-1",
    onUsEast1(
      aws(
        "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
        "edge-access-log-destination",
        {
          name: "platform-eu-west-1-edge",
          outputFormat: "json",
          deliveryDestinationConfiguration: {
            destinationResourceArn: "arn:aws:s3:::platform-eu-west-1-edge-access-logs-111122223333",
          },
        },
      ),
    ),
    EU_ONLY,
  ),
  violates(
    "allowed-regions",
    "EU stack: access-log delivery to a us-east-1 log group",
    onUsEast1(
      aws(
        "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
        "edge-access-log-destination",
        {
          name: "platform-eu-west-1-edge",
          deliveryDestinationConfiguration: {
            destinationResourceArn: "arn:aws:logs:us-east-1:111122223333:log-group:/platform/edge",
          },
        },
      ),
    ),
    EU_ONLY,
  ),
  violates(
    "allowed-regions",
    "EU stack: a REGIONAL web ACL on a us-east-1 provider",
    onUsEast1(happy.webAcl()),
    EU_ONLY,
  ),
  violates(
    "allowed-regions",
    "EU stack: a log group on a us-east-1 provider (logs stay in the EU)",
    onUsEast1(happy.logGroup()),
    EU_ONLY,
  ),
  passes(
    "allowed-regions",
    "EU stack: a CloudFront certificate placed by region override",
    change(
      aws("aws:acm/certificate:Certificate", "edge-certificate", {
        domainName: "europe.platform.example.com",
      }),
      "region",
      "us-east-1",
    ),
    EU_ONLY,
  ),
  violates(
    "allowed-regions",
    "resource region override",
    change(happy.bucket(), "region", "ap-southeast-1"),
  ),
  violates("allowed-regions", "default provider", {
    ...happy.bucket(),
    provider: {
      ...awsProvider,
      urn: urn("pulumi:providers:aws", "default_7_48_0"),
      name: "default_7_48_0",
      properties: {},
    },
  }),
  passes("approved-instance-families", "Graviton node group", happy.nodeGroup()),
  violates(
    "approved-instance-families",
    "previous generation on demand",
    change(happy.nodeGroup(), "instanceTypes", ["m5.xlarge"]),
  ),
  passes(
    "approved-instance-families",
    "previous generation in a spot pool",
    change(
      change(happy.nodeGroup(), "instanceTypes", ["m6a.xlarge", "m5.xlarge"]),
      "capacityType",
      "SPOT",
    ),
  ),
  passes("prefer-graviton-or-spot", "Graviton", happy.nodeGroup()),
  passes(
    "prefer-graviton-or-spot",
    "x86 on spot",
    change(change(happy.nodeGroup(), "instanceTypes", ["m7i.xlarge"]), "capacityType", "SPOT"),
  ),
  violates(
    "prefer-graviton-or-spot",
    "x86 on demand",
    change(happy.nodeGroup(), "instanceTypes", ["m7i.xlarge"]),
  ),
];
