// Random bytes for the ids the daemon mints (requests, states, batches), drawn 4 KiB at a time:
// one randomBytes() per id ran OpenSSL's generator and a getpid syscall (its fork check, counted
// with `strace -c`), ~30 µs on this VM, on every call and every checkpointing fork branch. Ids are
// names, not secrets (secrets such as the warm-up token still come from randomBytes()).
import { randomFillSync } from "node:crypto";

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let at = POOL_BYTES;

/** `n` (≤ 4096) fresh random bytes, each handed out once; a copy the caller owns. */
export function randomIdBytes(n: number): Buffer {
  if (!(Number.isInteger(n) && n >= 0 && n <= POOL_BYTES)) throw new RangeError(`randomIdBytes: ${n} bytes`);
  if (at + n > POOL_BYTES) {
    randomFillSync(pool);
    at = 0;
  }
  const bytes = Buffer.from(pool.subarray(at, at + n));
  at += n;
  return bytes;
}
