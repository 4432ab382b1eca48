/**
 * Admission verification on every stack, primary and standby alike: a standby's cluster takes
 * the same workloads after failover and must admit them under the same rules. The registry host
 * is the stack's own: a standby's own repositories arrive by replication and its pull-through
 * cache is its own, so no image needs the (possibly failed) peer region's ECR.
 */
import { Admission, type AdmissionMonitoring } from "@platform/admission";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformContext } from "./program";

export function deployAdmission(
  context: PlatformContext,
  monitoring: AdmissionMonitoring,
): {
  admission: Admission;
  outputs: Record<string, unknown>;
} {
  const { foundation, registry, admission: settings } = context.config;
  if (!settings.signing.publicKey && !settings.signing.keyless) {
    void pulumi.log.warn(
      "platform:imageSigningPublicKey (or platform:imageSigningKeylessIssuer with platform:imageSigningKeylessSubject) is unset: no image signature policy, so unsigned images of the platform's own repositories are admitted; set the cosign public key before deploying.",
    );
  }
  const admission = new Admission(
    "admission",
    {
      accountId: foundation.accountId,
      region: foundation.region,
      applicationNamespaces: foundation.cluster.applicationNamespaces,
      repositoryPrefix: registry.repositoryPrefix,
      signing: settings.signing,
      vpcCidr: foundation.network.vpcCidr,
      oidcProviderArn: context.cluster.oidcProviderArn,
      oidcIssuerUrl: context.cluster.oidcProviderUrl,
      admissionReplicas: settings.admissionReplicas,
      monitoring,
    },
    { providers: { aws: context.aws, kubernetes: context.cluster.kubernetesProvider } },
  );
  return {
    admission,
    outputs: {
      admissionPolicies: Object.keys(admission.policies),
      admissionVerifiesSignatures: admission.verifiesSignatures,
    },
  };
}
