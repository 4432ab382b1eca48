/** Happy-path EKS resources: each a correct production resource that passes every policy. */
import { ACCOUNT, aws, KEY_ARN, resource } from "../test/builders";

const LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

export const happyEks = {
  eksComponent: () =>
    resource(
      "eks:index:Cluster",
      "platform",
      {
        endpointPublicAccess: false,
        endpointPrivateAccess: true,
        encryptionConfigKeyArn: KEY_ARN,
        enabledClusterLogTypes: LOG_TYPES,
        version: "1.34",
        skipDefaultNodeGroup: true,
      },
      undefined,
    ),
  eksCluster: () =>
    aws("aws:eks/cluster:Cluster", "platform-cluster", {
      roleArn: `arn:aws:iam::${ACCOUNT}:role/platform-cluster`,
      version: "1.34",
      vpcConfig: {
        endpointPrivateAccess: true,
        endpointPublicAccess: false,
        subnetIds: ["subnet-0a", "subnet-0b", "subnet-0c"],
      },
      encryptionConfig: { provider: { keyArn: KEY_ARN }, resources: ["secrets"] },
      enabledClusterLogTypes: LOG_TYPES,
    }),
};
