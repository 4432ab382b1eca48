/** IAM of the admission controller, as a pure document. */
import { policyDocument, PolicyDocument } from "@platform/core";

/**
 * Reads cosign signatures (stored as `sha256-<digest>.sig` tags beside the image) of the own
 * repositories: the ECR token (account-wide by design) and pulls under `<prefix>/`, nothing else.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html
 */
export function signatureReaderPolicy(
  accountId: string,
  region: string,
  repositoryPrefix: string,
): PolicyDocument {
  return policyDocument([
    { Sid: "EcrToken", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
    {
      Sid: "ReadOwnRepositories",
      Effect: "Allow",
      Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:DescribeImages"],
      Resource: [`arn:aws:ecr:${region}:${accountId}:repository/${repositoryPrefix}/*`],
    },
  ]);
}
