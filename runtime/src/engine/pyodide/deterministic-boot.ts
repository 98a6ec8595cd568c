// Boot every executor to the same bytes. A state checkpointed on one executor is applied on
// another as a page diff, which is only sound if both started from a byte-identical snapshot.
// Left alone, two boots differ in ~16 pages: values drawn from the OS random source and the
// clock during init (sqlite's PRNG, time bases, ...). While this scope is open, Emscripten's
// random source is a fixed-seed stream and the clock a counter; the real ones come back before
// any user code runs, and every call reseeds `random` from the real source.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const nodeCrypto = require("node:crypto") as { randomFillSync: (view: ArrayBufferView) => ArrayBufferView };

/** A 1.7e12 ms epoch start, advanced 1 ms per read so nothing that waits for time can hang. */
const FAKE_EPOCH_MS = 1_700_000_000_000;

export async function withDeterministicSources<T>(fn: () => Promise<T> | T): Promise<T> {
  const realFill = nodeCrypto.randomFillSync;
  const realGetRandomValues = globalThis.crypto?.getRandomValues?.bind(globalThis.crypto);
  const realDateNow = Date.now;
  const realPerfNow = performance.now.bind(performance);
  let state = 0x9e3779b9;
  const fill = <V extends ArrayBufferView>(view: V): V => {
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    for (let i = 0; i < bytes.length; i++) {
      // xorshift32: deterministic, and only ever used for init-time state.
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      bytes[i] = state & 0xff;
    }
    return view;
  };
  let ticks = 0;
  nodeCrypto.randomFillSync = fill;
  if (globalThis.crypto) (globalThis.crypto as { getRandomValues: unknown }).getRandomValues = fill;
  Date.now = () => FAKE_EPOCH_MS + ticks++;
  performance.now = () => ticks++;
  try {
    return await fn();
  } finally {
    nodeCrypto.randomFillSync = realFill;
    if (globalThis.crypto && realGetRandomValues) (globalThis.crypto as { getRandomValues: unknown }).getRandomValues = realGetRandomValues;
    Date.now = realDateNow;
    performance.now = realPerfNow;
  }
}
