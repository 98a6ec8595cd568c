// The embedded default config: the single place where default values live. `loadConfig` layers
// the config file, env vars and flags over it, so every key of a file is optional.
import { availableParallelism } from "node:os";
import type { OsLayer } from "../../../runtime/src/host/confine/layer-names.ts";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** Shape of the defaults; the schema (schema.ts) is the authority on what is valid. */
export function defaultConfig(cpuCount: number = availableParallelism()) {
  return {
    host: "127.0.0.1",
    port: 8787,
    workers: Math.max(1, cpuCount),
    // Enough to replace a crashed executor and to seat a tenant without waiting for a boot.
    spares: 1,
    // An idle executor polls for its next job this long before it sleeps: waking a sleeping one
    // costs ~80 µs each way on a VM (docs/configuration.md). 0 turns the polling off.
    idle_spin_us: 1_000,
    // While a job is out on an executor, the daemon's event loop polls this long for its answer
    // before it sleeps (the same wake-up, on the daemon's side; docs/configuration.md). 0: never.
    loop_spin_us: 1_000,
    // Before listening, `arbor serve` runs this many fork branches per worker on a state of its
    // own (~3 s on 2 workers): V8 optimizes the call path only by running it, and a fresh
    // daemon's first fork requests ran at half speed (docs/configuration.md).
    warm_up_branches: 1_280,
    // With tenants, no interpreter process ever serves two of them (docs/security.md).
    isolation: "tenant" as "tenant" | "shared",
    // Serving without tenants on a non-loopback host needs this explicit opt-in.
    allow_open: false,
    max_body_bytes: 10 * 1024 * 1024,
    shutdown_timeout_ms: 10_000,
    limits: {
      timeout_ms: 5_000,
      max_timeout_ms: 60_000,
      memory_mb: 256,
      max_memory_mb: 1_024,
      max_output_bytes: 1_048_576,
      max_code_bytes: 1_048_576,
      crashes_per_minute: 30 as number | null,
    },
    // No capability is granted unless configured.
    capabilities: {},
    queue: {
      max_length: 256,
      // null: a tenant may use every worker.
      per_tenant_concurrency: null as number | null,
    },
    states: {
      // The embedded default: states live in this process. "redis": shared by a cluster.
      store: "memory" as "memory" | "redis",
      redis_url: null as string | null,
      key_prefix: "arbor",
      max_bytes: 1024 * 1024 * 1024,
      ttl_ms: 60 * 60 * 1000,
      cache_bytes: 256 * 1024 * 1024,
    },
    batches: {
      max_items: 1000,
      // null: the states' Redis in redis mode, this process otherwise.
      redis_url: null as string | null,
      // null: as many jobs at once as there are workers.
      concurrency: null as number | null,
      retention_ms: 24 * 60 * 60 * 1000,
      attempts: 5,
      backoff_ms: 500,
      // BullMQ's defaults: a dead daemon's jobs run elsewhere after about lock_ms + stalled_check_ms.
      lock_ms: 30_000,
      stalled_check_ms: 30_000,
    },
    log: {
      level: "info" as (typeof LOG_LEVELS)[number],
      // Code, stdin, outputs and files are user data: kept out of logs unless asked for.
      log_code: false,
    },
    tenants: [],
    // WebAssembly tools (docs/tools.md): none unless configured.
    tools: [],
    security: {
      // Every OS layer this machine can provide must be in force, or `arbor serve` refuses to
      // start; layers the machine lacks (no Landlock, not root) are reported, not required.
      require: "supported" as "supported" | OsLayer[],
    },
  };
}

/** Tenant-only limits and their defaults when a tenant does not set them. */
export const TENANT_LIMIT_DEFAULTS = {
  // null: no per-minute cap.
  calls_per_minute: null as number | null,
} as const;
