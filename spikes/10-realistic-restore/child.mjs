// One configuration of spike 10 (see README.md): boots an engine in this process the way an
// executor does, with or without the heap settled before the baseline (gc.freeze() and malloc's
// holes packed: runtime/src/engine/pyodide/heap-settle.ts), then runs the corpus's correct
// programs (several passes) and records per call the pages the call wrote, the restore time and
// the exec time. Prints one JSON line.
//   node --import tsx spikes/10-realistic-restore/child.mjs '{"settle":true,"strategy":"dirty","hot":false,"passes":3}'
import { Interpreter } from "../../runtime/src/executor/interpreter.ts";
import { PyodideEngine } from "../../runtime/src/engine/pyodide/pyodide-engine.ts";
import { createDirtyStrategy } from "../../runtime/src/restore/dirty.ts";
import { selectStrategy } from "../../runtime/src/restore/select.ts";
import { loadCorpus } from "../../bench/workloads/corpus.ts";

const { settle = true, strategy = "dirty", hot = true, maxHot = 2048, promoteAfter = 3, promoteWindow = 1, auditEvery = 64, passes = 3 } = JSON.parse(process.argv[2] ?? "{}");
const engine = await PyodideEngine.create({ settle });
const selection = await selectStrategy(strategy);
const make =
  strategy === "dirty" ? (m, b) => createDirtyStrategy(m, b, { hot, maxHotPages: maxHot, promoteAfter, promoteWindow, auditEvery }) : (m, b) => selection.factory.create(m, b);
// Interpreter's constructor is TypeScript-private; the spike builds it the way create() does.
const interp = new Interpreter(engine, make, "spike");

const programs = loadCorpus().filter((e) => e.variant === "correct");
const rows = [];
for (let pass = 0; pass < passes; pass++) {
  for (const p of programs) {
    const t = performance.now();
    const seen = interp.runCellNow({ code: p.code, stdin: "", seed: 0 });
    const exec = performance.now() - t;
    const report = JSON.parse(seen.report ?? "{}");
    if (report.status !== "ok") throw new Error(`${p.name}: ${report.status} ${JSON.stringify(report.error)}`);
    const written = strategy === "dirty" ? (interp.strategy.writtenPages() ?? []).length : null;
    const r = interp.reset();
    rows.push({ pass, name: p.name, exec_ms: exec, restore_ms: r.ms, written, restored: r.memory.pagesRestored, hot: r.memory.hotPages ?? 0 });
  }
}
console.log(`@@spike ${JSON.stringify({ settle, strategy, hot, maxHot, promoteAfter, promoteWindow, auditEvery, heap: engine.heap, rows })}`);
