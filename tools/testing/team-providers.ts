/**
 * The providers an application team's program would pass to `Workload` and the examples: a
 * us-west-2 AWS provider whose defaultTags carry the cost tags (as the platform's regional
 * providers do), and a Kubernetes provider. Call inside `runProgram`. Kept out of index.ts so that
 * tests that never register resources do not load the provider SDKs.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";

export function teamProviders(): { aws: aws.Provider; kubernetes: k8s.Provider } {
  return {
    aws: new aws.Provider("aws", {
      region: "us-west-2",
      defaultTags: {
        tags: {
          "platform:stack": "prod-us-west-2",
          "platform:environment": "prod",
          "platform:cost-center": "payments",
          "platform:owner": "payments-team@example.com",
        },
      },
    }),
    kubernetes: new k8s.Provider("k8s", { kubeconfig: "{}" }),
  };
}
