/**
 * The platform's stack config: one section per domain, composed here. A new domain adds its
 * section file and one line below; `npm run gen:project-config` then updates Pulumi.yaml.
 */
import { foundation } from "./foundation";
import { dataTier } from "./dataTier";
import { disasterRecovery } from "./disasterRecovery";
import { clusterAddons } from "./clusterAddons";
import { observability } from "./observability";
import { costControls } from "./costControls";
import { standby } from "./standby";
import { edge } from "./edge";
import { resilience } from "./resilience";
import { registry } from "./registry";
import { admission } from "./admission";
import { SectionsConfig } from "./loader";

export const SECTIONS = {
  foundation,
  standby,
  dataTier,
  disasterRecovery,
  clusterAddons,
  observability,
  costControls,
  edge,
  resilience,
  registry,
  admission,
};

export type PlatformConfig = SectionsConfig<typeof SECTIONS>;

export * from "./schema";
export * from "./loader";
export * from "./regions";
export {
  FoundationConfig,
  NodePoolConfig,
  Environment,
  NatGatewayMode,
  LOG_RETENTION_DAYS,
} from "./foundation";
export { DataTierConfig, parseConsumer } from "./dataTier";
export { ClusterAddonsConfig } from "./clusterAddons";
export { ObservabilityConfig } from "./observability";
export { RegistryConfig } from "./registry";
export { AdmissionConfig } from "./admission";
export { StandbyConfig, StackRole, StandbyState } from "./standby";
export { EdgeConfig } from "./edge";
export { ResilienceConfig } from "./resilience";
