/** Violating and passing cases of the fault-injection policies. */
import { type Case, passes, violates } from "../test/case";
import { change } from "../test/builders";
import { happy } from "../test/fixtures";

const template = happy.experimentTemplate;
const spotTarget = (edit: Record<string, unknown>) => [
  { ...(template().properties.targets as Record<string, unknown>[])[0], ...edit },
];

export const cases: Case[] = [
  passes("fis-experiment-has-stop-condition", "stops on an SLO alarm", template()),
  violates(
    "fis-experiment-has-stop-condition",
    "stop condition removed",
    change(template(), "stopConditions", []),
  ),
  violates(
    "fis-experiment-has-stop-condition",
    "source none",
    change(template(), "stopConditions", [{ source: "none" }]),
  ),
  passes("fis-experiment-targets-own-stack", "selected by the stack's tag", template()),
  passes(
    "fis-experiment-targets-own-stack",
    "pods by cluster and namespace",
    happy.podExperimentTemplate(),
  ),
  violates(
    "fis-experiment-targets-own-stack",
    "instances by ARN",
    change(
      template(),
      "targets",
      spotTarget({
        resourceTags: undefined,
        resourceArns: ["arn:aws:ec2:us-west-2:111122223333:instance/i-0123456789abcdef0"],
      }),
    ),
  ),
  violates(
    "fis-experiment-targets-own-stack",
    "another stack's tag",
    change(
      template(),
      "targets",
      spotTarget({ resourceTags: [{ key: "platform:stack", value: "prod-eu-west-1" }] }),
    ),
  ),
  violates(
    "fis-experiment-targets-own-stack",
    "no stack tag",
    change(
      template(),
      "targets",
      spotTarget({ resourceTags: [{ key: "karpenter.sh/nodepool", value: "spot" }] }),
    ),
  ),
];
