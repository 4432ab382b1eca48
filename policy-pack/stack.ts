/**
 * Rules that correlate resources across the stack (AnalyzeStack): S3 bucket companions, VPC flow
 * logs, node groups in private subnets, world-open ports only on load balancers, master passwords,
 * Aurora replicas, PodDisruptionBudgets and default-deny NetworkPolicies. Each rule indexes the
 * stack once and joins in linear time.
 */
import { SECURITY_GROUP, SECURITY_GROUP_RULE, SUBNET, VPC_INGRESS_RULE } from "./network";
import {
  BUCKET_LOGGING_TYPES,
  BUCKET_TYPES,
  PAB_FLAGS,
  PUBLIC_ACCESS_BLOCK,
  SSE_TYPES,
  VERSIONING_TYPES,
  isSseKms,
  isSseS3,
  isVersioningEnabled,
} from "./data/s3";
import { RDS_CLUSTER, RDS_CLUSTER_INSTANCE, RDS_INSTANCE } from "./data/rds";
import { EKS_COMPONENT } from "./eks";
import { NODE_GROUP } from "./resources";
import { configProperty, stackPolicy } from "./lib/policy";
import {
  NAMESPACE,
  StackIndex,
  dependencies,
  dependencyUrns,
  knownString,
  namespaceKey,
  ownNamespaceKey,
  type StackResource,
} from "./lib/stack";
import { asArray, isAnywhere, isObject, isUnknown, label, type Props } from "./lib/values";

export const VPC = "aws:ec2/vpc:Vpc";
export const FLOW_LOG = "aws:ec2/flowLog:FlowLog";
const INTERNET_GATEWAY = "aws:ec2/internetGateway:InternetGateway";
const ROUTE = "aws:ec2/route:Route";
const ROUTE_TABLE = "aws:ec2/routeTable:RouteTable";
const ROUTE_TABLE_ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation";
const LOAD_BALANCERS = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

/**
 * What resources of `companionTypes` (those passing `valid`) point at through `property`: the URNs
 * they depend on, and the known names they carry.
 */
function linkedTargets(
  index: StackIndex,
  companionTypes: readonly string[],
  property: string,
  nameOf: (companion: StackResource) => string | undefined,
  valid: (companion: StackResource) => boolean = () => true,
): { urns: Set<string>; names: Set<string> } {
  const urns = new Set<string>();
  const names = new Set<string>();
  for (const c of index.of(...companionTypes)) {
    if (!valid(c)) continue;
    for (const urn of dependencyUrns(c, property)) urns.add(urn);
    const name = nameOf(c);
    if (name) names.add(name);
  }
  return { urns, names };
}

export const s3BucketCompanions = stackPolicy({
  name: "s3-bucket-companions",
  description:
    "Checks that every S3 bucket has a public access block, default encryption (SSE-KMS with a customer key; SSE-S3 for log delivery targets, which accept nothing else) and enabled versioning, as companion resources.",
  domain: "stack",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [
    ...BUCKET_TYPES,
    PUBLIC_ACCESS_BLOCK,
    ...SSE_TYPES,
    ...VERSIONING_TYPES,
    ...BUCKET_LOGGING_TYPES,
    ...LOAD_BALANCERS,
  ],
  controls: { checkov: ["CKV_AWS_53", "CKV_AWS_145", "CKV_AWS_21", "CKV2_AWS_6"] },
  validate: ({ args, report }) => {
    const index = new StackIndex(args.resources);
    const buckets = index.of(...BUCKET_TYPES);
    if (buckets.length === 0) return;
    const byBucket = (c: StackResource) => knownString(c.props.bucket);
    // Log delivery targets (server access logs, ALB access logs) must use SSE-S3: AWS rejects KMS there.
    const logTargets = linkedTargets(index, BUCKET_LOGGING_TYPES, "targetBucket", (c) =>
      knownString(c.props.targetBucket),
    );
    for (const lb of index.of(...LOAD_BALANCERS)) {
      dependencyUrns(lb, "accessLogs").forEach((u) => logTargets.urns.add(u));
      const name = knownString(lb.props.accessLogs?.bucket);
      if (name && lb.props.accessLogs?.enabled !== false) logTargets.names.add(name);
    }
    const isLogTarget = (b: StackResource) =>
      logTargets.urns.has(b.urn) || logTargets.names.has(knownString(b.props.bucket) ?? "");
    const pab = linkedTargets(index, [PUBLIC_ACCESS_BLOCK], "bucket", byBucket, (c) =>
      PAB_FLAGS.every((f) => c.props[f] === true || isUnknown(c.props[f])),
    );
    const kms = linkedTargets(index, SSE_TYPES, "bucket", byBucket, (c) => isSseKms(c.props));
    const sseS3 = linkedTargets(index, SSE_TYPES, "bucket", byBucket, (c) => isSseS3(c.props));
    const versioning = linkedTargets(index, VERSIONING_TYPES, "bucket", byBucket, (c) =>
      isVersioningEnabled(c.props),
    );
    const has = (links: typeof pab, b: StackResource) => {
      const name = knownString(b.props.bucket);
      return links.urns.has(b.urn) || (name !== undefined && links.names.has(name));
    };
    for (const b of buckets) {
      const missing: string[] = [];
      if (!has(pab, b)) missing.push("a BucketPublicAccessBlock with all four flags");
      if (isLogTarget(b)) {
        if (!has(sseS3, b)) {
          missing.push(
            "a BucketServerSideEncryptionConfiguration using SSE-S3 (AES256), since log delivery to it does not support SSE-KMS",
          );
        }
      } else if (!has(kms, b)) {
        missing.push("a BucketServerSideEncryptionConfiguration using SSE-KMS with a customer key");
      }
      if (!has(versioning, b)) missing.push("a BucketVersioning with status Enabled");
      if (missing.length) {
        report(
          `${label("S3 bucket", b.name)} must have ${missing.join(", ")}: create the resource with bucket set to this bucket's id.`,
          b.urn,
        );
      }
    }
  },
});

export const vpcFlowLogs = stackPolicy({
  name: "vpc-flow-logs",
  description: "Checks that every VPC has a flow log.",
  domain: "stack",
  enforcementLevel: "mandatory",
  severity: "medium",
  resourceTypes: [VPC, FLOW_LOG],
  controls: { checkov: ["CKV2_AWS_11"], trivy: ["AVD-AWS-0178"] },
  validate: ({ args, report }) => {
    const index = new StackIndex(args.resources);
    const vpcs = index.of(VPC);
    if (vpcs.length === 0) return;
    const links = linkedTargets(index, [FLOW_LOG], "vpcId", (f) => knownString(f.props.vpcId));
    for (const v of vpcs) {
      if (!links.urns.has(v.urn)) {
        report(
          `${label("VPC", v.name)} must have a flow log: create an aws.ec2.FlowLog with vpcId set to this VPC's id, delivering to CloudWatch Logs or S3.`,
          v.urn,
        );
      }
    }
  },
});

/** Subnets that route to an internet gateway or hand out public IPs. */
function publicSubnets(index: StackIndex): Set<string> {
  const igws = new Set(index.of(INTERNET_GATEWAY).map((g) => g.urn));
  const viaIgw = (urns: string[]) => urns.some((u) => igws.has(u));
  const publicTables = new Set<string>();
  for (const route of index.of(ROUTE)) {
    if (viaIgw(dependencyUrns(route, "gatewayId"))) {
      for (const rt of dependencyUrns(route, "routeTableId")) publicTables.add(rt);
    }
  }
  for (const rt of index.of(ROUTE_TABLE)) {
    if (viaIgw(dependencyUrns(rt, "routes"))) publicTables.add(rt.urn);
  }
  const out = new Set<string>();
  for (const a of index.of(ROUTE_TABLE_ASSOCIATION)) {
    if (dependencyUrns(a, "routeTableId").some((u) => publicTables.has(u))) {
      for (const s of dependencyUrns(a, "subnetId")) out.add(s);
    }
  }
  for (const s of index.of(SUBNET)) {
    if (s.props.mapPublicIpOnLaunch === true) out.add(s.urn);
  }
  return out;
}

export const nodeGroupsPrivateSubnets = stackPolicy({
  name: "eks-node-groups-in-private-subnets",
  description:
    "Checks that EKS node groups are placed only in private subnets (no route to an internet gateway).",
  domain: "stack",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [
    NODE_GROUP,
    EKS_COMPONENT,
    SUBNET,
    ROUTE_TABLE_ASSOCIATION,
    ROUTE,
    INTERNET_GATEWAY,
  ],
  controls: { cisEks: ["5.4.3"] },
  validate: ({ args, report }) => {
    const index = new StackIndex(args.resources);
    const groups = [
      ...index.of(NODE_GROUP).map((g) => ({ g, property: "subnetIds", kind: "EKS node group" })),
      ...index
        .of(EKS_COMPONENT)
        .map((g) => ({ g, property: "nodeSubnetIds", kind: "EKS cluster component" })),
    ];
    if (groups.length === 0) return;
    const isPublic = publicSubnets(index);
    for (const { g, property, kind } of groups) {
      const bad = dependencies(index, g, property, [SUBNET]).filter((s) => isPublic.has(s.urn));
      if (bad.length) {
        report(
          `${label(kind, g.name)} must place nodes in private subnets only: remove the public subnets ${bad.map((s) => s.name).join(", ")} from ${property}.`,
          g.urn,
        );
      }
    }
  },
});

export const worldIngressOnlyOnLoadBalancers = stackPolicy({
  name: "world-ingress-only-on-load-balancers",
  description:
    "Checks that security groups open to the internet (on the public ports) belong to load balancers.",
  domain: "stack",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [SECURITY_GROUP, SECURITY_GROUP_RULE, VPC_INGRESS_RULE, ...LOAD_BALANCERS],
  controls: { checkov: ["CKV_AWS_260"], trivy: ["AVD-AWS-0107"] },
  config: {
    publicPorts: {
      type: "array",
      items: { type: "integer" },
      default: [80, 443],
      description: "Ports that load balancers may open to the internet.",
    },
  },
  validate: ({ args, config, report }) => {
    const index = new StackIndex(args.resources);
    // Security groups that open a public port to the internet (other ports fail the resource policies).
    const open = new Map<string, StackResource>();
    const opensPublicPort = (from: unknown, to: unknown, cidrs: unknown[]) =>
      from === to && config.publicPorts.includes(Number(from)) && cidrs.some(isAnywhere);
    for (const sg of index.of(SECURITY_GROUP)) {
      for (const rule of asArray<Props>(sg.props.ingress)) {
        const cidrs = [...asArray(rule.cidrBlocks), ...asArray(rule.ipv6CidrBlocks)];
        if (opensPublicPort(rule.fromPort, rule.toPort, cidrs)) open.set(sg.urn, sg);
      }
    }
    for (const rule of index.of(SECURITY_GROUP_RULE, VPC_INGRESS_RULE)) {
      const p = rule.props;
      if (rule.type === SECURITY_GROUP_RULE && p.type !== "ingress") continue;
      const cidrs =
        rule.type === SECURITY_GROUP_RULE
          ? [...asArray(p.cidrBlocks), ...asArray(p.ipv6CidrBlocks)]
          : [p.cidrIpv4, p.cidrIpv6];
      if (!opensPublicPort(p.fromPort, p.toPort, cidrs)) continue;
      for (const sg of dependencies(index, rule, "securityGroupId", [SECURITY_GROUP]))
        open.set(sg.urn, sg);
    }
    if (open.size === 0) return;
    // Load balancers, and Kubernetes objects that hand a security group to the AWS Load Balancer Controller.
    const used = new Set<string>();
    for (const lb of index.of(...LOAD_BALANCERS))
      dependencyUrns(lb, "securityGroups").forEach((u) => used.add(u));
    for (const r of args.resources) {
      if (!r.type.startsWith("kubernetes:")) continue;
      for (const deps of Object.values(r.propertyDependencies))
        deps.forEach((d) => used.add(d.urn));
    }
    for (const [urn, sg] of open) {
      if (!used.has(urn)) {
        report(
          `${label("Security group", sg.name)} must not open ports to the internet unless a load balancer uses it: attach it to an aws.lb.LoadBalancer (securityGroups) or restrict the source.`,
          urn,
        );
      }
    }
  },
});

export const rdsPasswordNotPlaintext = stackPolicy({
  name: "rds-master-password-not-plaintext",
  description:
    "Checks that RDS and Aurora master passwords are managed by RDS or generated by a resource, never written in the program.",
  domain: "stack",
  enforcementLevel: "mandatory",
  severity: "critical",
  resourceTypes: [RDS_INSTANCE, RDS_CLUSTER],
  validate: ({ args, report }) => {
    const index = new StackIndex(args.resources);
    for (const db of index.of(RDS_INSTANCE, RDS_CLUSTER)) {
      if (db.props.manageMasterUserPassword === true) continue;
      const fields =
        db.type === RDS_INSTANCE
          ? ["password", "passwordWo"]
          : ["masterPassword", "masterPasswordWo"];
      for (const f of fields) {
        if (db.props[f] === undefined) continue;
        // A literal (or a config value) has no producing resource; a generated password does.
        if (dependencyUrns(db, f).length === 0 && !isUnknown(db.props[f])) {
          report(
            `${label(db.type === RDS_INSTANCE ? "RDS instance" : "Aurora cluster", db.name)} must not take its master password from the program: set manageMasterUserPassword: true (RDS keeps it in Secrets Manager) instead of ${f}.`,
            db.urn,
          );
        }
      }
    }
  },
});

export const auroraReplicas = stackPolicy({
  name: "aurora-cluster-multi-az-instances",
  description:
    "Checks that every Aurora cluster has instances to fail over to (a writer and at least one reader).",
  domain: "stack",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [RDS_CLUSTER, RDS_CLUSTER_INSTANCE],
  controls: { checkov: ["CKV_AWS_157"] },
  config: {
    minInstances: configProperty.integer(2, "Minimum instances per Aurora cluster.", 1, 16),
  },
  validate: ({ args, config, report }) => {
    const index = new StackIndex(args.resources);
    const clusters = index
      .of(RDS_CLUSTER)
      .filter((c) => String(c.props.engine ?? "").startsWith("aurora"));
    if (clusters.length === 0) return;
    const counts = new Map<string, number>();
    const bump = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
    for (const i of index.of(RDS_CLUSTER_INSTANCE)) {
      const deps = dependencyUrns(i, "clusterIdentifier");
      if (deps.length) deps.forEach(bump);
      else if (knownString(i.props.clusterIdentifier)) bump(`id:${i.props.clusterIdentifier}`);
    }
    for (const c of clusters) {
      const id = knownString(c.props.clusterIdentifier);
      const n = (counts.get(c.urn) ?? 0) + (id ? (counts.get(`id:${id}`) ?? 0) : 0);
      if (n < config.minInstances) {
        report(
          `${label("Aurora cluster", c.name)} must have at least ${config.minInstances} instances in different zones (got ${n}): add aws.rds.ClusterInstance readers.`,
          c.urn,
        );
      }
    }
  },
});

function templateLabels(d: StackResource): Props {
  const labels = d.props.spec?.template?.metadata?.labels;
  return isObject(labels) ? labels : {};
}

export const pdbForReplicatedDeployments = stackPolicy({
  name: "pdb-for-multi-replica-deployments",
  description:
    "Checks that every Deployment with more than one replica has a PodDisruptionBudget selecting its pods.",
  domain: "stack",
  enforcementLevel: "advisory",
  severity: "medium",
  resourceTypes: [DEPLOYMENT, PDB],
  validate: ({ args, report }) => {
    const index = new StackIndex(args.resources);
    const deployments = index
      .of(DEPLOYMENT)
      .filter((d) => typeof d.props.spec?.replicas === "number" && d.props.spec.replicas > 1);
    if (deployments.length === 0) return;
    const pdbsByNamespace = new Map<string, Props[]>();
    for (const p of index.of(PDB)) {
      const match = p.props.spec?.selector?.matchLabels;
      if (!isObject(match)) continue;
      const key = namespaceKey(index, p);
      pdbsByNamespace.set(key, [...(pdbsByNamespace.get(key) ?? []), match]);
    }
    for (const d of deployments) {
      const labels = templateLabels(d);
      const candidates = pdbsByNamespace.get(namespaceKey(index, d)) ?? [];
      const covered = candidates.some((m) => Object.entries(m).every(([k, v]) => labels[k] === v));
      if (!covered) {
        report(
          `${label("Deployment", d.name)} must have a PodDisruptionBudget (it runs ${d.props.spec.replicas} replicas): create a policy/v1 PodDisruptionBudget in its namespace whose selector matches its pod labels, with maxUnavailable: 1.`,
          d.urn,
        );
      }
    }
  },
});

function isDefaultDeny(np: StackResource, requireEgress: boolean): boolean {
  const spec = np.props.spec ?? {};
  const selector = spec.podSelector ?? {};
  const selectsAll =
    isObject(selector) &&
    Object.keys(selector.matchLabels ?? {}).length === 0 &&
    asArray(selector.matchExpressions).length === 0;
  const types = asArray<string>(spec.policyTypes);
  const deniesIngress = types.includes("Ingress") && asArray(spec.ingress).length === 0;
  const deniesEgress = types.includes("Egress") && asArray(spec.egress).length === 0;
  return selectsAll && deniesIngress && (!requireEgress || deniesEgress);
}

export const defaultDenyNetworkPolicy = stackPolicy({
  name: "namespace-default-deny-network-policy",
  description: "Checks that every application namespace has a default-deny NetworkPolicy.",
  domain: "stack",
  enforcementLevel: "mandatory",
  severity: "high",
  resourceTypes: [NAMESPACE, NETWORK_POLICY],
  controls: { cisEks: ["4.3.2"] },
  config: {
    applicationLabel: {
      type: "string",
      default: "pod-security.kubernetes.io/enforce=restricted",
      description: "Label (key=value) that marks an application namespace.",
    },
    requireEgress: configProperty.boolean(
      false,
      "Also require the default-deny policy to deny egress.",
    ),
  },
  validate: ({ args, config, report }) => {
    const index = new StackIndex(args.resources);
    const [key, value] = config.applicationLabel.split("=");
    const appNamespaces = index
      .of(NAMESPACE)
      .filter((n) => n.props.metadata?.labels?.[key] === value);
    if (appNamespaces.length === 0) return;
    const covered = new Set(
      index
        .of(NETWORK_POLICY)
        .filter((np) => isDefaultDeny(np, config.requireEgress))
        .map((np) => namespaceKey(index, np)),
    );
    for (const n of appNamespaces) {
      if (!covered.has(ownNamespaceKey(n))) {
        report(
          `${label("Namespace", n.name)} must have a default-deny NetworkPolicy: create one in it with podSelector: {} and policyTypes: ["Ingress", "Egress"], then allow the traffic it needs.`,
          n.urn,
        );
      }
    }
  },
});

export const stackPolicies = [
  s3BucketCompanions,
  vpcFlowLogs,
  nodeGroupsPrivateSubnets,
  worldIngressOnlyOnLoadBalancers,
  rdsPasswordNotPlaintext,
  auroraReplicas,
  pdbForReplicatedDeployments,
  defaultDenyNetworkPolicy,
];
