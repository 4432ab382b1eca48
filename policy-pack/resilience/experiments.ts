/**
 * FIS experiment templates: every experiment stops on a CloudWatch alarm (the platform holds its
 * experiments to its SLO), and reaches only its own stack's resources, chosen by tag.
 */
import { isUnknown, STACK_TAG_KEY } from "@platform/model";
import { resourcePolicy, type DomainPolicy } from "../lib/policy";
import { asArray, isObject, label, undecidable } from "../lib/values";
import { providerDefaultTags } from "../resources/tags";

const TEMPLATE = "aws:fis/experimentTemplate:ExperimentTemplate";
/** FIS selects pods by cluster, namespace and selector parameters: no tags, no ARNs. */
const POD = "aws:eks:pod";

export const experimentPolicies: DomainPolicy[] = [
  resourcePolicy({
    name: "fis-experiment-has-stop-condition",
    description:
      "Checks that every FIS experiment template stops on at least one CloudWatch alarm, and on nothing weaker.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: [TEMPLATE],
    controls: {},
    validate: (r) => {
      const conditions = r.props.stopConditions;
      if (isUnknown(conditions)) undecidable(r.args, ["stopConditions"]);
      const list = asArray(conditions);
      const alarms = list.filter(
        (c) => isObject(c) && c.source === "aws:cloudwatch:alarm" && typeof c.value === "string",
      );
      const weak = list.filter((c) => !isObject(c) || c.source !== "aws:cloudwatch:alarm");
      if (alarms.length === 0 || weak.length > 0) {
        r.report(
          `${label("FIS experiment template", r.name)} must stop on CloudWatch alarms only, at least one (the SLO alarms of components/resilience): ${
            alarms.length === 0 ? "it has none" : `${weak.length} stop condition(s) are not alarms`
          }. An experiment without one can burn the whole error budget.`,
        );
      }
    },
  }),
  resourcePolicy({
    name: "fis-experiment-targets-own-stack",
    description:
      "Checks that every FIS experiment target is chosen by the stack's platform:stack tag (pods: by cluster parameters), never by a list of ARNs.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: [TEMPLATE],
    controls: {},
    validate: (r) => {
      const targets = r.props.targets;
      if (isUnknown(targets)) undecidable(r.args, ["targets"]);
      const stack = providerDefaultTags(r)[STACK_TAG_KEY];
      const problems: string[] = [];
      for (const target of asArray(targets)) {
        if (!isObject(target)) continue;
        const name = String(target.name);
        if (asArray(target.resourceArns).length > 0) {
          problems.push(`${name} lists resource ARNs`);
          continue;
        }
        if (target.resourceType === POD) {
          const parameters = isObject(target.parameters) ? target.parameters : {};
          if (!parameters.clusterIdentifier || !parameters.namespace) {
            problems.push(`${name} names no cluster and namespace`);
          }
          continue;
        }
        const stackTag = asArray(target.resourceTags).find(
          (t) => isObject(t) && t.key === STACK_TAG_KEY,
        );
        const value = isObject(stackTag) ? stackTag.value : undefined;
        if (value === undefined) problems.push(`${name} is not selected by ${STACK_TAG_KEY}`);
        else if (typeof stack === "string" && !isUnknown(value) && value !== stack) {
          problems.push(`${name} selects ${STACK_TAG_KEY}=${String(value)}, not ${stack}`);
        }
      }
      if (problems.length > 0) {
        r.report(
          `${label("FIS experiment template", r.name)} must reach only its own stack: select every target by the ${STACK_TAG_KEY} tag of this stack (pods by their cluster and namespace), never by ARN (${problems.join("; ")}).`,
        );
      }
    },
  }),
];
