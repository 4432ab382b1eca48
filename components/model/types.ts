/**
 * Type tokens that more than one module of the platform names: the policy pack's domains, the
 * cost model, the tools. A token one module alone reads stays a constant in that module.
 */

// EKS and EC2 capacity
/** The @pulumi/eks component (all an offline run sees of the remote component). */
export const EKS_COMPONENT = "eks:index:Cluster";
export const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
export const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
export const INSTANCE = "aws:ec2/instance:Instance";
export const EBS_VOLUME = "aws:ebs/volume:Volume";

// Network
export const SUBNET = "aws:ec2/subnet:Subnet";
export const LOAD_BALANCERS: readonly string[] = [
  "aws:lb/loadBalancer:LoadBalancer",
  "aws:alb/loadBalancer:LoadBalancer",
];

// Data
export const RDS_INSTANCE = "aws:rds/instance:Instance";
export const RDS_CLUSTER = "aws:rds/cluster:Cluster";
export const ELASTICACHE_REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
export const ELASTICACHE_SERVERLESS_CACHE = "aws:elasticache/serverlessCache:ServerlessCache";
export const BUCKET = "aws:s3/bucket:Bucket";
/** The current bucket type and its deprecated V2 alias (aws v7). */
export const BUCKET_TYPES: readonly string[] = [BUCKET, "aws:s3/bucketV2:BucketV2"];
export const EFS_FILE_SYSTEM = "aws:efs/fileSystem:FileSystem";
export const DYNAMODB_TABLE = "aws:dynamodb/table:Table";
export const KMS_KEY = "aws:kms/key:Key";

// Kubernetes
export const NAMESPACE = "kubernetes:core/v1:Namespace";
export const PERSISTENT_VOLUME_CLAIM = "kubernetes:core/v1:PersistentVolumeClaim";

// Cost
export const BUDGET = "aws:budgets/budget:Budget";

/** Amazon Managed Service for Prometheus: the cost model prices them, the policy pack checks them. */
export const AMP_WORKSPACE = "aws:amp/workspace:Workspace";
export const AMP_WORKSPACE_CONFIGURATION = "aws:amp/workspaceConfiguration:WorkspaceConfiguration";
