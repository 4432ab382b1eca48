/** Happy-path worker compute resources: each a correct production resource that passes every policy. */
import { ACCOUNT, aws, k8s, KEY_ARN, PROTECT } from "../test/builders";

export const happyCompute = {
  launchTemplate: () =>
    aws("aws:ec2/launchTemplate:LaunchTemplate", "nodes", {
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 2,
      },
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: { encrypted: "true", kmsKeyId: KEY_ARN, volumeSize: 100, volumeType: "gp3" },
        },
      ],
      networkInterfaces: [{ associatePublicIpAddress: "false" }],
    }),
  instance: () =>
    aws("aws:ec2/instance:Instance", "runner", {
      ami: "ami-0abcdef1234567890",
      instanceType: "m7g.large",
      metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
      rootBlockDevice: { encrypted: true, kmsKeyId: KEY_ARN },
      associatePublicIpAddress: false,
    }),
  ebsVolume: () =>
    aws(
      "aws:ebs/volume:Volume",
      "data",
      { availabilityZone: "us-west-2a", size: 100, encrypted: true, kmsKeyId: KEY_ARN },
      PROTECT,
    ),
  nodeGroup: () =>
    aws("aws:eks/nodeGroup:NodeGroup", "general", {
      clusterName: "platform",
      nodeRoleArn: `arn:aws:iam::${ACCOUNT}:role/nodes`,
      subnetIds: ["subnet-private-a"],
      instanceTypes: ["m7g.xlarge"],
      capacityType: "ON_DEMAND",
      scalingConfig: { minSize: 3, maxSize: 9, desiredSize: 3 },
    }),
  karpenterNodeClass: () =>
    k8s("kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", "cluster-node-class", {
      apiVersion: "karpenter.k8s.aws/v1",
      kind: "EC2NodeClass",
      metadata: { name: "default" },
      spec: {
        role: "karpenter-nodes",
        amiSelectorTerms: [{ alias: "al2023@v20260101" }],
        subnetSelectorTerms: [{ tags: { "karpenter.sh/discovery": "platform" } }],
        securityGroupSelectorTerms: [{ id: "sg-0123" }],
        metadataOptions: {
          httpEndpoint: "enabled",
          httpPutResponseHopLimit: 1,
          httpTokens: "required",
        },
        blockDeviceMappings: [
          {
            deviceName: "/dev/xvda",
            ebs: { volumeSize: "100Gi", volumeType: "gp3", encrypted: true, kmsKeyID: KEY_ARN },
          },
        ],
      },
    }),
  lambdaFunction: () =>
    aws("aws:lambda/function:Function", "rotation", {
      name: "platform-rotation",
      runtime: "nodejs22.x",
      handler: "index.handler",
      role: `arn:aws:iam::${ACCOUNT}:role/rotation`,
      reservedConcurrentExecutions: 1,
      tracingConfig: { mode: "Active" },
      vpcConfig: {
        subnetIds: ["subnet-private-a", "subnet-private-b"],
        securityGroupIds: ["sg-1"],
      },
      environment: { variables: { NODE_EXTRA_CA_CERTS: "/var/runtime/ca-cert.pem" } },
    }),
  lambdaPermission: () =>
    aws("aws:lambda/permission:Permission", "rotation", {
      function: "platform-rotation",
      action: "lambda:InvokeFunction",
      principal: "secretsmanager.amazonaws.com",
      sourceArn: `arn:aws:secretsmanager:us-west-2:${ACCOUNT}:secret:platform/db-AbCdEf`,
      sourceAccount: ACCOUNT,
    }),
};
