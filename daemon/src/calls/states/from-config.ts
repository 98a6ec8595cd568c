// The state backend the config asks for: this process's memory (the embedded default) or the
// Redis a cluster shares (docs/cluster.md).
import type { ArborConfig } from "../../config/index.ts";
import type { StateBackend } from "./backend.ts";
import { MemoryBackend } from "./memory-backend.ts";
import { RedisBackend } from "./redis-backend.ts";

export interface BackendWiring {
  /** The snapshot image of this daemon's executors (known once the first has booted). */
  image: () => string;
  /** Redis connection errors (ioredis reconnects by itself): logged, not thrown. */
  onError: (err: Error) => void;
}

export function stateBackendFor(config: ArborConfig["states"], wiring: BackendWiring): StateBackend {
  if (config.store === "memory") return new MemoryBackend({ maxBytes: config.max_bytes, ttlMs: config.ttl_ms, image: wiring.image });
  if (!config.redis_url) throw new Error("states.store redis needs states.redis_url");
  return new RedisBackend({
    connection: config.redis_url,
    prefix: config.key_prefix,
    ttlMs: config.ttl_ms,
    cacheBytes: config.cache_bytes,
    image: wiring.image,
    onError: wiring.onError,
  });
}
