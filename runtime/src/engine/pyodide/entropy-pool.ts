// Python's randomness (os.urandom, secrets, uuid4, and the runner's reseed of `random` at the
// start of every call) reaches Node through Emscripten's random_get import, which calls
// crypto.randomFillSync with at most 256 bytes (CPython's getentropy chunks). Each of those calls
// runs OpenSSL's generator and a getpid syscall (its fork check): ~8 µs here, the first of a call
// ~30–40 µs (cold), ~0.04 ms of a trivial call's ~0.21 ms exec; os.urandom(1 MiB) took 4,096 of
// them (spikes/24-entropy-pool). Served from a pool that generator fills 64 KiB at a time
// instead, every byte still comes from it (seeded by the OS, as before) and is handed out once;
// Node's own crypto.randomUUID caches random data the same way. The pool lives in the executor's
// JS heap, which Python cannot reach (docs/security.md), and a byte handed out is zeroed there.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
type RandomFill = (buffer: ArrayBufferView, offset?: number, size?: number) => ArrayBufferView;
const nodeCrypto = require("node:crypto") as { randomFillSync: RandomFill };

const POOL_BYTES = 64 * 1024;
/** Larger requests go straight to the OS: the pool would only add a copy. */
const POOLED_MAX_BYTES = 4 * 1024;
const POOLED = Symbol("arbor.entropyPool");

/** The pool's filler; the real randomFillSync it replaced. */
export interface EntropyPool {
  readonly real: RandomFill;
}

/**
 * Replaces crypto.randomFillSync (what Emscripten's random_get calls) with one that serves small
 * requests from a pool. Once per process: later calls return the installed pool.
 */
export function installEntropyPool(): EntropyPool {
  const installed = nodeCrypto.randomFillSync as RandomFill & { [POOLED]?: EntropyPool };
  if (installed[POOLED]) return installed[POOLED];
  const real = nodeCrypto.randomFillSync;
  const pool = new Uint8Array(POOL_BYTES);
  let used = POOL_BYTES;
  const pooled = ((buffer: ArrayBufferView, offset?: number, size?: number): ArrayBufferView => {
    const bytes = buffer.byteLength;
    if (offset !== undefined || size !== undefined || bytes > POOLED_MAX_BYTES) return real(buffer, offset, size);
    if (used + bytes > POOL_BYTES) {
      real(pool);
      used = 0;
    }
    // Bulk copies only: element stores are slow once the executor freezes its intrinsics.
    new Uint8Array(buffer.buffer, buffer.byteOffset, bytes).set(pool.subarray(used, used + bytes));
    pool.fill(0, used, used + bytes);
    used += bytes;
    return buffer;
  }) as RandomFill & { [POOLED]?: EntropyPool };
  const handle: EntropyPool = { real };
  pooled[POOLED] = handle;
  nodeCrypto.randomFillSync = pooled;
  return handle;
}
