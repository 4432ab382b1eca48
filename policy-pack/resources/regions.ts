/** Allowed regions: AWS resources are created only in the stack's regions (EU stacks stay in the EU). */
import { isUnknown } from "@platform/model";
import { configProperty, resourcePolicy } from "../lib/policy";
import { label, undecidable } from "../lib/values";

const AWS_PROVIDER = "pulumi:providers:aws";

export const allowedRegions = resourcePolicy({
  name: "allowed-regions",
  description:
    "Checks that AWS resources are created only in the stack's allowed regions, through an explicit regional provider.",
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
      if (!allowed.includes(override)) {
        r.report(
          `${label(r.type, r.name)} must stay in the allowed regions (${allowed.join(", ")}): remove region ${override} or use the provider of an allowed region.`,
        );
      }
      return;
    }
    const provider = r.args.provider;
    if (!provider) return;
    // The default provider reads the region from the environment: the platform never relies on it.
    if (/::default(_[0-9_]+)?$/.test(provider.urn)) {
      r.report(
        `${label(r.type, r.name)} must be created with the stack's explicit regional aws.Provider (pass { provider }), not the default provider that reads the region from the environment.`,
      );
    }
  },
});

export const regionPolicies = [allowedRegions];
