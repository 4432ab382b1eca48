/**
 * Which input changes make the provider replace a resource instead of updating it in place.
 *
 * The pinned @pulumi/aws (7.48.0) ships no schema in node_modules, and its generated SDK does not
 * say which inputs force a new resource: the bridged provider decides at diff time from the
 * Terraform AWS provider's schema (`ForceNew: true`). So this is a maintained table, taken from
 * that schema (hashicorp/terraform-provider-aws, `internal/service/<service>/<resource>.go`, the
 * v6 line that @pulumi/aws 7.x bridges), for the types this platform declares. aws_subnet
 * (ec2/vpc_subnet.go) and aws_db_instance (rds/instance.go) were checked line by line against the
 * source on 2026-12-05; the other entries were written from the provider's resource documentation
 * ("forces new resource") without that check: when a diff surprises, check the source and fix here.
 * Input names are Pulumi's (camelCase). A type that is not here is "unknown": an update of it is
 * reported as "may replace", never as a plain update.
 *
 * Kubernetes objects: the provider replaces an object whose `metadata.name` or
 * `metadata.namespace` changes (pulumi-kubernetes, "Resource replacement" in its docs); other
 * immutable fields (a Deployment's selector, ...) are left to "may replace".
 */

/** Inputs whose change forces replacement, by type token; paths match a prefix of the change. */
export const FORCE_NEW: Readonly<Record<string, readonly string[]>> = {
  "aws:ec2/vpc:Vpc": ["cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength"],
  "aws:ec2/subnet:Subnet": [
    "vpcId",
    "cidrBlock",
    "availabilityZone",
    "availabilityZoneId",
    "ipv4IpamPoolId",
    "ipv4NetmaskLength",
    "ipv6IpamPoolId",
    "ipv6Native",
    "ipv6NetmaskLength",
    "outpostArn",
  ],
  "aws:ec2/securityGroup:SecurityGroup": ["name", "namePrefix", "description", "vpcId"],
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ["securityGroupId"],
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ["securityGroupId"],
  "aws:ec2/natGateway:NatGateway": [
    "allocationId",
    "subnetId",
    "connectivityType",
    "privateIp",
    "vpcId",
    "availabilityMode",
  ],
  "aws:ec2/eip:Eip": ["domain", "networkBorderGroup", "publicIpv4Pool", "ipamPoolId"],
  "aws:ec2/internetGateway:InternetGateway": [],
  "aws:ec2/routeTable:RouteTable": ["vpcId"],
  "aws:ec2/route:Route": [
    "routeTableId",
    "destinationCidrBlock",
    "destinationIpv6CidrBlock",
    "destinationPrefixListId",
  ],
  "aws:ec2/routeTableAssociation:RouteTableAssociation": ["subnetId", "gatewayId"],
  "aws:ec2/vpcEndpoint:VpcEndpoint": ["vpcId", "serviceName", "vpcEndpointType", "serviceRegion"],
  "aws:ec2/flowLog:FlowLog": [
    "vpcId",
    "subnetId",
    "eniId",
    "trafficType",
    "logDestination",
    "logDestinationType",
    "logFormat",
    "iamRoleArn",
    "maxAggregationInterval",
    "destinationOptions",
  ],
  "aws:ec2/launchTemplate:LaunchTemplate": ["name", "namePrefix"],
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": ["vpcId"],
  "aws:kms/key:Key": ["customerMasterKeySpec", "keyUsage", "multiRegion", "xksKeyId"],
  "aws:kms/alias:Alias": ["name", "namePrefix"],
  "aws:iam/role:Role": ["name", "namePrefix", "path"],
  "aws:iam/rolePolicy:RolePolicy": ["role", "name", "namePrefix"],
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ["role", "policyArn"],
  "aws:s3/bucket:Bucket": ["bucket", "bucketPrefix", "objectLockEnabled", "bucketNamespace"],
  "aws:s3/bucketPolicy:BucketPolicy": ["bucket"],
  "aws:s3/bucketVersioning:BucketVersioning": ["bucket", "expectedBucketOwner"],
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": ["bucket"],
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": ["bucket"],
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": [
    "bucket",
    "expectedBucketOwner",
  ],
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": [
    "bucket",
    "expectedBucketOwner",
  ],
  "aws:s3/bucketLogging:BucketLogging": ["bucket", "expectedBucketOwner"],
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig": ["bucket"],
  "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": [
    "bucket",
    "expectedBucketOwner",
  ],
  "aws:cloudwatch/logGroup:LogGroup": ["name", "namePrefix", "logGroupClass"],
  "aws:cloudwatch/metricAlarm:MetricAlarm": ["name"],
  "aws:cloudwatch/eventRule:EventRule": ["name", "namePrefix", "eventBusName"],
  "aws:cloudwatch/eventTarget:EventTarget": ["rule", "targetId", "eventBusName"],
  "aws:sns/topic:Topic": ["name", "namePrefix", "fifoTopic"],
  "aws:sns/topicPolicy:TopicPolicy": ["arn"],
  "aws:sns/topicSubscription:TopicSubscription": ["topicArn", "protocol", "endpoint"],
  "aws:sqs/queue:Queue": ["name", "namePrefix", "fifoQueue"],
  "aws:sqs/queuePolicy:QueuePolicy": ["queueUrl"],
  "aws:rds/instance:Instance": [
    "identifier",
    "identifierPrefix",
    "engine",
    "dbName",
    "username",
    "storageEncrypted",
    "kmsKeyId",
    "availabilityZone",
    "characterSetName",
    "ncharCharacterSetName",
    "timezone",
    "snapshotIdentifier",
    "restoreToPointInTime",
    "s3Import",
    "customIamInstanceProfile",
  ],
  "aws:rds/parameterGroup:ParameterGroup": ["name", "namePrefix", "family", "description"],
  "aws:rds/subnetGroup:SubnetGroup": ["name", "namePrefix"],
  "aws:rds/proxy:Proxy": ["name", "engineFamily", "vpcSubnetIds"],
  "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup": ["dbProxyName"],
  "aws:rds/proxyTarget:ProxyTarget": [
    "dbProxyName",
    "targetGroupName",
    "dbInstanceIdentifier",
    "dbClusterIdentifier",
  ],
  "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": [
    "sourceDbInstanceArn",
    "kmsKeyId",
    "preSignedUrl",
    "retentionPeriod",
  ],
  "aws:elasticache/replicationGroup:ReplicationGroup": [
    "replicationGroupId",
    "subnetGroupName",
    "atRestEncryptionEnabled",
    "kmsKeyId",
    "port",
    "snapshotArns",
    "snapshotName",
    "preferredCacheClusterAzs",
    "globalReplicationGroupId",
    "dataTieringEnabled",
  ],
  "aws:elasticache/subnetGroup:SubnetGroup": ["name"],
  "aws:elasticache/parameterGroup:ParameterGroup": ["name", "family", "description"],
  "aws:eks/nodeGroup:NodeGroup": [
    "clusterName",
    "nodeGroupName",
    "nodeGroupNamePrefix",
    "nodeRoleArn",
    "subnetIds",
    "amiType",
    "capacityType",
    "diskSize",
    "instanceTypes",
    "remoteAccess",
  ],
  "aws:eks/addon:Addon": ["clusterName", "addonName"],
  "aws:eks/accessEntry:AccessEntry": ["clusterName", "principalArn", "type"],
  "aws:backup/vault:Vault": ["name", "kmsKeyArn"],
  "aws:backup/vaultLockConfiguration:VaultLockConfiguration": [
    "backupVaultName",
    "changeableForDays",
  ],
  "aws:backup/selection:Selection": [
    "name",
    "planId",
    "iamRoleArn",
    "resources",
    "notResources",
    "selectionTags",
    "conditions",
  ],
  "aws:secretsmanager/secret:Secret": ["name", "namePrefix"],
  "aws:secretsmanager/secretVersion:SecretVersion": ["secretId", "secretString", "secretBinary"],
  "aws:lambda/permission:Permission": [
    "action",
    "functionName",
    "principal",
    "qualifier",
    "sourceAccount",
    "sourceArn",
    "statementId",
    "statementIdPrefix",
  ],
  "aws:lambda/function:Function": ["name", "packageType"],
  "aws:acm/certificate:Certificate": [
    "domainName",
    "subjectAlternativeNames",
    "validationMethod",
    "keyAlgorithm",
    "certificateAuthorityArn",
  ],
  "aws:acm/certificateValidation:CertificateValidation": [
    "certificateArn",
    "validationRecordFqdns",
  ],
  "aws:route53/record:Record": ["zoneId", "name", "type", "setIdentifier"],
  "aws:route53/healthCheck:HealthCheck": ["type", "referenceName", "requestInterval"],
  "aws:wafv2/webAcl:WebAcl": ["name", "namePrefix", "scope"],
  "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": ["resourceArn"],
  "aws:budgets/budget:Budget": ["name", "namePrefix", "accountId", "timeUnit"],
  "aws:ssm/parameter:Parameter": ["name"],
  "aws:costexplorer/costAllocationTag:CostAllocationTag": ["tagKey"],
  "random:index/randomPassword:RandomPassword": [
    "length",
    "special",
    "upper",
    "lower",
    "numeric",
    "minNumeric",
    "minUpper",
    "minLower",
    "minSpecial",
    "overrideSpecial",
    "keepers",
  ],
};

/** Where the answer came from, as the report prints it. */
export const FORCE_NEW_SOURCE =
  "ForceNew in the provider schema (table in tools/preview/replacement.ts)";

const KUBERNETES_FORCE_NEW = ["metadata.name", "metadata.namespace"];

/** `a.b` matches `a.b`, `a.b.c` and `a.b[0]`, not `a.bc`. */
function coversPath(prefix: string, path: string): boolean {
  return (
    prefix === "*" ||
    path === prefix ||
    path.startsWith(`${prefix}.`) ||
    path.startsWith(`${prefix}[`)
  );
}

export type Replacement =
  /** The change forces a new resource (the table or the resource's replaceOnChanges says so). */
  | { readonly replaces: true; readonly source: string }
  /** The type is in the table and the change is not in its list: an in-place update. */
  | { readonly replaces: false }
  /** Nothing known about the type: the provider may replace it. */
  | { readonly replaces: "unknown" };

/** Whether changing `path` on a resource of `type` replaces it. */
export function replacementFor(
  type: string,
  path: string,
  replaceOnChanges: readonly string[] = [],
): Replacement {
  if (replaceOnChanges.some((p) => coversPath(p, path))) {
    return { replaces: true, source: "the resource's replaceOnChanges option" };
  }
  if (type.startsWith("kubernetes:")) {
    return KUBERNETES_FORCE_NEW.some((p) => coversPath(p, path))
      ? { replaces: true, source: "the Kubernetes provider (object name or namespace)" }
      : { replaces: "unknown" };
  }
  const forceNew = FORCE_NEW[type];
  if (forceNew === undefined) return { replaces: "unknown" };
  return forceNew.some((p) => coversPath(p, path))
    ? { replaces: true, source: FORCE_NEW_SOURCE }
    : { replaces: false };
}

export { coversPath };
