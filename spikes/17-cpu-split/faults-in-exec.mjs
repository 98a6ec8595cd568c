// Spike 17 (README.md): the corpus in process, 1 unrecorded + 3 recorded passes of its 320 entries;
// sums over calls of exec ms, the minor faults inside exec (write-protect faults with the dirty
// strategy), the reset ms and pages restored.
//   node --import tsx spikes/17-cpu-split/faults-in-exec.mjs [dirty|memcpy] ['{"promoteAfter":2}']
import { Interpreter } from "../../runtime/src/executor/interpreter.ts";
import { PyodideEngine } from "../../runtime/src/engine/pyodide/pyodide-engine.ts";
import { createDirtyStrategy } from "../../runtime/src/restore/dirty.ts";
import { selectStrategy } from "../../runtime/src/restore/select.ts";
import { loadCorpus } from "../../bench/workloads/corpus.ts";
const strategy = process.argv[2] ?? "dirty";
const opts = JSON.parse(process.argv[3] ?? "{}");
const engine = await PyodideEngine.create({});
const sel = await selectStrategy(strategy);
const interp = new Interpreter(engine, strategy === "dirty" ? (m, b) => createDirtyStrategy(m, b, opts) : (m, b) => sel.factory.create(m, b), "spike");
const corpus = loadCorpus();
const mf = () => process.resourceUsage().minorPageFault;
const rows = [];
for (let pass = 0; pass < 4; pass++) for (const p of corpus) {
  const f0 = mf(); const t = performance.now();
  interp.runCellNow({ code: p.code, stdin: "", seed: 0 });
  const exec = performance.now() - t; const f1 = mf();
  const r = interp.reset();
  if (pass > 0) rows.push({ exec, faults: f1 - f0, reset: r.ms, rfaults: mf() - f1, restored: r.memory.pagesRestored, hot: r.memory.hotPages ?? 0 });
}
const sum = (k) => rows.reduce((a, r) => a + r[k], 0);
const q = (k, x) => { const s = rows.map((r) => r[k]).sort((a, b) => a - b); return s[Math.floor(x * (s.length - 1))]; };
console.log(`${strategy} ${JSON.stringify(opts)}: calls ${rows.length}; exec sum ${sum("exec").toFixed(0)} ms p50 ${q("exec", .5).toFixed(2)}; faults in exec sum ${sum("faults")} p50 ${q("faults", .5)} p90 ${q("faults", .9)}; reset sum ${sum("reset").toFixed(0)} ms p50 ${q("reset", .5).toFixed(2)} p99 ${q("reset", .99).toFixed(2)}; faults in reset ${sum("rfaults")}; restored p50 ${q("restored", .5)}; hot p50 ${q("hot", .5)}`);
