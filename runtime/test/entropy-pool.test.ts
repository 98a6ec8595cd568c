// The pool Python's randomness is served from (runtime/src/engine/pyodide/entropy-pool.ts): every
// draw must be fresh OS randomness, never a byte handed out before, whatever the sizes and
// however often the pool refills. Per-call reseeding and forks over real executors are in
// semantics.test.ts and daemon/test/states.test.ts.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";
import { installEntropyPool } from "../src/engine/pyodide/entropy-pool.ts";

const require = createRequire(import.meta.url);
const nodeCrypto = require("node:crypto") as { randomFillSync: (b: ArrayBufferView, offset?: number, size?: number) => ArrayBufferView };
const pool = installEntropyPool();

test("installed once: crypto.randomFillSync is the pool's, and installing again changes nothing", () => {
  assert.notEqual(nodeCrypto.randomFillSync, pool.real);
  const installed = nodeCrypto.randomFillSync;
  assert.equal(installEntropyPool(), pool);
  assert.equal(nodeCrypto.randomFillSync, installed);
});

test("small draws are all different, across several refills of the pool, and look uniform", () => {
  // 6,000 draws of 16 bytes: 96 KB, past the 64 KiB pool. A byte served twice would repeat a draw.
  const seen = new Set<string>();
  const counts = new Array<number>(256).fill(0);
  for (let i = 0; i < 6000; i++) {
    const draw = new Uint8Array(16);
    nodeCrypto.randomFillSync(draw);
    seen.add(Buffer.from(draw).toString("hex"));
    for (const b of draw) counts[b]!++;
  }
  assert.equal(seen.size, 6000);
  // 96,000 bytes: 375 expected per value (sd ~19); a stuck or zeroed source lands far outside.
  assert.ok(counts.every((c) => c > 250 && c < 500), `byte counts from ${Math.min(...counts)} to ${Math.max(...counts)}`);
});

test("draws of CPython's 256-byte chunks and odd sizes fill the whole view, and only it", () => {
  const backing = new Uint8Array(4096);
  for (const [offset, size] of [[0, 256], [300, 1], [512, 255], [1024, 3000]] as const) {
    nodeCrypto.randomFillSync(new Uint8Array(backing.buffer, offset, size));
  }
  assert.ok(backing.subarray(256, 300).every((b) => b === 0) && backing.subarray(301, 512).every((b) => b === 0), "bytes outside the views are untouched");
  assert.ok(backing.subarray(1024, 4024).some((b) => b !== 0) && backing.subarray(0, 256).some((b) => b !== 0));
});

test("offset and size arguments, and large buffers, are honoured as Node's own randomFillSync does", () => {
  const buf = new Uint8Array(32);
  nodeCrypto.randomFillSync(buf, 8, 8);
  assert.ok(buf.subarray(0, 8).every((b) => b === 0) && buf.subarray(16).every((b) => b === 0));
  assert.ok(buf.subarray(8, 16).some((b) => b !== 0));
  const large = new Uint8Array(1 << 20);
  nodeCrypto.randomFillSync(large);
  const zeros = large.reduce((n, b) => n + (b === 0 ? 1 : 0), 0);
  assert.ok(zeros < 6000, `${zeros} zero bytes in 1 MiB of randomness`);
  const words = new Uint32Array(4);
  nodeCrypto.randomFillSync(words);
  assert.ok(words.some((w) => w !== 0), "typed arrays other than bytes are filled too");
});
