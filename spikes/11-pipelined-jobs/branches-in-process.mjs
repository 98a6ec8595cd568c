// Spike 11 (README.md): rounds of 128 fork branches on a state, in process (no daemon, no pipe):
// exec and restore per branch, cold pages written, hot set size. Options are DirtyOptions as JSON.
//   node --import tsx spikes/11-pipelined-jobs/branches-in-process.mjs '{"promoteAfter":2,"promoteWindow":64}'
import { Interpreter } from "../../runtime/src/executor/interpreter.ts";
import { PyodideEngine } from "../../runtime/src/engine/pyodide/pyodide-engine.ts";
import { createDirtyStrategy } from "../../runtime/src/restore/dirty.ts";
import { StateCache } from "../../runtime/src/executor/state-cache.ts";
const o = JSON.parse(process.argv[2] ?? "{}");
const engine = await PyodideEngine.create({});
const interp = new Interpreter(engine, (m, b) => createDirtyStrategy(m, b, o), "spike");
const cache = new StateCache(interp.baseline);
interp.runCellNow({ code: "big = list(range(10**5))\nd = {i: str(i) for i in range(10**4)}", stdin: "", seed: 0 });
const blob = cache.capture(interp, "s1", null);
interp.reset(); cache.add(blob); cache.enter(interp, "s1");
for (let r = 0; r < 16; r++) {
  let ex = 0, rs = 0, cold = 0, hot = 0; const t0 = performance.now();
  for (let i = 0; i < 128; i++) {
    const t = performance.now();
    interp.runCellNow({ code: "print(len(big) + len(d))", stdin: "", seed: 0 });
    ex += performance.now() - t;
    const rr = interp.reset(cache.overlay); rs += rr.ms; cold += rr.memory.pagesRestored - (rr.memory.hotPages ?? 0); hot = rr.memory.hotPages;
  }
  console.log(`round ${r}: exec ${(ex / 128).toFixed(3)} restore ${(rs / 128).toFixed(3)} cold written/branch ${(cold / 128).toFixed(1)} hot ${hot}`);
}
