/** Violating and passing cases of the supply-chain policies. */
import { type Case, exercising, passes, violates } from "../test/case";
import { change } from "../test/builders";
import { happy } from "../test/fixtures";

const ECR_IMAGE = "111122223333.dkr.ecr.us-west-2.amazonaws.com/quay/prometheus/prometheus:v3.14.0";

const OPERATOR_IMAGE = "values.prometheusOperator.image";

/** The happy repository policy, granting pulls to Principal "*" (with a condition, if given). */
const ecrPolicyAllowingAnyone = (condition?: Record<string, unknown>) =>
  change(
    happy.ecrRepositoryPolicy(),
    "policy",
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: "*",
          Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
          ...(condition ? { Condition: condition } : {}),
        },
      ],
    }),
  );

export const cases: Case[] = [
  passes(
    "helm-release-images-from-allowed-registries",
    "images from the ECR cache, or only a tag over the chart's default",
    happy.helmRelease(),
  ),
  exercising(
    ["KSV-0125"],
    violates(
      "helm-release-images-from-allowed-registries",
      "an image registry of Docker Hub",
      change(happy.helmRelease(), `${OPERATOR_IMAGE}.registry`, "docker.io"),
    ),
  ),
  violates(
    "helm-release-images-from-allowed-registries",
    "a whole image string from ghcr.io in an added sidecar",
    change(happy.helmRelease(), "values.extraContainers", [
      { name: "proxy", image: "ghcr.io/acme/proxy:1.0.0" },
    ]),
  ),
  violates(
    "helm-release-images-from-allowed-registries",
    "a repository naming quay.io with the registry emptied",
    change(
      change(happy.helmRelease(), `${OPERATOR_IMAGE}.registry`, ""),
      `${OPERATOR_IMAGE}.repository`,
      "quay.io/prometheus-operator/prometheus-operator",
    ),
  ),
  exercising(
    ["KSV-0013"],
    violates(
      "helm-release-images-from-allowed-registries",
      "an image tag of latest, even from the cache",
      change(happy.helmRelease(), `${OPERATOR_IMAGE}.tag`, "latest"),
    ),
  ),
  passes("k8s-images-from-allowed-registries", "image from the ECR cache", happy.deployment()),
  exercising(
    ["KSV-0034", "KSV-0035", "KSV-0125"],
    violates(
      "k8s-images-from-allowed-registries",
      "image straight from Docker Hub",
      change(happy.deployment(), "spec.template.spec.containers.0.image", "velero/velero:v1.18.1"),
    ),
  ),
  violates(
    "k8s-images-from-allowed-registries",
    "image from ghcr.io",
    change(
      happy.cronJob(),
      "spec.jobTemplate.spec.template.spec.containers.0.image",
      "ghcr.io/acme/api:1.4.2",
    ),
  ),
  violates(
    "k8s-images-from-allowed-registries",
    "an init container from registry.k8s.io",
    change(happy.deployment(), "spec.template.spec.initContainers", [
      { name: "setup", image: "registry.k8s.io/kubectl:v1.35.0" },
    ]),
  ),
  violates(
    "k8s-images-from-allowed-registries",
    "a host that only ends like ECR",
    change(
      happy.deployment(),
      "spec.template.spec.containers.0.image",
      "111122223333.dkr.ecr.us-west-2.amazonaws.com.evil.example/x:1.0.0",
    ),
  ),
  violates(
    "k8s-images-from-allowed-registries",
    "ECR image outside a stricter allow-list",
    change(happy.deployment(), "spec.template.spec.containers.0.image", ECR_IMAGE),
    {
      "k8s-images-from-allowed-registries": {
        allowedRegistries: ["999999999999.dkr.ecr.*.amazonaws.com"],
      },
    },
  ),

  passes("ecr-immutable-tags", "immutable repository", happy.ecrRepository()),
  passes("ecr-immutable-tags", "immutable creation template", happy.ecrCreationTemplate()),
  exercising(
    ["CKV_AWS_51", "AVD-AWS-0031"],
    violates(
      "ecr-immutable-tags",
      "mutable repository",
      change(happy.ecrRepository(), "imageTagMutability", "MUTABLE"),
    ),
  ),
  violates(
    "ecr-immutable-tags",
    "creation template without mutability (defaults to MUTABLE)",
    change(happy.ecrCreationTemplate(), "imageTagMutability", undefined),
  ),
  passes("ecr-scan-on-push", "scan on push", happy.ecrRepository()),
  exercising(
    ["CKV_AWS_163", "AVD-AWS-0030"],
    violates(
      "ecr-scan-on-push",
      "no scanning configuration",
      change(happy.ecrRepository(), "imageScanningConfiguration", undefined),
    ),
  ),
  passes("ecr-kms-encryption", "KMS repository", happy.ecrRepository()),
  passes("ecr-kms-encryption", "KMS creation template", happy.ecrCreationTemplate()),
  exercising(
    ["CKV_AWS_136", "AVD-AWS-0033"],
    violates(
      "ecr-kms-encryption",
      "AES256 repository",
      change(happy.ecrRepository(), "encryptionConfigurations", [{ encryptionType: "AES256" }]),
    ),
  ),
  violates(
    "ecr-kms-encryption",
    "creation template without encryption",
    change(happy.ecrCreationTemplate(), "encryptionConfigurations", undefined),
  ),
  passes("ecr-policy-not-public", "pull by the cluster's role", happy.ecrRepositoryPolicy()),
  exercising(
    ["CKV_AWS_32", "AVD-AWS-0032"],
    violates("ecr-policy-not-public", "pull by anyone", ecrPolicyAllowingAnyone()),
  ),
  passes(
    "ecr-policy-not-public",
    "anyone in the organization (a condition)",
    ecrPolicyAllowingAnyone({ StringEquals: { "aws:PrincipalOrgID": "o-abc123" } }),
  ),
];
