/**
 * Violating and passing cases for every policy: each starts from a happy-path resource (or the
 * happy stack) and changes one thing.
 */
import type { AnalyzerResource, PolicyPackConfig } from "../../tools/analyzer";
import {
  change,
  happy,
  happyStack,
  stackResources,
  withDeps,
  withOptions,
  urn,
  awsProvider,
} from "./fixtures";
import { costCases } from "../cost/policies.test";
import { drCases } from "../dr/coverage.test";

export interface Case {
  readonly policy: string;
  readonly title: string;
  readonly expect: "violates" | "passes";
  /** Resources to analyze one by one, or as one stack when `stack` is set. */
  readonly resources: readonly AnalyzerResource[];
  readonly stack?: boolean;
  readonly config?: PolicyPackConfig;
}

const violates = (
  policy: string,
  title: string,
  r: AnalyzerResource,
  config?: PolicyPackConfig,
): Case => ({
  policy,
  title,
  expect: "violates",
  resources: [r],
  config,
});
const passes = (
  policy: string,
  title: string,
  r: AnalyzerResource,
  config?: PolicyPackConfig,
): Case => ({
  policy,
  title,
  expect: "passes",
  resources: [r],
  config,
});
/** A stack case: the happy stack with one resource replaced, added or removed. */
function stackCase(
  policy: string,
  title: string,
  expect: Case["expect"],
  edit: (s: ReturnType<typeof happyStack>) => void = () => undefined,
  config?: PolicyPackConfig,
): Case {
  const s = happyStack();
  edit(s);
  return { policy, title, expect, resources: stackResources(s), stack: true, config };
}

const container = "spec.template.spec.containers.0";
const podSec = "spec.template.spec.securityContext";
const WORLD = ["0.0.0.0/0"];
const doc = (statements: unknown[]) =>
  JSON.stringify({ Version: "2012-10-17", Statement: statements });

export const cases: Case[] = [
  // EKS
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
  violates(
    "eks-endpoint-private-or-restricted",
    "public endpoint with the default CIDRs",
    change(happy.eksCluster(), "vpcConfig.endpointPublicAccess", true),
  ),
  violates(
    "eks-endpoint-private-or-restricted",
    "endpoint access left to the default",
    change(happy.eksCluster(), "vpcConfig.endpointPublicAccess", undefined),
  ),
  violates(
    "eks-component-endpoint-private-or-restricted",
    "component public to 0.0.0.0/0",
    change(change(happy.eksComponent(), "endpointPublicAccess", true), "publicAccessCidrs", WORLD),
  ),
  passes("eks-secrets-encryption", "KMS envelope encryption", happy.eksCluster()),
  passes("eks-component-secrets-encryption", "component with a key", happy.eksComponent()),
  violates(
    "eks-secrets-encryption",
    "no encryptionConfig",
    change(happy.eksCluster(), "encryptionConfig", undefined),
  ),
  violates(
    "eks-component-secrets-encryption",
    "component without a key",
    change(happy.eksComponent(), "encryptionConfigKeyArn", undefined),
  ),
  passes("eks-control-plane-logging", "all log types", happy.eksCluster()),
  violates(
    "eks-control-plane-logging",
    "audit log missing",
    change(happy.eksCluster(), "enabledClusterLogTypes", ["api", "authenticator"]),
  ),
  passes("eks-component-control-plane-logging", "all log types", happy.eksComponent()),
  violates(
    "eks-component-control-plane-logging",
    "component without logs",
    change(happy.eksComponent(), "enabledClusterLogTypes", undefined),
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

  // Compute
  passes("launch-template-imdsv2", "tokens required", happy.launchTemplate()),
  violates(
    "launch-template-imdsv2",
    "tokens optional",
    change(happy.launchTemplate(), "metadataOptions.httpTokens", "optional"),
  ),
  violates(
    "launch-template-imdsv2",
    "no metadata options",
    change(happy.launchTemplate(), "metadataOptions", undefined),
  ),
  passes("instance-imdsv2", "tokens required", happy.instance()),
  violates(
    "instance-imdsv2",
    "tokens optional",
    change(happy.instance(), "metadataOptions.httpTokens", "optional"),
  ),
  passes("launch-template-metadata-hop-limit", "hop limit 2", happy.launchTemplate()),
  violates(
    "launch-template-metadata-hop-limit",
    "hop limit 3",
    change(happy.launchTemplate(), "metadataOptions.httpPutResponseHopLimit", 3),
  ),
  violates(
    "launch-template-metadata-hop-limit",
    "hop limit 2 with a stricter config",
    happy.launchTemplate(),
    { "launch-template-metadata-hop-limit": { maxHopLimit: 1 } },
  ),
  passes("launch-template-ebs-encrypted", "encrypted root volume", happy.launchTemplate()),
  violates(
    "launch-template-ebs-encrypted",
    "unencrypted root volume",
    change(happy.launchTemplate(), "blockDeviceMappings.0.ebs.encrypted", "false"),
  ),
  violates(
    "launch-template-ebs-encrypted",
    "no volume declared",
    change(happy.launchTemplate(), "blockDeviceMappings", undefined),
  ),
  passes("instance-ebs-encrypted", "encrypted root", happy.instance()),
  violates(
    "instance-ebs-encrypted",
    "unencrypted root",
    change(happy.instance(), "rootBlockDevice.encrypted", false),
  ),
  passes("ebs-volume-encrypted", "customer key", happy.ebsVolume()),
  violates(
    "ebs-volume-encrypted",
    "AWS-managed key",
    change(happy.ebsVolume(), "kmsKeyId", undefined),
  ),
  passes("launch-template-no-public-ip", "no public IP", happy.launchTemplate()),
  violates(
    "launch-template-no-public-ip",
    "public IP",
    change(happy.launchTemplate(), "networkInterfaces.0.associatePublicIpAddress", "true"),
  ),
  passes("instance-no-public-ip", "no public IP", happy.instance()),
  violates(
    "instance-no-public-ip",
    "public IP",
    change(happy.instance(), "associatePublicIpAddress", true),
  ),
  passes("eks-component-private-nodes", "default node group skipped", happy.eksComponent()),
  passes(
    "eks-component-private-nodes",
    "default node group without public IPs",
    change(
      change(happy.eksComponent(), "skipDefaultNodeGroup", false),
      "nodeAssociatePublicIpAddress",
      false,
    ),
  ),
  violates(
    "eks-component-private-nodes",
    "default node group with the component's public-IP default",
    change(happy.eksComponent(), "skipDefaultNodeGroup", undefined),
  ),

  passes("karpenter-node-class-imdsv2", "tokens required, hop limit 1", happy.karpenterNodeClass()),
  passes(
    "karpenter-node-class-imdsv2",
    "Karpenter defaults",
    change(happy.karpenterNodeClass(), "spec.metadataOptions", undefined),
  ),
  violates(
    "karpenter-node-class-imdsv2",
    "tokens optional",
    change(happy.karpenterNodeClass(), "spec.metadataOptions.httpTokens", "optional"),
  ),
  violates(
    "karpenter-node-class-imdsv2",
    "hop limit 3",
    change(happy.karpenterNodeClass(), "spec.metadataOptions.httpPutResponseHopLimit", 3),
  ),
  passes("karpenter-node-class-ebs-encrypted", "encrypted with a key", happy.karpenterNodeClass()),
  violates(
    "karpenter-node-class-ebs-encrypted",
    "AMI default volumes",
    change(happy.karpenterNodeClass(), "spec.blockDeviceMappings", undefined),
  ),
  violates(
    "karpenter-node-class-ebs-encrypted",
    "no customer key",
    change(happy.karpenterNodeClass(), "spec.blockDeviceMappings.0.ebs.kmsKeyID", undefined),
  ),

  // Network
  passes("security-group-no-world-ingress", "VPC-only ingress", happy.securityGroup()),
  passes(
    "security-group-no-world-ingress",
    "443 from the internet (load balancer port)",
    change(happy.securityGroup(), "ingress.0.cidrBlocks", WORLD),
  ),
  violates(
    "security-group-no-world-ingress",
    "SSH from the internet",
    change(
      change(
        change(happy.securityGroup(), "ingress.0.cidrBlocks", WORLD),
        "ingress.0.fromPort",
        22,
      ),
      "ingress.0.toPort",
      22,
    ),
  ),
  violates(
    "security-group-no-world-ingress",
    "all traffic from ::/0",
    change(change(happy.securityGroup(), "ingress.0.protocol", "-1"), "ingress.0.ipv6CidrBlocks", [
      "::/0",
    ]),
  ),
  passes("security-group-rule-no-world-ingress", "VPC-only rule", happy.securityGroupRule()),
  passes(
    "security-group-rule-no-world-ingress",
    "egress to the internet",
    change(change(happy.securityGroupRule(), "type", "egress"), "cidrBlocks", WORLD),
  ),
  violates(
    "security-group-rule-no-world-ingress",
    "port range from the internet",
    change(change(happy.securityGroupRule(), "cidrBlocks", WORLD), "fromPort", 0),
  ),
  passes("vpc-ingress-rule-no-world-ingress", "VPC-only rule", happy.vpcIngressRule()),
  violates(
    "vpc-ingress-rule-no-world-ingress",
    "Postgres from the internet",
    change(happy.vpcIngressRule(), "cidrIpv4", "0.0.0.0/0"),
  ),
  passes("security-group-descriptions", "described group and rules", happy.securityGroup()),
  violates(
    "security-group-descriptions",
    "provider default description",
    change(happy.securityGroup(), "description", "Managed by Pulumi"),
  ),
  violates(
    "security-group-descriptions",
    "undescribed rule",
    change(happy.securityGroup(), "ingress.0.description", undefined),
  ),
  passes("subnet-no-auto-public-ip", "private subnet", happy.subnet()),
  violates(
    "subnet-no-auto-public-ip",
    "maps public IPs",
    change(happy.subnet(), "mapPublicIpOnLaunch", true),
  ),

  // RDS and Aurora
  passes("rds-instance-encrypted-cmk", "customer key", happy.rdsInstance()),
  violates(
    "rds-instance-encrypted-cmk",
    "no customer key",
    change(happy.rdsInstance(), "kmsKeyId", undefined),
  ),
  passes("rds-cluster-encrypted-cmk", "customer key", happy.rdsCluster()),
  violates(
    "rds-cluster-encrypted-cmk",
    "unencrypted",
    change(happy.rdsCluster(), "storageEncrypted", false),
  ),
  passes("rds-instance-multi-az", "Multi-AZ", happy.rdsInstance()),
  violates("rds-instance-multi-az", "single AZ", change(happy.rdsInstance(), "multiAz", false)),
  passes("rds-cluster-multi-az", "Aurora (replicas checked by the stack)", happy.rdsCluster()),
  violates(
    "rds-cluster-multi-az",
    "Multi-AZ DB cluster without an instance class",
    change(happy.rdsCluster(), "engine", "postgres"),
  ),
  passes("rds-instance-backup-retention", "14 days", happy.rdsInstance()),
  violates(
    "rds-instance-backup-retention",
    "1 day",
    change(happy.rdsInstance(), "backupRetentionPeriod", 1),
  ),
  violates("rds-instance-backup-retention", "14 days under a 30-day minimum", happy.rdsInstance(), {
    "rds-instance-backup-retention": { minDays: 30 },
  }),
  passes("rds-cluster-backup-retention", "14 days", happy.rdsCluster()),
  violates(
    "rds-cluster-backup-retention",
    "default retention",
    change(happy.rdsCluster(), "backupRetentionPeriod", undefined),
  ),
  passes("rds-instance-deletion-protection", "protected", happy.rdsInstance()),
  violates(
    "rds-instance-deletion-protection",
    "unprotected",
    change(happy.rdsInstance(), "deletionProtection", false),
  ),
  passes("rds-cluster-deletion-protection", "protected", happy.rdsCluster()),
  violates(
    "rds-cluster-deletion-protection",
    "unprotected",
    change(happy.rdsCluster(), "deletionProtection", undefined),
  ),
  passes("rds-instance-final-snapshot", "final snapshot", happy.rdsInstance()),
  passes(
    "rds-instance-final-snapshot",
    "read replica (RDS cannot snapshot it on deletion)",
    change(
      change(happy.rdsInstance(), "replicateSourceDb", "orders"),
      "finalSnapshotIdentifier",
      undefined,
    ),
  ),
  violates(
    "rds-instance-final-snapshot",
    "skips the final snapshot",
    change(happy.rdsInstance(), "skipFinalSnapshot", true),
  ),
  passes("rds-cluster-final-snapshot", "final snapshot", happy.rdsCluster()),
  violates(
    "rds-cluster-final-snapshot",
    "no snapshot identifier",
    change(happy.rdsCluster(), "finalSnapshotIdentifier", undefined),
  ),
  passes("rds-instance-iam-authentication", "IAM auth", happy.rdsInstance()),
  passes(
    "rds-instance-iam-authentication",
    "engine without IAM auth",
    change(
      change(happy.rdsInstance(), "engine", "sqlserver-se"),
      "iamDatabaseAuthenticationEnabled",
      false,
    ),
  ),
  violates(
    "rds-instance-iam-authentication",
    "password only",
    change(happy.rdsInstance(), "iamDatabaseAuthenticationEnabled", false),
  ),
  passes("rds-cluster-iam-authentication", "IAM auth", happy.rdsCluster()),
  violates(
    "rds-cluster-iam-authentication",
    "password only",
    change(happy.rdsCluster(), "iamDatabaseAuthenticationEnabled", undefined),
  ),
  passes("rds-instance-performance-insights", "enabled with a key", happy.rdsInstance()),
  violates(
    "rds-instance-performance-insights",
    "disabled",
    change(happy.rdsInstance(), "performanceInsightsEnabled", false),
  ),
  passes(
    "rds-cluster-instance-performance-insights",
    "enabled with a key",
    happy.rdsClusterInstance(),
  ),
  violates(
    "rds-cluster-instance-performance-insights",
    "no key",
    change(happy.rdsClusterInstance(), "performanceInsightsKmsKeyId", undefined),
  ),
  passes("rds-instance-not-public", "private", happy.rdsInstance()),
  violates(
    "rds-instance-not-public",
    "public",
    change(happy.rdsInstance(), "publiclyAccessible", true),
  ),
  passes("rds-cluster-instance-not-public", "private", happy.rdsClusterInstance()),
  violates(
    "rds-cluster-instance-not-public",
    "public",
    change(happy.rdsClusterInstance(), "publiclyAccessible", true),
  ),

  // ElastiCache
  passes("elasticache-at-rest-encryption", "customer key", happy.replicationGroup()),
  violates(
    "elasticache-at-rest-encryption",
    "unencrypted",
    change(happy.replicationGroup(), "atRestEncryptionEnabled", false),
  ),
  passes("elasticache-in-transit-encryption", "TLS", happy.replicationGroup()),
  violates(
    "elasticache-in-transit-encryption",
    "plain text",
    change(happy.replicationGroup(), "transitEncryptionEnabled", undefined),
  ),
  violates(
    "elasticache-in-transit-encryption",
    "TLS preferred only",
    change(happy.replicationGroup(), "transitEncryptionMode", "preferred"),
  ),
  passes("elasticache-auth", "RBAC user group", happy.replicationGroup()),
  passes(
    "elasticache-auth",
    "AUTH token",
    change(
      change(happy.replicationGroup(), "userGroupIds", undefined),
      "authToken",
      "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    ),
  ),
  violates(
    "elasticache-auth",
    "no authentication",
    change(happy.replicationGroup(), "userGroupIds", undefined),
  ),
  passes("elasticache-automatic-failover", "failover", happy.replicationGroup()),
  violates(
    "elasticache-automatic-failover",
    "single zone",
    change(happy.replicationGroup(), "multiAzEnabled", false),
  ),
  passes("elasticache-snapshots", "7 days", happy.replicationGroup()),
  violates(
    "elasticache-snapshots",
    "no snapshots",
    change(happy.replicationGroup(), "snapshotRetentionLimit", undefined),
  ),

  // S3
  passes("s3-public-access-block", "all four flags", happy.publicAccessBlock()),
  violates(
    "s3-public-access-block",
    "public policies allowed",
    change(happy.publicAccessBlock(), "blockPublicPolicy", false),
  ),
  passes("s3-sse-kms", "SSE-KMS with a key", happy.sseConfiguration()),
  passes(
    "s3-sse-kms",
    "SSE-S3, judged with the bucket's role by s3-bucket-companions",
    change(happy.sseConfiguration(), "rules.0.applyServerSideEncryptionByDefault", {
      sseAlgorithm: "AES256",
    }),
  ),
  violates(
    "s3-sse-kms",
    "KMS with the AWS-managed key",
    change(happy.sseConfiguration(), "rules.0.applyServerSideEncryptionByDefault", {
      sseAlgorithm: "aws:kms",
    }),
  ),
  violates("s3-sse-kms", "no rules", change(happy.sseConfiguration(), "rules", [])),
  passes("s3-versioning-enabled", "enabled", happy.versioning()),
  violates(
    "s3-versioning-enabled",
    "suspended",
    change(happy.versioning(), "versioningConfiguration.status", "Suspended"),
  ),
  passes("s3-acl-not-public", "private", happy.bucketAcl()),
  violates("s3-acl-not-public", "public-read", change(happy.bucketAcl(), "acl", "public-read")),
  violates(
    "s3-acl-not-public",
    "grant to AllUsers",
    change(change(happy.bucketAcl(), "acl", undefined), "accessControlPolicy", {
      owner: { id: "abc" },
      grants: [
        {
          permission: "READ",
          grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" },
        },
      ],
    }),
  ),
  passes("s3-bucket-no-public-acl", "no ACL", happy.bucket()),
  violates(
    "s3-bucket-no-public-acl",
    "public-read-write",
    change(happy.bucket(), "acl", "public-read-write"),
  ),
  passes("s3-bucket-policy-not-public", "named principal", happy.bucketPolicy()),
  violates(
    "s3-bucket-policy-not-public",
    "Principal * allowed",
    change(
      happy.bucketPolicy(),
      "policy",
      doc([
        {
          Effect: "Allow",
          Principal: "*",
          Action: "s3:GetObject",
          Resource: "arn:aws:s3:::platform-logs/*",
        },
        {
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: "*",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ]),
    ),
  ),
  passes("s3-bucket-policy-tls-only", "denies HTTP", happy.bucketPolicy()),
  violates(
    "s3-bucket-policy-tls-only",
    "no TLS statement",
    change(
      happy.bucketPolicy(),
      "policy",
      doc([
        {
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111122223333:role/x" },
          Action: "s3:GetObject",
          Resource: "arn:aws:s3:::platform-logs/*",
        },
      ]),
    ),
  ),
  passes("s3-bucket-no-force-destroy", "kept with its objects", happy.bucket()),
  violates(
    "s3-bucket-no-force-destroy",
    "force destroy",
    change(happy.bucket(), "forceDestroy", true),
  ),

  // KMS
  passes("kms-key-rotation", "rotating", happy.kmsKey()),
  passes(
    "kms-key-rotation",
    "asymmetric signing key",
    change(
      change(happy.kmsKey(), "enableKeyRotation", false),
      "customerMasterKeySpec",
      "ECC_NIST_P256",
    ),
  ),
  violates("kms-key-rotation", "not rotating", change(happy.kmsKey(), "enableKeyRotation", false)),
  passes("kms-key-policy-no-wildcard-principal", "account root", happy.kmsKey()),
  violates(
    "kms-key-policy-no-wildcard-principal",
    "anyone",
    change(
      happy.kmsKey(),
      "policy",
      doc([{ Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" }]),
    ),
  ),
  passes("kms-key-deletion-window", "30 days", happy.kmsKey()),
  violates("kms-key-deletion-window", "7 days", change(happy.kmsKey(), "deletionWindowInDays", 7)),

  // IAM
  passes("iam-policy-no-full-admin", "scoped policy", happy.iamPolicy()),
  violates(
    "iam-policy-no-full-admin",
    "*:* on *",
    change(happy.iamPolicy(), "policy", doc([{ Effect: "Allow", Action: "*:*", Resource: "*" }])),
  ),
  passes("iam-role-policy-no-full-admin", "scoped policy", happy.rolePolicy()),
  violates(
    "iam-role-policy-no-full-admin",
    "NotAction on *",
    change(
      happy.rolePolicy(),
      "policy",
      doc([{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }]),
    ),
  ),
  passes("iam-policy-no-sensitive-wildcards", "specific actions", happy.iamPolicy()),
  violates(
    "iam-policy-no-sensitive-wildcards",
    "iam:*",
    change(happy.iamPolicy(), "policy", doc([{ Effect: "Allow", Action: "iam:*", Resource: "*" }])),
  ),
  passes("iam-role-policy-no-sensitive-wildcards", "specific actions", happy.rolePolicy()),
  passes(
    "iam-role-policy-no-sensitive-wildcards",
    "wildcard on a service not listed",
    change(
      happy.rolePolicy(),
      "policy",
      doc([{ Effect: "Allow", Action: "cloudwatch:*", Resource: "*" }]),
    ),
  ),
  violates(
    "iam-role-policy-no-sensitive-wildcards",
    "kms:*",
    change(
      happy.rolePolicy(),
      "policy",
      doc([{ Effect: "Allow", Action: ["kms:*"], Resource: "*" }]),
    ),
  ),
  passes(
    "iam-role-attached-policies-least-privilege",
    "no inline or managed policies",
    happy.role(),
  ),
  violates(
    "iam-role-attached-policies-least-privilege",
    "inline policy with NotAction on *",
    change(happy.role(), "inlinePolicies", [
      { name: "admin", policy: doc([{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }]) },
    ]),
  ),
  violates(
    "iam-role-attached-policies-least-privilege",
    "AdministratorAccess in managedPolicyArns",
    change(happy.role(), "managedPolicyArns", ["arn:aws:iam::aws:policy/AdministratorAccess"]),
  ),
  passes("iam-role-policy-attachment-no-admin", "worker node policy", happy.rolePolicyAttachment()),
  violates(
    "iam-role-policy-attachment-no-admin",
    "AdministratorAccess",
    change(
      happy.rolePolicyAttachment(),
      "policyArn",
      "arn:aws:iam::aws:policy/AdministratorAccess",
    ),
  ),
  passes("iam-no-users", "a role is not a user", happy.role()),
  violates("iam-no-users", "an IAM user", {
    ...happy.role(),
    type: "aws:iam/user:User",
    urn: urn("aws:iam/user:User", "ci"),
    name: "ci",
    properties: { name: "ci" },
  }),
  passes("iam-role-trust-not-public", "OIDC trust", happy.role()),
  violates(
    "iam-role-trust-not-public",
    "anyone",
    change(
      happy.role(),
      "assumeRolePolicy",
      doc([{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }]),
    ),
  ),
  passes("iam-irsa-trust-scoped", "one service account", happy.role()),
  violates(
    "iam-irsa-trust-scoped",
    "any service account",
    change(
      happy.role(),
      "assumeRolePolicy",
      JSON.parse(
        JSON.stringify(happy.role().properties.assumeRolePolicy).replace(
          "system:serviceaccount:external-dns:external-dns",
          "system:serviceaccount:*",
        ),
      ),
    ),
  ),

  // Logs
  passes("log-group-retention", "one year", happy.logGroup()),
  violates(
    "log-group-retention",
    "kept forever",
    change(happy.logGroup(), "retentionInDays", undefined),
  ),
  violates("log-group-retention", "7 days", change(happy.logGroup(), "retentionInDays", 7)),
  passes("log-group-kms", "customer key", happy.logGroup()),
  violates("log-group-kms", "no key", change(happy.logGroup(), "kmsKeyId", undefined)),

  // Kubernetes
  passes("k8s-pod-security-restricted", "restricted Deployment", happy.deployment()),
  violates(
    "k8s-pod-security-restricted",
    "privileged DaemonSet",
    change(happy.daemonSet(), `${container}.securityContext.privileged`, true),
  ),
  passes("k8s-pod-security-restricted", "restricted StatefulSet", happy.statefulSet()),
  violates(
    "k8s-pod-security-restricted",
    "escalation not forbidden",
    change(happy.deployment(), `${container}.securityContext.allowPrivilegeEscalation`, undefined),
  ),
  passes("k8s-pod-security-restricted", "non-root Job", happy.job()),
  violates(
    "k8s-pod-security-restricted",
    "container runs as UID 0",
    change(happy.deployment(), `${container}.securityContext.runAsUser`, 0),
  ),
  violates(
    "k8s-pod-security-restricted",
    "no runAsNonRoot in a CronJob",
    change(
      happy.cronJob(),
      "spec.jobTemplate.spec.template.spec.securityContext.runAsNonRoot",
      undefined,
    ),
  ),
  passes("k8s-read-only-root-filesystem", "read-only CronJob", happy.cronJob()),
  violates(
    "k8s-read-only-root-filesystem",
    "writable root in a Pod",
    change(happy.pod(), "spec.containers.0.securityContext.readOnlyRootFilesystem", false),
  ),
  passes("k8s-pod-security-restricted", "drops ALL", happy.deployment()),
  passes(
    "k8s-pod-security-restricted",
    "adds back NET_BIND_SERVICE",
    change(happy.deployment(), `${container}.securityContext.capabilities.add`, [
      "NET_BIND_SERVICE",
    ]),
  ),
  violates(
    "k8s-pod-security-restricted",
    "drops nothing",
    change(happy.deployment(), `${container}.securityContext.capabilities`, undefined),
  ),
  violates(
    "k8s-pod-security-restricted",
    "adds SYS_ADMIN",
    change(happy.deployment(), `${container}.securityContext.capabilities.add`, ["SYS_ADMIN"]),
  ),
  passes("k8s-resource-requests-limits", "sized", happy.deployment()),
  violates(
    "k8s-resource-requests-limits",
    "no memory limit",
    change(happy.deployment(), `${container}.resources.limits`, undefined),
  ),
  violates("k8s-resource-requests-limits", "no CPU limit when required", happy.deployment(), {
    "k8s-resource-requests-limits": { requireCpuLimit: true },
  }),
  passes("k8s-pinned-images", "version tag", happy.deployment()),
  passes(
    "k8s-pinned-images",
    "registry with a port and a digest",
    change(
      happy.deployment(),
      `${container}.image`,
      "registry.internal:5000/api@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ),
  ),
  violates(
    "k8s-pinned-images",
    "latest",
    change(happy.deployment(), `${container}.image`, "ghcr.io/acme/api:latest"),
  ),
  violates(
    "k8s-pinned-images",
    "untagged image behind a registry port",
    change(happy.deployment(), `${container}.image`, "registry.internal:5000/api"),
  ),
  passes("k8s-pod-security-restricted", "isolated", happy.daemonSet()),
  violates(
    "k8s-pod-security-restricted",
    "host network",
    change(happy.daemonSet(), "spec.template.spec.hostNetwork", true),
  ),
  violates(
    "k8s-pod-security-restricted",
    "host port",
    change(happy.deployment(), `${container}.ports.0.hostPort`, 8080),
  ),
  passes(
    "k8s-pod-security-restricted",
    "exempt namespace",
    change(
      change(happy.daemonSet(), "spec.template.spec.hostPID", true),
      "metadata.namespace",
      "kube-system",
    ),
    { "k8s-pod-security-restricted": { exemptNamespaces: ["kube-system"] } },
  ),
  passes("k8s-pod-security-restricted", "no host path", happy.daemonSet()),
  violates(
    "k8s-pod-security-restricted",
    "container runtime socket",
    change(happy.daemonSet(), "spec.template.spec.volumes", [
      { name: "sock", hostPath: { path: "/run/containerd/containerd.sock" } },
    ]),
  ),
  passes(
    "k8s-pod-security-restricted",
    "allowed log path",
    change(happy.daemonSet(), "spec.template.spec.volumes", [
      { name: "logs", hostPath: { path: "/var/log" } },
    ]),
    { "k8s-pod-security-restricted": { allowedHostPaths: ["/var/log"] } },
  ),
  passes("k8s-not-default-namespace", "own namespace", happy.deployment()),
  violates(
    "k8s-not-default-namespace",
    "no namespace",
    change(happy.deployment(), "metadata.namespace", undefined),
  ),
  violates(
    "k8s-not-default-namespace",
    "default namespace",
    change(happy.job(), "metadata.namespace", "default"),
  ),
  passes("k8s-liveness-readiness-probes", "probed", happy.deployment()),
  passes("k8s-liveness-readiness-probes", "Jobs need no probes", happy.job()),
  violates(
    "k8s-liveness-readiness-probes",
    "no readiness probe",
    change(happy.statefulSet(), `${container}.readinessProbe`, undefined),
  ),
  passes("k8s-pod-security-restricted", "RuntimeDefault", happy.deployment()),
  violates(
    "k8s-pod-security-restricted",
    "no seccomp profile",
    change(happy.deployment(), `${podSec}.seccompProfile`, undefined),
  ),
  violates(
    "k8s-pod-security-restricted",
    "Unconfined container",
    change(happy.deployment(), `${container}.securityContext.seccompProfile`, {
      type: "Unconfined",
    }),
  ),
  passes("k8s-no-default-service-account-token", "dedicated service account", happy.deployment()),
  passes(
    "k8s-no-default-service-account-token",
    "default account without a token",
    change(
      change(happy.pod(), "spec.serviceAccountName", undefined),
      "spec.automountServiceAccountToken",
      false,
    ),
  ),
  violates(
    "k8s-no-default-service-account-token",
    "default account with a token",
    change(happy.deployment(), "spec.template.spec.serviceAccountName", undefined),
  ),
  passes(
    "k8s-no-cluster-admin-for-broad-groups",
    "view for a named group",
    happy.clusterRoleBinding(),
  ),
  passes(
    "k8s-no-cluster-admin-for-broad-groups",
    "cluster-admin for one service account",
    change(change(happy.clusterRoleBinding(), "roleRef.name", "cluster-admin"), "subjects", [
      { kind: "ServiceAccount", name: "argocd", namespace: "argocd" },
    ]),
  ),
  violates(
    "k8s-no-cluster-admin-for-broad-groups",
    "cluster-admin for system:authenticated",
    change(
      change(happy.clusterRoleBinding(), "roleRef.name", "cluster-admin"),
      "subjects.0.name",
      "system:authenticated",
    ),
  ),
  passes("k8s-no-namespace-admin-for-broad-groups", "edit for a named group", {
    ...change(happy.clusterRoleBinding(), "roleRef.name", "edit"),
    type: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
  }),
  violates(
    "k8s-no-namespace-admin-for-broad-groups",
    "cluster-admin for all service accounts of a namespace",
    {
      ...change(
        change(happy.clusterRoleBinding(), "roleRef.name", "cluster-admin"),
        "subjects.0.name",
        "system:serviceaccounts:payments",
      ),
      type: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    },
  ),
  passes("helm-release-pinned-chart", "https repository and exact version", happy.helmRelease()),
  passes(
    "helm-release-pinned-chart",
    "OCI chart",
    change(
      change(happy.helmRelease(), "chart", "oci://public.ecr.aws/karpenter/karpenter"),
      "repositoryOpts",
      undefined,
    ),
  ),
  violates(
    "helm-release-pinned-chart",
    "version range",
    change(happy.helmRelease(), "version", "^88.0.0"),
  ),
  violates(
    "helm-release-pinned-chart",
    "no version",
    change(happy.helmRelease(), "version", undefined),
  ),
  violates(
    "helm-release-pinned-chart",
    "http repository",
    change(happy.helmRelease(), "repositoryOpts.repo", "http://charts.example.com"),
  ),

  // Data safety
  passes("stateful-resources-protected", "protected database", happy.rdsInstance()),
  passes("stateful-resources-protected", "protected PVC", happy.persistentVolumeClaim()),
  violates(
    "stateful-resources-protected",
    "unprotected bucket",
    withOptions(happy.bucket(), { protect: false }),
  ),
  violates(
    "stateful-resources-protected",
    "unprotected KMS key",
    withOptions(happy.kmsKey(), { protect: false }),
  ),

  // Resources
  passes("required-cost-allocation-tags", "tags from the provider", happy.bucket()),
  passes(
    "required-cost-allocation-tags",
    "tags on the resource",
    change(
      { ...happy.logGroup(), provider: { ...awsProvider, properties: { region: "us-west-2" } } },
      "tags",
      {
        "platform:stack": "s",
        "platform:environment": "e",
        "platform:cost-center": "c",
        "platform:owner": "o",
      },
    ),
  ),
  violates("required-cost-allocation-tags", "provider without default tags", {
    ...happy.logGroup(),
    provider: { ...awsProvider, properties: { region: "us-west-2" } },
  }),
  passes("allowed-regions", "us-west-2 provider", happy.awsProviderResource()),
  passes("allowed-regions", "resource on the regional provider", happy.bucket()),
  violates("allowed-regions", "EU stack given a US provider", happy.awsProviderResource(), {
    "allowed-regions": { allowedRegions: ["eu-west-1", "eu-central-1"] },
  }),
  violates(
    "allowed-regions",
    "resource region override",
    change(happy.bucket(), "region", "ap-southeast-1"),
  ),
  violates("allowed-regions", "default provider", {
    ...happy.bucket(),
    provider: {
      ...awsProvider,
      urn: urn("pulumi:providers:aws", "default_7_48_0"),
      name: "default_7_48_0",
      properties: {},
    },
  }),
  passes("approved-instance-families", "Graviton node group", happy.nodeGroup()),
  violates(
    "approved-instance-families",
    "previous generation on demand",
    change(happy.nodeGroup(), "instanceTypes", ["m5.xlarge"]),
  ),
  passes(
    "approved-instance-families",
    "previous generation in a spot pool",
    change(
      change(happy.nodeGroup(), "instanceTypes", ["m6a.xlarge", "m5.xlarge"]),
      "capacityType",
      "SPOT",
    ),
  ),
  passes("prefer-graviton-or-spot", "Graviton", happy.nodeGroup()),
  passes(
    "prefer-graviton-or-spot",
    "x86 on spot",
    change(change(happy.nodeGroup(), "instanceTypes", ["m7i.xlarge"]), "capacityType", "SPOT"),
  ),
  violates(
    "prefer-graviton-or-spot",
    "x86 on demand",
    change(happy.nodeGroup(), "instanceTypes", ["m7i.xlarge"]),
  ),

  // Stack
  stackCase("s3-bucket-companions", "bucket with all companions", "passes"),
  stackCase("s3-bucket-companions", "companions matched by bucket name", "passes", (s) => {
    s.companions = s.companions.map((c) => ({ ...c, propertyDependencies: {} }));
  }),
  stackCase("s3-bucket-companions", "bucket without versioning", "violates", (s) => {
    s.companions = s.companions.filter((c) => !c.type.includes("Versioning"));
  }),
  stackCase("s3-bucket-companions", "deprecated V2 encryption with SSE-S3", "violates", (s) => {
    s.companions = s.companions.map((c) =>
      c.type.includes("ServerSideEncryption")
        ? change(
            {
              ...c,
              type: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
            },
            "rules.0.applyServerSideEncryptionByDefault",
            { sseAlgorithm: "AES256" },
          )
        : c,
    );
  }),
  stackCase("s3-bucket-companions", "SSE-S3 on a bucket that is no log target", "violates", (s) => {
    s.companions = s.companions.map((c) =>
      c.type.includes("ServerSideEncryption")
        ? change(c, "rules.0.applyServerSideEncryptionByDefault", { sseAlgorithm: "AES256" })
        : c,
    );
  }),
  stackCase("s3-bucket-companions", "SSE-S3 on a server access log target", "passes", (s) => {
    s.companions = s.companions.map((c) =>
      c.type.includes("ServerSideEncryption")
        ? change(c, "rules.0.applyServerSideEncryptionByDefault", { sseAlgorithm: "AES256" })
        : c,
    );
    const source = happy.bucket("assets");
    (s as Record<string, unknown>).logging = withDeps(
      {
        ...happy.bucket("assets"),
        type: "aws:s3/bucketLogging:BucketLogging",
        urn: urn("aws:s3/bucketLogging:BucketLogging", "assets-logging"),
        name: "assets-logging",
        properties: { targetPrefix: "assets/" },
        options: {},
      },
      { bucket: [source], targetBucket: [s.bucket] },
    );
    (s as Record<string, unknown>).assets = source;
    (s as Record<string, unknown>).assetsCompanions = [
      happy.publicAccessBlock("platform-assets"),
      happy.sseConfiguration("platform-assets"),
      happy.versioning("platform-assets"),
    ];
  }),
  stackCase(
    "s3-bucket-companions",
    "SSE-KMS on a log target, where delivery fails",
    "violates",
    (s) => {
      (s as Record<string, unknown>).logging = withDeps(
        {
          ...happy.bucket("assets"),
          type: "aws:s3/bucketLogging:BucketLogging",
          urn: urn("aws:s3/bucketLogging:BucketLogging", "self-logging"),
          name: "self-logging",
          properties: { targetPrefix: "self/" },
          options: {},
        },
        { targetBucket: [s.bucket] },
      );
    },
  ),
  stackCase("vpc-flow-logs", "VPC with flow log", "passes"),
  stackCase("vpc-flow-logs", "VPC without flow log", "violates", (s) => {
    s.flowLog = s.flowLogGroup;
  }),
  stackCase("eks-node-groups-in-private-subnets", "private subnets", "passes"),
  stackCase(
    "eks-node-groups-in-private-subnets",
    "subnet routed to the internet gateway",
    "violates",
    (s) => {
      s.nodeGroup = withDeps(s.nodeGroup, { subnetIds: [s.privateSubnet, s.publicSubnet] });
    },
  ),
  stackCase("world-ingress-only-on-load-balancers", "443 open on the ALB's group", "passes"),
  stackCase(
    "world-ingress-only-on-load-balancers",
    "443 open on a group no load balancer uses",
    "violates",
    (s) => {
      s.alb = withDeps(s.alb, { subnets: [s.publicSubnet] });
    },
  ),
  stackCase("rds-master-password-not-plaintext", "managed password", "passes"),
  stackCase("rds-master-password-not-plaintext", "generated password", "passes", (s) => {
    const pw = {
      urn: urn("random:index/randomPassword:RandomPassword", "orders"),
      type: "random:index/randomPassword:RandomPassword",
      name: "orders",
      properties: { length: 32 },
    };
    s.rdsInstance = withDeps(
      change(
        change(s.rdsInstance, "manageMasterUserPassword", undefined),
        "password",
        "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
      ),
      { password: [pw] },
    );
    (s as Record<string, unknown>).password = pw;
  }),
  stackCase(
    "rds-master-password-not-plaintext",
    "password written in the program",
    "violates",
    (s) => {
      s.rdsInstance = change(
        change(s.rdsInstance, "manageMasterUserPassword", undefined),
        "password",
        "hunter2hunter2",
      );
    },
  ),
  stackCase("aurora-cluster-multi-az-instances", "writer and reader", "passes"),
  stackCase("aurora-cluster-multi-az-instances", "writer only", "violates", (s) => {
    s.clusterInstances = s.clusterInstances.slice(0, 1);
  }),
  stackCase("pdb-for-multi-replica-deployments", "PDB selects the pods", "passes"),
  stackCase("pdb-for-multi-replica-deployments", "PDB selects other pods", "violates", (s) => {
    s.pdb = change(s.pdb, "spec.selector.matchLabels", { app: "worker" });
  }),
  stackCase("pdb-for-multi-replica-deployments", "single replica needs no PDB", "passes", (s) => {
    s.deployment = change(s.deployment, "spec.replicas", 1);
    s.pdb = s.bucket;
  }),
  stackCase("namespace-default-deny-network-policy", "default deny present", "passes"),
  stackCase(
    "namespace-default-deny-network-policy",
    "policy in a namespace known only by dependency",
    "passes",
    (s) => {
      s.defaultDeny = change(
        s.defaultDeny,
        "metadata.namespace",
        "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
      );
    },
  ),
  stackCase("namespace-default-deny-network-policy", "only an allow policy", "violates", (s) => {
    s.defaultDeny = change(s.defaultDeny, "spec.ingress", [{ from: [{ podSelector: {} }] }]);
  }),
  stackCase(
    "namespace-default-deny-network-policy",
    "egress required but only ingress denied",
    "violates",
    (s) => {
      s.defaultDeny = change(s.defaultDeny, "spec.policyTypes", ["Ingress"]);
    },
    { "namespace-default-deny-network-policy": { requireEgress: true } },
  ),
  ...drCases,
  ...costCases,
];
