/**
 * WAF web ACLs in front of the load balancers: an ACL must have rules, and must run AWS's
 * known-bad-inputs group (which blocks Log4j JNDI lookups, CVE-2021-44228) without overriding it
 * to count.
 */
import { isUnknown } from "@platform/model";
import { resourcePolicy, type DomainPolicy } from "../lib/policy";
import { asArray, isObject, label, type Props } from "../lib/values";

const WEB_ACL = "aws:wafv2/webAcl:WebAcl";
const KNOWN_BAD_INPUTS = "AWSManagedRulesKnownBadInputsRuleSet";

function knownBadInputsEnforced(rules: readonly Props[]): boolean {
  return rules.some((rule) => {
    const group = (rule.statement as Props | undefined)?.managedRuleGroupStatement as
      Props | undefined;
    if (!isObject(group) || group.name !== KNOWN_BAD_INPUTS) return false;
    const counted = (override: unknown) =>
      isObject(override) && isObject(override.actionToUse) && "count" in override.actionToUse;
    const log4jCounted = asArray<Props>(group.ruleActionOverrides).some(
      (o) => o.name === "Log4JRCE" && counted(o),
    );
    const groupCounted = isObject(rule.overrideAction) && "count" in rule.overrideAction;
    return !log4jCounted && !groupCounted;
  });
}

export const wafPolicies: DomainPolicy[] = [
  resourcePolicy({
    name: "waf-web-acl-has-rules",
    description: "Checks that a WAF web ACL has at least one rule.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: [WEB_ACL],
    controls: { checkov: ["CKV_AWS_175"] },
    validate: (r) => {
      if (isUnknown(r.props.rules)) return;
      if (asArray(r.props.rules).length === 0) {
        r.report(
          `${label("WAF web ACL", r.name)} must have rules: add AWS managed rule groups (e.g. AWSManagedRulesCommonRuleSet) and a rate limit.`,
        );
      }
    },
  }),
  resourcePolicy({
    name: "waf-web-acl-known-bad-inputs",
    description: `Checks that a WAF web ACL runs ${KNOWN_BAD_INPUTS} (Log4j JNDI lookups and other known exploits) in block mode.`,
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: [WEB_ACL],
    controls: { checkov: ["CKV_AWS_192"] },
    validate: (r) => {
      const rules = r.props.rules;
      if (isUnknown(rules)) return;
      if (!knownBadInputsEnforced(asArray<Props>(rules))) {
        r.report(
          `${label("WAF web ACL", r.name)} must run ${KNOWN_BAD_INPUTS} in block mode: add it as a managed rule group with overrideAction { none: {} }, and do not override Log4JRCE to count.`,
        );
      }
    },
  }),
];
