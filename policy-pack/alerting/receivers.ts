/**
 * Alerts reach a human: in a production stack, the topic that CloudWatch alarms (and Alertmanager)
 * publish to has a subscriber that is a person's channel (email, SMS, an HTTPS endpoint such as
 * PagerDuty, AWS Chatbot in Slack or Teams), or Alertmanager has a direct receiver (PagerDuty,
 * Slack, email, Opsgenie, ...). A dashboard that says "watched" over alerts that reach nobody is
 * worse than none, so this is mandatory.
 */
import { isUnknown } from "@platform/model";
import { configProperty, stackPolicy } from "../lib/policy";
import { dependencyUrns, knownString, StackIndex, type StackResource } from "../lib/stack-index";
import { asArray, isObject, jsonish, label, raw, type Props } from "../lib/values";

const METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const SNS_TOPIC = "aws:sns/topic:Topic";
const SNS_SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
const CHATBOT_SLACK = "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration";
const CHATBOT_TEAMS = "aws:chatbot/teamsChannelConfiguration:TeamsChannelConfiguration";
const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";

/** Subscription protocols that deliver to a person (https: paging services such as PagerDuty). */
const HUMAN_PROTOCOLS = ["email", "email-json", "sms", "https"];

/** Alertmanager receiver integrations that notify people directly (sns_configs is the topic path). */
const DIRECT_INTEGRATIONS = [
  "pagerduty_configs",
  "slack_configs",
  "email_configs",
  "opsgenie_configs",
  "msteams_configs",
  "msteamsv2_configs",
  "victorops_configs",
  "pushover_configs",
  "telegram_configs",
  "discord_configs",
  "webex_configs",
  "wechat_configs",
  "jira_configs",
  "rocketchat_configs",
  "incidentio_configs",
];

/** The keys of the platform's stack config that add a receiver, named by the violation. */
const RECEIVER_KEYS =
  "platform:alarmEmails (plain), platform:alarmPagerDutyUrl (secret), or platform:alarmSlackWorkspaceId with platform:alarmSlackChannelId; or a direct Alertmanager receiver: platform:alertPagerDutyRoutingKey, platform:alertSlackWebhookUrl or platform:alertEmailTo (secrets with pulumi config set --secret)";

/** The `platform:environment` tag the resource's provider sets by default, if known. */
function environmentOf(r: StackResource): string | undefined {
  const provider = r.resource.provider ? raw(r.resource.provider.props) : undefined;
  const defaults = jsonish(provider?.defaultTags);
  const tags = isObject(defaults) && isObject(defaults.tags) ? defaults.tags : {};
  const own = isObject(r.props.tags) ? r.props.tags : {};
  return knownString(own["platform:environment"] ?? tags["platform:environment"]);
}

/** Alertmanager's config in a kube-prometheus-stack release's values, when known. */
function alertmanagerReceivers(release: StackResource): Props[] {
  const values = jsonish(release.props.values);
  if (!isObject(values) || isUnknown(values)) return [];
  const config = values.alertmanager?.config;
  return isObject(config) ? asArray<Props>(config.receivers).filter(isObject) : [];
}

/** Topics the alarms notify: by property dependency (URN) or by known ARN. */
function alarmTopics(index: StackIndex): { urns: Set<string>; arns: Set<string> } {
  const urns = new Set<string>();
  const arns = new Set<string>();
  for (const alarm of index.of(METRIC_ALARM)) {
    for (const urn of dependencyUrns(alarm, "alarmActions")) urns.add(urn);
    for (const action of asArray(alarm.props.alarmActions)) {
      const arn = knownString(action);
      if (arn?.startsWith("arn:aws:sns:")) arns.add(arn);
    }
  }
  return { urns, arns };
}

export const alertsReachAHuman = stackPolicy({
  name: "alerts-reach-a-human",
  description:
    "Checks that a production stack's alarms and alerts reach a person: an email, SMS, HTTPS (PagerDuty) or chat subscription on the alarm topic, or a direct Alertmanager receiver.",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [
    METRIC_ALARM,
    SNS_TOPIC,
    SNS_SUBSCRIPTION,
    CHATBOT_SLACK,
    CHATBOT_TEAMS,
    HELM_RELEASE,
  ],
  config: {
    environments: configProperty.strings(
      ["prod", "production"],
      "Values of the platform:environment tag that mark a production stack (a stack whose tag is unknown counts as production).",
    ),
  },
  remediationSteps: `Subscribe on-call to the alarm topic: set ${RECEIVER_KEYS}.`,
  validate: ({ args, config, report }) => {
    const index = new StackIndex(args.resources);
    const alarms = index.of(METRIC_ALARM);
    const releases = index
      .of(HELM_RELEASE)
      .filter((r) => knownString(r.props.chart)?.endsWith("kube-prometheus-stack"));
    if (alarms.length === 0 && releases.length === 0) return;
    const production = [...alarms, ...releases].some((r) => {
      const environment = environmentOf(r);
      return environment === undefined || config.environments.includes(environment);
    });
    if (!production) return;

    const topics = alarmTopics(index);
    const topicResources = index.of(SNS_TOPIC).filter((t) => topics.urns.has(t.urn));
    const onAlarmTopic = (r: StackResource, property: string) =>
      dependencyUrns(r, property).some((urn) => topics.urns.has(urn)) ||
      asArray(r.props[property]).some((v) => {
        const arn = knownString(v);
        return arn !== undefined && topics.arns.has(arn);
      });
    const subscribed = index
      .of(SNS_SUBSCRIPTION)
      .some(
        (s) =>
          HUMAN_PROTOCOLS.includes(String(s.props.protocol)) &&
          Boolean(s.props.endpoint) &&
          onAlarmTopic(s, "topic"),
      );
    const chat = index
      .of(CHATBOT_SLACK, CHATBOT_TEAMS)
      .some((c) => onAlarmTopic(c, "snsTopicArns"));
    const direct = releases.some((r) =>
      alertmanagerReceivers(r).some((receiver) =>
        DIRECT_INTEGRATIONS.some((k) => asArray(receiver[k]).length > 0),
      ),
    );
    if (subscribed || chat || direct) return;

    const [subject] = [...topicResources, ...releases, ...alarms];
    const what = topicResources.length
      ? label("SNS alarm topic", subject.name)
      : label(subject.type, subject.name);
    report(
      `${what} must reach a human in production: no email, SMS, HTTPS (PagerDuty) or chat subscription is on the alarm topic and Alertmanager has no direct receiver, so every alert and alarm reaches nobody. Set ${RECEIVER_KEYS}.`,
      subject.urn,
    );
  },
});

export const receiverPolicies = [alertsReachAHuman];
