/**
 * Building Analyzer resources for the pack's tests: URNs, the providers, a resource of the test stack,
 * and the one-change edits (`change`, `withOptions`, `withDeps`) cases make to a happy-path resource.
 */
import type {
  AnalyzerProvider,
  AnalyzerResource,
  AnalyzerResourceOptions,
} from "../../tools/analyzer";

const STACK = "prod-us-west-2";
const PROJECT = "platform";
export const ACCOUNT = "111122223333";
export const KEY_ARN = `arn:aws:kms:us-west-2:${ACCOUNT}:key/0b7e4d3c-1a2b-4c5d-8e9f-0a1b2c3d4e5f`;

export function urn(type: string, name: string): string {
  return `urn:pulumi:${STACK}::${PROJECT}::${type}::${name}`;
}

export const awsProvider: AnalyzerProvider = {
  urn: urn("pulumi:providers:aws", "us-west-2"),
  type: "pulumi:providers:aws",
  name: "us-west-2",
  properties: {
    region: "us-west-2",
    // Generated providers JSON-encode object inputs, as the engine then receives them.
    defaultTags: JSON.stringify({
      tags: {
        "platform:stack": STACK,
        "platform:environment": "production",
        "platform:cost-center": "platform",
        "platform:owner": "platform-team",
      },
    }),
  },
};

export const k8sProvider: AnalyzerProvider = {
  urn: urn("pulumi:providers:kubernetes", "cluster"),
  type: "pulumi:providers:kubernetes",
  name: "cluster",
  properties: {},
};

export type Props = Record<string, unknown>;

export function resource(
  type: string,
  name: string,
  properties: Props,
  provider: AnalyzerProvider | undefined,
  options: AnalyzerResourceOptions = {},
): AnalyzerResource {
  return { urn: urn(type, name), type, name, properties, options, provider };
}

export const aws = (type: string, name: string, props: Props, options?: AnalyzerResourceOptions) =>
  resource(type, name, props, awsProvider, options);
export const k8s = (type: string, name: string, props: Props) =>
  resource(type, name, props, k8sProvider);
/** The option every stateful resource carries. */
export const PROTECT = { protect: true };

/** Returns a copy with the value at a dotted path replaced (`undefined` deletes it). */
export function change(r: AnalyzerResource, path: string, value: unknown): AnalyzerResource {
  const copy = structuredClone(r) as { properties: Props };
  const keys = path.split(".");
  let target: Props = copy.properties;
  for (const k of keys.slice(0, -1)) {
    if (typeof target[k] !== "object" || target[k] === null) target[k] = {};
    target = target[k] as Props;
  }
  const last = keys[keys.length - 1];
  if (value === undefined) delete target[last];
  else target[last] = value;
  return copy as unknown as AnalyzerResource;
}

export function withOptions(
  r: AnalyzerResource,
  options: AnalyzerResourceOptions,
): AnalyzerResource {
  return { ...r, options: { ...r.options, ...options } };
}

export function withDeps(
  r: AnalyzerResource,
  deps: Record<string, AnalyzerResource[]>,
): AnalyzerResource {
  const propertyDependencies: Record<string, string[]> = {};
  for (const [k, rs] of Object.entries(deps)) propertyDependencies[k] = rs.map((d) => d.urn);
  return { ...r, propertyDependencies, dependencies: Object.values(propertyDependencies).flat() };
}

/** An IAM-style policy document, JSON-encoded as resources carry it. */
export const policyDocument = (statements: unknown[]) =>
  JSON.stringify({ Version: "2012-10-17", Statement: statements });
