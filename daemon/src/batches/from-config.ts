// The batch queue the config asks for: BullMQ on Redis when there is one (batches.redis_url, or
// the states' Redis in redis mode), so every daemon of a cluster takes the jobs; this process
// otherwise (nothing to install).
import type { ArborConfig } from "../config/index.ts";
import { MemoryBatches } from "./memory-batches.ts";
import { RedisBatches } from "./redis-batches.ts";
import type { BatchQueue } from "./types.ts";

/** Where batches live: a Redis URL, or null for this process. */
export function batchRedisUrl(config: Pick<ArborConfig, "batches" | "states">): string | null {
  return config.batches.redis_url ?? (config.states.store === "redis" ? config.states.redis_url : null);
}

export function batchQueueFor(config: ArborConfig, onError: (err: Error) => void): BatchQueue {
  const b = config.batches;
  const common = { maxItems: b.max_items, retentionMs: b.retention_ms, attempts: b.attempts, backoffMs: b.backoff_ms };
  const url = batchRedisUrl(config);
  if (!url) return new MemoryBatches(common);
  return new RedisBatches({
    ...common,
    url,
    prefix: config.states.key_prefix,
    lockDurationMs: b.lock_ms,
    stalledIntervalMs: b.stalled_check_ms,
    onError,
  });
}
