/**
 * Violating and passing cases of the alerting policy: each starts from the happy stack (an alarm
 * notifying a topic that on-call subscribes to by email) and changes one thing.
 */
import type { AnalyzerResource } from "../../tools/analyzer";
import { aws, awsProvider, change, withDeps } from "../test/builders";
import type { Case } from "../test/case";
import { happyStack, stackResources } from "../test/fixtures";
import { happyAlerting } from "./fixtures";

const POLICY = "alerts-reach-a-human";

type HappyStack = ReturnType<typeof happyStack>;

function stackCase(
  title: string,
  expect: Case["expect"],
  edit: (s: HappyStack) => AnalyzerResource[] = () => [],
): Case {
  const s = happyStack();
  const extra = edit(s);
  return {
    policy: POLICY,
    title,
    expect,
    resources: [...stackResources(s), ...extra],
    stack: true,
  };
}

/** The happy stack without its email subscription: the alarm topic reaches nobody. */
function unsubscribed(s: HappyStack): void {
  s.alarmEmail = withDeps(change(s.alarmEmail, "protocol", "sqs"), { topic: [s.alarmTopic] });
}

const snsOnly = { name: "critical", sns_configs: [{ topic_arn: "arn", sigv4: { region: "x" } }] };

export const cases: Case[] = [
  stackCase("on-call subscribed to the alarm topic by email", "passes"),
  stackCase("no subscription that reaches a person", "violates", (s) => {
    unsubscribed(s);
    return [];
  }),
  stackCase("Alertmanager publishing only to the topic, which nobody reads", "violates", (s) => {
    unsubscribed(s);
    return [happyAlerting.prometheusStack([{ name: "null" }, snsOnly])];
  }),
  stackCase("an email subscription to another topic only", "violates", (s) => {
    unsubscribed(s);
    const other = aws("aws:sns/topic:Topic", "builds", { name: "builds" });
    return [
      other,
      withDeps(
        aws("aws:sns/topicSubscription:TopicSubscription", "builds-email", {
          topic: "arn:aws:sns:us-west-2:111122223333:builds",
          protocol: "email",
          endpoint: "dev@example.com",
        }),
        { topic: [other] },
      ),
    ];
  }),
  stackCase("PagerDuty subscribed over HTTPS", "passes", (s) => {
    unsubscribed(s);
    return [
      withDeps(
        aws("aws:sns/topicSubscription:TopicSubscription", "alarms-pagerduty", {
          topic: "arn:aws:sns:us-west-2:111122223333:platform-alarms",
          protocol: "https",
          endpoint: "https://events.pagerduty.com/integration/x/enqueue",
          endpointAutoConfirms: true,
        }),
        { topic: [s.alarmTopic] },
      ),
    ];
  }),
  stackCase("Slack through AWS Chatbot on the alarm topic", "passes", (s) => {
    unsubscribed(s);
    return [
      withDeps(
        aws("aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration", "alarms-slack", {
          configurationName: "platform-alarms",
          slackTeamId: "T07EA123LEP",
          slackChannelId: "C07EZ1ABC23",
          snsTopicArns: ["arn:aws:sns:us-west-2:111122223333:platform-alarms"],
        }),
        { snsTopicArns: [s.alarmTopic] },
      ),
    ];
  }),
  stackCase("a direct PagerDuty receiver in Alertmanager", "passes", (s) => {
    unsubscribed(s);
    return [
      happyAlerting.prometheusStack([
        { ...snsOnly, pagerduty_configs: [{ routing_key_file: "/etc/am/key" }] },
      ]),
    ];
  }),
  stackCase("a staging stack without receivers", "passes", (s) => {
    unsubscribed(s);
    const staging = {
      ...awsProvider,
      properties: {
        ...awsProvider.properties,
        defaultTags: JSON.stringify({ tags: { "platform:environment": "staging" } }),
      },
    };
    s.alarm = { ...s.alarm, provider: staging };
    return [];
  }),
];
