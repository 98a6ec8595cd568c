// Spike 22 (README.md, section 1): how to encode a state's changed pages. Collects the XOR-ed
// page diffs of the tree walk of spike 21 (one interpreter, WALK requests of K checkpointing
// branches; each diff is memory after the call XOR memory before it, on the pages the capture
// kept), then compares their sizes: format 1 (zlib level 1 over the whole XOR-ed pages), a
// byte-run deflate encoder written here (one fixed-Huffman block: literals, and every run of one
// byte as a distance-1 match; cheap, any inflate reads it), and format 2 as captured (the spans
// of differing words, deflated). Checks that the byte-run stream inflates back.
//   node --import tsx spikes/22-page-diff-encoder/run-encoder.mjs [walk=30] [K=8]
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { Interpreter } from "../../runtime/src/executor/interpreter.ts";
import { PyodideEngine } from "../../runtime/src/engine/pyodide/pyodide-engine.ts";
import { createDirtyStrategy } from "../../runtime/src/restore/dirty.ts";
import { StateCache } from "../../runtime/src/executor/state-cache.ts";
import { STATE_SETUP } from "../../bench/sections/branching.ts";
import { treeWalk } from "./walk.mjs";

const walk = Number(process.argv[2] ?? 30);
const K = Number(process.argv[3] ?? 8);
const engine = await PyodideEngine.create({});
const interp = new Interpreter(engine, (m, b) => createDirtyStrategy(m, b), "spike");
const cache = new StateCache(interp.baseline);
const cell = (code) => interp.runCellNow({ code, stdin: "", seed: 0 });
const diffs = [];
const spans = [];
const memory = () => new Uint8Array(interp.engine.memory.buffer);
/** Runs code, keeps its state, and returns the XOR of memory after and before on the kept pages. */
const captureDiff = (code, id, parent) => {
  const before = Buffer.from(memory());
  cell(code);
  const blob = cache.capture(interp, id, parent);
  const now = memory();
  const diff = Buffer.alloc(blob.page_index.length * 4096);
  blob.page_index.forEach((page, i) => {
    for (let b = 0; b < 4096; b++) diff[i * 4096 + b] = now[page * 4096 + b] ^ (before[page * 4096 + b] ?? 0);
  });
  diffs.push(diff);
  spans.push(Buffer.byteLength(blob.pages_b64, "base64"));
  interp.reset(cache.overlay);
};
captureDiff(STATE_SETUP, "root", null);
for (const { id, parent, code } of treeWalk(walk, K)) {
  cache.enter(interp, parent);
  captureDiff(code, id, parent);
}

// --- the byte-run encoder (JS prototype of what C would do) ---
const rev = (code, len) => {
  let r = 0;
  for (let i = 0; i < len; i++) r |= ((code >> i) & 1) << (len - 1 - i);
  return r;
};
function litCode(sym) {
  if (sym < 144) return [rev(0x30 + sym, 8), 8];
  if (sym < 256) return [rev(0x190 + sym - 144, 9), 9];
  if (sym < 280) return [rev(sym - 256, 7), 7];
  return [rev(0xc0 + sym - 280, 8), 8];
}
const LBASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
function lengthBits(len) {
  let i = LBASE.length - 1;
  while (LBASE[i] > len) i--;
  const [c, n] = litCode(257 + i);
  // Huffman code, then extra bits (LSB first), then distance code 0 (5 bits, all zero).
  return [c | ((len - LBASE[i]) << n), n + LEXTRA[i] + 5];
}
function encode(src) {
  const out = [];
  let acc = 0n, nbits = 0n;
  const put = (v, n) => {
    acc |= BigInt(v) << nbits;
    nbits += BigInt(n);
    while (nbits >= 8n) {
      out.push(Number(acc & 0xffn));
      acc >>= 8n;
      nbits -= 8n;
    }
  };
  put(0b011, 3); // BFINAL=1, BTYPE=01 (fixed)
  let i = 0;
  while (i < src.length) {
    const b = src[i];
    let run = 1;
    while (i + run < src.length && src[i + run] === b) run++;
    put(...litCode(b));
    let rest = run - 1;
    while (rest >= 3) {
      const take = rest > 258 && rest - 258 < 3 ? rest - 3 : Math.min(rest, 258);
      put(...lengthBits(take));
      rest -= take;
    }
    while (rest-- > 0) put(...litCode(b));
    i += run;
  }
  put(...litCode(256));
  if (nbits > 0n) put(0, Number(8n - nbits));
  return Buffer.from(out);
}

let zlibBytes = 0, runBytes = 0, raw = 0, nonzero = 0;
const spanBytes = spans.slice(1).reduce((a, b) => a + b, 0);
for (const d of diffs.slice(1)) {
  const z = deflateRawSync(d, { level: 1 });
  const r = encode(d);
  const back = inflateRawSync(r);
  if (!back.equals(d)) throw new Error("round trip failed");
  zlibBytes += z.length;
  runBytes += r.length;
  raw += d.length;
  for (const x of d) if (x) nonzero++;
}
console.log(`${diffs.length - 1} children: ${raw} bytes XOR-ed (${nonzero} non-zero)`);
console.log(`  format 1 (zlib level 1): ${zlibBytes} bytes; byte runs: ${runBytes} (${(runBytes / zlibBytes).toFixed(2)}x); format 2 (spans): ${spanBytes} (${(spanBytes / zlibBytes).toFixed(2)}x)`);
const root = diffs[0];
console.log(`root state: ${root.length} bytes XOR-ed; format 1 ${deflateRawSync(root, { level: 1 }).length}, byte runs ${encode(root).length}, format 2 ${spans[0]}`);
