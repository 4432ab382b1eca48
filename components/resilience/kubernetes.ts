/**
 * What FIS's EKS pod actions need in the cluster: the FIS role mapped to a Kubernetes user through
 * an EKS access entry, a service account for the fault-injection pod, and a Role in the target
 * namespace only, bound to both. Its rules are the ones the FIS user guide lists for the pod
 * actions: create and watch its own pod, read the targets' Deployment, add ephemeral containers.
 * @see https://docs.aws.amazon.com/fis/latest/userguide/eks-pod-actions.html#configure-eks-pod-actions
 */
export function fisPodActionsRules() {
  return [
    { apiGroups: [""], resources: ["configmaps"], verbs: ["get", "create", "patch", "delete"] },
    {
      apiGroups: [""],
      resources: ["pods"],
      verbs: ["create", "list", "get", "delete", "deletecollection"],
    },
    { apiGroups: [""], resources: ["pods/ephemeralcontainers"], verbs: ["update"] },
    { apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] },
    { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get"] },
  ];
}
