/**
 * Plausible outputs for the mock engine: what the cloud would compute for a deployed resource
 * (IDs, ARNs in the stack's region and account, endpoints, a kubeconfig for the cluster), so that
 * every policy and every dependent sees realistic values, as on an update of a deployed stack.
 */
import { createHash } from "crypto";

export interface MockContext {
  readonly region: string;
  readonly accountId: string;
}

type Inputs = Record<string, unknown>;

function shortHash(value: string, length = 8): string {
  return createHash("sha256").update(value).digest("hex").slice(0, length);
}

/** `aws:s3/bucketV2:BucketV2` -> `s3`; the ARN service of an AWS type token. */
function arnService(type: string): string {
  const module = type.split(":")[1]?.split("/")[0] ?? "";
  const services: Record<string, string> = {
    cloudwatch: "logs",
    elasticache: "elasticache",
    rds: "rds",
    iam: "iam",
    s3: "s3",
    sns: "sns",
    sqs: "sqs",
    kms: "kms",
    ec2: "ec2",
    eks: "eks",
    backup: "backup",
    route53: "route53",
    budgets: "budgets",
    secretsmanager: "secretsmanager",
    cloudwatchevents: "events",
  };
  return services[module] ?? module;
}

/** A UUID-shaped id derived from the name (Route 53 health checks, AWS Backup plans). */
function uuidOf(name: string): string {
  const h = shortHash(name, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function physicalName(name: string, inputs: Inputs): string {
  for (const key of [
    "name",
    "bucket",
    "clusterName",
    "roleName",
    "identifier",
    "replicationGroupId",
  ]) {
    const value = inputs[key];
    if (typeof value === "string" && value.length > 0) return value;
  }
  return `${name}-${shortHash(name, 7)}`;
}

function awsOutputs(type: string, name: string, inputs: Inputs, ctx: MockContext): Inputs {
  const physical = physicalName(name, inputs);
  const service = arnService(type);
  const global = service === "iam" || service === "route53" || service === "s3";
  const region = global ? "" : ctx.region;
  const account = service === "s3" ? "" : ctx.accountId;
  const resourceKind = type.split(":")[2]?.toLowerCase() ?? "resource";
  const arn = `arn:aws:${service}:${region}:${account}:${service === "s3" ? physical : `${resourceKind}/${physical}`}`;
  const common: Inputs = { arn, name: inputs.name ?? physical, tagsAll: inputs.tags ?? {} };

  switch (type) {
    case "aws:ec2/vpc:Vpc":
      return {
        ...common,
        id: `vpc-${shortHash(name, 17)}`,
        defaultSecurityGroupId: `sg-${shortHash(`${name}-default`, 17)}`,
      };
    case "aws:ec2/subnet:Subnet":
      return { ...common, id: `subnet-${shortHash(name, 17)}` };
    case "aws:ec2/securityGroup:SecurityGroup":
      return { ...common, id: `sg-${shortHash(name, 17)}` };
    case "aws:ec2/natGateway:NatGateway": {
      // An address of TEST-NET-3 (RFC 5737), which documentation and tests use.
      const octet = parseInt(shortHash(name, 2), 16) % 254;
      return { ...common, id: `nat-${shortHash(name, 17)}`, publicIp: `203.0.113.${octet + 1}` };
    }
    case "aws:kms/key:Key":
      return {
        ...common,
        keyId: `${shortHash(name, 8)}-${shortHash(`${name}1`, 4)}-4${shortHash(`${name}2`, 3)}-a${shortHash(`${name}3`, 3)}-${shortHash(`${name}4`, 12)}`,
      };
    case "aws:s3/bucketV2:BucketV2":
    case "aws:s3/bucket:Bucket":
      return {
        ...common,
        bucket: physical,
        id: physical,
        bucketRegionalDomainName: `${physical}.s3.${ctx.region}.amazonaws.com`,
      };
    case "aws:rds/instance:Instance":
      return {
        ...common,
        arn: `arn:aws:rds:${ctx.region}:${ctx.accountId}:db:${physical}`,
        identifier: physical,
        address: `${physical}.${shortHash(ctx.accountId, 12)}.${ctx.region}.rds.amazonaws.com`,
        endpoint: `${physical}.${shortHash(ctx.accountId, 12)}.${ctx.region}.rds.amazonaws.com:5432`,
        masterUserSecrets: [
          {
            secretArn: `arn:aws:secretsmanager:${ctx.region}:${ctx.accountId}:secret:rds!db-${shortHash(name, 8)}`,
            secretStatus: "active",
          },
        ],
        resourceId: `db-${shortHash(name, 26).toUpperCase()}`,
      };
    case "aws:rds/proxy:Proxy":
      return {
        ...common,
        arn: `arn:aws:rds:${ctx.region}:${ctx.accountId}:db-proxy:prx-${shortHash(name, 17)}`,
        endpoint: `${physical}.proxy-${shortHash(ctx.accountId, 12)}.${ctx.region}.rds.amazonaws.com`,
      };
    case "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup":
      // Every proxy has exactly one target group, which RDS names "default".
      return { ...common, name: "default", id: String(inputs.dbProxyName ?? physical) };
    case "aws:elasticache/replicationGroup:ReplicationGroup": {
      // Node IDs as ElastiCache names them in cluster mode: <group>-<shard 4 digits>-<node 3 digits>.
      const shards = Number(inputs.numNodeGroups ?? 1);
      const nodes = 1 + Number(inputs.replicasPerNodeGroup ?? 0);
      const memberClusters = Array.from(
        { length: shards * nodes },
        (_, i) =>
          `${physical}-${String(Math.floor(i / nodes) + 1).padStart(4, "0")}-${String((i % nodes) + 1).padStart(3, "0")}`,
      );
      return {
        ...common,
        arn: `arn:aws:elasticache:${ctx.region}:${ctx.accountId}:replicationgroup:${physical}`,
        memberClusters,
        configurationEndpointAddress: `clustercfg.${physical}.${shortHash(name, 6)}.${ctx.region.replace(/-/g, "")}.cache.amazonaws.com`,
      };
    }
    case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
      return {
        ...common,
        arn: `arn:aws:iam::${ctx.accountId}:oidc-provider/${String(inputs.url ?? "").replace(/^https:\/\//, "")}`,
      };
    case "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication":
      // Its id is the ARN of the replicated automated backups, in the destination region.
      return {
        ...common,
        id: `arn:aws:rds:${ctx.region}:${ctx.accountId}:auto-backup:ab-${shortHash(name, 26)}`,
      };
    case "aws:route53/healthCheck:HealthCheck":
      return { ...common, id: uuidOf(name) };
    case "aws:backup/plan:Plan":
      return { ...common, id: uuidOf(name), version: shortHash(`${name}-version`, 32) };
    case "aws:route53/zone:Zone":
      return { ...common, zoneId: `Z${shortHash(name, 13).toUpperCase()}` };
    case "aws:route53/record:Record":
      return { ...common, fqdn: String(inputs.name ?? physical).replace(/\.$/, "") };
    case "aws:sqs/queue:Queue":
      return {
        ...common,
        arn: `arn:aws:sqs:${ctx.region}:${ctx.accountId}:${physical}`,
        url: `https://sqs.${ctx.region}.amazonaws.com/${ctx.accountId}/${physical}`,
      };
    case "aws:acm/certificate:Certificate": {
      // One DNS validation CNAME per name, as ACM reports them for DNS validation.
      const names = [inputs.domainName, ...((inputs.subjectAlternativeNames as unknown[]) ?? [])];
      return {
        ...common,
        arn: `arn:aws:acm:${ctx.region}:${ctx.accountId}:certificate/${shortHash(name, 8)}-${shortHash(`${name}1`, 4)}-4${shortHash(`${name}2`, 3)}-a${shortHash(`${name}3`, 3)}-${shortHash(`${name}4`, 12)}`,
        domainValidationOptions: names.map((n) => ({
          domainName: n,
          resourceRecordName: `_${shortHash(`${n}`, 32)}.${String(n).replace(/^\*\./, "")}.`,
          resourceRecordType: "CNAME",
          resourceRecordValue: `_${shortHash(`${n}v`, 32)}.acm-validations.aws.`,
        })),
      };
    }
    case "aws:eks/nodeGroup:NodeGroup": {
      // EKS names the group's Auto Scaling group eks-<node group>-<uuid>.
      const nodeGroupName =
        typeof inputs.nodeGroupName === "string"
          ? inputs.nodeGroupName
          : `${name}-${shortHash(name, 7)}`;
      return {
        ...common,
        nodeGroupName,
        resources: [
          {
            autoscalingGroups: [
              {
                name: `eks-${nodeGroupName}-${shortHash(name, 8)}-${shortHash(`${name}1`, 4)}-${shortHash(`${name}2`, 4)}-${shortHash(`${name}3`, 4)}-${shortHash(`${name}4`, 12)}`,
              },
            ],
            remoteAccessSecurityGroupId: "",
          },
        ],
      };
    }
    case "aws:wafv2/webAcl:WebAcl":
      return {
        ...common,
        arn: `arn:aws:wafv2:${ctx.region}:${ctx.accountId}:regional/webacl/${physical}/${shortHash(name, 8)}-${shortHash(`${name}1`, 4)}-4${shortHash(`${name}2`, 3)}-a${shortHash(`${name}3`, 3)}-${shortHash(`${name}4`, 12)}`,
      };
    default:
      return common;
  }
}

function eksClusterOutputs(name: string, inputs: Inputs, ctx: MockContext): Inputs {
  const clusterName =
    typeof inputs.name === "string" ? inputs.name : `${name}-eksCluster-${shortHash(name, 7)}`;
  const oidcId = shortHash(name, 32).toUpperCase();
  const issuer = `https://oidc.eks.${ctx.region}.amazonaws.com/id/${oidcId}`;
  const endpoint = `https://${shortHash(clusterName, 32).toUpperCase()}.gr7.${ctx.region}.eks.amazonaws.com`;
  const kubeconfig = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      { name: clusterName, cluster: { server: endpoint, "certificate-authority-data": "" } },
    ],
    contexts: [{ name: "aws", context: { cluster: clusterName, user: "aws" } }],
    "current-context": "aws",
    users: [
      {
        name: "aws",
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: ["eks", "get-token", "--cluster-name", clusterName, "--region", ctx.region],
          },
        },
      },
    ],
  };
  return {
    kubeconfig,
    kubeconfigJson: JSON.stringify(kubeconfig),
    oidcIssuer: issuer.replace(/^https:\/\//, ""),
    oidcProviderUrl: issuer,
    oidcProviderArn: `arn:aws:iam::${ctx.accountId}:oidc-provider/${issuer.replace(/^https:\/\//, "")}`,
    clusterSecurityGroupId: `sg-${shortHash(`${name}-cluster`, 17)}`,
    nodeSecurityGroupId: `sg-${shortHash(`${name}-node`, 17)}`,
  };
}

/** The id and outputs a deployed resource of this type would have. */
export function plausibleOutputs(
  type: string,
  name: string,
  inputs: Inputs,
  ctx: MockContext,
): { id: string; state: Inputs } {
  if (type === "eks:index:Cluster") {
    return {
      id: `${name}-${shortHash(name)}`,
      state: { ...inputs, ...eksClusterOutputs(name, inputs, ctx) },
    };
  }
  if (type.startsWith("aws:")) {
    const outputs = awsOutputs(type, name, inputs, ctx);
    const id = typeof outputs.id === "string" ? outputs.id : String(outputs.name ?? name);
    return { id, state: { ...inputs, ...outputs, id } };
  }
  if (type === "random:index/randomPassword:RandomPassword") {
    // A fixed stand-in of the requested length; the SDK marks `result` secret.
    const length = Number(inputs.length ?? 16);
    const result = createHash("sha256").update(name).digest("hex").repeat(4).slice(0, length);
    return { id: "none", state: { ...inputs, result, bcryptHash: "" } };
  }
  if (type.startsWith("kubernetes:")) {
    return { id: `${name}`, state: inputs };
  }
  return { id: `${name}-${shortHash(name)}`, state: inputs };
}
