/** Happy-path CloudWatch Logs resources: each a correct production resource that passes every policy. */
import { aws, KEY_ARN } from "../test/builders";

export const happyLogs = {
  logGroup: () =>
    aws("aws:cloudwatch/logGroup:LogGroup", "flow-logs", {
      retentionInDays: 365,
      kmsKeyId: KEY_ARN,
    }),
};
