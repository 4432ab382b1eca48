/**
 * Network exposure: no ingress from the whole internet except the public ports of load balancers,
 * whichever way the rule is written (inline security group rules, `ec2.SecurityGroupRule`,
 * `vpc.SecurityGroupIngressRule`), described rules, and subnets that do not hand out public IPs.
 * Two stack rules: world-open ports sit only on load balancers, and every VPC has a flow log.
 */
import { isUnknown, LOAD_BALANCERS, SUBNET } from "@platform/model";
import { configProperty, resourcePolicy, stackPolicy } from "../lib/policy";
import {
  dependencies,
  dependencyUrns,
  knownString,
  linkedTargets,
  StackIndex,
  type StackResource,
} from "../lib/stack-index";
import {
  asArray,
  containsUnknown,
  isAnywhere,
  label,
  undecidable,
  type Props,
} from "../lib/values";

const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const VPC_INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const VPC = "aws:ec2/vpc:Vpc";
const FLOW_LOG = "aws:ec2/flowLog:FlowLog";

const PUBLIC_PORTS_DEFAULT = [80, 443];

export interface IngressRule {
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly cidrs: readonly string[];
}

/** Rules with an unknown source or port cannot be judged; callers defer on them. */
export function worldOpenProblem(
  rule: IngressRule,
  publicPorts: readonly number[],
): string | undefined {
  const world = rule.cidrs.filter(isAnywhere);
  if (world.length === 0) return undefined;
  const protocol = String(rule.protocol).toLowerCase();
  const allProtocols = protocol === "-1" || protocol === "all";
  const onePublicPort =
    !allProtocols && rule.fromPort === rule.toPort && publicPorts.includes(rule.fromPort);
  if (onePublicPort) return undefined;
  const ports = allProtocols
    ? "all ports"
    : rule.fromPort === rule.toPort
      ? `${protocol} port ${rule.fromPort}`
      : `${protocol} ports ${rule.fromPort}-${rule.toPort}`;
  return `${ports} from ${world.join(", ")}`;
}

const publicPortsConfig = {
  publicPorts: {
    type: "array" as const,
    items: { type: "integer" as const },
    default: PUBLIC_PORTS_DEFAULT,
    description:
      "Ports that may be open to the internet (on load balancers; see world-ingress-only-on-load-balancers).",
  },
};

const openIngressControls = {
  checkov: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277"],
  trivy: ["AVD-AWS-0107"],
};

const fix =
  "restrict the source to the VPC or to known CIDRs, or put the service behind a load balancer that alone takes 80/443 from the internet";

export const securityGroupNoWorldIngress = resourcePolicy({
  name: "security-group-no-world-ingress",
  description:
    "Checks that inline security group ingress rules admit the internet only on public load balancer ports.",
  enforcementLevel: "mandatory",
  severity: "critical",
  resourceTypes: [SECURITY_GROUP],
  controls: openIngressControls,
  config: publicPortsConfig,
  validate: (r) => {
    for (const rule of asArray<Props>(r.props.ingress)) {
      if (containsUnknown(rule)) continue; // a computed source is never 0.0.0.0/0 typed in code
      const problem = worldOpenProblem(
        {
          protocol: rule.protocol,
          fromPort: rule.fromPort,
          toPort: rule.toPort,
          cidrs: [...asArray<string>(rule.cidrBlocks), ...asArray<string>(rule.ipv6CidrBlocks)],
        },
        r.config.publicPorts,
      );
      if (problem) {
        r.report(`${label("Security group", r.name)} must not allow ${problem}: ${fix}.`);
      }
    }
  },
});

export const securityGroupRuleNoWorldIngress = resourcePolicy({
  name: "security-group-rule-no-world-ingress",
  description:
    "Checks that security group rules (ec2.SecurityGroupRule) admit the internet only on public load balancer ports.",
  enforcementLevel: "mandatory",
  severity: "critical",
  resourceTypes: [SECURITY_GROUP_RULE],
  controls: openIngressControls,
  config: publicPortsConfig,
  validate: (r) => {
    const p = r.props;
    if (p.type !== "ingress") return;
    const cidrs = [...asArray<string>(p.cidrBlocks), ...asArray<string>(p.ipv6CidrBlocks)];
    if (cidrs.some(isUnknown)) return;
    const problem = worldOpenProblem(
      { protocol: p.protocol, fromPort: p.fromPort, toPort: p.toPort, cidrs },
      r.config.publicPorts,
    );
    if (problem)
      r.report(`${label("Security group rule", r.name)} must not allow ${problem}: ${fix}.`);
  },
});

export const vpcIngressRuleNoWorldIngress = resourcePolicy({
  name: "vpc-ingress-rule-no-world-ingress",
  description:
    "Checks that security group ingress rules (vpc.SecurityGroupIngressRule) admit the internet only on public load balancer ports.",
  enforcementLevel: "mandatory",
  severity: "critical",
  resourceTypes: [VPC_INGRESS_RULE],
  controls: openIngressControls,
  config: publicPortsConfig,
  validate: (r) => {
    const p = r.props;
    const cidrs = [p.cidrIpv4, p.cidrIpv6].filter((c) => c !== undefined);
    if (cidrs.some(isUnknown)) return;
    const problem = worldOpenProblem(
      { protocol: p.ipProtocol, fromPort: p.fromPort, toPort: p.toPort, cidrs },
      r.config.publicPorts,
    );
    if (problem)
      r.report(
        `${label("Security group ingress rule", r.name)} must not allow ${problem}: ${fix}.`,
      );
  },
});

export const securityGroupDescriptions = resourcePolicy({
  name: "security-group-descriptions",
  description: "Checks that security groups and their inline rules say what they are for.",
  enforcementLevel: "advisory",
  severity: "low",
  resourceTypes: [SECURITY_GROUP],
  controls: { checkov: ["CKV_AWS_23"], trivy: ["AVD-AWS-0099", "AVD-AWS-0124"] },
  validate: (r) => {
    const p = r.props;
    // The provider fills in "Managed by Pulumi" when no description is given.
    if (!p.description || p.description === "Managed by Pulumi") {
      r.report(`${label("Security group", r.name)} must describe its purpose: set description.`);
    }
    const rules = [...asArray<Props>(p.ingress), ...asArray<Props>(p.egress)];
    if (rules.some((rule) => !rule.description)) {
      r.report(
        `${label("Security group", r.name)} must describe every inline rule: set description on each ingress and egress rule.`,
      );
    }
  },
});

export const subnetNoAutoPublicIp = resourcePolicy({
  name: "subnet-no-auto-public-ip",
  description:
    "Checks that subnets do not assign public IP addresses to everything launched in them.",
  enforcementLevel: "advisory",
  severity: "medium",
  resourceTypes: [SUBNET],
  controls: { checkov: ["CKV_AWS_130"], trivy: ["AVD-AWS-0164"] },
  config: {
    allow: configProperty.boolean(
      false,
      "Allow mapPublicIpOnLaunch (for example for a bastion-free lab).",
    ),
  },
  validate: (r) => {
    if (isUnknown(r.props.mapPublicIpOnLaunch)) undecidable(r.args, ["mapPublicIpOnLaunch"]);
    if (r.props.mapPublicIpOnLaunch === true && !r.config.allow) {
      r.report(
        `${label("Subnet", r.name)} must not map public IPs on launch: set mapPublicIpOnLaunch to false; load balancers and NAT gateways get their addresses explicitly.`,
      );
    }
  },
});

export const worldIngressOnlyOnLoadBalancers = stackPolicy({
  name: "world-ingress-only-on-load-balancers",
  description:
    "Checks that security groups open to the internet (on the public ports) belong to load balancers.",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [SECURITY_GROUP, SECURITY_GROUP_RULE, VPC_INGRESS_RULE, ...LOAD_BALANCERS],
  controls: { trivy: ["AVD-AWS-0107"] },
  config: {
    publicPorts: {
      type: "array",
      items: { type: "integer" },
      default: [80, 443],
      description: "Ports that load balancers may open to the internet.",
    },
  },
  validate: ({ args, config, report }) => {
    const index = new StackIndex(args.resources);
    // Security groups that open a public port to the internet (other ports fail the resource policies).
    const open = new Map<string, StackResource>();
    const opensPublicPort = (from: unknown, to: unknown, cidrs: unknown[]) =>
      from === to && config.publicPorts.includes(Number(from)) && cidrs.some(isAnywhere);
    for (const sg of index.of(SECURITY_GROUP)) {
      for (const rule of asArray<Props>(sg.props.ingress)) {
        const cidrs = [...asArray(rule.cidrBlocks), ...asArray(rule.ipv6CidrBlocks)];
        if (opensPublicPort(rule.fromPort, rule.toPort, cidrs)) open.set(sg.urn, sg);
      }
    }
    for (const rule of index.of(SECURITY_GROUP_RULE, VPC_INGRESS_RULE)) {
      const p = rule.props;
      if (rule.type === SECURITY_GROUP_RULE && p.type !== "ingress") continue;
      const cidrs =
        rule.type === SECURITY_GROUP_RULE
          ? [...asArray(p.cidrBlocks), ...asArray(p.ipv6CidrBlocks)]
          : [p.cidrIpv4, p.cidrIpv6];
      if (!opensPublicPort(p.fromPort, p.toPort, cidrs)) continue;
      for (const sg of dependencies(index, rule, "securityGroupId", [SECURITY_GROUP]))
        open.set(sg.urn, sg);
    }
    if (open.size === 0) return;
    // Load balancers, and Kubernetes objects that hand a security group to the AWS Load Balancer Controller.
    const used = new Set<string>();
    for (const lb of index.of(...LOAD_BALANCERS))
      dependencyUrns(lb, "securityGroups").forEach((u) => used.add(u));
    for (const r of args.resources) {
      if (!r.type.startsWith("kubernetes:")) continue;
      for (const deps of Object.values(r.propertyDependencies))
        deps.forEach((d) => used.add(d.urn));
    }
    for (const [urn, sg] of open) {
      if (!used.has(urn)) {
        report(
          `${label("Security group", sg.name)} must not open ports to the internet unless a load balancer uses it: attach it to an aws.lb.LoadBalancer (securityGroups) or restrict the source.`,
          urn,
        );
      }
    }
  },
});

export const vpcFlowLogs = stackPolicy({
  name: "vpc-flow-logs",
  description: "Checks that every VPC has a flow log.",
  enforcementLevel: "mandatory",
  severity: "medium",
  resourceTypes: [VPC, FLOW_LOG],
  controls: { checkov: ["CKV2_AWS_11"], trivy: ["AVD-AWS-0178"] },
  validate: ({ args, report }) => {
    const index = new StackIndex(args.resources);
    const vpcs = index.of(VPC);
    if (vpcs.length === 0) return;
    const links = linkedTargets(index, [FLOW_LOG], "vpcId", (f) => knownString(f.props.vpcId));
    for (const v of vpcs) {
      if (!links.urns.has(v.urn)) {
        report(
          `${label("VPC", v.name)} must have a flow log: create an aws.ec2.FlowLog with vpcId set to this VPC's id, delivering to CloudWatch Logs or S3.`,
          v.urn,
        );
      }
    }
  },
});

export const exposurePolicies = [
  securityGroupNoWorldIngress,
  securityGroupRuleNoWorldIngress,
  vpcIngressRuleNoWorldIngress,
  securityGroupDescriptions,
  subnetNoAutoPublicIp,
  vpcFlowLogs,
  worldIngressOnlyOnLoadBalancers,
];
