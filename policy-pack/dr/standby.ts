/**
 * Failover that has somewhere to go: in a prod stack, the failover record's SECONDARY must resolve
 * to a standby stack's ingress (`<standby region>.<domain>`, published by the standby's
 * external-dns), and the standby must stay in the primary's residency zone (EU stays in the EU).
 * The primary records its standby on the failover health check (tags platform:standby-stack and
 * platform:standby-region), found from the repository's stack files when the program runs.
 */
import { isEuRegion, STANDBY_REGION_TAG, STANDBY_STACK_TAG } from "@platform/model";
import { stackPolicy } from "../lib/policy";
import { knownString, StackIndex } from "../lib/stack-index";
import { asArray, label, raw, type Props } from "../lib/values";
import { mergedTags } from "./coverage";

const RECORD = "aws:route53/record:Record";
const HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck";
/** Values of platform:environment that mean production. */
const PRODUCTION = ["prod", "production"];

export const drFailoverHasStandby = stackPolicy({
  name: "dr-failover-has-standby",
  description:
    "Checks that a prod stack's failover record fails over to a standby stack's ingress, in the primary's residency zone.",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [RECORD, HEALTH_CHECK],
  config: {
    requireStandby: {
      type: "boolean",
      default: true,
      description:
        "Whether a prod stack with a failover record must have a standby stack (false: a stack that accepts failing over to nothing).",
    },
  },
  remediationSteps:
    "Add a standby stack file (platform:role: standby, platform:primaryStack: <this stack>) in this stack's drRegion, inside the same residency zone.",
  validate: ({ args, config, report }) => {
    const index = new StackIndex(args.resources);
    const secondaries = index
      .of(RECORD)
      .filter((r) =>
        asArray<Props>(r.props.failoverRoutingPolicies).some((p) => p?.type === "SECONDARY"),
      );
    if (secondaries.length === 0) return;
    const checks = index.of(HEALTH_CHECK);
    for (const record of secondaries) {
      const tags = mergedTags(record);
      if (!PRODUCTION.includes(String(tags["platform:environment"] ?? ""))) continue;
      const standby = checks.find((c) => knownString(mergedTags(c)[STANDBY_STACK_TAG]));
      if (!standby) {
        if (config.requireStandby) {
          report(
            `${label(RECORD, record.name)} must fail over to a standby stack's ingress: no standby stack stands by for this stack, so the SECONDARY answer reaches nothing. Add a standby stack (platform:role: standby, platform:primaryStack naming this stack) in the drRegion.`,
            record.urn,
          );
        }
        continue;
      }
      const standbyTags = mergedTags(standby);
      const standbyStack = String(standbyTags[STANDBY_STACK_TAG]);
      const standbyRegion = String(standbyTags[STANDBY_REGION_TAG] ?? "");
      const provider = record.resource.provider ? raw(record.resource.provider.props) : undefined;
      const region = knownString(provider?.region);
      if (region !== undefined && isEuRegion(region) && !isEuRegion(standbyRegion)) {
        report(
          `${label(RECORD, record.name)} must fail over inside the EU: its standby ${standbyStack} is in ${standbyRegion || "an unknown region"}, outside the EU, while this stack is in ${region}. Move the standby to an EU region.`,
          record.urn,
        );
      }
      const target = asArray<string>(record.props.records).map((t) => knownString(t));
      if (target.some((t) => t !== undefined && !t.startsWith(`${standbyRegion}.`))) {
        report(
          `${label(RECORD, record.name)} must answer with the standby's ingress name (${standbyRegion}.<domainName>, published by ${standbyStack}'s external-dns), not ${target.join(", ")}.`,
          record.urn,
        );
      }
    }
  },
});

export const standbyPolicies = [drFailoverHasStandby];
