// One side of spike 14 (see README.md): boots an engine in this process the way an executor does,
// with or without the library warm-up (runtime/python/arbor_warmup.py), then runs the corpus's
// correct programs and records per call the exec time, the restore time and the pages written.
// Prints one `@@spike` JSON line.
//   node --import tsx spikes/14-python-side/child.mjs '{"library":true,"hot":true,"passes":2}'
import { Interpreter } from "../../runtime/src/executor/interpreter.ts";
import { PyodideEngine } from "../../runtime/src/engine/pyodide/pyodide-engine.ts";
import { createDirtyStrategy } from "../../runtime/src/restore/dirty.ts";
import { loadCorpus } from "../../bench/workloads/corpus.ts";

const { library = true, hot = true, passes = 2 } = JSON.parse(process.argv[2] ?? "{}");
const engine = await PyodideEngine.create({ libraryWarmUp: library });
// hot: the product's defaults; hot: false counts only the pages each call itself wrote.
const interp = new Interpreter(engine, (m, b) => createDirtyStrategy(m, b, { hot }), "spike");

const programs = loadCorpus().filter((e) => e.variant === "correct");
const rows = [];
for (let pass = 0; pass < passes; pass++) {
  for (const p of programs) {
    const t = performance.now();
    const seen = interp.runCellNow({ code: p.code, stdin: "", seed: 0 });
    const exec = performance.now() - t;
    const report = JSON.parse(seen.report ?? "{}");
    if (report.status !== "ok") throw new Error(`${p.name}: ${report.status} ${JSON.stringify(report.error)}`);
    const written = (interp.strategy.writtenPages() ?? []).length;
    const r = interp.reset();
    rows.push({ pass, name: p.name, exec_ms: exec, restore_ms: r.ms, written });
  }
}
console.log(`@@spike ${JSON.stringify({ library, hot, boot_ms: engine.bootMs, rows })}`);
