/**
 * Happy-path resources: one factory per resource type, each a correct production resource that
 * passes every policy of the pack. Test cases change one thing with `change`/`withOptions`.
 */
import type {
  AnalyzerProvider,
  AnalyzerResource,
  AnalyzerResourceOptions,
} from "../../tools/analyzer";

const STACK = "prod-us-west-2";
const PROJECT = "platform";
const ACCOUNT = "111122223333";
export const KEY_ARN = `arn:aws:kms:us-west-2:${ACCOUNT}:key/0b7e4d3c-1a2b-4c5d-8e9f-0a1b2c3d4e5f`;

export function urn(type: string, name: string): string {
  return `urn:pulumi:${STACK}::${PROJECT}::${type}::${name}`;
}

export const awsProvider: AnalyzerProvider = {
  urn: urn("pulumi:providers:aws", "us-west-2"),
  type: "pulumi:providers:aws",
  name: "us-west-2",
  properties: {
    region: "us-west-2",
    // Generated providers JSON-encode object inputs, as the engine then receives them.
    defaultTags: JSON.stringify({
      tags: {
        "platform:stack": STACK,
        "platform:environment": "production",
        "platform:cost-center": "platform",
        "platform:owner": "platform-team",
      },
    }),
  },
};

export const k8sProvider: AnalyzerProvider = {
  urn: urn("pulumi:providers:kubernetes", "cluster"),
  type: "pulumi:providers:kubernetes",
  name: "cluster",
  properties: {},
};

type Props = Record<string, unknown>;

function resource(
  type: string,
  name: string,
  properties: Props,
  provider: AnalyzerProvider | undefined,
  options: AnalyzerResourceOptions = {},
): AnalyzerResource {
  return { urn: urn(type, name), type, name, properties, options, provider };
}

const aws = (type: string, name: string, props: Props, options?: AnalyzerResourceOptions) =>
  resource(type, name, props, awsProvider, options);
const k8s = (type: string, name: string, props: Props) => resource(type, name, props, k8sProvider);
const PROTECT = { protect: true };

/** Returns a copy with the value at a dotted path replaced (`undefined` deletes it). */
export function change(r: AnalyzerResource, path: string, value: unknown): AnalyzerResource {
  const copy = structuredClone(r) as { properties: Props };
  const keys = path.split(".");
  let target: Props = copy.properties;
  for (const k of keys.slice(0, -1)) {
    if (typeof target[k] !== "object" || target[k] === null) target[k] = {};
    target = target[k] as Props;
  }
  const last = keys[keys.length - 1];
  if (value === undefined) delete target[last];
  else target[last] = value;
  return copy as unknown as AnalyzerResource;
}

export function withOptions(
  r: AnalyzerResource,
  options: AnalyzerResourceOptions,
): AnalyzerResource {
  return { ...r, options: { ...r.options, ...options } };
}

export function withDeps(
  r: AnalyzerResource,
  deps: Record<string, AnalyzerResource[]>,
): AnalyzerResource {
  const propertyDependencies: Record<string, string[]> = {};
  for (const [k, rs] of Object.entries(deps)) propertyDependencies[k] = rs.map((d) => d.urn);
  return { ...r, propertyDependencies, dependencies: Object.values(propertyDependencies).flat() };
}

const LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
const doc = (statements: unknown[]) =>
  JSON.stringify({ Version: "2012-10-17", Statement: statements });
const OIDC = "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E";

export const happy = {
  awsProviderResource: () =>
    resource(awsProvider.type, awsProvider.name, { ...awsProvider.properties }, undefined),
  eksComponent: () =>
    resource(
      "eks:index:Cluster",
      "platform",
      {
        endpointPublicAccess: false,
        endpointPrivateAccess: true,
        encryptionConfigKeyArn: KEY_ARN,
        enabledClusterLogTypes: LOG_TYPES,
        version: "1.34",
        skipDefaultNodeGroup: true,
      },
      undefined,
    ),
  eksCluster: () =>
    aws("aws:eks/cluster:Cluster", "platform-cluster", {
      roleArn: `arn:aws:iam::${ACCOUNT}:role/platform-cluster`,
      version: "1.34",
      vpcConfig: {
        endpointPrivateAccess: true,
        endpointPublicAccess: false,
        subnetIds: ["subnet-0a", "subnet-0b", "subnet-0c"],
      },
      encryptionConfig: { provider: { keyArn: KEY_ARN }, resources: ["secrets"] },
      enabledClusterLogTypes: LOG_TYPES,
    }),
  launchTemplate: () =>
    aws("aws:ec2/launchTemplate:LaunchTemplate", "nodes", {
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 2,
      },
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: { encrypted: "true", kmsKeyId: KEY_ARN, volumeSize: 100, volumeType: "gp3" },
        },
      ],
      networkInterfaces: [{ associatePublicIpAddress: "false" }],
    }),
  instance: () =>
    aws("aws:ec2/instance:Instance", "runner", {
      ami: "ami-0abcdef1234567890",
      instanceType: "m7g.large",
      metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
      rootBlockDevice: { encrypted: true, kmsKeyId: KEY_ARN },
      associatePublicIpAddress: false,
    }),
  ebsVolume: () =>
    aws(
      "aws:ebs/volume:Volume",
      "data",
      { availabilityZone: "us-west-2a", size: 100, encrypted: true, kmsKeyId: KEY_ARN },
      PROTECT,
    ),
  nodeGroup: () =>
    aws("aws:eks/nodeGroup:NodeGroup", "general", {
      clusterName: "platform",
      nodeRoleArn: `arn:aws:iam::${ACCOUNT}:role/nodes`,
      subnetIds: ["subnet-private-a"],
      instanceTypes: ["m7g.xlarge"],
      capacityType: "ON_DEMAND",
      scalingConfig: { minSize: 3, maxSize: 9, desiredSize: 3 },
    }),
  securityGroup: () =>
    aws("aws:ec2/securityGroup:SecurityGroup", "nodes-sg", {
      description: "EKS worker nodes",
      vpcId: "vpc-0123",
      ingress: [
        {
          description: "HTTPS from the VPC",
          protocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrBlocks: ["10.0.0.0/16"],
        },
      ],
      egress: [
        {
          description: "All egress",
          protocol: "-1",
          fromPort: 0,
          toPort: 0,
          cidrBlocks: ["0.0.0.0/0"],
        },
      ],
    }),
  securityGroupRule: () =>
    aws("aws:ec2/securityGroupRule:SecurityGroupRule", "nodes-https", {
      type: "ingress",
      protocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrBlocks: ["10.0.0.0/16"],
      securityGroupId: "sg-0123",
      description: "HTTPS from the VPC",
    }),
  vpcIngressRule: () =>
    aws("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "db-postgres", {
      securityGroupId: "sg-0456",
      ipProtocol: "tcp",
      fromPort: 5432,
      toPort: 5432,
      cidrIpv4: "10.0.0.0/16",
      description: "Postgres from the VPC",
    }),
  subnet: () =>
    aws("aws:ec2/subnet:Subnet", "private-a", {
      vpcId: "vpc-0123",
      cidrBlock: "10.0.0.0/19",
      availabilityZone: "us-west-2a",
      mapPublicIpOnLaunch: false,
    }),
  rdsInstance: () =>
    aws(
      "aws:rds/instance:Instance",
      "orders",
      {
        engine: "postgres",
        engineVersion: "17.6",
        instanceClass: "db.r7g.large",
        storageEncrypted: true,
        kmsKeyId: KEY_ARN,
        multiAz: true,
        backupRetentionPeriod: 14,
        deletionProtection: true,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: "orders-final",
        iamDatabaseAuthenticationEnabled: true,
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: KEY_ARN,
        publiclyAccessible: false,
        manageMasterUserPassword: true,
        username: "platform",
      },
      PROTECT,
    ),
  rdsCluster: () =>
    aws(
      "aws:rds/cluster:Cluster",
      "ledger",
      {
        engine: "aurora-postgresql",
        clusterIdentifier: "ledger",
        storageEncrypted: true,
        kmsKeyId: KEY_ARN,
        backupRetentionPeriod: 14,
        deletionProtection: true,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: "ledger-final",
        iamDatabaseAuthenticationEnabled: true,
        manageMasterUserPassword: true,
        masterUsername: "platform",
      },
      PROTECT,
    ),
  rdsClusterInstance: (name = "ledger-1") =>
    aws("aws:rds/clusterInstance:ClusterInstance", name, {
      clusterIdentifier: "ledger",
      instanceClass: "db.r7g.large",
      engine: "aurora-postgresql",
      publiclyAccessible: false,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: KEY_ARN,
    }),
  replicationGroup: () =>
    aws(
      "aws:elasticache/replicationGroup:ReplicationGroup",
      "sessions",
      {
        description: "Session cache",
        engine: "valkey",
        nodeType: "cache.r7g.large",
        numCacheClusters: 2,
        atRestEncryptionEnabled: true,
        kmsKeyId: KEY_ARN,
        transitEncryptionEnabled: true,
        userGroupIds: ["sessions-users"],
        automaticFailoverEnabled: true,
        multiAzEnabled: true,
        snapshotRetentionLimit: 7,
      },
      PROTECT,
    ),
  bucket: (name = "logs") =>
    aws("aws:s3/bucket:Bucket", name, { bucket: `platform-${name}` }, PROTECT),
  publicAccessBlock: (bucket = "platform-logs") =>
    aws("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", `${bucket}-pab`, {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    }),
  sseConfiguration: (bucket = "platform-logs") =>
    aws(
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      `${bucket}-sse`,
      {
        bucket,
        rules: [
          {
            applyServerSideEncryptionByDefault: {
              sseAlgorithm: "aws:kms",
              kmsMasterKeyId: KEY_ARN,
            },
            bucketKeyEnabled: true,
          },
        ],
      },
    ),
  versioning: (bucket = "platform-logs") =>
    aws("aws:s3/bucketVersioning:BucketVersioning", `${bucket}-versioning`, {
      bucket,
      versioningConfiguration: { status: "Enabled" },
    }),
  bucketAcl: () =>
    aws("aws:s3/bucketAcl:BucketAcl", "logs-acl", { bucket: "platform-logs", acl: "private" }),
  bucketPolicy: () =>
    aws("aws:s3/bucketPolicy:BucketPolicy", "logs-policy", {
      bucket: "platform-logs",
      policy: doc([
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: ["arn:aws:s3:::platform-logs", "arn:aws:s3:::platform-logs/*"],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/log-writer` },
          Action: "s3:PutObject",
          Resource: "arn:aws:s3:::platform-logs/*",
        },
      ]),
    }),
  kmsKey: () =>
    aws(
      "aws:kms/key:Key",
      "data",
      {
        description: "Data tier encryption",
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: doc([
          {
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
            Action: "kms:*",
            Resource: "*",
          },
        ]),
      },
      PROTECT,
    ),
  iamPolicy: () =>
    aws("aws:iam/policy:Policy", "read-logs", {
      policy: doc([
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
      policy: doc([
        { Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::platform-logs/*" },
      ]),
    }),
  role: () =>
    aws("aws:iam/role:Role", "external-dns", {
      assumeRolePolicy: doc([
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
  logGroup: () =>
    aws("aws:cloudwatch/logGroup:LogGroup", "flow-logs", {
      retentionInDays: 365,
      kmsKeyId: KEY_ARN,
    }),
  deployment: () => k8s("kubernetes:apps/v1:Deployment", "api", workload({ replicas: 3 })),
  statefulSet: () =>
    k8s("kubernetes:apps/v1:StatefulSet", "queue", workload({ replicas: 3, serviceName: "queue" })),
  daemonSet: () => k8s("kubernetes:apps/v1:DaemonSet", "agent", workload({})),
  job: () => k8s("kubernetes:batch/v1:Job", "migrate", workload({ backoffLimit: 2 }, false)),
  cronJob: () =>
    k8s("kubernetes:batch/v1:CronJob", "report", {
      metadata: { name: "report", namespace: "payments" },
      spec: { schedule: "0 3 * * *", jobTemplate: { spec: workload({}, false).spec } },
    }),
  pod: () =>
    k8s("kubernetes:core/v1:Pod", "debug", {
      metadata: { name: "debug", namespace: "payments", labels: { app: "debug" } },
      spec: podSpec(true),
    }),
  clusterRoleBinding: () =>
    k8s("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", "viewers", {
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
      subjects: [
        { kind: "Group", name: "platform-viewers", apiGroup: "rbac.authorization.k8s.io" },
      ],
    }),
  helmRelease: () =>
    k8s("kubernetes:helm.sh/v3:Release", "monitoring", {
      name: "kube-prometheus-stack",
      chart: "kube-prometheus-stack",
      version: "88.5.3",
      repositoryOpts: { repo: "https://prometheus-community.github.io/helm-charts" },
      namespace: "monitoring",
    }),
  karpenterNodeClass: () =>
    k8s("kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", "cluster-node-class", {
      apiVersion: "karpenter.k8s.aws/v1",
      kind: "EC2NodeClass",
      metadata: { name: "default" },
      spec: {
        role: "karpenter-nodes",
        amiSelectorTerms: [{ alias: "al2023@v20260101" }],
        subnetSelectorTerms: [{ tags: { "karpenter.sh/discovery": "platform" } }],
        securityGroupSelectorTerms: [{ id: "sg-0123" }],
        metadataOptions: {
          httpEndpoint: "enabled",
          httpPutResponseHopLimit: 1,
          httpTokens: "required",
        },
        blockDeviceMappings: [
          {
            deviceName: "/dev/xvda",
            ebs: { volumeSize: "100Gi", volumeType: "gp3", encrypted: true, kmsKeyID: KEY_ARN },
          },
        ],
      },
    }),
  persistentVolumeClaim: () =>
    withOptions(
      k8s("kubernetes:core/v1:PersistentVolumeClaim", "queue-data", {
        metadata: { name: "queue-data", namespace: "payments" },
        spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "20Gi" } } },
      }),
      PROTECT,
    ),
};

/** A restricted pod spec: non-root, read-only, no capabilities, seccomp, sized, probed. */
export function podSpec(longRunning: boolean): Props {
  return {
    serviceAccountName: "api",
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 10001,
      seccompProfile: { type: "RuntimeDefault" },
    },
    ...(longRunning ? {} : { restartPolicy: "OnFailure" }),
    containers: [
      {
        name: "app",
        image: "ghcr.io/acme/api:1.4.2",
        ports: [{ containerPort: 8080 }],
        securityContext: {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ["ALL"] },
        },
        resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { memory: "256Mi" } },
        ...(longRunning
          ? {
              livenessProbe: { httpGet: { path: "/healthz", port: 8080 } },
              readinessProbe: { httpGet: { path: "/ready", port: 8080 } },
            }
          : {}),
      },
    ],
  };
}

function workload(extraSpec: Props, longRunning = true): Props {
  return {
    metadata: { name: "api", namespace: "payments" },
    spec: {
      ...extraSpec,
      // Jobs get their selector from the API server.
      ...(longRunning ? { selector: { matchLabels: { app: "api" } } } : {}),
      template: { metadata: { labels: { app: "api" } }, spec: podSpec(longRunning) },
    },
  };
}

export type HappyKind = keyof typeof happy;

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

  return {
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
  };
}

/** The stack's resources, each URN once (cases may point two fields at one resource). */
export function stackResources(s: ReturnType<typeof happyStack>): AnalyzerResource[] {
  const all = Object.values(s).flatMap((v) => (Array.isArray(v) ? v : [v])) as AnalyzerResource[];
  return [...new Map(all.map((r) => [r.urn, r])).values()];
}
