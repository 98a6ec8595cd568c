// Spike 16 (README.md): what fresh memory costs on this VM, and inflating a 1,000-page state
// into it. Per round: a new 4 MB buffer written page by page (one fault each), the same made
// resident by the addon's prefault (one madvise(MADV_POPULATE_WRITE)), zlib's inflateRawSync
// (fresh output), the addon's inflateRawInto a prefaulted buffer, and into one buffer used again.
//   node --import tsx spikes/16-state-pages/fresh-memory.mjs [rounds=5]
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { loadNative } from "../../runtime/src/restore/native.ts";

const addon = loadNative().addon;
if (!addon?.prefault || !addon.inflateRawInto) throw new Error(`the addon with prefault/inflateRawInto is needed: ${loadNative().reason ?? "rebuild it"}`);
const PAGES = 1000;
const n = PAGES * 4096;
// Shaped like a state's diff: most bytes zero, some noise on every page.
const src = Buffer.alloc(n);
for (let i = 0; i < n; i += 7) src[i] = (i * 2654435761) >>> 24;
const packed = deflateRawSync(src, { level: 1 });
const faults = () => process.resourceUsage().minorPageFault;
const time = (label, fn) => {
  const f0 = faults();
  const t0 = performance.now();
  const keep = fn();
  const ms = performance.now() - t0;
  return { label, ms, faults: faults() - f0, keep };
};
console.log(`${PAGES} pages, ${packed.length} bytes deflated`);
const rounds = Number(process.argv[2] ?? 5);
const reused = Buffer.allocUnsafeSlow(n);
reused.fill(0);
const rows = {};
for (let r = 0; r < rounds; r++) {
  const results = [
    time("touch each page of a fresh buffer", () => {
      const b = Buffer.allocUnsafeSlow(n);
      for (let i = 0; i < n; i += 4096) b[i] = 1;
      return b;
    }),
    time("prefault a fresh buffer", () => {
      const b = Buffer.allocUnsafeSlow(n);
      addon.prefault(b);
      return b;
    }),
    time("inflateRawSync (fresh output, one chunk)", () => inflateRawSync(packed, { maxOutputLength: n, chunkSize: n })),
    time("prefault + inflateRawInto", () => {
      const b = Buffer.allocUnsafeSlow(n);
      addon.prefault(b);
      if (addon.inflateRawInto(packed, b) !== n) throw new Error("short inflate");
      return b;
    }),
    time("inflateRawInto a buffer used before", () => {
      if (addon.inflateRawInto(packed, reused) !== n) throw new Error("short inflate");
      return null;
    }),
  ];
  for (const x of results) (rows[x.label] ??= []).push(x);
  globalThis[`keep${r}`] = results.map((x) => x.keep); // nothing freed and reused between rows
}
// madvise(MADV_POPULATE_WRITE) is counted as faults by the kernel too; the time is what differs.
for (const [label, xs] of Object.entries(rows)) {
  const ms = xs.map((x) => x.ms).sort((a, b) => a - b);
  console.log(`${label.padEnd(42)} ms median ${ms[ms.length >> 1].toFixed(2)} (min ${ms[0].toFixed(2)}, max ${ms.at(-1).toFixed(2)}), faults counted ${xs.map((x) => x.faults).join(" ")}`);
}
