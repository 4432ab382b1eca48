/**
 * Cost controls: the stack's monthly budget and its alerts, anomaly detection, OpenCost, the
 * out-of-hours schedule (never in production) and the usage assumptions of the cost estimate.
 */
import { Problems, quoteValue } from "@platform/core";
import { ASSUMPTION_NAMES, CostAssumptions, DEFAULT_COST_ASSUMPTIONS } from "@platform/model";
import { ConfigSection, configKey, KeySpec, ParsedValues } from "./schema";

export interface CostControlsConfig {
  readonly monthlyBudgetUsd: number;
  readonly alertEmails: readonly string[];
  readonly actualAlertPercents: readonly number[];
  readonly forecastAlertPercent: number;
  readonly anomalyThresholdUsd: number;
  readonly activateCostAllocationTags: boolean;
  readonly openCost: boolean;
  /** Present only when opted in (and never in production). */
  readonly offHours?: {
    readonly scaleDownRecurrence: string;
    readonly scaleUpRecurrence: string;
    readonly timeZone: string;
  };
  readonly assumptions: CostAssumptions;
}

const ASSUMPTION_DESCRIPTIONS: Readonly<Record<keyof CostAssumptions, string>> = {
  natGatewayDataGb: "GB per month processed by all NAT gateways of the stack.",
  interfaceEndpointDataGb: "GB per month processed by all interface VPC endpoints of the stack.",
  logIngestGbPerGroup:
    "GB per month ingested by each CloudWatch log group without a specific figure.",
  flowLogIngestGb: "GB per month of VPC flow logs ingested.",
  controlPlaneLogIngestGb: "GB per month of EKS control-plane logs ingested.",
  s3StoredGbPerBucket: "GB stored per S3 bucket, spread over classes by its lifecycle rules.",
  s3ReplicatedGb: "GB per month replicated to another region by each bucket replication rule set.",
  backupStoredGbPerVault: "GB of warm storage per AWS Backup vault.",
  backupCopyGb: "GB per month copied to another region by each backup plan with copy actions.",
  loadBalancerCapacityUnits: "Average capacity units (LCU/NLCU) per load balancer.",
  wafRequestsMillions: "Millions of requests per month inspected by each WAF web ACL.",
  metricsActiveSeries:
    "Active series Prometheus writes to the AMP workspace (one replica's); also sizes the remote-write queue.",
  cloudFrontRequestsMillions:
    "Millions of HTTPS requests per month served by each CloudFront distribution.",
  cloudFrontTransferGb: "GB per month each CloudFront distribution sends to viewers.",
  ecrStoredGbPerRepository: "GB of images stored per own ECR repository.",
  ecrReplicatedGb:
    "GB of images replicated to the DR peer per month by each ECR replication configuration.",
  ecrImagesScannedPerMonth:
    "Images pushed or cached per month per registry, each scanned once by Amazon Inspector.",
  ecrImageRescansPerMonth:
    "Image rescans per month per registry by Amazon Inspector's continuous scanning.",
};

/** `natGatewayDataGb` -> `costAssumptionNatGatewayDataGb`. */
export function assumptionKey(name: keyof CostAssumptions): string {
  return `costAssumption${name[0].toUpperCase()}${name.slice(1)}`;
}

const assumptionKeys: Record<string, KeySpec> = Object.fromEntries(
  ASSUMPTION_NAMES.map((name) => [
    assumptionKey(name),
    {
      type: "integer",
      default: DEFAULT_COST_ASSUMPTIONS[name],
      description: `Cost estimate assumption: ${ASSUMPTION_DESCRIPTIONS[name]}`,
    },
  ]),
);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CRON = /^([\w*/,?#LW-]+\s+){4}[\w*/,?#LW-]+$/;
const TIME_ZONE = /^(UTC|[A-Z][A-Za-z_]+(\/[A-Z][A-Za-z_+-]+){1,2})$/;

/**
 * Whether a name is in the IANA time zone database (Node's ICU copy of it): the form alone let
 * "Mars/Base" through to the scaling schedules, which AWS would reject at `pulumi up`.
 */
function isIanaTimeZone(name: string): boolean {
  if (!TIME_ZONE.test(name)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function readAssumptions(values: ParsedValues, problems: Problems): CostAssumptions {
  const assumptions: Record<string, number> = {};
  for (const name of ASSUMPTION_NAMES) {
    const key = assumptionKey(name);
    const value = values[key] as number;
    problems.integerInRange(configKey(key), value, 0, 10_000_000);
    assumptions[name] = value;
  }
  return assumptions as unknown as CostAssumptions;
}

export const costControls: ConfigSection<CostControlsConfig> = {
  keys: {
    monthlyBudgetUsd: {
      type: "integer",
      default: 10000,
      description:
        "Monthly budget of the stack in USD: the AWS Budget's limit, which the stack-budget policy holds the cost estimate to.",
    },
    budgetAlertEmails: {
      type: "array",
      items: "string",
      default: [],
      description:
        "Addresses for budget and cost-anomaly alerts; empty means the owner (platform:owner).",
    },
    budgetActualAlertPercents: {
      type: "array",
      items: "integer",
      default: [80, 100],
      description: "Percentages of the budget at which actual spend alerts.",
    },
    budgetForecastAlertPercent: {
      type: "integer",
      default: 100,
      description: "Percentage of the budget at which forecast spend alerts.",
    },
    costAnomalyThresholdUsd: {
      type: "integer",
      default: 100,
      description: "Total impact in USD from which a cost anomaly of the stack is reported.",
    },
    costActivateAllocationTags: {
      type: "boolean",
      default: true,
      description:
        "Activate the platform's cost-allocation tags (account-wide: set false in all but one stack per payer account).",
    },
    openCostEnabled: {
      type: "boolean",
      default: true,
      description: "Run OpenCost in the cluster, reading Prometheus, for spend per namespace.",
    },
    offHoursScaleDown: {
      type: "boolean",
      default: false,
      description:
        "Opt-in, not in prod: scale the workload node pool to zero out of hours (offHoursScaleDownCron to offHoursScaleUpCron).",
    },
    offHoursScaleDownCron: {
      type: "string",
      default: "0 20 * * MON-FRI",
      description: "Cron (minute hour day month weekday) at which workload pools scale to zero.",
    },
    offHoursScaleUpCron: {
      type: "string",
      default: "0 7 * * MON-FRI",
      description: "Cron at which workload pools return to their configured sizes.",
    },
    offHoursTimeZone: {
      type: "string",
      default: "UTC",
      description: "IANA time zone of the out-of-hours crons, e.g. Europe/Dublin.",
    },
    ...assumptionKeys,
  },

  build(values, problems): CostControlsConfig {
    const monthlyBudgetUsd = values.monthlyBudgetUsd as number;
    problems.integerInRange(configKey("monthlyBudgetUsd"), monthlyBudgetUsd, 1, 100_000_000);

    const configured = values.budgetAlertEmails as string[];
    const owner = values.owner as string;
    if (configured.length === 0) {
      problems.check(
        EMAIL.test(owner),
        configKey("budgetAlertEmails"),
        configured,
        `list alert addresses, since the owner (platform:owner) is not an email address (it is ${quoteValue(owner)})`,
      );
    }
    for (const email of configured) {
      problems.check(
        EMAIL.test(email),
        configKey("budgetAlertEmails"),
        email,
        "contain email addresses such as finops@example.com",
      );
    }
    const actualAlertPercents = values.budgetActualAlertPercents as number[];
    problems.check(
      actualAlertPercents.length > 0,
      configKey("budgetActualAlertPercents"),
      actualAlertPercents,
      "list at least one percentage",
    );
    for (const percent of actualAlertPercents) {
      problems.integerInRange(configKey("budgetActualAlertPercents"), percent, 1, 1000);
    }
    const forecastAlertPercent = values.budgetForecastAlertPercent as number;
    problems.integerInRange(configKey("budgetForecastAlertPercent"), forecastAlertPercent, 1, 1000);
    const anomalyThresholdUsd = values.costAnomalyThresholdUsd as number;
    problems.integerInRange(
      configKey("costAnomalyThresholdUsd"),
      anomalyThresholdUsd,
      1,
      1_000_000,
    );

    const offHoursEnabled = values.offHoursScaleDown as boolean;
    const scaleDownRecurrence = values.offHoursScaleDownCron as string;
    const scaleUpRecurrence = values.offHoursScaleUpCron as string;
    const timeZone = values.offHoursTimeZone as string;
    if (offHoursEnabled) {
      problems.check(
        values.environment !== "prod",
        configKey("offHoursScaleDown"),
        offHoursEnabled,
        "be false in production (platform:environment is prod): scaling workloads to zero takes the service down",
      );
    }
    for (const [key, cron] of [
      ["offHoursScaleDownCron", scaleDownRecurrence],
      ["offHoursScaleUpCron", scaleUpRecurrence],
    ] as const) {
      problems.check(
        CRON.test(cron.trim()),
        configKey(key),
        cron,
        'be a five-field cron expression such as "0 20 * * MON-FRI"',
      );
    }
    problems.check(
      isIanaTimeZone(timeZone),
      configKey("offHoursTimeZone"),
      timeZone,
      'be an IANA time zone such as "UTC" or "Europe/Dublin"',
    );

    return {
      monthlyBudgetUsd,
      alertEmails: configured.length > 0 ? configured : [owner],
      actualAlertPercents,
      forecastAlertPercent,
      anomalyThresholdUsd,
      activateCostAllocationTags: values.costActivateAllocationTags as boolean,
      openCost: values.openCostEnabled as boolean,
      ...(offHoursEnabled
        ? { offHours: { scaleDownRecurrence, scaleUpRecurrence, timeZone } }
        : {}),
      assumptions: readAssumptions(values, problems),
    };
  },
};
