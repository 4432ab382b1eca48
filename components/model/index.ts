/**
 * @platform/model: what more than one layer of the platform (components, stacks, the policy pack,
 * the tools) needs, in plain TypeScript with no dependencies, so that each layer imports it by
 * package name instead of reaching into another layer.
 */
export {
  BACKUP_TAG,
  DR_EXEMPT_LABEL,
  DR_EXEMPT_TAG,
  REQUIRED_TAG_KEYS,
  STACK_TAG_KEY,
  STANDBY_REGION_TAG,
  STANDBY_STACK_TAG,
  type RequiredTagKey,
} from "./tags";
export { EU_REGIONS, isEuRegion } from "./regions";
export {
  BUCKET,
  BUCKET_TYPES,
  BUDGET,
  DYNAMODB_TABLE,
  EBS_VOLUME,
  EFS_FILE_SYSTEM,
  EKS_COMPONENT,
  ELASTICACHE_REPLICATION_GROUP,
  ELASTICACHE_SERVERLESS_CACHE,
  INSTANCE,
  KMS_KEY,
  LAUNCH_TEMPLATE,
  LOAD_BALANCERS,
  NAMESPACE,
  NODE_GROUP,
  PERSISTENT_VOLUME_CLAIM,
  RDS_CLUSTER,
  RDS_INSTANCE,
  SUBNET,
  AMP_WORKSPACE,
  AMP_WORKSPACE_CONFIGURATION,
} from "./types";
export { isUnknown, SECRET_SIG, SECRET_SIG_KEY, UNKNOWN } from "./wire";
export {
  ASSUMPTION_NAMES,
  assumptionsParameterName,
  DEFAULT_COST_ASSUMPTIONS,
  PROMETHEUS_SCRAPE_INTERVAL_SECONDS,
  type CostAssumptions,
} from "./cost/assumptions";
export {
  estimateCost,
  priceResource,
  typeStatus,
  type CostEstimate,
  type CostLine,
  type CostResource,
  type EstimateOptions,
} from "./cost/estimate";
export { PRICED_REGIONS } from "./cost/price-table";
export {
  estimateStack,
  fromPolicyResource,
  fromRecordedResources,
  type PolicyResourceLike,
  type RecordedLike,
  type StackBudget,
  type StackEstimate,
} from "./cost/stack-estimate";
export {
  imageFields,
  imagesInValues,
  isImageNode,
  valuesImageReference,
  type ValuesImage,
} from "./images";
