// The config schema: strict (unknown keys are errors) and validated once, on the merged layers.
import { z } from "zod";
import { CapabilitiesConfig } from "../bridge/policy.ts";
import { OS_LAYERS } from "../../../runtime/src/host/confine/layer-names.ts";
import { LOG_LEVELS } from "./defaults.ts";
import { toolsSchema } from "../tools/config.ts";

const POSITIVE = "expected a positive integer";
const NON_NEGATIVE = "expected a non-negative integer";
const positiveInt = () => z.int({ error: POSITIVE }).positive({ error: POSITIVE });
const nonNegativeInt = () => z.int({ error: NON_NEGATIVE }).nonnegative({ error: NON_NEGATIVE });

export const limitsSchema = z.strictObject({
  /** Default timeout of a call that does not ask for one. */
  timeout_ms: positiveInt(),
  /** The most a call may ask for; above it: `limit_exceeded`. */
  max_timeout_ms: positiveInt(),
  memory_mb: positiveInt(),
  max_memory_mb: positiveInt(),
  /** Cap (and default) for a call's combined stdout+stderr. */
  max_output_bytes: positiveInt(),
  max_code_bytes: positiveInt(),
  /** Calls that may crash or lose their executor per 60 s before the tenant gets 429; null: no cap. */
  crashes_per_minute: positiveInt().nullable(),
});

export const tenantLimitsSchema = limitsSchema.partial().extend({
  /** Calls of this tenant running at once; null: no cap beyond the pool. */
  concurrency: positiveInt().nullable().optional(),
  /** Calls accepted per sliding 60 s; null: unlimited. */
  calls_per_minute: positiveInt().nullable().optional(),
});

// The capability policy schema is the bridge's own (daemon/src/bridge/policy.ts): one schema
// for what the config accepts and what the bridge enforces.
export const capabilitiesSchema = CapabilitiesConfig;

/** Tenant names appear in metrics labels and logs: keep them short and plain. */
export const TENANT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const HASHED_KEY = /^sha256:[0-9a-fA-F]{64}$/;

export const tenantSchema = z.strictObject({
  name: z.string().regex(TENANT_NAME, { error: "expected 1-64 letters, digits, '.', '_' or '-'" }),
  api_key: z
    .string()
    .min(1, { error: "must not be empty" })
    .refine((k) => !k.startsWith("sha256:") || HASHED_KEY.test(k), {
      error: 'expected "sha256:" followed by 64 hex digits',
    }),
  limits: tenantLimitsSchema.optional(),
  /** Replaces the top-level capabilities for this tenant; absent: no capabilities. */
  capabilities: capabilitiesSchema.optional(),
});

/** OS confinement layers the daemon refuses to serve without (docs/security.md). */
export const securitySchema = z.strictObject({
  /** "supported": every layer this machine can provide; or an explicit list of layer names. */
  require: z.union([z.literal("supported"), z.array(z.enum(OS_LAYERS)).max(OS_LAYERS.length)], {
    error: `expected "supported" or a list of: ${OS_LAYERS.join(", ")}`,
  }),
});

/** redis:// or rediss:// (TLS), with an optional user, password and database number. */
export const REDIS_URL = /^rediss?:\/\/[^\s/]+(\/\d{0,5})?$/;
const redisUrl = () => z.string().regex(REDIS_URL, { error: 'expected a URL like "redis://host:6379" or "rediss://user:password@host:6380/0"' });

/** Where kept states live: this process (the embedded default) or a Redis shared by a cluster (docs/cluster.md). */
export const statesSchema = z.strictObject({
  store: z.enum(["memory", "redis"]),
  /** Required with store "redis". */
  redis_url: redisUrl().nullable(),
  /** Prefix of every Redis key (states and batches), so deployments can share one Redis. */
  key_prefix: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, { error: "expected 1-64 letters, digits, '.', '_' or '-'" }),
  /** Memory mode: the total size of kept states. Redis mode: what each executor holds of them. */
  max_bytes: positiveInt(),
  ttl_ms: positiveInt(),
  /** Redis mode: the daemon's local cache of state envelopes. */
  cache_bytes: positiveInt(),
});

/** Durable batches (POST /v1/batches): on BullMQ in Redis, or in this process. */
export const batchesSchema = z.strictObject({
  /** The most programs (or branches) one batch may hold (the wire's ceiling is 100000). */
  max_items: positiveInt().max(100_000, { error: "expected at most 100000" }),
  /** null: states.redis_url when states.store is "redis", else batches run in this process. */
  redis_url: redisUrl().nullable(),
  /** Jobs this daemon runs at once; null: one per worker. */
  concurrency: positiveInt().nullable(),
  retention_ms: positiveInt(),
  attempts: positiveInt(),
  backoff_ms: positiveInt(),
  lock_ms: positiveInt(),
  stalled_check_ms: positiveInt(),
});

export const configSchema = z.strictObject({
  host: z.string().min(1, { error: "must not be empty" }),
  port: z.int({ error: "expected a port number from 0 to 65535" }).min(0).max(65535, {
    error: "expected a port number from 0 to 65535",
  }),
  workers: positiveInt(),
  /** Warm executors kept out of rotation to replace crashed or retired ones, and to seat tenants. */
  spares: nonNegativeInt(),
  /** Microseconds an idle executor polls for its next job before it blocks (0: never polls). */
  idle_spin_us: nonNegativeInt().max(100_000, { error: "expected at most 100000 (0.1 s)" }),
  /** Microseconds the daemon's event loop polls for an executor's answer before it blocks (0: never polls). */
  loop_spin_us: nonNegativeInt().max(100_000, { error: "expected at most 100000 (0.1 s)" }),
  /** Fork branches per worker that `arbor serve` runs on its own state before it listens (0: none). */
  warm_up_branches: nonNegativeInt().max(100_000, { error: "expected at most 100000" }),
  /** "tenant": an executor serves one tenant until it retires; "shared": any tenant. */
  isolation: z.enum(["tenant", "shared"]),
  allow_open: z.boolean(),
  max_body_bytes: positiveInt(),
  shutdown_timeout_ms: nonNegativeInt(),
  limits: limitsSchema,
  capabilities: capabilitiesSchema,
  queue: z.strictObject({
    max_length: nonNegativeInt(),
    per_tenant_concurrency: positiveInt().nullable(),
  }),
  states: statesSchema,
  batches: batchesSchema,
  log: z.strictObject({ level: z.enum(LOG_LEVELS), log_code: z.boolean() }),
  tenants: z.array(tenantSchema),
  /** WebAssembly tools sandboxed code may call (docs/tools.md). */
  tools: toolsSchema,
  security: securitySchema,
});

export type Limits = z.output<typeof limitsSchema>;
export type TenantLimits = z.output<typeof tenantLimitsSchema>;
export type Capabilities = z.output<typeof capabilitiesSchema>;
export type TenantConfig = z.output<typeof tenantSchema>;
export type ParsedConfig = z.output<typeof configSchema>;
export type LogLevel = (typeof LOG_LEVELS)[number];
