/** Violating and passing cases of the worker compute policies. */
import { type Case, exercising, passes, stackCase, violates } from "../test/case";
import { change, withDeps } from "../test/builders";
import { happy } from "../test/fixtures";

export const cases: Case[] = [
  passes("launch-template-imdsv2", "tokens required", happy.launchTemplate()),
  exercising(
    ["CKV_AWS_79", "AVD-AWS-0130"],
    violates(
      "launch-template-imdsv2",
      "tokens optional",
      change(happy.launchTemplate(), "metadataOptions.httpTokens", "optional"),
    ),
  ),
  violates(
    "launch-template-imdsv2",
    "no metadata options",
    change(happy.launchTemplate(), "metadataOptions", undefined),
  ),
  passes("instance-imdsv2", "tokens required", happy.instance()),
  exercising(
    ["CKV_AWS_79", "AVD-AWS-0028"],
    violates(
      "instance-imdsv2",
      "tokens optional",
      change(happy.instance(), "metadataOptions.httpTokens", "optional"),
    ),
  ),
  passes("launch-template-metadata-hop-limit", "hop limit 2", happy.launchTemplate()),
  exercising(
    ["CKV_AWS_341"],
    violates(
      "launch-template-metadata-hop-limit",
      "hop limit 3",
      change(happy.launchTemplate(), "metadataOptions.httpPutResponseHopLimit", 3),
    ),
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
  exercising(
    ["CKV_AWS_8", "AVD-AWS-0131"],
    violates(
      "instance-ebs-encrypted",
      "unencrypted root",
      change(happy.instance(), "rootBlockDevice.encrypted", false),
    ),
  ),
  passes("ebs-volume-encrypted", "customer key", happy.ebsVolume()),
  exercising(
    ["CKV_AWS_189", "AVD-AWS-0027"],
    violates(
      "ebs-volume-encrypted",
      "AWS-managed key",
      change(happy.ebsVolume(), "kmsKeyId", undefined),
    ),
  ),
  passes("launch-template-no-public-ip", "no public IP", happy.launchTemplate()),
  exercising(
    ["CKV_AWS_88", "AVD-AWS-0009"],
    violates(
      "launch-template-no-public-ip",
      "public IP",
      change(happy.launchTemplate(), "networkInterfaces.0.associatePublicIpAddress", "true"),
    ),
  ),
  passes("instance-no-public-ip", "no public IP", happy.instance()),
  exercising(
    ["CKV_AWS_88", "AVD-AWS-0009"],
    violates(
      "instance-no-public-ip",
      "public IP",
      change(happy.instance(), "associatePublicIpAddress", true),
    ),
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
  exercising(
    ["CKV_AWS_88", "CIS EKS 5.4.3"],
    violates(
      "eks-component-private-nodes",
      "default node group with the component's public-IP default",
      change(happy.eksComponent(), "skipDefaultNodeGroup", undefined),
    ),
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
  stackCase("eks-node-groups-in-private-subnets", "private subnets", "passes"),
  exercising(
    ["CIS EKS 5.4.3"],
    stackCase(
      "eks-node-groups-in-private-subnets",
      "subnet routed to the internet gateway",
      "violates",
      (s) => {
        s.nodeGroup = withDeps(s.nodeGroup, { subnetIds: [s.privateSubnet, s.publicSubnet] });
      },
    ),
  ),
  exercising(
    ["CKV_AWS_3", "AVD-AWS-0026", "CKV_AWS_189", "AVD-AWS-0027"],
    violates(
      "ebs-volume-encrypted",
      "unencrypted",
      change(change(happy.ebsVolume(), "encrypted", false), "kmsKeyId", undefined),
    ),
  ),
  passes("launch-template-no-credentials-in-user-data", "bootstrap script", happy.launchTemplate()),
  exercising(
    ["CKV_AWS_46", "AVD-AWS-0129"],
    violates(
      "launch-template-no-credentials-in-user-data",
      "an access key in the script",
      change(
        happy.launchTemplate(),
        "userData",
        Buffer.from(
          "#!/bin/bash\nexport AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nexport AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
        ).toString("base64"),
      ),
    ),
  ),
  passes("node-group-remote-access-restricted", "no remote access", happy.nodeGroup()),
  passes(
    "node-group-remote-access-restricted",
    "SSH from a bastion's group",
    change(happy.nodeGroup(), "remoteAccess", {
      ec2SshKey: "ops",
      sourceSecurityGroupIds: ["sg-0123456789abcdef0"],
    }),
  ),
  exercising(
    ["CKV_AWS_100"],
    violates(
      "node-group-remote-access-restricted",
      "SSH key without source groups",
      change(happy.nodeGroup(), "remoteAccess", { ec2SshKey: "ops" }),
    ),
  ),
  passes("lambda-runtime-supported", "nodejs22.x", happy.lambdaFunction()),
  exercising(
    ["CKV_AWS_363"],
    violates(
      "lambda-runtime-supported",
      "nodejs16.x",
      change(happy.lambdaFunction(), "runtime", "nodejs16.x"),
    ),
  ),
  violates(
    "lambda-runtime-supported",
    "nodejs18.x, deprecated since 2025-09-01",
    change(happy.lambdaFunction(), "runtime", "nodejs18.x"),
  ),
  passes(
    "lambda-no-credentials-in-environment",
    "a path and a name, no credential",
    happy.lambdaFunction(),
  ),
  exercising(
    ["CKV_AWS_45"],
    violates(
      "lambda-no-credentials-in-environment",
      "an AWS access key id",
      change(
        happy.lambdaFunction(),
        "environment.variables.AWS_ACCESS_KEY_ID",
        "AKIAIOSFODNN7EXAMPLE",
      ),
    ),
  ),
  violates(
    "lambda-no-credentials-in-environment",
    "a plain database password",
    change(happy.lambdaFunction(), "environment.variables.DB_PASSWORD", "hunter2hunter2"),
  ),
  passes(
    "lambda-no-credentials-in-environment",
    "a secret's ARN in a variable named as a secret",
    change(
      happy.lambdaFunction(),
      "environment.variables.SECRET_ARN",
      "arn:aws:secretsmanager:us-west-2:111122223333:secret:db-AbCdEf",
    ),
  ),
  passes("lambda-function-in-vpc", "private subnets", happy.lambdaFunction()),
  exercising(
    ["CKV_AWS_117"],
    violates(
      "lambda-function-in-vpc",
      "no VPC config",
      change(happy.lambdaFunction(), "vpcConfig", undefined),
    ),
  ),
  violates(
    "lambda-function-in-vpc",
    "no subnets",
    change(happy.lambdaFunction(), "vpcConfig.subnetIds", []),
  ),
  passes("lambda-function-concurrency-limit", "reserved 1", happy.lambdaFunction()),
  exercising(
    ["CKV_AWS_115"],
    violates(
      "lambda-function-concurrency-limit",
      "unset",
      change(happy.lambdaFunction(), "reservedConcurrentExecutions", undefined),
    ),
  ),
  violates(
    "lambda-function-concurrency-limit",
    "-1, unreserved",
    change(happy.lambdaFunction(), "reservedConcurrentExecutions", -1),
  ),
  passes("lambda-function-tracing", "active tracing", happy.lambdaFunction()),
  exercising(
    ["CKV_AWS_50", "AVD-AWS-0066"],
    violates(
      "lambda-function-tracing",
      "no tracing config",
      change(happy.lambdaFunction(), "tracingConfig", undefined),
    ),
  ),
  passes(
    "lambda-permission-scoped",
    "Secrets Manager, for one secret of this account",
    happy.lambdaPermission(),
  ),
  exercising(
    ["AVD-AWS-0067"],
    violates(
      "lambda-permission-scoped",
      "Secrets Manager, for this account's secrets, any of them",
      change(happy.lambdaPermission(), "sourceArn", undefined),
    ),
  ),
  exercising(
    ["CKV_AWS_301"],
    violates(
      "lambda-permission-scoped",
      "anyone",
      change(happy.lambdaPermission(), "principal", "*"),
    ),
  ),
  exercising(
    ["CKV_AWS_364"],
    violates(
      "lambda-permission-scoped",
      "a service for any account's resource",
      change(change(happy.lambdaPermission(), "sourceArn", undefined), "sourceAccount", undefined),
    ),
  ),
];
