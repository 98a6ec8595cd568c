// Spike 15 (README.md, section 5): inflating a 1,000-page state with zlib's default 16 KiB output
// chunks (concatenated at the end) against one chunk of the known size: time and minor faults.
//   node spikes/15-fork-warm-up/inflate-chunk.mjs plain|chunk
import { deflateRawSync, inflateRawSync } from "node:zlib";
const n = 1000 * 4096;
const src = Buffer.alloc(n); for (let i = 0; i < n; i += 7) src[i] = i & 255;
const packed = deflateRawSync(src, { level: 1 });
const mode = process.argv[2];
for (let r = 0; r < 4; r++) {
  const f0 = process.resourceUsage().minorPageFault; const t0 = performance.now();
  const out = mode === "chunk" ? inflateRawSync(packed, { maxOutputLength: n, chunkSize: n }) : inflateRawSync(packed, { maxOutputLength: n });
  console.log(mode, r, out.length, (performance.now() - t0).toFixed(2), "ms", process.resourceUsage().minorPageFault - f0, "faults", out.buffer.byteLength);
  globalThis["keep" + r] = out;
}
