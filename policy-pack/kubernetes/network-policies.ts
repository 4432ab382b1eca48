/** Namespaces: every application namespace has a default-deny NetworkPolicy (a stack rule). */
import { NAMESPACE } from "@platform/model";
import { configProperty, stackPolicy } from "../lib/policy";
import { namespaceKey, ownNamespaceKey, StackIndex, type StackResource } from "../lib/stack-index";
import { asArray, isObject, label } from "../lib/values";

const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

function isDefaultDeny(np: StackResource, requireEgress: boolean): boolean {
  const spec = np.props.spec ?? {};
  const selector = spec.podSelector ?? {};
  const selectsAll =
    isObject(selector) &&
    Object.keys(selector.matchLabels ?? {}).length === 0 &&
    asArray(selector.matchExpressions).length === 0;
  const types = asArray<string>(spec.policyTypes);
  const deniesIngress = types.includes("Ingress") && asArray(spec.ingress).length === 0;
  const deniesEgress = types.includes("Egress") && asArray(spec.egress).length === 0;
  return selectsAll && deniesIngress && (!requireEgress || deniesEgress);
}

export const defaultDenyNetworkPolicy = stackPolicy({
  name: "namespace-default-deny-network-policy",
  description: "Checks that every application namespace has a default-deny NetworkPolicy.",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [NAMESPACE, NETWORK_POLICY],
  controls: { cisEks: ["4.3.2"] },
  config: {
    applicationLabel: {
      type: "string",
      default: "pod-security.kubernetes.io/enforce=restricted",
      description: "Label (key=value) that marks an application namespace.",
    },
    requireEgress: configProperty.boolean(
      false,
      "Also require the default-deny policy to deny egress.",
    ),
  },
  validate: ({ args, config, report }) => {
    const index = new StackIndex(args.resources);
    const [key, value] = config.applicationLabel.split("=");
    const appNamespaces = index
      .of(NAMESPACE)
      .filter((n) => n.props.metadata?.labels?.[key] === value);
    if (appNamespaces.length === 0) return;
    const covered = new Set(
      index
        .of(NETWORK_POLICY)
        .filter((np) => isDefaultDeny(np, config.requireEgress))
        .map((np) => namespaceKey(index, np)),
    );
    for (const n of appNamespaces) {
      if (!covered.has(ownNamespaceKey(n))) {
        report(
          `${label("Namespace", n.name)} must have a default-deny NetworkPolicy: create one in it with podSelector: {} and policyTypes: ["Ingress", "Egress"], then allow the traffic it needs.`,
          n.urn,
        );
      }
    }
  },
});

export const networkPolicyPolicies = [defaultDenyNetworkPolicy];
