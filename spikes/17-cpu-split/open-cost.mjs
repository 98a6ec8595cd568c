// Spike 17 (README.md): what lifting the write traps on a state's pages costs when it enters
// (openForWrite), by how the pages are grouped: the default ≤ 8 spans, or one ioctl per run of
// consecutive pages. In process, a real interpreter, the 10^5-list state of the fork bench.
//   node --import tsx spikes/17-cpu-split/open-cost.mjs [rounds=4]
import { Interpreter } from "../../runtime/src/executor/interpreter.ts";
import { PyodideEngine } from "../../runtime/src/engine/pyodide/pyodide-engine.ts";
import { createDirtyStrategy } from "../../runtime/src/restore/dirty.ts";
import { StateCache } from "../../runtime/src/executor/state-cache.ts";

const rounds = Number(process.argv[2] ?? 4);
const engine = await PyodideEngine.create({});
const interp = new Interpreter(engine, (m, b) => createDirtyStrategy(m, b, {}), "spike");
const s = interp.strategy;
interp.runCellNow({ code: "big = list(range(10**5))\nd = {i: str(i) for i in range(10**4)}", stdin: "", seed: 0 });
const pages = Uint32Array.from(new StateCache(interp.baseline).capture(interp, "s", null).page_index);
interp.reset();
const runs = [];
for (const p of pages) {
  const last = runs.at(-1);
  if (last && last[1] === p) last[1] = p + 1;
  else runs.push([p, p + 1]);
}
const view = new Uint8Array(engine.memory.buffer);
const ms = (f) => { const t = performance.now(); f(); return performance.now() - t; };
console.log(`state: ${pages.length} pages in ${runs.length} runs of consecutive pages`);
for (let r = 0; r < rounds; r++) {
  for (const mode of ["8 spans", "one ioctl per run", "8 spans, no write between"]) {
    const open = mode === "one ioctl per run" ? ms(() => { for (const [a, b] of runs) s.openForWrite(Uint32Array.from({ length: b - a }, (_, i) => a + i)); }) : ms(() => s.openForWrite(pages));
    const f0 = process.resourceUsage().minorPageFault;
    // Writing each page (one byte, its own value) as entering a state does; the last mode skips it.
    const write = mode.endsWith("no write between") ? 0 : ms(() => { for (const p of pages) view[p * 4096] = view[p * 4096]; });
    const faults = process.resourceUsage().minorPageFault - f0;
    const clean = ms(() => s.markClean(pages));
    console.log(`round ${r}, ${mode}: open ${open.toFixed(2)} ms, write ${write.toFixed(2)} ms (${faults} faults), markClean ${clean.toFixed(2)} ms`);
  }
}
