/** ECR of one region: own repositories, pull-through cache, scanning, replication to the DR peer. */
export { Registry, REGISTRY_DEFAULTS } from "./registry";
export type { RegistryArgs, UpstreamCredential, UpstreamName } from "./args";
export {
  lifecyclePolicy,
  registryPolicy,
  repositoryPolicy,
  UPSTREAM_NAMES,
  UPSTREAMS,
} from "./documents";
export type { Upstream } from "./documents";
export { checkRegistry, RESERVED_PREFIXES } from "./validation";
export type { RegistrySettings } from "./validation";
