/** Happy-path supply-chain resources: each a correct production resource that passes every policy. */
import { ACCOUNT, aws, KEY_ARN, PROTECT } from "../test/builders";

export const happySupplyChain = {
  ecrRepository: () =>
    aws(
      "aws:ecr/repository:Repository",
      "payments",
      {
        name: "platform/payments",
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: KEY_ARN }],
      },
      PROTECT,
    ),
  ecrCreationTemplate: () =>
    aws("aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate", "quay", {
      prefix: "quay",
      appliedFors: ["PULL_THROUGH_CACHE"],
      customRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecr-creation`,
      imageTagMutability: "IMMUTABLE",
      encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: KEY_ARN }],
    }),
  ecrRepositoryPolicy: () =>
    aws("aws:ecr/repositoryPolicy:RepositoryPolicy", "payments", {
      repository: "platform/payments",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "PullFromTheClusters",
            Effect: "Allow",
            Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:role/nodes`] },
            Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
          },
        ],
      }),
    }),
};
