/**
 * Worker compute: launch templates and instances require IMDSv2 with a bounded hop limit, encrypt
 * their EBS volumes and get no public IP, and so do the nodes Karpenter launches (EC2NodeClass);
 * the @pulumi/eks component's default node group is private, and node groups sit in private
 * subnets only (a stack rule: a subnet is public through the route tables associated with it).
 */
import {
  EBS_VOLUME,
  EKS_COMPONENT,
  INSTANCE,
  isUnknown,
  LAUNCH_TEMPLATE,
  NODE_GROUP,
  SUBNET,
} from "@platform/model";
import { configProperty, resourcePolicy, stackPolicy } from "../lib/policy";
import { dependencies, dependencyUrns, StackIndex } from "../lib/stack-index";
import { asArray, label, undecidable, type Props } from "../lib/values";

const KARPENTER_NODE_CLASS = "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass";
const INTERNET_GATEWAY = "aws:ec2/internetGateway:InternetGateway";
const ROUTE = "aws:ec2/route:Route";
const ROUTE_TABLE = "aws:ec2/routeTable:RouteTable";
const ROUTE_TABLE_ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation";

/** Launch template booleans are strings ("true"/"false") in the provider schema. */
function isTrue(v: unknown): boolean {
  return v === true || v === "true";
}

function imdsProblem(metadata: Props | undefined): string | undefined {
  if (!metadata || metadata.httpTokens !== "required") {
    return `set metadataOptions.httpTokens to "required" (got ${JSON.stringify(metadata?.httpTokens ?? "optional by default")})`;
  }
  return undefined;
}

export const launchTemplateImdsv2 = resourcePolicy({
  name: "launch-template-imdsv2",
  description: "Checks that launch templates require IMDSv2 session tokens.",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [LAUNCH_TEMPLATE],
  controls: { checkov: ["CKV_AWS_79"], trivy: ["AVD-AWS-0130"] },
  validate: (r) => {
    if (isUnknown(r.props.metadataOptions?.httpTokens))
      undecidable(r.args, ["metadataOptions", "httpTokens"]);
    const problem = imdsProblem(r.props.metadataOptions);
    if (problem) r.report(`${label("Launch template", r.name)} must require IMDSv2: ${problem}.`);
  },
});

export const instanceImdsv2 = resourcePolicy({
  name: "instance-imdsv2",
  description: "Checks that EC2 instances require IMDSv2 session tokens.",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [INSTANCE],
  controls: { checkov: ["CKV_AWS_79"], trivy: ["AVD-AWS-0028"] },
  validate: (r) => {
    if (isUnknown(r.props.metadataOptions?.httpTokens))
      undecidable(r.args, ["metadataOptions", "httpTokens"]);
    const problem = imdsProblem(r.props.metadataOptions);
    if (problem) r.report(`${label("EC2 instance", r.name)} must require IMDSv2: ${problem}.`);
  },
});

export const launchTemplateHopLimit = resourcePolicy({
  name: "launch-template-metadata-hop-limit",
  description:
    "Checks that launch templates keep the instance metadata hop limit low enough that pods cannot reach it through extra hops.",
  enforcementLevel: "mandatory",
  severity: "medium",
  resourceTypes: [LAUNCH_TEMPLATE],
  controls: { checkov: ["CKV_AWS_341"] },
  config: {
    // 2 lets containers on the host network and the AWS SDK in pods with IRSA fall back cleanly;
    // anything higher lets any pod reach the node role's credentials.
    maxHopLimit: configProperty.integer(2, "Largest allowed httpPutResponseHopLimit.", 1, 64),
  },
  validate: (r) => {
    const hops = r.props.metadataOptions?.httpPutResponseHopLimit;
    if (hops === undefined) return; // EC2 default for launch templates is 1.
    if (isUnknown(hops)) undecidable(r.args, ["metadataOptions", "httpPutResponseHopLimit"]);
    if (typeof hops === "number" && hops > r.config.maxHopLimit) {
      r.report(
        `${label("Launch template", r.name)} must set metadataOptions.httpPutResponseHopLimit to at most ${r.config.maxHopLimit} (got ${hops}).`,
      );
    }
  },
});

export const launchTemplateEbsEncrypted = resourcePolicy({
  name: "launch-template-ebs-encrypted",
  description: "Checks that every EBS volume a launch template declares is encrypted.",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [LAUNCH_TEMPLATE],
  // CKV_AWS_8 and AVD-AWS-0008 read launch configurations and instances, not launch templates.
  validate: (r) => {
    const mappings = asArray<Props>(r.props.blockDeviceMappings).filter((m) => m.ebs);
    if (mappings.length === 0) {
      r.report(
        `${label("Launch template", r.name)} must declare its root volume with encryption: add blockDeviceMappings [{ deviceName, ebs: { encrypted: "true", kmsKeyId } }].`,
      );
      return;
    }
    for (const m of mappings) {
      if (isUnknown(m.ebs.encrypted)) continue;
      if (!isTrue(m.ebs.encrypted)) {
        r.report(
          `${label("Launch template", r.name)} must encrypt volume ${m.deviceName ?? "(unnamed)"}: set blockDeviceMappings[].ebs.encrypted to "true".`,
        );
      }
    }
  },
});

export const instanceEbsEncrypted = resourcePolicy({
  name: "instance-ebs-encrypted",
  description: "Checks that EC2 instances encrypt their root and attached EBS volumes.",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [INSTANCE],
  controls: { checkov: ["CKV_AWS_8"], trivy: ["AVD-AWS-0131"] },
  validate: (r) => {
    const volumes = [r.props.rootBlockDevice ?? {}, ...asArray<Props>(r.props.ebsBlockDevices)];
    if (volumes.some((v) => v.encrypted !== true && !isUnknown(v.encrypted))) {
      r.report(
        `${label("EC2 instance", r.name)} must encrypt its EBS volumes: set rootBlockDevice.encrypted and every ebsBlockDevices[].encrypted to true.`,
      );
    }
  },
});

export const ebsVolumeEncrypted = resourcePolicy({
  name: "ebs-volume-encrypted",
  description: "Checks that EBS volumes are encrypted with a customer KMS key.",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [EBS_VOLUME],
  controls: { checkov: ["CKV_AWS_3", "CKV_AWS_189"], trivy: ["AVD-AWS-0026", "AVD-AWS-0027"] },
  validate: (r) => {
    if (r.props.encrypted !== true || !r.props.kmsKeyId) {
      r.report(
        `${label("EBS volume", r.name)} must be encrypted with a customer KMS key: set encrypted: true and kmsKeyId.`,
      );
    }
  },
});

export const launchTemplateNoPublicIp = resourcePolicy({
  name: "launch-template-no-public-ip",
  description: "Checks that launch templates do not give instances a public IP address.",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [LAUNCH_TEMPLATE],
  controls: { checkov: ["CKV_AWS_88"], trivy: ["AVD-AWS-0009"] },
  validate: (r) => {
    const nics = asArray<Props>(r.props.networkInterfaces);
    if (nics.some((n) => isTrue(n.associatePublicIpAddress))) {
      r.report(
        `${label("Launch template", r.name)} must not assign public IP addresses: set networkInterfaces[].associatePublicIpAddress to "false" and reach nodes through private subnets.`,
      );
    }
  },
});

export const instanceNoPublicIp = resourcePolicy({
  name: "instance-no-public-ip",
  description: "Checks that EC2 instances do not get a public IP address.",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [INSTANCE],
  controls: { checkov: ["CKV_AWS_88"], trivy: ["AVD-AWS-0009"] },
  validate: (r) => {
    if (r.props.associatePublicIpAddress === true) {
      r.report(
        `${label("EC2 instance", r.name)} must not have a public IP address: set associatePublicIpAddress to false and place it in a private subnet.`,
      );
    }
  },
});

export const eksComponentPrivateNodes = resourcePolicy({
  name: "eks-component-private-nodes",
  description:
    "Checks that the @pulumi/eks component's default node group does not give nodes public IP addresses.",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [EKS_COMPONENT],
  controls: { checkov: ["CKV_AWS_88"], cisEks: ["5.4.3"] },
  validate: (r) => {
    // The component's default node group associates public IPs unless told otherwise.
    if (r.props.skipDefaultNodeGroup === true) return;
    if (r.props.nodeAssociatePublicIpAddress !== false) {
      r.report(
        `${label("EKS cluster component", r.name)} must keep nodes private: set skipDefaultNodeGroup: true (and manage node groups separately) or nodeAssociatePublicIpAddress: false.`,
      );
    }
  },
});

export const karpenterNodeClassImdsv2 = resourcePolicy({
  name: "karpenter-node-class-imdsv2",
  description:
    "Checks that Karpenter EC2NodeClasses keep IMDSv2 required with a hop limit that pods cannot cross.",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [KARPENTER_NODE_CLASS],
  config: {
    maxHopLimit: configProperty.integer(2, "Largest allowed httpPutResponseHopLimit.", 1, 64),
  },
  validate: (r) => {
    // Karpenter's defaults are httpTokens "required" and a hop limit of 1.
    const m = r.props.spec?.metadataOptions ?? {};
    if (isUnknown(m.httpTokens)) undecidable(r.args, ["spec", "metadataOptions", "httpTokens"]);
    if (m.httpTokens !== undefined && m.httpTokens !== "required") {
      r.report(
        `${label("EC2NodeClass", r.name)} must require IMDSv2: set spec.metadataOptions.httpTokens to "required" (got ${JSON.stringify(m.httpTokens)}).`,
      );
    }
    const hops = m.httpPutResponseHopLimit;
    if (typeof hops === "number" && hops > r.config.maxHopLimit) {
      r.report(
        `${label("EC2NodeClass", r.name)} must set spec.metadataOptions.httpPutResponseHopLimit to at most ${r.config.maxHopLimit} (got ${hops}).`,
      );
    }
  },
});

export const karpenterNodeClassEbsEncrypted = resourcePolicy({
  name: "karpenter-node-class-ebs-encrypted",
  description:
    "Checks that Karpenter EC2NodeClasses declare encrypted EBS volumes with a customer KMS key.",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [KARPENTER_NODE_CLASS],
  validate: (r) => {
    const mappings = asArray<Props>(r.props.spec?.blockDeviceMappings).filter((m) => m.ebs);
    const bad =
      mappings.length === 0 ||
      mappings.some(
        (m) => m.ebs.encrypted !== true || (!m.ebs.kmsKeyID && !isUnknown(m.ebs.kmsKeyID)),
      );
    if (bad) {
      r.report(
        `${label("EC2NodeClass", r.name)} must encrypt node volumes with a customer key: declare spec.blockDeviceMappings [{ deviceName, ebs: { encrypted: true, kmsKeyID } }].`,
      );
    }
  },
});

/** Subnets that route to an internet gateway or hand out public IPs. */
function publicSubnets(index: StackIndex): Set<string> {
  const igws = new Set(index.of(INTERNET_GATEWAY).map((g) => g.urn));
  const viaIgw = (urns: string[]) => urns.some((u) => igws.has(u));
  const publicTables = new Set<string>();
  for (const route of index.of(ROUTE)) {
    if (viaIgw(dependencyUrns(route, "gatewayId"))) {
      for (const rt of dependencyUrns(route, "routeTableId")) publicTables.add(rt);
    }
  }
  for (const rt of index.of(ROUTE_TABLE)) {
    if (viaIgw(dependencyUrns(rt, "routes"))) publicTables.add(rt.urn);
  }
  const out = new Set<string>();
  for (const a of index.of(ROUTE_TABLE_ASSOCIATION)) {
    if (dependencyUrns(a, "routeTableId").some((u) => publicTables.has(u))) {
      for (const s of dependencyUrns(a, "subnetId")) out.add(s);
    }
  }
  for (const s of index.of(SUBNET)) {
    if (s.props.mapPublicIpOnLaunch === true) out.add(s.urn);
  }
  return out;
}

export const nodeGroupsPrivateSubnets = stackPolicy({
  name: "eks-node-groups-in-private-subnets",
  description:
    "Checks that EKS node groups are placed only in private subnets (no route to an internet gateway).",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [
    NODE_GROUP,
    EKS_COMPONENT,
    SUBNET,
    ROUTE_TABLE_ASSOCIATION,
    ROUTE,
    INTERNET_GATEWAY,
  ],
  controls: { cisEks: ["5.4.3"] },
  validate: ({ args, report }) => {
    const index = new StackIndex(args.resources);
    const groups = [
      ...index.of(NODE_GROUP).map((g) => ({ g, property: "subnetIds", kind: "EKS node group" })),
      ...index
        .of(EKS_COMPONENT)
        .map((g) => ({ g, property: "nodeSubnetIds", kind: "EKS cluster component" })),
    ];
    if (groups.length === 0) return;
    const isPublic = publicSubnets(index);
    for (const { g, property, kind } of groups) {
      const bad = dependencies(index, g, property, [SUBNET]).filter((s) => isPublic.has(s.urn));
      if (bad.length) {
        report(
          `${label(kind, g.name)} must place nodes in private subnets only: remove the public subnets ${bad.map((s) => s.name).join(", ")} from ${property}.`,
          g.urn,
        );
      }
    }
  },
});

export const nodePolicies = [
  launchTemplateImdsv2,
  instanceImdsv2,
  launchTemplateHopLimit,
  launchTemplateEbsEncrypted,
  instanceEbsEncrypted,
  ebsVolumeEncrypted,
  launchTemplateNoPublicIp,
  instanceNoPublicIp,
  eksComponentPrivateNodes,
  karpenterNodeClassImdsv2,
  karpenterNodeClassEbsEncrypted,
  nodeGroupsPrivateSubnets,
];
