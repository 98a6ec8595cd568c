// Spike 15 (README.md, section 5): after entering a state, what the next branches pay in page
// faults, in process. Hot pages (left writable by the dirty strategy) that lie inside the spans
// markClean protects again fault at their next write unless markClean opens them again.
//   node --import tsx spikes/15-fork-warm-up/hot-after-enter.mjs
// NO_MARK_CLEAN=1: entering leaves the written pages unprotected (the next reset copies them back
// and protects the cold ones again, keeping hot pages writable).
import { Interpreter } from "../../runtime/src/executor/interpreter.ts";
import { PyodideEngine } from "../../runtime/src/engine/pyodide/pyodide-engine.ts";
import { createDirtyStrategy } from "../../runtime/src/restore/dirty.ts";
import { StateCache } from "../../runtime/src/executor/state-cache.ts";
import { freezeIntrinsics } from "../../runtime/src/executor/freeze-intrinsics.ts";

const engine = await PyodideEngine.create({});
const interp = new Interpreter(engine, (m, b) => createDirtyStrategy(m, b, {}), "spike");
freezeIntrinsics();
if (process.env.NO_MARK_CLEAN) interp.strategy.markClean = undefined;
const faults = () => process.resourceUsage().minorPageFault;
const run = (code) => interp.runCellNow({ code, stdin: "", seed: 0 });
// Calls like a fork's branches, so the strategy learns its hot pages.
for (let i = 0; i < 200; i++) {
  run(`import json, re\nx = json.dumps({"k": [${i}, 2, 3]})\nre.findall(r"\\d+", x)`);
  interp.reset();
}
console.log(`hot pages: ${interp.strategy.hotPages().length}`);
const maker = new StateCache(interp.baseline);
const blobs = [];
for (let i = 0; i < 3; i++) {
  run(`big = list(range(10**5 + ${i}))\nd = {i: str(i) for i in range(10**4)}`);
  blobs.push(maker.capture(interp, `s${i}`, null));
  maker.enter(interp, null);
  interp.reset();
}
for (const blob of blobs) {
  const cache = new StateCache(interp.baseline);
  cache.add(blob);
  const t0 = performance.now();
  cache.enter(interp, blob.id);
  const entered = performance.now() - t0;
  const line = [];
  for (let b = 0; b < 4; b++) {
    const f0 = faults();
    const t = performance.now();
    run("print(len(big) + len(d))");
    const execMs = performance.now() - t;
    const f1 = faults();
    const r0 = performance.now();
    interp.reset(cache.overlay);
    line.push(`exec ${execMs.toFixed(2)} ms/${f1 - f0} faults, reset ${(performance.now() - r0).toFixed(2)} ms/${faults() - f1} faults`);
  }
  console.log(`${blob.id}: enter ${entered.toFixed(1)} ms; branches: ${line.join("; ")}`);
  cache.enter(interp, null);
  interp.reset();
}
