import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface ServiceAccountRoleArgs {
  /** ARN of the cluster's IAM OIDC provider. */
  readonly oidcProviderArn: pulumi.Input<string>;
  /** Issuer URL of the cluster's OIDC provider, with or without `https://`. */
  readonly oidcIssuerUrl: pulumi.Input<string>;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Inline least-privilege policy document (JSON). */
  readonly policy?: pulumi.Input<string>;
  /** AWS-managed policy ARNs to attach, only where AWS publishes a least-privilege one. */
  readonly managedPolicyArns?: readonly string[];
}

/** Trust policy that lets exactly one Kubernetes service account assume a role through IRSA. */
function serviceAccountTrustPolicy(
  oidcProviderArn: pulumi.Input<string>,
  oidcIssuerUrl: pulumi.Input<string>,
  namespace: string,
  serviceAccount: string,
): pulumi.Output<string> {
  return pulumi.all([oidcProviderArn, oidcIssuerUrl]).apply(([arn, url]) => {
    const issuer = url.replace(/^https:\/\//, "");
    return JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Federated: arn },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
              [`${issuer}:aud`]: "sts.amazonaws.com",
            },
          },
        },
      ],
    });
  });
}

/** An IAM role for one service account (IRSA), with its inline policy and managed attachments. */
export function serviceAccountRole(
  name: string,
  args: ServiceAccountRoleArgs,
  opts: pulumi.CustomResourceOptions,
): aws.iam.Role {
  const role = new aws.iam.Role(
    name,
    {
      assumeRolePolicy: serviceAccountTrustPolicy(
        args.oidcProviderArn,
        args.oidcIssuerUrl,
        args.namespace,
        args.serviceAccount,
      ),
      description: `IRSA role for ${args.namespace}/${args.serviceAccount}`,
      maxSessionDuration: 3600,
    },
    opts,
  );
  if (args.policy !== undefined) {
    new aws.iam.RolePolicy(`${name}-policy`, { role: role.name, policy: args.policy }, opts);
  }
  (args.managedPolicyArns ?? []).forEach((policyArn, i) => {
    new aws.iam.RolePolicyAttachment(`${name}-managed-${i}`, { role: role.name, policyArn }, opts);
  });
  return role;
}
