/**
 * The price table and the estimator: lookups, Multi-AZ, spot and Valkey discounts, storage
 * classes, unknown types and prices, and the budget and assumptions a stack publishes.
 */
import * as assert from "assert";
import { DEFAULT_COST_ASSUMPTIONS, parseAssumptions } from "./assumptions";
import {
  CostResource,
  estimateCost,
  parseQuantityGiB,
  priceResource,
  storageClassShares,
  typeStatus,
  x86Equivalent,
} from "./estimate";
import { lookupPrice, PRICE_TABLE } from "./price-table";
import { estimateStack, findBudget, fromRecordedResources, unwrapSecrets } from "./stack-estimate";

const HOURS = 730;
const STACK_REGIONS = ["us-west-2", "us-east-1", "eu-west-1", "eu-central-1"];

function resource(type: string, name: string, inputs: Record<string, unknown>): CostResource {
  return { urn: `urn:pulumi:s::p::${type}::${name}`, type, name, inputs, region: "us-east-1" };
}

function close(actual: number, expected: number, message?: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-6, `${message ?? ""} ${actual} != ${expected}`);
}

describe("cost price table", () => {
  it("prices every item in every region the stacks use, each with a known source and a date", () => {
    const problems: string[] = [];
    for (const [key, item] of Object.entries(PRICE_TABLE.prices)) {
      for (const region of STACK_REGIONS) {
        const price = item.regions[region];
        if (!price) {
          problems.push(`${key} has no ${region} price`);
          continue;
        }
        if (!(price.usd >= 0)) problems.push(`${key} ${region}: usd ${price.usd}`);
        if (PRICE_TABLE.sources[price.source] === undefined)
          problems.push(`${key} ${region}: unknown source ${price.source}`);
        if (!/^\d{4}-\d{2}(-\d{2})?$/.test(price.date))
          problems.push(`${key} ${region}: date ${price.date}`);
      }
    }
    assert.deepStrictEqual(problems, []);
  });

  it("looks up the listed us-east-1 price and marks a derived regional price as estimated", () => {
    const east = lookupPrice("ec2:m7g.xlarge", "us-east-1")!;
    assert.strictEqual(east.usd, 0.1632);
    assert.strictEqual(east.source, "karpenter-pricing");
    assert.strictEqual(east.estimated, undefined);
    const ireland = lookupPrice("ec2:m7g.xlarge", "eu-west-1")!;
    close(ireland.usd, 0.1632 * 1.115);
    assert.match(ireland.estimated ?? "", /multiplier/);
    // A regional figure that was found is not estimated.
    assert.strictEqual(lookupPrice("vpc:nat-gateway", "eu-west-1")?.usd, 0.048);
    assert.strictEqual(lookupPrice("vpc:nat-gateway", "eu-west-1")?.estimated, undefined);
    assert.strictEqual(lookupPrice("ec2:m7g.xlarge", "ap-south-1"), undefined);
    assert.strictEqual(lookupPrice("ec2:x9z.huge", "us-east-1"), undefined);
  });
});

describe("cost estimator", () => {
  it("doubles instance hours and storage of a Multi-AZ RDS instance, and adds its managed secret", () => {
    const single = priceResource(
      resource("aws:rds/instance:Instance", "db", {
        instanceClass: "db.r7g.large",
        engine: "postgres",
        allocatedStorage: 100,
        multiAz: false,
      }),
    );
    const multi = priceResource(
      resource("aws:rds/instance:Instance", "db", {
        instanceClass: "db.r7g.large",
        engine: "postgres",
        allocatedStorage: 100,
        multiAz: true,
        manageMasterUserPassword: true,
      }),
    );
    close(single.monthly, 0.239 * HOURS + 100 * 0.115);
    close(multi.monthly, 2 * 0.239 * HOURS + 2 * 100 * 0.115 + 0.4);
    assert.strictEqual(multi.status, "priced");
  });

  it("prices a weekly RDS restore test as the restored instance's hours, for backed-up instances only", () => {
    const selection = resource("aws:backup/restoreTestingSelection:RestoreTestingSelection", "rt", {
      protectedResourceType: "RDS",
      validationWindowHours: 1,
    });
    const enrolled = resource("aws:rds/instance:Instance", "db", {
      instanceClass: "db.r7g.large",
      tags: { "platform:backup": "true" },
    });
    const notEnrolled = resource("aws:rds/instance:Instance", "replica", {
      instanceClass: "db.r7g.large",
    });
    const estimate = estimateCost([selection, enrolled, notEnrolled]);
    const line = estimate.byResource.find((l) => l.name === "rt")!;
    assert.strictEqual(line.status, "priced");
    close(line.monthly, 0.239 * 2 * 4.33);
    const plan = priceResource(
      resource("aws:backup/restoreTestingPlan:RestoreTestingPlan", "plan", {}),
    );
    assert.strictEqual(plan.monthly, 0);
  });

  it("prices a read replica's storage from its source instance", () => {
    const primary = resource("aws:rds/instance:Instance", "primary", {
      instanceClass: "db.r7g.large",
      allocatedStorage: 200,
    });
    const replica: CostResource = {
      ...resource("aws:rds/instance:Instance", "replica", {
        instanceClass: "db.r7g.large",
        replicateSourceDb: "primary-id",
      }),
      propertyDependencies: { replicateSourceDb: [primary.urn] },
    };
    const line = estimateCost([primary, replica]).byResource.find((l) => l.name === "replica")!;
    close(line.monthly, 0.239 * HOURS + 200 * 0.115);
  });

  it("prices a spot pool at the mean of its types less the regional discount, on-demand at the first type", () => {
    const group = (capacityType: string) =>
      ({
        ...resource("aws:eks/nodeGroup:NodeGroup", "workloads", {
          capacityType,
          instanceTypes: ["m6i.xlarge", "m7i.xlarge"],
          scalingConfig: { minSize: 1, maxSize: 9, desiredSize: 4 },
          diskSize: 50,
        }),
        region: "us-west-2",
      }) as CostResource;
    const volumes = 4 * 50 * 0.08;
    const spot = priceResource(group("SPOT"));
    const mean = (0.192 + 0.2016) / 2;
    close(spot.monthly, 4 * mean * HOURS * (1 - 0.65) + volumes, "spot");
    const onDemand = priceResource(group("ON_DEMAND"));
    close(onDemand.monthly, 4 * 0.192 * HOURS + volumes, "on-demand");
    // The benchmark's comparison prices every pool on-demand and x86.
    const x86 = estimateCost([group("SPOT")], { onDemandX86: true });
    close(x86.monthly, onDemand.monthly);
  });

  it("reads node volumes from the node group's launch template", () => {
    const template = resource("aws:ec2/launchTemplate:LaunchTemplate", "lt", {
      blockDeviceMappings: [
        { deviceName: "/dev/xvda", ebs: { volumeSize: 100, volumeType: "gp3", iops: 4000 } },
      ],
    });
    const group: CostResource = {
      ...resource("aws:eks/nodeGroup:NodeGroup", "system", {
        capacityType: "ON_DEMAND",
        instanceTypes: ["m7g.xlarge"],
        scalingConfig: { desiredSize: 3 },
      }),
      propertyDependencies: { launchTemplate: [template.urn] },
    };
    const line = estimateCost([template, group]).byResource[0];
    close(line.monthly, 3 * 0.1632 * HOURS + 3 * 100 * 0.08 + 3 * 1000 * 0.005);
  });

  it("prices the EKS control plane once, on the engine's child cluster when it sees one", () => {
    const component = resource("eks:index:Cluster", "cluster-eks", {});
    const child: CostResource = {
      ...resource("aws:eks/cluster:Cluster", "cluster-eks-eksCluster", {}),
      urn: "urn:pulumi:s::p::platform:cluster:Cluster$eks:index:Cluster$aws:eks/cluster:Cluster::cluster-eks-eksCluster",
    };
    close(estimateCost([component]).monthly, 0.1 * HOURS);
    close(estimateCost([component, child]).monthly, 0.1 * HOURS);
  });

  it("prices a scheduled FIS experiment per action-minute of a monthly run; a template alone is free", () => {
    const template = resource("aws:fis/experimentTemplate:ExperimentTemplate", "az", {
      actions: [
        {
          actionId: "aws:ec2:stop-instances",
          parameters: [{ key: "startInstancesAfterDuration", value: "PT15M" }],
        },
        {
          actionId: "aws:network:disrupt-connectivity",
          parameters: [
            { key: "duration", value: "PT15M" },
            { key: "scope", value: "all" },
          ],
        },
        {
          actionId: "aws:rds:reboot-db-instances",
          parameters: [{ key: "forceFailover", value: "true" }],
        },
        {
          actionId: "aws:ec2:send-spot-instance-interruptions",
          parameters: [{ key: "durationBeforeInterruption", value: "PT2M" }],
        },
      ],
    });
    const schedule = (expression: string, state = "ENABLED"): CostResource => ({
      ...resource("aws:scheduler/schedule:Schedule", "az-monthly", {
        scheduleExpression: expression,
        state,
      }),
      propertyDependencies: { target: [template.urn] },
    });
    assert.strictEqual(typeStatus("aws:fis/experimentTemplate:ExperimentTemplate"), "free");
    // 15 + 15 + 1 (a reboot acts once: a minute) + 2 = 33 action-minutes at $0.10.
    close(estimateCost([template, schedule("cron(0 10 ? * TUE#2 *)")]).monthly, 3.3);
    close(estimateCost([template, schedule("cron(0 10 15 * ? *)")]).monthly, 3.3);
    close(estimateCost([template, schedule("cron(0 10 ? * TUE#2 *)", "DISABLED")]).monthly, 0);
    const weekly = estimateCost([template, schedule("cron(0 10 ? * TUE *)")]);
    assert.deepStrictEqual(
      weekly.unknown.map((l) => l.notes.join("; ")),
      ["only monthly schedules are modelled (got cron(0 10 ? * TUE *))"],
    );
  });

  it("maps Graviton types to their x86 siblings", () => {
    assert.strictEqual(x86Equivalent("m7g.xlarge"), "m7i.xlarge");
    assert.strictEqual(x86Equivalent("m6g.large"), "m6i.large");
    assert.strictEqual(x86Equivalent("c8g.2xlarge"), "c7i.2xlarge");
    assert.strictEqual(x86Equivalent("m6i.xlarge"), "m6i.xlarge");
  });

  it("counts every node of a sharded Valkey replication group, less the Valkey discount", () => {
    const line = priceResource(
      resource("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {
        nodeType: "cache.r7g.large",
        engine: "valkey",
        numNodeGroups: 3,
        replicasPerNodeGroup: 2,
      }),
    );
    close(line.monthly, 9 * 0.219 * HOURS * 0.8);
  });

  it("spreads bucket storage over the lifecycle's classes by the time objects spend in each", () => {
    const shares = storageClassShares([
      {
        status: "Enabled",
        transitions: [
          { days: 30, storageClass: "STANDARD_IA" },
          { days: 90, storageClass: "GLACIER" },
        ],
        expiration: { days: 365 },
      },
    ]);
    assert.deepStrictEqual(
      shares.map((s) => [s.storageClass, Math.round(s.share * 365)]),
      [
        ["STANDARD", 30],
        ["STANDARD_IA", 60],
        ["GLACIER", 275],
      ],
    );
    assert.deepStrictEqual(storageClassShares([]), [{ storageClass: "STANDARD", share: 1 }]);
  });

  it("prices interface endpoints per AZ and leaves gateway endpoints free", () => {
    const iface = priceResource(
      resource("aws:ec2/vpcEndpoint:VpcEndpoint", "sts", {
        vpcEndpointType: "Interface",
        subnetIds: ["a", "b", "c"],
      }),
    );
    close(
      iface.monthly,
      3 * 0.01 * HOURS + DEFAULT_COST_ASSUMPTIONS.interfaceEndpointDataGb * 0.01,
    );
    const gateway = priceResource(
      resource("aws:ec2/vpcEndpoint:VpcEndpoint", "s3", { vpcEndpointType: "Gateway" }),
    );
    assert.strictEqual(gateway.status, "free");
  });

  it("reports an unknown type and a missing price instead of pricing them at zero", () => {
    const estimate = estimateCost([
      resource("aws:opensearch/domain:Domain", "search", {}),
      resource("aws:ec2/instance:Instance", "odd", { instanceType: "x2iezn.12xlarge" }),
      resource("aws:iam/role:Role", "role", {}),
    ]);
    assert.deepStrictEqual(
      estimate.unknown.map((l) => l.name),
      ["odd", "search"],
    );
    assert.match(estimate.unknown.find((l) => l.name === "odd")!.notes.join(), /ec2:x2iezn/);
    assert.strictEqual(estimate.freeCount, 1);
    assert.strictEqual(typeStatus("aws:iam/role:Role"), "free");
    assert.strictEqual(typeStatus("platform:cluster:Cluster"), "free");
    assert.strictEqual(typeStatus("awsx:ec2:Vpc"), "unknown");
  });

  it("reports a resource in a region the table does not hold as unknown", () => {
    const line = priceResource({ ...resource("aws:kms/key:Key", "k", {}), region: "ap-south-1" });
    assert.strictEqual(line.status, "unknown");
  });

  it("parses Kubernetes storage quantities", () => {
    assert.strictEqual(parseQuantityGiB("50Gi"), 50);
    assert.strictEqual(parseQuantityGiB("1Ti"), 1024);
    assert.strictEqual(parseQuantityGiB("lots"), undefined);
  });
});

describe("cost of a stack", () => {
  const budget = (limit: string, tagged: boolean) =>
    resource("aws:budgets/budget:Budget", `budget-${limit}`, {
      name: `budget-${limit}`,
      budgetType: "COST",
      timeUnit: "MONTHLY",
      limitUnit: "USD",
      limitAmount: limit,
      ...(tagged ? { filterExpression: { tags: { key: "platform:stack", values: ["s"] } } } : {}),
    });

  it("takes the budget the stack declares for its own tag", () => {
    assert.strictEqual(findBudget([budget("100", false), budget("5000", true)])?.limitUsd, 5000);
    assert.strictEqual(findBudget([budget("300", false), budget("200", false)])?.limitUsd, 200);
    assert.strictEqual(findBudget([]), undefined);
  });

  it("prices with the assumptions the stack publishes, and names malformed ones", () => {
    const parameter = resource("aws:ssm/parameter:Parameter", "assumptions", {
      name: "/platform/s/cost-assumptions",
      type: "String",
      insecureValue: JSON.stringify({ ...DEFAULT_COST_ASSUMPTIONS, natGatewayDataGb: 0 }),
    });
    const nat = resource("aws:ec2/natGateway:NatGateway", "nat", {});
    const estimate = estimateStack([parameter, nat]);
    assert.strictEqual(estimate.assumptionsSource, "stack");
    close(estimate.monthly, 0.045 * HOURS);
    assert.deepStrictEqual(parseAssumptions('{"natGatewayDataGb": -1, "x": 1}').problems, [
      "natGatewayDataGb must be a non-negative number (got -1)",
      "x is not an assumption",
    ]);
  });

  it("reads recorded resources: region from the provider, secrets unwrapped", () => {
    const provider = {
      urn: "urn:pulumi:s::p::pulumi:providers:aws::eu",
      type: "pulumi:providers:aws",
      name: "eu",
      inputs: { region: "eu-central-1" },
      propertyDependencies: {},
    };
    const key = {
      urn: "urn:pulumi:s::p::aws:kms/key:Key::k",
      type: "aws:kms/key:Key",
      name: "k",
      provider: `${provider.urn}::id-1`,
      inputs: {},
      propertyDependencies: {},
    };
    const [, costKey] = fromRecordedResources([provider, key]);
    assert.strictEqual(costKey.region, "eu-central-1");
    assert.deepStrictEqual(
      unwrapSecrets({
        a: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: 1 },
      }),
      { a: 1 },
    );
  });
});
