// Spike 15 (README.md): what entering a new state costs in an executor the first time (cold JIT)
// and later, in process, with the executor's intrinsics frozen as in production.
//   node --import tsx spikes/15-fork-warm-up/enter-state.mjs
import { Interpreter } from "../../runtime/src/executor/interpreter.ts";
import { PyodideEngine } from "../../runtime/src/engine/pyodide/pyodide-engine.ts";
import { createDirtyStrategy } from "../../runtime/src/restore/dirty.ts";
import { StateCache } from "../../runtime/src/executor/state-cache.ts";
import { freezeIntrinsics } from "../../runtime/src/executor/freeze-intrinsics.ts";
const engine = await PyodideEngine.create({});
const interp = new Interpreter(engine, (m, b) => createDirtyStrategy(m, b, {}), "spike");
freezeIntrinsics();
const maker = new StateCache(interp.baseline);
const blobs = [];
for (let i = 0; i < 4; i++) {
  interp.runCellNow({ code: `big = list(range(10**5 + ${i}))\nd = {i: str(i) for i in range(10**4)}`, stdin: "", seed: 0 });
  blobs.push(maker.capture(interp, `s${i}`, null));
  interp.reset();
}
console.log(`state: ${blobs[0].page_index.length} pages, ${(blobs[0].pages_b64.length / 1024).toFixed(0)} KiB base64`);
for (const blob of blobs) {
  const cache = new StateCache(interp.baseline);
  const f0 = process.resourceUsage().minorPageFault;
  const t0 = performance.now();
  cache.add(blob);
  const t1 = performance.now();
  const f1 = process.resourceUsage().minorPageFault;
  cache.materialize(blob.id); // private in TS: timed apart from the page writes
  const tm = performance.now();
  const f2 = process.resourceUsage().minorPageFault;
  cache.enter(interp, blob.id);
  const t2 = performance.now();
  console.log(`  materialize ${(tm - t1).toFixed(1)} ms (${f2 - f1} faults), writes + markClean ${(t2 - tm).toFixed(1)} ms (${process.resourceUsage().minorPageFault - f2} faults)`);
  const r1 = interp.reset(cache.overlay).ms;
  const r2 = interp.reset(cache.overlay).ms;
  console.log(`${blob.id}: add ${(t1 - t0).toFixed(1)} ms, enter ${(t2 - t1).toFixed(1)} ms, resets ${r1.toFixed(2)} / ${r2.toFixed(2)} ms, faults ${process.resourceUsage().minorPageFault - f0}`);
  cache.enter(interp, null);
  interp.reset();
}
