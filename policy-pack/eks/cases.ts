/** Violating and passing cases of the EKS control plane policies. */
import { type Case, exercising, passes, violates, WORLD } from "../test/case";
import { change } from "../test/builders";
import { happy } from "../test/fixtures";

export const cases: Case[] = [
  passes(
    "eks-endpoint-private-or-restricted",
    "private endpoint (aws cluster)",
    happy.eksCluster(),
  ),
  passes(
    "eks-component-endpoint-private-or-restricted",
    "private endpoint (component)",
    happy.eksComponent(),
  ),
  passes(
    "eks-endpoint-private-or-restricted",
    "public endpoint limited to an operator CIDR",
    change(
      change(happy.eksCluster(), "vpcConfig.endpointPublicAccess", true),
      "vpcConfig.publicAccessCidrs",
      ["203.0.113.0/24"],
    ),
  ),
  exercising(
    ["CKV_AWS_39", "CKV_AWS_38", "AVD-AWS-0040", "AVD-AWS-0041", "CIS EKS 5.4.2"],
    violates(
      "eks-endpoint-private-or-restricted",
      "public endpoint with the default CIDRs",
      change(happy.eksCluster(), "vpcConfig.endpointPublicAccess", true),
    ),
  ),
  violates(
    "eks-endpoint-private-or-restricted",
    "endpoint access left to the default",
    change(happy.eksCluster(), "vpcConfig.endpointPublicAccess", undefined),
  ),
  exercising(
    ["CKV_AWS_39", "CKV_AWS_38", "AVD-AWS-0040", "AVD-AWS-0041", "CIS EKS 5.4.2"],
    violates(
      "eks-component-endpoint-private-or-restricted",
      "component public to 0.0.0.0/0",
      change(
        change(happy.eksComponent(), "endpointPublicAccess", true),
        "publicAccessCidrs",
        WORLD,
      ),
    ),
  ),
  passes("eks-secrets-encryption", "KMS envelope encryption", happy.eksCluster()),
  passes("eks-component-secrets-encryption", "component with a key", happy.eksComponent()),
  exercising(
    ["CKV_AWS_58", "AVD-AWS-0039", "CIS EKS 5.3.1"],
    violates(
      "eks-secrets-encryption",
      "no encryptionConfig",
      change(happy.eksCluster(), "encryptionConfig", undefined),
    ),
  ),
  exercising(
    ["CKV_AWS_58", "AVD-AWS-0039", "CIS EKS 5.3.1"],
    violates(
      "eks-component-secrets-encryption",
      "component without a key",
      change(happy.eksComponent(), "encryptionConfigKeyArn", undefined),
    ),
  ),
  passes("eks-control-plane-logging", "all log types", happy.eksCluster()),
  exercising(
    ["CKV_AWS_37", "AVD-AWS-0038", "CIS EKS 2.1.1"],
    violates(
      "eks-control-plane-logging",
      "audit log missing",
      change(happy.eksCluster(), "enabledClusterLogTypes", ["api", "authenticator"]),
    ),
  ),
  passes("eks-component-control-plane-logging", "all log types", happy.eksComponent()),
  exercising(
    ["CKV_AWS_37", "AVD-AWS-0038", "CIS EKS 2.1.1"],
    violates(
      "eks-component-control-plane-logging",
      "component without logs",
      change(happy.eksComponent(), "enabledClusterLogTypes", undefined),
    ),
  ),
  passes("eks-supported-version", "1.34", happy.eksCluster()),
  passes(
    "eks-supported-version",
    "older minimum configured",
    change(happy.eksCluster(), "version", "1.33"),
    { "eks-supported-version": { minimumVersion: "1.33" } },
  ),
  violates(
    "eks-supported-version",
    "1.31 is out of standard support",
    change(happy.eksCluster(), "version", "1.31"),
  ),
  violates(
    "eks-supported-version",
    "no pinned version",
    change(happy.eksCluster(), "version", undefined),
  ),
  passes("eks-component-supported-version", "1.34", happy.eksComponent()),
  violates(
    "eks-component-supported-version",
    "no pinned version",
    change(happy.eksComponent(), "version", undefined),
  ),
];
