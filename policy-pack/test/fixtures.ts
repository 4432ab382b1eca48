/**
 * Happy-path resources of every domain (each domain's fixtures.ts), and a small correct stack built
 * from them: every policy of the pack passes on each, and every stack policy has something to check.
 */
import type { AnalyzerResource } from "../../tools/analyzer";
import { happyAlertingStack } from "../alerting/fixtures";
import { happyCompute } from "../compute/fixtures";
import { happyData } from "../data/fixtures";
import { happyEdge } from "../edge/fixtures";
import { happyEks } from "../eks/fixtures";
import { happyIam } from "../iam/fixtures";
import { happyKubernetes } from "../kubernetes/fixtures";
import { happyLogs } from "../logs/fixtures";
import { happyMessaging } from "../messaging/fixtures";
import { happyNetwork } from "../network/fixtures";
import { happyResilience } from "../resilience/fixtures";
import { happyResources } from "../resources/fixtures";
import { happySupplyChain } from "../supply-chain/fixtures";
import { aws, change, k8s, urn, withDeps } from "./builders";

export const happy = {
  ...happyEks,
  ...happyCompute,
  ...happyNetwork,
  ...happyData,
  ...happyIam,
  ...happyMessaging,
  ...happyLogs,
  ...happyKubernetes,
  ...happyResources,
  ...happyResilience,
  ...happySupplyChain,
  ...happyEdge,
};

/** A small correct stack: every stack policy has something to check and finds nothing wrong. */
export function happyStack() {
  const vpc = aws("aws:ec2/vpc:Vpc", "platform", {
    cidrBlock: "10.0.0.0/16",
    enableDnsHostnames: true,
  });
  const flowLogGroup = happy.logGroup();
  const flowLog = withDeps(
    aws("aws:ec2/flowLog:FlowLog", "platform-flow-logs", {
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
    }),
    { vpcId: [vpc], logDestination: [flowLogGroup] },
  );
  const igw = withDeps(aws("aws:ec2/internetGateway:InternetGateway", "platform-igw", {}), {
    vpcId: [vpc],
  });
  const publicSubnet = withDeps(change(happy.subnet(), "cidrBlock", "10.0.96.0/22"), {
    vpcId: [vpc],
  });
  const publicSubnetNamed = {
    ...publicSubnet,
    name: "public-a",
    urn: urn("aws:ec2/subnet:Subnet", "public-a"),
  };
  const privateSubnet = withDeps(happy.subnet(), { vpcId: [vpc] });
  const publicTable = withDeps(aws("aws:ec2/routeTable:RouteTable", "public", {}), {
    vpcId: [vpc],
  });
  const route = withDeps(
    aws("aws:ec2/route:Route", "public-default", { destinationCidrBlock: "0.0.0.0/0" }),
    { routeTableId: [publicTable], gatewayId: [igw] },
  );
  const association = withDeps(
    aws("aws:ec2/routeTableAssociation:RouteTableAssociation", "public-a", {}),
    { subnetId: [publicSubnetNamed], routeTableId: [publicTable] },
  );
  const nodeGroup = withDeps(happy.nodeGroup(), { subnetIds: [privateSubnet] });

  const bucket = happy.bucket();
  const companions = [happy.publicAccessBlock(), happy.sseConfiguration(), happy.versioning()].map(
    (c) => withDeps(c, { bucket: [bucket] }),
  );
  // The region's access-log bucket (SSE-S3, the only encryption log delivery takes), which the
  // bucket logs to; it logs nowhere itself.
  const accessLogBucket = change(happy.bucket("access-logs"), "tags", {
    "platform:dr-exempt": "access logs, kept in their region",
  });
  const accessLogCompanions = [
    happy.publicAccessBlock("platform-access-logs"),
    change(
      happy.sseConfiguration("platform-access-logs"),
      "rules.0.applyServerSideEncryptionByDefault",
      { sseAlgorithm: "AES256" },
    ),
    happy.versioning("platform-access-logs"),
  ].map((c) => withDeps(c, { bucket: [accessLogBucket] }));
  const bucketLogging = withDeps(happy.bucketLogging(), {
    bucket: [bucket],
    targetBucket: [accessLogBucket],
  });

  // A secret the program creates, and its rotation.
  const secret = happy.secret();
  const secretRotation = withDeps(happy.secretRotation(), { secretId: [secret] });

  const cluster = happy.rdsCluster();
  const clusterInstances = [
    happy.rdsClusterInstance("ledger-1"),
    happy.rdsClusterInstance("ledger-2"),
  ].map((i) => withDeps(i, { clusterIdentifier: [cluster] }));

  const namespace = k8s("kubernetes:core/v1:Namespace", "payments", {
    metadata: { name: "payments", labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
  });
  const defaultDeny = withDeps(
    k8s("kubernetes:networking.k8s.io/v1:NetworkPolicy", "payments-default-deny", {
      metadata: { name: "default-deny", namespace: "payments" },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    }),
    { metadata: [namespace] },
  );
  const deployment = withDeps(happy.deployment(), { metadata: [namespace] });
  const pdb = withDeps(
    k8s("kubernetes:policy/v1:PodDisruptionBudget", "api", {
      metadata: { name: "api", namespace: "payments" },
      spec: { maxUnavailable: 1, selector: { matchLabels: { app: "api" } } },
    }),
    { metadata: [namespace] },
  );

  const albSg = withDeps(
    aws("aws:ec2/securityGroup:SecurityGroup", "alb-sg", {
      description: "Public ALB",
      ingress: [
        {
          description: "HTTPS from the internet",
          protocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrBlocks: ["0.0.0.0/0"],
          ipv6CidrBlocks: ["::/0"],
        },
      ],
      egress: [
        {
          description: "To targets in the VPC",
          protocol: "tcp",
          fromPort: 8080,
          toPort: 8080,
          cidrBlocks: ["10.0.0.0/16"],
        },
      ],
    }),
    { vpcId: [vpc] },
  );
  const alb = withDeps(
    aws("aws:lb/loadBalancer:LoadBalancer", "public", {
      loadBalancerType: "application",
      internal: false,
      dropInvalidHeaderFields: true,
    }),
    { securityGroups: [albSg], subnets: [publicSubnetNamed] },
  );

  // Disaster recovery: the stateful resources are enrolled in the stack's AWS Backup plan.
  const rdsInstance = happy.rdsInstance();
  const backupSelection = withDeps(
    aws("aws:backup/selection:Selection", "platform", {
      selectionTags: [{ type: "STRINGEQUALS", key: "platform:backup", value: "true" }],
      resources: [],
    }),
    { resources: [bucket, rdsInstance, cluster] },
  );

  // The edge: a distribution with its access-log delivery, in front of the ALB class.
  const distribution = happy.distribution();
  const accessLogSource = withDeps(happy.accessLogSource(), { resourceArn: [distribution] });
  const accessLogDelivery = withDeps(happy.accessLogDelivery(), {
    deliverySourceName: [accessLogSource],
  });
  const ingressClassParams = happy.ingressClassParams();

  // Alerting: an alarm notifies a topic on-call subscribes to.
  const alerting = happyAlertingStack();

  return {
    ...alerting,
    vpc,
    flowLogGroup,
    flowLog,
    igw,
    publicSubnet: publicSubnetNamed,
    privateSubnet,
    publicTable,
    route,
    association,
    nodeGroup,
    bucket,
    companions,
    accessLogBucket,
    accessLogCompanions,
    bucketLogging,
    secret,
    secretRotation,
    rdsInstance,
    backupSelection,
    cluster,
    clusterInstances,
    namespace,
    defaultDeny,
    deployment,
    pdb,
    albSg,
    alb,
    distribution,
    accessLogSource,
    accessLogDelivery,
    ingressClassParams,
  };
}

/** The stack's resources, each URN once (cases may point two fields at one resource). */
export function stackResources(s: ReturnType<typeof happyStack>): AnalyzerResource[] {
  const all = Object.values(s).flatMap((v) => (Array.isArray(v) ? v : [v])) as AnalyzerResource[];
  return [...new Map(all.map((r) => [r.urn, r])).values()];
}
