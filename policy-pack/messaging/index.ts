/** Messaging: SNS topics and SQS queues, their encryption and resource policies. */
import type { DomainPolicy } from "../lib/policy";
import { topicQueuePolicies } from "./topics-queues";

export const policies: readonly DomainPolicy[] = topicQueuePolicies;
