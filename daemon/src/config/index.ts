export { loadConfig, configWarnings, type LoadConfigOptions } from "./load.ts";
export { ConfigError } from "./config-error.ts";
export { defaultConfig, LOG_LEVELS } from "./defaults.ts";
export { ENV_VARS, FLAGS, SWITCHES } from "./sources.ts";
export {
  configSchema,
  capabilitiesSchema,
  limitsSchema,
  tenantLimitsSchema,
  type Capabilities,
  type Limits,
  type LogLevel,
  type TenantLimits,
} from "./schema.ts";
export {
  OPEN_TENANT_NAME,
  apiKeyDigestHex,
  effectiveLimits,
  openTenant,
  sha256Hex,
  type EffectiveLimits,
  type ResolvedTenant,
} from "./tenants.ts";
export { isLoopback } from "./checks.ts";
export type { ArborConfig, DeepReadonly } from "./types.ts";
export { resolveCallLimits, type CallAsk, type CallLimits } from "./call-limits.ts";
