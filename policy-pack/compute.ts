/**
 * Worker compute: launch templates and instances require IMDSv2 with a bounded hop limit, encrypt
 * their EBS volumes and get no public IP, and so do the nodes Karpenter launches (EC2NodeClass);
 * the @pulumi/eks component's default node group is private.
 * (Node groups in private subnets are checked across the stack, in stack.ts.)
 */
import { EKS_COMPONENT } from "./eks";
import { configProperty, resourcePolicy } from "./lib/policy";
import { asArray, isUnknown, label, undecidable, type Props } from "./lib/values";

export const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
export const INSTANCE = "aws:ec2/instance:Instance";
export const EBS_VOLUME = "aws:ebs/volume:Volume";
export const KARPENTER_NODE_CLASS = "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass";

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
  domain: "compute",
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
  domain: "compute",
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
  domain: "compute",
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
  domain: "compute",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [LAUNCH_TEMPLATE],
  controls: { checkov: ["CKV_AWS_8"], trivy: ["AVD-AWS-0008"] },
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
  domain: "compute",
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
  domain: "compute",
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
  domain: "compute",
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
  domain: "compute",
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
  domain: "compute",
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
  domain: "compute",
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
  domain: "compute",
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

export const computePolicies = [
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
];
