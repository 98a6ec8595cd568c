// Spike 15 (README.md, section 5): writing 1,000 scattered pages of a write-protected wasm memory
// (the dirty strategy), with and without lifting the traps first in a few spans (openForWrite),
// then protecting them again (markClean). Counts minor faults and times each phase.
//   node --import tsx spikes/15-fork-warm-up/write-traps.mts plain|open
import { createDirtyStrategy } from "../../runtime/src/restore/dirty.ts";
const PAGES = 16384; // 64 MiB
const memory = new WebAssembly.Memory({ initial: PAGES / 16 });
const baseline = new Uint8Array(PAGES * 4096);
const strat = createDirtyStrategy(memory, baseline, { hot: false });
const view = new Uint8Array(memory.buffer);
const src = new Uint8Array(4096).fill(7);
const mode = process.argv[2];
for (let round = 0; round < 6; round++) {
  const pages = Uint32Array.from({ length: 1000 }, (_, i) => 200 + i * 3 + (round % 3));
  const f0 = process.resourceUsage().minorPageFault;
  const t0 = performance.now();
  if (mode === "open") strat.openForWrite?.(pages);
  const t1 = performance.now();
  for (const p of pages) view.set(src, p * 4096);
  const t2 = performance.now();
  strat.markClean?.(pages);
  const t3 = performance.now();
  console.log(`${mode} round ${round}: open ${(t1 - t0).toFixed(2)} write ${(t2 - t1).toFixed(2)} markClean ${(t3 - t2).toFixed(2)} ms, faults ${process.resourceUsage().minorPageFault - f0}`);
  strat.reset();
}
