// Spike 14: what compiling a cell costs, the runner's way (arbor_runner.py _compile_cell: source up
// to the last top-level statement, only that through the AST) against the whole cell through the
// AST (ast.parse + compile of the tree, the runner before). One call per corpus program and pass,
// timing both inside the call, their order alternating; in-process, the way an executor runs.
//   node --import tsx spikes/14-python-side/compile-ab.mjs [passes=3]
import { Interpreter } from "../../runtime/src/executor/interpreter.ts";
import { PyodideEngine } from "../../runtime/src/engine/pyodide/pyodide-engine.ts";
import { createDirtyStrategy } from "../../runtime/src/restore/dirty.ts";
import { loadCorpus } from "../../bench/workloads/corpus.ts";

const passes = Number(process.argv[2] ?? 3);
const engine = await PyodideEngine.create();
const interp = new Interpreter(engine, (m, b) => createDirtyStrategy(m, b, {}), "spike");
const programs = loadCorpus().filter((e) => e.variant === "correct");
const harness = (code, splitFirst) => `
import ast, time, arbor_runner
def whole(code):
    body, last = arbor_runner._split_last_expression(ast.parse(code, "<cell>", "exec"))
    return [compile(body, "<cell>", "exec")], None if last is None else compile(last, "<cell>", "eval")
code = ${JSON.stringify(code)}
out = {}
for name in (("split", "whole") if ${splitFirst ? "True" : "False"} else ("whole", "split")):
    f = arbor_runner._compile_cell if name == "split" else whole
    t = time.perf_counter()
    f(code)
    out[name] = (time.perf_counter() - t) * 1e3
print(out["split"], out["whole"], arbor_runner._compile_split(code) is not None)
`;
const rows = [];
let flip = false;
for (let pass = 0; pass < passes; pass++) {
  for (const p of programs) {
    flip = !flip;
    const seen = interp.runCellNow({ code: harness(p.code, flip), stdin: "", seed: 0 });
    interp.reset();
    const [split, whole, fast] = seen.stdout.trim().split(" ");
    if (pass > 0) rows.push({ name: p.name, split: Number(split), whole: Number(whole), fast: fast === "True" });
  }
}
const pct = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const sum = (xs) => xs.reduce((s, x) => s + x, 0);
const fmt = (xs) => `p50 ${pct(xs, 0.5).toFixed(3)} p90 ${pct(xs, 0.9).toFixed(3)} mean ${(sum(xs) / xs.length).toFixed(3)} ms`;
console.log(`${programs.length} programs × ${passes - 1} recorded passes; split path taken for ${rows.filter((r) => r.fast).length} of ${rows.length}`);
console.log(`whole cell through the AST: ${fmt(rows.map((r) => r.whole))}`);
console.log(`split (runner now):         ${fmt(rows.map((r) => r.split))}`);
console.log(`saved per call:             ${fmt(rows.map((r) => r.whole - r.split))}`);
