/**
 * Kubernetes versions the platform runs, each with the EKS managed add-on versions pinned for it.
 * A version is offered only while it is in EKS standard support: extended support costs
 * $0.60 per cluster-hour instead of $0.10 and only delays the upgrade.
 *
 * Support dates: EKS Kubernetes release calendar,
 * https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html (also endoflife.date/amazon-eks).
 * Add-on versions: `aws eks describe-addon-versions --kubernetes-version 1.35 --addon-name <name>`,
 * as published for 1.35 clusters in 2026 (the same set appears in public Terraform for 1.35 clusters).
 */
interface KubernetesRelease {
  /** Last day of EKS standard support (ISO date). */
  readonly standardSupportEnds: string;
  readonly addons: Readonly<Record<ManagedAddonName, string>>;
}

export const MANAGED_ADDONS = [
  "vpc-cni",
  "coredns",
  "kube-proxy",
  "aws-ebs-csi-driver",
  "eks-pod-identity-agent",
  // CSI volume snapshots, which Velero's data mover needs to copy volumes out of the region.
  "snapshot-controller",
  // Read-write-many volumes on the data tier's EFS file system (StorageClass efs-shared).
  "aws-efs-csi-driver",
] as const;
export type ManagedAddonName = (typeof MANAGED_ADDONS)[number];

export const KUBERNETES_RELEASES: Readonly<Record<string, KubernetesRelease>> = {
  "1.35": {
    standardSupportEnds: "2027-03-27",
    addons: {
      "vpc-cni": "v1.21.1-eksbuild.3",
      coredns: "v1.13.2-eksbuild.1",
      "kube-proxy": "v1.35.0-eksbuild.2",
      "aws-ebs-csi-driver": "v1.55.0-eksbuild.1",
      "eks-pod-identity-agent": "v1.3.9-eksbuild.5",
      "snapshot-controller": "v8.3.0-eksbuild.1",
      // Driver v3.4.1, its newest release (kubernetes-sigs/aws-efs-csi-driver tag v3.4.1,
      // 2026-07-23); the eksbuild suffix was not checked against describe-addon-versions offline.
      "aws-efs-csi-driver": "v3.4.1-eksbuild.1",
    },
  },
};

/** Versions in standard support on `today` (ISO date), newest first. */
export function supportedKubernetesVersions(today: string): string[] {
  return Object.entries(KUBERNETES_RELEASES)
    .filter(([, release]) => release.standardSupportEnds >= today)
    .map(([version]) => version)
    .sort((a, b) => Number(b.split(".")[1]) - Number(a.split(".")[1]));
}
