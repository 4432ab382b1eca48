import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ChartPin } from "./charts";

export interface PinnedReleaseArgs {
  readonly chart: ChartPin;
  readonly namespace: pulumi.Input<string>;
  readonly values: pulumi.Input<Record<string, unknown>>;
  /** @default 600 - seconds Helm waits for the release's resources to become ready. */
  readonly timeoutSeconds?: number;
  /**
   * Leave the chart's `crds/` directory out, when a separate CRD chart owns the CRDs (e.g. karpenter-crd).
   * @default false
   */
  readonly skipCrds?: boolean;
}

/**
 * A Helm release of a pinned chart. `atomic` rolls a failed upgrade back, `cleanupOnFail` removes
 * what a failed install created; the release never creates its namespace (the baseline owns them).
 */
export function pinnedRelease(
  name: string,
  args: PinnedReleaseArgs,
  opts: pulumi.CustomResourceOptions,
): k8s.helm.v3.Release {
  const isOci = args.chart.repository.startsWith("oci://");
  return new k8s.helm.v3.Release(
    name,
    {
      name,
      chart: args.chart.chart,
      version: args.chart.version,
      ...(isOci ? {} : { repositoryOpts: { repo: args.chart.repository } }),
      namespace: args.namespace,
      createNamespace: false,
      atomic: true,
      cleanupOnFail: true,
      timeout: args.timeoutSeconds ?? 600,
      ...(args.skipCrds ? { skipCrds: true } : {}),
      values: args.values,
    },
    opts,
  );
}
