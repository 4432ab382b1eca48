/**
 * Admission verification with Kyverno: the pinned chart in its own restricted namespace, the
 * admission controller's ECR read role, NetworkPolicies for the webhook traffic, and the policies
 * (policies.ts) as custom resources that wait for the release and its CRDs.
 */
import { RestrictedNamespace } from "@platform/cluster";
import { CHARTS, pinnedRelease, Problems, registryHost, serviceAccountRole } from "@platform/core";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AdmissionArgs } from "./args";
import { admissionPrometheusRule } from "./alerts";
import { signatureReaderPolicy } from "./documents";
import { imagePolicies, KYVERNO_NAMESPACE, signaturePolicy } from "./policies";
import { checkAdmission } from "./validation";
import {
  ADMISSION_SERVICE_ACCOUNT,
  CLEANUP_WEBHOOK_PORT,
  KYVERNO_RELEASE,
  kyvernoValues,
  METRICS_PORT,
  WEBHOOK_PORT,
} from "./values";

export const ADMISSION_DEFAULTS = { admissionReplicas: 3 } as const;

export class Admission extends pulumi.ComponentResource {
  public readonly namespace: RestrictedNamespace;
  public readonly release: k8s.helm.v3.Release;
  public readonly admissionRoleArn: pulumi.Output<string>;
  /** Every Kyverno policy declared, by its Kubernetes name. */
  public readonly policies: Readonly<Record<string, k8s.apiextensions.CustomResource>>;
  /** Whether the cosign signature policy exists (a key or a keyless signer is configured). */
  public readonly verifiesSignatures: boolean;

  constructor(name: string, args: AdmissionArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("platform:admission:Admission", name, {}, opts);
    const admissionReplicas = args.admissionReplicas ?? ADMISSION_DEFAULTS.admissionReplicas;
    const problems = new Problems();
    checkAdmission(
      problems,
      {
        publicKey: args.signing?.publicKey,
        keylessIssuer: args.signing?.keyless?.issuer,
        keylessSubject: args.signing?.keyless?.subject,
        admissionReplicas,
        applicationNamespaces: args.applicationNamespaces,
      },
      (field) =>
        ({
          publicKey: "args.signing.publicKey",
          keylessIssuer: "args.signing.keyless.issuer",
          keylessSubject: "args.signing.keyless.subject",
          admissionReplicas: "args.admissionReplicas",
          applicationNamespaces: "args.applicationNamespaces",
        })[field],
    );
    problems.throwIfAny(`Admission ${name}`);

    const childOpts = { parent: this };
    const host = registryHost(args.accountId, args.region);
    this.namespace = new RestrictedNamespace(KYVERNO_NAMESPACE, {}, childOpts);
    const role = serviceAccountRole(
      `${name}-kyverno-admission`,
      {
        oidcProviderArn: args.oidcProviderArn,
        oidcIssuerUrl: args.oidcIssuerUrl,
        namespace: KYVERNO_NAMESPACE,
        serviceAccount: ADMISSION_SERVICE_ACCOUNT,
        policy: JSON.stringify(
          signatureReaderPolicy(args.accountId, args.region, args.repositoryPrefix),
        ),
      },
      childOpts,
    );
    this.admissionRoleArn = role.arn;
    const nsOpts = { ...childOpts, dependsOn: [this.namespace] };
    const monitoring = args.monitoring;
    this.release = pinnedRelease(
      KYVERNO_RELEASE,
      {
        chart: CHARTS.kyverno,
        namespace: this.namespace.name,
        values: kyvernoValues({
          registryHost: host,
          admissionReplicas,
          admissionRoleArn: role.arn,
          serviceMonitor: monitoring !== undefined,
        }),
      },
      // Its ServiceMonitor needs the Prometheus Operator's CRDs.
      monitoring ? { ...childOpts, dependsOn: [this.namespace, monitoring.prometheus] } : nsOpts,
    );
    webhookNetworkPolicies(name, this.namespace.name, args.vpcCidr, nsOpts);
    if (monitoring) {
      metricsNetworkPolicy(name, this.namespace.name, monitoring.namespace, nsOpts);
      new k8s.apiextensions.CustomResource(
        `${name}-kyverno-admission-rules`,
        admissionPrometheusRule(),
        {
          ...childOpts,
          dependsOn: [this.namespace, monitoring.prometheus],
        },
      );
    }

    const settings = { registryHost: host, applicationNamespaces: args.applicationNamespaces };
    const signatureSettings = {
      ...settings,
      repositoryPrefix: args.repositoryPrefix,
      publicKey: args.signing?.publicKey,
      keyless: args.signing?.keyless,
    };
    const objects = [
      ...imagePolicies(settings),
      ...(["application", "platform"] as const).flatMap((scope) => {
        const policy = signaturePolicy(scope, signatureSettings);
        return policy ? [policy] : [];
      }),
    ];
    this.verifiesSignatures = objects.some((o) => o.kind === "ImageValidatingPolicy");
    // The CRDs come with the release: its objects wait for it.
    const policyOpts = { ...childOpts, dependsOn: [this.release] };
    this.policies = Object.fromEntries(
      objects.map((object) => [
        object.metadata.name,
        new k8s.apiextensions.CustomResource(`${name}-${object.metadata.name}`, object, policyOpts),
      ]),
    );
    this.registerOutputs({
      namespace: this.namespace,
      release: this.release,
      admissionRoleArn: this.admissionRoleArn,
      policies: this.policies,
    });
  }
}

/**
 * The namespace denies everything by default (RestrictedNamespace): the EKS control plane calls
 * the webhooks from its ENIs in the VPC; the controllers call the API server, ECR and Sigstore over
 * HTTPS.
 */
function webhookNetworkPolicies(
  name: string,
  namespace: pulumi.Input<string>,
  vpcCidr: string,
  opts: pulumi.CustomResourceOptions,
): void {
  const ports = [...new Set([WEBHOOK_PORT, CLEANUP_WEBHOOK_PORT])];
  new k8s.networking.v1.NetworkPolicy(
    `${name}-kyverno-from-api-server`,
    {
      metadata: { name: "kyverno-from-api-server", namespace },
      spec: {
        podSelector: {},
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [{ ipBlock: { cidr: vpcCidr } }],
            ports: ports.map((port) => ({ protocol: "TCP", port })),
          },
        ],
      },
    },
    opts,
  );
  new k8s.networking.v1.NetworkPolicy(
    `${name}-kyverno-egress`,
    {
      metadata: { name: "kyverno-egress", namespace },
      spec: {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [
          {
            to: [{ ipBlock: { cidr: "0.0.0.0/0" } }],
            ports: [{ protocol: "TCP", port: 443 }],
          },
        ],
      },
    },
    opts,
  );
}

/** Prometheus, in its own namespace, scrapes the controllers' metrics port. */
function metricsNetworkPolicy(
  name: string,
  namespace: pulumi.Input<string>,
  monitoringNamespace: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): void {
  new k8s.networking.v1.NetworkPolicy(
    `${name}-kyverno-from-prometheus`,
    {
      metadata: { name: "kyverno-from-prometheus", namespace },
      spec: {
        podSelector: {},
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [
              {
                namespaceSelector: {
                  matchLabels: { "kubernetes.io/metadata.name": monitoringNamespace },
                },
              },
            ],
            ports: [{ protocol: "TCP", port: METRICS_PORT }],
          },
        ],
      },
    },
    opts,
  );
}
