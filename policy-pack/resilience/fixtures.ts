/** Happy-path FIS resources: each a correct production resource that passes every policy. */
import { ACCOUNT, aws } from "../test/builders";

export const happyResilience = {
  experimentTemplate: () =>
    aws("aws:fis/experimentTemplate:ExperimentTemplate", "resilience-spot-interruption", {
      description: "Spot interruption notices to Karpenter's spot nodes",
      roleArn: `arn:aws:iam::${ACCOUNT}:role/resilience-fis-role`,
      stopConditions: [
        {
          source: "aws:cloudwatch:alarm",
          value: `arn:aws:cloudwatch:us-west-2:${ACCOUNT}:alarm:platform-prod-us-west-2-slo-error-rate`,
        },
      ],
      targets: [
        {
          name: "SpotNodes",
          resourceType: "aws:ec2:spot-instance",
          selectionMode: "PERCENT(25)",
          resourceTags: [
            { key: "platform:stack", value: "prod-us-west-2" },
            { key: "karpenter.sh/nodepool", value: "spot" },
          ],
          filters: [{ path: "State.Name", values: ["running"] }],
        },
      ],
      actions: [
        {
          name: "interrupt-spot",
          actionId: "aws:ec2:send-spot-instance-interruptions",
          parameters: [{ key: "durationBeforeInterruption", value: "PT2M" }],
          target: { key: "SpotInstances", value: "SpotNodes" },
        },
      ],
    }),
  podExperimentTemplate: () =>
    aws("aws:fis/experimentTemplate:ExperimentTemplate", "resilience-pod-faults", {
      description: "Pod faults on the chosen workload",
      roleArn: `arn:aws:iam::${ACCOUNT}:role/resilience-fis-role`,
      stopConditions: [
        {
          source: "aws:cloudwatch:alarm",
          value: `arn:aws:cloudwatch:us-west-2:${ACCOUNT}:alarm:platform-prod-us-west-2-slo-latency`,
        },
      ],
      targets: [
        {
          name: "Pods",
          resourceType: "aws:eks:pod",
          selectionMode: "PERCENT(34)",
          parameters: {
            clusterIdentifier: "platform-prod-us-west-2",
            namespace: "apps",
            selectorType: "labelSelector",
            selectorValue: "app.kubernetes.io/name=web",
          },
        },
      ],
      actions: [
        {
          name: "delete-pods",
          actionId: "aws:eks:pod-delete",
          parameters: [{ key: "kubernetesServiceAccount", value: "fis-experiment" }],
          target: { key: "Pods", value: "Pods" },
        },
      ],
    }),
};
