/**
 * Failover to a standby stack and failback, from the standby's outputs (`pulumi stack output --json
 * --stack <standby>`, whose `standby` output carries its primary's posture). Each step states its
 * time budget and where the figure comes from; the steps within the RTO must fit in it.
 */
import { Problems } from "../../components/core/validation";
import type { DrPosture } from "@platform/disaster-recovery";

export type Direction = "failover" | "failback";

/** The standby's `standby` stack output. */
export interface StandbyOutputs {
  readonly stack: string;
  readonly region: string;
  readonly state: "passive" | "active";
  readonly primaryStack: string;
  readonly primary: DrPosture;
  readonly replicaIdentifiers: readonly string[];
  readonly endpoint: string;
}

export interface TimedStep {
  readonly title: string;
  readonly region: string;
  readonly commands: readonly string[];
  readonly budgetMinutes: number;
  /** Counted against the RTO: traffic is not served until it is done. */
  readonly withinRto: boolean;
  /** Where the budget comes from. */
  readonly source: string;
}

export interface TimedPlan {
  readonly direction: Direction;
  readonly primaryStack: string;
  readonly standbyStack: string;
  readonly rtoMinutes: number;
  readonly steps: readonly TimedStep[];
  /** Sum of the budgets of the steps within the RTO. */
  readonly withinRtoMinutes: number;
  readonly totalMinutes: number;
}

/**
 * Budgets, in minutes. Route 53's is computed from the health check's settings; AWS publishes no
 * figure for promotion, node launch or a Velero restore, so those are budgets the drills check:
 * the standby's hourly restore drill times a restore of the newest hourly backup, and
 * `npm run dr:plan -- <primary outputs> --scenario drill` times a restore of the database.
 */
export const BUDGETS = {
  dnsFailover: {
    minutes: 2,
    source:
      "Route 53: 3 failed checks 10 s apart + 60 s TTL = 90 s (components/disaster-recovery/failover.ts; https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html)",
  },
  promotion: {
    minutes: 10,
    source:
      'budget; RDS: promotion "can take several minutes or longer ... depending on the size of the read replica" (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Promote.html); rehearse with the drill scenario',
  },
  workloadPool: {
    minutes: 5,
    source:
      "budget: EC2 launch and node join for the managed node group and Karpenter's first nodes; check in a game day",
  },
  restore: {
    minutes: 10,
    source:
      "budget: Velero restore of the newest hourly backup; the standby's hourly drill (dr-restore-drill) restores one every hour and Velero reports its duration",
  },
  verify: {
    minutes: 2,
    source: "budget: resolve the failover name and request the health-check path",
  },
} as const;

type Budgets = { readonly [K in keyof typeof BUDGETS]: { minutes: number; source: string } };

/** The standby output inside a stack's outputs, checked for what the plan reads. */
export function readStandby(outputs: unknown): StandbyOutputs {
  const problems = new Problems();
  const standby = ((outputs ?? {}) as Record<string, unknown>).standby as
    Record<string, unknown> | undefined;
  for (const key of [
    "stack",
    "region",
    "primaryStack",
    "primary",
    "replicaIdentifiers",
    "endpoint",
  ]) {
    problems.check(
      standby?.[key] !== undefined,
      `outputs.standby.${key}`,
      standby?.[key],
      "be present (pass `pulumi stack output --json` of a standby stack, e.g. prod-us-east-1)",
    );
  }
  problems.throwIfAny("Standby stack outputs");
  return standby as unknown as StandbyOutputs;
}

function step(
  title: string,
  region: string,
  commands: string[],
  budget: { minutes: number; source: string },
  withinRto: boolean,
): TimedStep {
  return {
    title,
    region,
    commands,
    budgetMinutes: budget.minutes,
    withinRto,
    source: budget.source,
  };
}

export function failoverPlan(
  s: StandbyOutputs,
  direction: Direction,
  budgets: Budgets = BUDGETS,
): TimedPlan {
  const p = s.primary;
  const f = p.failover;
  const r = `--region ${s.region}`;
  const replicas = s.replicaIdentifiers;
  const steps: TimedStep[] =
    direction === "failover"
      ? [
          step(
            "Confirm the primary region is lost and Route 53 answers with the standby",
            "global",
            [
              `aws route53 get-health-check-status --health-check-id ${f.healthCheckId}`,
              `dig +short ${f.recordName} CNAME  # ${s.endpoint} once failed over`,
            ],
            budgets.dnsFailover,
            true,
          ),
          step(
            "Promote the replica, scale the workload pool, restore: one config change",
            s.region,
            [
              `pulumi config set platform:standbyState active --stack ${s.stack}`,
              `pulumi up --stack ${s.stack} --policy-pack policy-pack --policy-pack-config policy-pack/config/${s.stack}.json --yes`,
              ...replicas.map(
                (id) => `aws rds wait db-instance-available --db-instance-identifier ${id} ${r}`,
              ),
            ],
            budgets.promotion,
            true,
          ),
          step(
            "Workload pool up (configured sizes; Karpenter adds nodes for the restored pods)",
            s.region,
            ["kubectl get nodes -l platform/node-pool=workloads --watch"],
            budgets.workloadPool,
            true,
          ),
          step(
            "Restore the newest hourly backup (created by the up: Restore velero/failover)",
            s.region,
            [
              "velero restore describe failover --details",
              "kubectl -n velero wait --for=jsonpath='{.status.phase}'=Completed restore/failover --timeout=10m",
            ],
            budgets.restore,
            true,
          ),
          step(
            "Verify traffic is served from the standby",
            "global",
            [
              `curl -fsS https://${f.recordName}/healthz`,
              `curl -fsS https://${s.endpoint}/healthz`,
            ],
            budgets.verify,
            true,
          ),
        ]
      : [
          step(
            "Rebuild the primary region once it is back (same program, its own stack)",
            p.region,
            [`pulumi up --stack ${s.primaryStack}  # recreates what the outage destroyed`],
            {
              minutes: 60,
              source: "outside the RTO: the region is back, traffic is served by the standby",
            },
            false,
          ),
          step(
            "Copy the data back: a replica of the promoted instance in the primary region",
            p.region,
            replicas.map(
              (id) =>
                `aws rds create-db-instance-read-replica --db-instance-identifier ${id}-failback --source-db-instance-identifier arn:aws:rds:${s.region}:<account>:db:${id} --kms-key-id <the primary's data key> --region ${p.region}`,
            ),
            { minutes: 120, source: "outside the RTO: grows with the database's size" },
            false,
          ),
          step(
            "Switch writes back in a maintenance window: promote the failback replica, point the primary's data tier at it",
            p.region,
            replicas.map(
              (id) =>
                `aws rds promote-read-replica --db-instance-identifier ${id}-failback --backup-retention-period 14 --region ${p.region}`,
            ),
            budgets.promotion,
            false,
          ),
          step(
            "Return the standby to passive: a fresh replica of the primary",
            s.region,
            [
              ...replicas.map(
                (_id, i) =>
                  `pulumi state unprotect --stack ${s.stack} 'urn:pulumi:${s.stack}::platform::platform:disaster-recovery:StandbyRecovery$aws:rds/instance:Instance::dr-standby-${p.databases[i]?.name ?? "postgres"}-replica'  # after checking the failback copy: the promoted instance makes way for a new replica`,
              ),
              `pulumi config set platform:standbyState passive --stack ${s.stack}`,
              `pulumi up --stack ${s.stack}`,
            ],
            {
              minutes: 60,
              source: "outside the RTO: a new cross-region replica copies the whole database",
            },
            false,
          ),
        ];
  const within = steps.filter((x) => x.withinRto).reduce((sum, x) => sum + x.budgetMinutes, 0);
  return {
    direction,
    primaryStack: s.primaryStack,
    standbyStack: s.stack,
    rtoMinutes: p.objectives.rtoMinutes,
    steps,
    withinRtoMinutes: within,
    totalMinutes: steps.reduce((sum, x) => sum + x.budgetMinutes, 0),
  };
}

/** The problem when the steps within the RTO exceed it, or undefined. */
export function rtoExceeded(plan: TimedPlan): string | undefined {
  return plan.withinRtoMinutes > plan.rtoMinutes
    ? `the steps within the RTO take ${plan.withinRtoMinutes} min, over the ${plan.rtoMinutes}-minute RTO`
    : undefined;
}

export function renderTimedPlan(plan: TimedPlan): string {
  const lines = [
    `# ${plan.direction === "failover" ? "Failover" : "Failback"}: ${plan.primaryStack} <-> ${plan.standbyStack}`,
  ];
  plan.steps.forEach((s, i) => {
    lines.push(
      "",
      `## ${i + 1}. ${s.title} (${s.region}) - ${s.budgetMinutes} min${s.withinRto ? " within the RTO" : ""}`,
    );
    for (const c of s.commands) lines.push(`    ${c}`);
    lines.push(`- Budget: ${s.source}`);
  });
  lines.push(
    "",
    `Total: ${plan.totalMinutes} min; within the RTO: ${plan.withinRtoMinutes} of ${plan.rtoMinutes} min.`,
  );
  return `${lines.join("\n")}\n`;
}
