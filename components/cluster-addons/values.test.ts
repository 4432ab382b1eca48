import * as assert from "assert";
import { CHARTS, type ChartPin } from "@platform/core";
import { CHART_IMAGE_RULES, chartName, readManifest, renderedImages } from "../../tools/testing";
import { nvidiaDevicePluginValues } from "./gpu";
import {
  argoRolloutsValues,
  certManagerValues,
  externalDnsValues,
  kedaValues,
  karpenterValues,
  loadBalancerControllerValues,
  metricsServerValues,
  verticalPodAutoscalerValues,
} from "./values";

const HOST = "111122223333.dkr.ecr.us-west-2.amazonaws.com";
const ROLE = "arn:aws:iam::111122223333:role/r";

/** What the chart renders for each image with these values (its vendored manifest and rules). */
function images(chart: ChartPin, values: object): Record<string, string> {
  const manifest = readManifest(chart.chart, chart.version);
  assert.ok(manifest, `no image manifest for ${chart.chart} ${chart.version}`);
  const rules = CHART_IMAGE_RULES[chartName(chart.chart)] ?? {};
  return Object.fromEntries(
    renderedImages(manifest, rules, values as Record<string, unknown>).map((i) => [
      i.path,
      i.reference,
    ]),
  );
}

describe("cluster add-on images", () => {
  const cases: [string, ChartPin, object, Record<string, string>][] = [
    [
      "Karpenter, by tag and the digest its chart publishes",
      CHARTS.karpenter,
      karpenterValues({
        registryHost: HOST,
        clusterName: "c",
        interruptionQueueName: "q",
        roleArn: ROLE,
      }),
      {
        "controller.image": `${HOST}/ecr-public/karpenter/controller:1.14.1@sha256:445baefaaa689029cc12ac1f659b916b0b82fb14308ce536f8521fcf079116fa`,
      },
    ],
    [
      "the AWS Load Balancer Controller",
      CHARTS.awsLoadBalancerController,
      loadBalancerControllerValues({
        registryHost: HOST,
        clusterName: "c",
        region: "us-west-2",
        vpcId: "vpc-1",
        roleArn: ROLE,
      }),
      { image: `${HOST}/ecr-public/eks/aws-load-balancer-controller:v3.5.0` },
    ],
    [
      "external-dns",
      CHARTS.externalDns,
      externalDnsValues({
        registryHost: HOST,
        roleArn: ROLE,
        region: "us-west-2",
        hostedZoneId: "Z1",
        domainFilters: ["us-west-2.example.com"],
        txtOwnerId: "c",
      }),
      { image: `${HOST}/k8s/external-dns/external-dns:v0.21.0` },
    ],
    [
      "every cert-manager part, the ACME solver and the startup check",
      CHARTS.certManager,
      certManagerValues({ registryHost: HOST, roleArn: ROLE, webhookPort: 10250 }),
      {
        image: `${HOST}/quay/jetstack/cert-manager-controller:v1.21.1`,
        "webhook.image": `${HOST}/quay/jetstack/cert-manager-webhook:v1.21.1`,
        "cainjector.image": `${HOST}/quay/jetstack/cert-manager-cainjector:v1.21.1`,
        "acmesolver.image": `${HOST}/quay/jetstack/cert-manager-acmesolver:v1.21.1`,
        "startupapicheck.image": `${HOST}/quay/jetstack/cert-manager-startupapicheck:v1.21.1`,
      },
    ],
    [
      "metrics-server, without the addon-resizer sidecar",
      CHARTS.metricsServer,
      metricsServerValues(HOST),
      { image: `${HOST}/k8s/metrics-server/metrics-server:v0.8.1` },
    ],
    [
      "KEDA's three parts",
      CHARTS.keda,
      kedaValues({ registryHost: HOST, operatorRoleArn: ROLE }),
      {
        "image.keda": `${HOST}/ghcr/kedacore/keda:2.20.2`,
        "image.metricsApiServer": `${HOST}/ghcr/kedacore/keda-metrics-apiserver:2.20.2`,
        "image.webhooks": `${HOST}/ghcr/kedacore/keda-admission-webhooks:2.20.2`,
      },
    ],
    [
      "the VPA's three controllers and its certificate Job",
      CHARTS.verticalPodAutoscaler,
      verticalPodAutoscalerValues(HOST),
      {
        "recommender.image": `${HOST}/k8s/autoscaling/vpa-recommender:1.7.1`,
        "updater.image": `${HOST}/k8s/autoscaling/vpa-updater:1.7.1`,
        "admissionController.image": `${HOST}/k8s/autoscaling/vpa-admission-controller:1.7.1`,
        "admissionController.certGen.image": `${HOST}/k8s/ingress-nginx/kube-webhook-certgen:v20231011-8b53cabe0`,
      },
    ],
    [
      "the Argo Rollouts controller, without the dashboard",
      CHARTS.argoRollouts,
      argoRolloutsValues(HOST),
      { "controller.image": `${HOST}/quay/argoproj/argo-rollouts:v1.9.0` },
    ],
    [
      "the NVIDIA device plugin, from NVIDIA's ghcr.io build of the v0.20.0 commit",
      CHARTS.nvidiaDevicePlugin,
      nvidiaDevicePluginValues(HOST),
      { image: `${HOST}/mirror/nvidia/k8s-device-plugin:v0.20.0` },
    ],
  ];
  for (const [title, chart, values, expected] of cases) {
    it(`pulls ${title} through the stack's cache`, () =>
      assert.deepStrictEqual(images(chart, values), expected));
  }
});
