/** Happy-path IAM resources: each a correct production resource that passes every policy. */
import { ACCOUNT, aws, policyDocument } from "../test/builders";

const OIDC = "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E";

export const happyIam = {
  iamPolicy: () =>
    aws("aws:iam/policy:Policy", "read-logs", {
      policy: policyDocument([
        {
          Effect: "Allow",
          Action: ["s3:GetObject", "s3:ListBucket"],
          Resource: ["arn:aws:s3:::platform-logs", "arn:aws:s3:::platform-logs/*"],
        },
      ]),
    }),
  rolePolicy: () =>
    aws("aws:iam/rolePolicy:RolePolicy", "write-logs", {
      role: "log-writer",
      policy: policyDocument([
        { Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::platform-logs/*" },
      ]),
    }),
  role: () =>
    aws("aws:iam/role:Role", "external-dns", {
      assumeRolePolicy: policyDocument([
        {
          Effect: "Allow",
          Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${OIDC}` },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              [`${OIDC}:sub`]: "system:serviceaccount:external-dns:external-dns",
              [`${OIDC}:aud`]: "sts.amazonaws.com",
            },
          },
        },
      ]),
    }),
  rolePolicyAttachment: () =>
    aws("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "nodes-worker", {
      role: "nodes",
      policyArn: "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    }),
};
