// Tenant resolution: API keys reduced to sha256 digests at load, and per-tenant effective limits.
import { createHash } from "node:crypto";
import { capabilitiesSchema, type Capabilities, type Limits, type ParsedConfig, type TenantConfig } from "./schema.ts";
import { TENANT_LIMIT_DEFAULTS } from "./defaults.ts";
import type { ArborConfig, DeepReadonly } from "./types.ts";

/** Name of the implicit tenant every request belongs to when no tenants are configured. */
export const OPEN_TENANT_NAME = "default";

export interface EffectiveLimits extends Limits {
  concurrency: number | null;
  calls_per_minute: number | null;
}

export interface ResolvedTenant {
  name: string;
  /** Lowercase hex sha256 of the API key; "" for the open tenant. The plain key is not kept. */
  api_key_sha256: string;
  limits: EffectiveLimits;
  capabilities: Capabilities;
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** `"sha256:<hex>"` keys are already digests; plain keys are hashed. */
export function apiKeyDigestHex(apiKey: string): string {
  return apiKey.startsWith("sha256:") ? apiKey.slice("sha256:".length).toLowerCase() : sha256Hex(apiKey);
}

/** Tenant limits over global limits, key by key. */
export function effectiveLimits(
  global: Limits,
  queue: { per_tenant_concurrency: number | null },
  own: TenantConfig["limits"] = {},
): EffectiveLimits {
  const defined = Object.fromEntries(Object.entries(own).filter(([, v]) => v !== undefined));
  return {
    ...global,
    concurrency: queue.per_tenant_concurrency,
    calls_per_minute: TENANT_LIMIT_DEFAULTS.calls_per_minute,
    ...defined,
  };
}

export function resolveTenant(parsed: ParsedConfig, tenant: TenantConfig): ResolvedTenant {
  return {
    name: tenant.name,
    api_key_sha256: apiKeyDigestHex(tenant.api_key),
    limits: effectiveLimits(parsed.limits, parsed.queue, tenant.limits),
    // A tenant's own capabilities replace the top-level ones; without them it gets none
    // (parsed from {} so the policy schema's own defaults apply).
    capabilities: tenant.capabilities ?? capabilitiesSchema.parse({}),
  };
}

const openTenants = new WeakMap<object, DeepReadonly<ResolvedTenant>>();

/** The tenant of an open (tenant-less) daemon: global limits and top-level capabilities. */
export function openTenant(config: ArborConfig): DeepReadonly<ResolvedTenant> {
  let tenant = openTenants.get(config);
  if (!tenant) {
    tenant = Object.freeze({
      name: OPEN_TENANT_NAME,
      api_key_sha256: "",
      limits: Object.freeze(effectiveLimits(config.limits, config.queue)),
      capabilities: config.capabilities,
    });
    openTenants.set(config, tenant);
  }
  return tenant;
}
