import * as pulumi from "@pulumi/pulumi";

/** A keyless (Fulcio certificate) signer: the OIDC issuer and the identity CI signs as. */
export interface KeylessSigner {
  /** e.g. `https://token.actions.githubusercontent.com` */
  readonly issuer: string;
  /**
   * Regular expression (anchored `^...$`) of the signers' identities, e.g.
   * `^https://github\.com/<org>/[^/]+/\.github/workflows/release\.yml@refs/heads/main$`.
   */
  readonly subject: string;
}

/** How the platform's own images are signed; at least one of the two makes the signature policy. */
export interface ImageSigning {
  /**
   * PEM public key of the cosign signing key (`-----BEGIN PUBLIC KEY-----`), e.g. the public half
   * of the KMS key CI signs with (`cosign sign --key awskms:///<arn>`). Held in config, not read
   * from KMS, so admission never depends on KMS in a failed region.
   * @default - no key attestor
   */
  readonly publicKey?: string;
  /** @default - no keyless attestor */
  readonly keyless?: KeylessSigner;
}

/** The Prometheus that scrapes Kyverno and evaluates its alert. */
export interface AdmissionMonitoring {
  /** The namespace Prometheus runs in: its scrapes are let into the kyverno namespace. */
  readonly namespace: pulumi.Input<string>;
  /** The release that installs the Prometheus Operator's CRDs (ServiceMonitor, PrometheusRule). */
  readonly prometheus: pulumi.Resource;
}

export interface AdmissionArgs {
  readonly accountId: string;
  readonly region: string;
  /** Namespaces whose pods the policies enforce, failing closed (the "production namespaces"). */
  readonly applicationNamespaces: readonly string[];
  /** Prefix of the platform's own ECR repositories (`<host>/<prefix>/*` must be signed). */
  readonly repositoryPrefix: string;
  /**
   * @default {} - no signature policy (the stack warns)
   * @see https://kyverno.io/docs/policy-types/image-validating-policy/
   */
  readonly signing?: ImageSigning;
  /** The VPC's CIDR: the EKS control plane calls the webhooks from its ENIs there. */
  readonly vpcCidr: string;
  /** The cluster's IAM OIDC provider, for the admission controller's ECR read role (IRSA). */
  readonly oidcProviderArn: pulumi.Input<string>;
  readonly oidcIssuerUrl: pulumi.Input<string>;
  /**
   * Admission controller replicas, spread over the zones.
   * @default 3
   */
  readonly admissionReplicas?: number;
  /**
   * Scrape Kyverno's admission controller and page when it is down (application namespaces then
   * accept no pod).
   * @default - not monitored
   */
  readonly monitoring?: AdmissionMonitoring;
}
