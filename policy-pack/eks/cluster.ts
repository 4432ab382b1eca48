/**
 * EKS control plane: API endpoint exposure, envelope encryption of secrets, audit logging and a
 * supported Kubernetes version. Each rule is served twice, as `eks-<rule>` on the
 * `aws:eks/cluster:Cluster` the engine sees and as `eks-component-<rule>` on the `@pulumi/eks`
 * component's inputs (`eks:index:Cluster`, all an offline run sees of a remote component): one
 * type per policy lets the runtime skip every other resource before deserializing it.
 */
import { EKS_COMPONENT, isUnknown } from "@platform/model";
import {
  configProperty,
  resourcePolicy,
  type ConfigProperties,
  type DomainPolicy,
  type ResourceContext,
  type ResourcePolicyDef,
} from "../lib/policy";
import { asArray, containsUnknown, isAnywhere, label, undecidable } from "../lib/values";

const EKS_CLUSTER = "aws:eks/cluster:Cluster";

/** The rule as two single-type policies: `eks-<rule>` (aws cluster) and `eks-component-<rule>`. */
function forBothClusterTypes<S extends ConfigProperties | undefined = undefined>(
  def: Omit<ResourcePolicyDef<S>, "resourceTypes">,
): [DomainPolicy, DomainPolicy] {
  return [
    resourcePolicy<S>({ ...def, resourceTypes: [EKS_CLUSTER] }),
    resourcePolicy<S>({
      ...def,
      name: def.name.replace(/^eks-/, "eks-component-"),
      description: `${def.description.replace(/\.$/, "")} (inputs of the @pulumi/eks component).`,
      resourceTypes: [EKS_COMPONENT],
    }),
  ];
}

const ALL_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

/** The settings both types express, read from whichever shape the resource has. */
function clusterSettings(r: ResourceContext<unknown>) {
  const p = r.props;
  if (r.type === EKS_COMPONENT) {
    return {
      publicAccess: p.endpointPublicAccess,
      publicCidrs: p.publicAccessCidrs,
      publicPath: ["endpointPublicAccess"],
      cidrPath: ["publicAccessCidrs"],
      encryptionKey: p.encryptionConfigKeyArn,
      encryptedResources: p.encryptionConfigKeyArn ? ["secrets"] : [],
      logTypes: p.enabledClusterLogTypes,
      version: p.version,
      kind: "EKS cluster component",
    };
  }
  const vpc = p.vpcConfig ?? {};
  const encryption = asArray<Record<string, unknown>>(p.encryptionConfig)[0] ?? {};
  return {
    publicAccess: vpc.endpointPublicAccess,
    publicCidrs: vpc.publicAccessCidrs,
    publicPath: ["vpcConfig", "endpointPublicAccess"],
    cidrPath: ["vpcConfig", "publicAccessCidrs"],
    encryptionKey: (encryption.provider as Record<string, unknown> | undefined)?.keyArn,
    encryptedResources: asArray<string>(encryption.resources),
    logTypes: p.enabledClusterLogTypes,
    version: p.version,
    kind: "EKS cluster",
  };
}

export const [eksEndpointRestricted, eksEndpointRestrictedComponent] = forBothClusterTypes({
  name: "eks-endpoint-private-or-restricted",
  description:
    "Checks that the EKS API endpoint is private, or public only to explicit CIDRs (never 0.0.0.0/0).",
  enforcementLevel: "mandatory",
  severity: "critical",
  controls: {
    checkov: ["CKV_AWS_39", "CKV_AWS_38"],
    trivy: ["AVD-AWS-0040", "AVD-AWS-0041"],
    cisEks: ["5.4.2"],
  },
  validate: (r) => {
    const s = clusterSettings(r);
    if (s.publicAccess === false) return;
    if (isUnknown(s.publicAccess)) undecidable(r.args, s.publicPath);
    // Both EKS and @pulumi/eks default to a public endpoint open to 0.0.0.0/0.
    const cidrs = asArray<string>(s.publicCidrs);
    if (containsUnknown(s.publicCidrs)) undecidable(r.args, s.cidrPath);
    if (cidrs.length === 0 || cidrs.some(isAnywhere)) {
      r.report(
        `${label(s.kind, r.name)} must not expose its API endpoint to the internet: set endpointPublicAccess to false, or list the operator CIDRs in publicAccessCidrs (got ${cidrs.length ? cidrs.join(", ") : "the default 0.0.0.0/0"}).`,
      );
    }
  },
});

export const [eksSecretsEncryption, eksSecretsEncryptionComponent] = forBothClusterTypes({
  name: "eks-secrets-encryption",
  description: "Checks that Kubernetes secrets are envelope-encrypted with a customer KMS key.",
  enforcementLevel: "mandatory",
  severity: "high",
  controls: { checkov: ["CKV_AWS_58"], trivy: ["AVD-AWS-0039"], cisEks: ["5.3.1"] },
  validate: (r) => {
    const s = clusterSettings(r);
    if (!s.encryptionKey || !s.encryptedResources.includes("secrets")) {
      r.report(
        `${label(s.kind, r.name)} must encrypt Kubernetes secrets with a KMS key: set ${r.type === EKS_COMPONENT ? "encryptionConfigKeyArn" : 'encryptionConfig { provider.keyArn, resources: ["secrets"] }'} to a customer-managed key.`,
      );
    }
  },
});

export const [eksControlPlaneLogging, eksControlPlaneLoggingComponent] = forBothClusterTypes({
  name: "eks-control-plane-logging",
  description: "Checks that every EKS control plane log type is sent to CloudWatch Logs.",
  enforcementLevel: "mandatory",
  severity: "medium",
  controls: { checkov: ["CKV_AWS_37"], trivy: ["AVD-AWS-0038"], cisEks: ["2.1.1"] },
  config: {
    requiredLogTypes: configProperty.strings(
      ALL_LOG_TYPES,
      "Control plane log types that must be enabled.",
    ),
  },
  validate: (r) => {
    const s = clusterSettings(r);
    if (containsUnknown(s.logTypes)) undecidable(r.args, ["enabledClusterLogTypes"]);
    const enabled = new Set(asArray<string>(s.logTypes));
    const missing = r.config.requiredLogTypes.filter((t) => !enabled.has(t));
    if (missing.length > 0) {
      r.report(
        `${label(s.kind, r.name)} must enable control plane logs ${missing.join(", ")}: add them to enabledClusterLogTypes.`,
      );
    }
  },
});

function versionParts(v: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)$/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

export const [eksSupportedVersion, eksSupportedVersionComponent] = forBothClusterTypes({
  name: "eks-supported-version",
  description:
    "Checks that the EKS cluster pins a Kubernetes version that is still in EKS standard support.",
  enforcementLevel: "mandatory",
  severity: "high",
  config: {
    // EKS standard support lasts about 14 months per minor version; 1.34 (released 2025-10) is the
    // oldest minor still in standard support in late 2026. Extended support costs $0.60/h.
    minimumVersion: {
      type: "string",
      default: "1.34",
      pattern: "^\\d+\\.\\d+$",
      description: "Oldest Kubernetes minor version in EKS standard support.",
    },
  },
  validate: (r) => {
    const s = clusterSettings(r);
    if (isUnknown(s.version)) undecidable(r.args, ["version"]);
    const minimum = versionParts(r.config.minimumVersion);
    const actual = typeof s.version === "string" ? versionParts(s.version) : undefined;
    if (!actual) {
      r.report(
        `${label(s.kind, r.name)} must pin its Kubernetes version: set version to a minor version such as "${r.config.minimumVersion}" (got ${s.version === undefined ? "nothing, which follows the EKS default" : JSON.stringify(s.version)}).`,
      );
      return;
    }
    if (
      minimum &&
      (actual[0] < minimum[0] || (actual[0] === minimum[0] && actual[1] < minimum[1]))
    ) {
      r.report(
        `${label(s.kind, r.name)} must run a Kubernetes version in EKS standard support: upgrade version from ${s.version} to ${r.config.minimumVersion} or newer.`,
      );
    }
  },
});

export const clusterPolicies = [
  eksEndpointRestricted,
  eksEndpointRestrictedComponent,
  eksSecretsEncryption,
  eksSecretsEncryptionComponent,
  eksControlPlaneLogging,
  eksControlPlaneLoggingComponent,
  eksSupportedVersion,
  eksSupportedVersionComponent,
];
