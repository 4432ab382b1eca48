/**
 * Runs a Pulumi program under the SDK's mock engine and records every registration exactly as the
 * engine would receive it: inputs in wire form, parent, provider, dependencies, and the resource
 * options that matter for safety. `setMocks` alone hides the options from `newResource`; this
 * monitor reads them from the full RegisterResourceRequest.
 */
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { plausibleOutputs, MockContext } from "./outputs";
import { SECRET_SIG, SIG_KEY, wireSecret } from "./wire";

/* eslint-disable @typescript-eslint/no-require-imports */
const { MockMonitor } = require("@pulumi/pulumi/runtime/mocks");
const settings = require("@pulumi/pulumi/runtime/settings");
const rpc = require("@pulumi/pulumi/runtime/rpc");
const structproto = require("google-protobuf/google/protobuf/struct_pb");
const resproto = require("@pulumi/pulumi/proto/resource_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

import type {
  RegisterResourceOutputsRequest,
  RegisterResourceRequest,
} from "@pulumi/pulumi/proto/resource_pb";

export * from "./wire";
export { MockContext } from "./outputs";

export interface RecordedOptions {
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly ignoreChanges: readonly string[];
  readonly deleteBeforeReplace: boolean;
  readonly replaceOnChanges: readonly string[];
  readonly additionalSecretOutputs: readonly string[];
  readonly aliases: readonly string[];
  readonly customTimeouts?: {
    readonly create?: string;
    readonly update?: string;
    readonly delete?: string;
  };
}

export interface RecordedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  /** Multi-language (remote) component, e.g. `eks:index:Cluster`. */
  readonly remote: boolean;
  readonly parent?: string;
  /** Provider reference as the engine receives it: `<provider urn>::<provider id>`. */
  readonly provider?: string;
  readonly dependencies: readonly string[];
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  /** Inputs in wire form: secrets as signature objects, unknowns as the unknown sentinel. */
  readonly inputs: Record<string, unknown>;
  readonly options: RecordedOptions;
  readonly id?: string;
  /**
   * The state the engine would hold after the step, in wire form (what AnalyzeStack receives):
   * plausible outputs, or on a first deploy only what the program set.
   */
  readonly outputs?: Record<string, unknown>;
}

export type InvokeMock = (
  inputs: Record<string, unknown>,
  ctx: MockContext,
) => Record<string, unknown>;

/**
 * The ID the mock gives an AWS-managed prefix list looked up by name: made up, one per name (real
 * IDs differ per region), so that tests can tell which list a rule references.
 */
export function mockPrefixListId(name: string): string {
  return `pl-${createHash("sha256").update(name).digest("hex").slice(0, 17)}`;
}

/** Every provider function the platform calls, mocked explicitly; anything else fails loudly. */
export const INVOKES: Record<string, InvokeMock> = {
  "aws:index/getAvailabilityZones:getAvailabilityZones": (_inputs, ctx) => {
    const suffixes = ["a", "b", "c", "d"];
    return {
      id: ctx.region,
      names: suffixes.map((s) => `${ctx.region}${s}`),
      zoneIds: suffixes.map((_s, i) => `${ctx.region.replace(/-/g, "").slice(0, 4)}-az${i + 1}`),
      state: "available",
    };
  },
  "aws:index/getCallerIdentity:getCallerIdentity": (_inputs, ctx) => ({
    accountId: ctx.accountId,
    arn: `arn:aws:iam::${ctx.accountId}:role/platform-deployer`,
    id: ctx.accountId,
    userId: "AROAEXAMPLEDEPLOYER",
  }),
  "aws:eks/getCluster:getCluster": (inputs, ctx) => {
    const name = String(inputs.name);
    return {
      id: name,
      name,
      arn: `arn:aws:eks:${ctx.region}:${ctx.accountId}:cluster/${name}`,
      status: "ACTIVE",
      vpcConfig: {
        clusterSecurityGroupId: `sg-0${Buffer.from(name).toString("hex").slice(0, 16)}`,
        endpointPrivateAccess: true,
        endpointPublicAccess: false,
        publicAccessCidrs: [],
        securityGroupIds: [],
        subnetIds: [],
        vpcId: "",
      },
    };
  },
  "aws:ec2/getManagedPrefixList:getManagedPrefixList": (inputs, ctx) => {
    const name = String(inputs.name);
    const id = mockPrefixListId(name);
    return {
      id,
      name,
      arn: `arn:aws:ec2:${ctx.region}:aws:prefix-list/${id}`,
      addressFamily: "IPv4",
      ownerId: "AWS",
      entries: [],
      filters: [],
      maxEntries: 0,
      tags: {},
      version: 1,
    };
  },
  "aws:index/getPartition:getPartition": () => ({
    partition: "aws",
    dnsSuffix: "amazonaws.com",
    id: "aws",
  }),
};

export interface MockEngineOptions {
  /**
   * The organization `pulumi.getOrganization()` returns (StackReference names start with it).
   * @default "organization" - the name the DIY backends use
   */
  readonly organization?: string;
  readonly project: string;
  readonly stack: string;
  readonly context: MockContext;
  /** Program config, e.g. `{ "aws:region": "us-west-2", "platform:vpcCidr": "10.10.0.0/16" }`. */
  readonly config: Record<string, string>;
  readonly secretKeys?: readonly string[];
  /**
   * Model a first `pulumi preview`: the program runs as a preview and outputs the cloud computes
   * reach dependents (and the policy pack) as unknowns.
   * @default false - outputs are plausible values, as on an update of a deployed stack
   */
  readonly firstDeploy?: boolean;
  /**
   * Called with each registration as it is recorded, while the program still runs (the engine
   * analyzes each resource then; the offline preview streams them to the policy pack).
   */
  readonly onRegister?: (resource: RecordedResource) => void;
  /**
   * Outputs (wire form) of the stacks the program reads through `pulumi.StackReference`, by stack
   * name: a run of the referenced stack's own program (see tools/testing and the preview), never
   * hand-written values. A reference to a stack not in here fails the run.
   * @default {}
   */
  readonly stackOutputs?: Readonly<Record<string, Record<string, unknown>>>;
}

export interface ProgramRun {
  readonly resources: RecordedResource[];
  /** Stack outputs in wire form: secrets as signature objects (see `displayValue`). */
  readonly outputs: Record<string, unknown>;
}

class RecordingMonitor extends MockMonitor {
  readonly recorded: RecordedResource[] = [];
  /** Region of each explicit aws provider, by URN. */
  private readonly providerRegions = new Map<string, string>();
  /** The root stack's outputs in wire form, so secret outputs stay marked secret. */
  stackOutputs: Record<string, unknown> = {};

  constructor(private readonly engine: MockEngineOptions) {
    super({
      newResource: () => {
        throw new Error("unreachable: RecordingMonitor registers resources itself");
      },
      call: (args: pulumi.runtime.MockCallArgs) => {
        const mock = INVOKES[args.token];
        if (mock === undefined) {
          throw new Error(
            `mock engine: no mock for provider function ${args.token}; add one to tools/mock-engine INVOKES`,
          );
        }
        return mock(args.inputs, engine.context);
      },
    });
  }

  registerResourceOutputs(
    req: RegisterResourceOutputsRequest,
    callback: (err: unknown, resp?: unknown) => void,
  ): void {
    if (req.getUrn().split("::")[2] === "pulumi:pulumi:Stack") {
      this.stackOutputs = req.getOutputs()?.toJavaScript() ?? {};
    }
    super.registerResourceOutputs(req, callback);
  }

  /** A `pulumi.StackReference` reads the referenced stack's outputs; no other resource is read. */
  async readResource(
    req: {
      getType(): string;
      getName(): string;
      getParent(): string;
      getProperties(): { toJavaScript(): Record<string, unknown> } | undefined;
    },
    callback: (err: unknown, resp?: unknown) => void,
  ): Promise<void> {
    try {
      const type = req.getType();
      if (type !== "pulumi:pulumi:StackReference") {
        throw new Error(`mock engine: reading an existing ${type} is not modelled`);
      }
      // `<organization>/<project>/<stack>`, `<project>/<stack>` or `<stack>`.
      const referenced = String(req.getProperties()?.toJavaScript().name ?? "");
      const stack = referenced.split("/").pop() ?? "";
      const outputs = this.engine.stackOutputs?.[stack];
      if (outputs === undefined) {
        throw new Error(
          `mock engine: stack ${this.engine.stack} references stack ${referenced}, whose outputs were not given (run that stack's program first and pass its outputs as stackOutputs)`,
        );
      }
      const urn = this.newUrn(req.getParent(), type, req.getName());
      const state = { name: referenced, outputs, secretOutputNames: [] };
      const response = new resproto.ReadResourceResponse();
      response.setUrn(urn);
      response.setProperties(structproto.Struct.fromJavaScript(state));
      callback(null, response);
    } catch (err) {
      callback(err, undefined);
    }
  }

  /** URNs as the engine builds them: the root stack's type is not part of its children's type chain. */
  newUrn(parent: string, type: string, name: string): string {
    const parentType = parent ? (parent.split("::")[2]?.split("$").pop() ?? "") : "";
    const qualified =
      parent && parentType !== "pulumi:pulumi:Stack" ? `${parent.split("::")[2]}$${type}` : type;
    return `urn:pulumi:${this.engine.stack}::${this.engine.project}::${qualified}::${name}`;
  }

  async registerResource(
    req: RegisterResourceRequest,
    callback: (err: unknown, resp?: unknown) => void,
  ): Promise<void> {
    try {
      const type: string = req.getType();
      const name: string = req.getName();
      const parent: string = req.getParent();
      const urn = this.newUrn(parent, type, name);
      const wireInputs: Record<string, unknown> = req.getObject()?.toJavaScript() ?? {};
      const propertyDependencies: Record<string, string[]> = {};
      req.getPropertydependenciesMap().forEach((deps: { getUrnsList(): string[] }, key: string) => {
        propertyDependencies[key] = deps.getUrnsList();
      });
      const timeouts = req.getCustomtimeouts();
      const additionalSecretOutputs: string[] = req.getAdditionalsecretoutputsList();
      const options: RecordedOptions = {
        protect: req.getProtect() === true,
        retainOnDelete: req.getRetainondelete() === true,
        ignoreChanges: req.getIgnorechangesList(),
        deleteBeforeReplace: req.getDeletebeforereplace() === true,
        replaceOnChanges: req.getReplaceonchangesList(),
        additionalSecretOutputs,
        aliases: req.getAliasurnsList(),
        ...(timeouts && (timeouts.getCreate() || timeouts.getUpdate() || timeouts.getDelete())
          ? {
              customTimeouts: {
                create: timeouts.getCreate(),
                update: timeouts.getUpdate(),
                delete: timeouts.getDelete(),
              },
            }
          : {}),
      };
      const inputs = rpc.deserializeProperties(req.getObject());
      // Resources of an explicit aws provider for another region (the DR peer) get ARNs there.
      const providerUrn = String(req.getProvider() ?? "").replace(/::[^:]*$/, "");
      const region = this.providerRegions.get(providerUrn) ?? this.engine.context.region;
      if (type === "pulumi:providers:aws" && typeof inputs.region === "string") {
        this.providerRegions.set(urn, inputs.region);
      }
      const computed = plausibleOutputs(type, name, inputs, { ...this.engine.context, region });
      const firstDeploy = this.engine.firstDeploy === true;
      // On a first deploy only what the program itself set is known.
      const state: Record<string, unknown> = firstDeploy ? { ...inputs } : { ...computed.state };
      for (const key of additionalSecretOutputs) {
        // An input the program already made secret stays one secret, not a secret in a secret.
        const value = state[key] as Record<string, unknown> | undefined;
        const alreadySecret = value?.[SIG_KEY] === SECRET_SIG;
        if (key in state && !alreadySecret) state[key] = wireSecret(state[key]);
      }
      const id = firstDeploy ? undefined : computed.id;
      const record: RecordedResource = {
        urn,
        type,
        name,
        custom: req.getCustom(),
        remote: req.getRemote(),
        ...(parent ? { parent } : {}),
        ...(req.getProvider() ? { provider: req.getProvider() } : {}),
        dependencies: req.getDependenciesList(),
        propertyDependencies,
        inputs: wireInputs,
        options,
        ...(id !== undefined ? { id } : {}),
      };
      // Recorded before the await, so the order is the program's registration order.
      this.recorded.push(record);
      this.engine.onRegister?.(record);
      const serializedState = await rpc.serializeProperties("", state);
      Object.assign(record, { outputs: serializedState });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      (this as any).resources.set(urn, { urn, id: id ?? null, state: serializedState });
      const response = new resproto.RegisterResourceResponse();
      response.setUrn(urn);
      response.setId(id ?? "");
      response.setObject(structproto.Struct.fromJavaScript(serializedState));
      callback(null, response);
    } catch (err) {
      callback(err, undefined);
    }
  }
}

/**
 * Runs `program` as the engine would (inside a root `pulumi:pulumi:Stack`) against a recording
 * mock monitor. Runs are sequential: the Pulumi runtime keeps global state.
 */
export async function runProgram(
  program: () => Promise<unknown>,
  engine: MockEngineOptions,
): Promise<ProgramRun> {
  const preview = engine.firstDeploy === true;
  await pulumi.runtime.setMocks(
    {
      newResource: () => {
        throw new Error("unreachable");
      },
      call: () => {
        throw new Error("unreachable");
      },
    },
    engine.project,
    engine.stack,
    preview,
    engine.organization ?? "organization",
  );
  const monitor = new RecordingMonitor(engine);
  settings.setMockOptions(
    monitor,
    engine.project,
    engine.stack,
    preview,
    engine.organization ?? "organization",
  );
  pulumi.runtime.setAllConfig({ ...engine.config }, [...(engine.secretKeys ?? [])]);
  await pulumi.runtime.runInPulumiStack(async () => (await program()) ?? {});
  // Registrations still in flight when the program returns finish before the run counts as done.
  await settings.waitForRPCs();
  return { resources: monitor.recorded, outputs: monitor.stackOutputs };
}
