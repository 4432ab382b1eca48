/** Helm releases: an exact chart version from an https or OCI repository. */
import { isUnknown } from "@platform/model";
import { resourcePolicy } from "../lib/policy";
import { label, undecidable } from "../lib/values";

const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";

const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

export const helmPinnedChart = resourcePolicy({
  name: "helm-release-pinned-chart",
  description:
    "Checks that Helm releases install an exact chart version from an https or OCI repository.",
  enforcementLevel: "mandatory",
  severity: "medium",
  resourceTypes: [HELM_RELEASE],
  validate: (r) => {
    const chart = r.props.chart;
    const version = r.props.version;
    const repo = r.props.repositoryOpts?.repo;
    if (isUnknown(version)) undecidable(r.args, ["version"]);
    if (typeof version !== "string" || !EXACT_VERSION.test(version)) {
      r.report(
        `${label("Helm release", r.name)} must pin an exact chart version: set version to a release such as "1.2.3" (got ${JSON.stringify(version ?? "nothing, which installs the newest")}).`,
      );
    }
    const fromOci = typeof chart === "string" && chart.startsWith("oci://");
    const fromHttps = typeof repo === "string" && repo.startsWith("https://");
    if (!fromOci && !fromHttps && !isUnknown(repo)) {
      r.report(
        `${label("Helm release", r.name)} must install from an https or OCI repository: set repositoryOpts.repo to an https:// URL or chart to an oci:// reference (got ${JSON.stringify(repo ?? chart)}).`,
      );
    }
  },
});

export const helmPolicies = [helmPinnedChart];
