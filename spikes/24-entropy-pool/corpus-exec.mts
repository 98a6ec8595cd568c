// Spike 24 (README.md): the corpus's correct programs in process, exec + restore per call, so a
// change to every call's work shows without HTTP's noise. Passes over the 160 programs in a fixed
// shuffled order after one unrecorded pass; prints Σ exec_ms, Σ restore (reset) ms and p50s.
//   node --import tsx spikes/24-entropy-pool/corpus-exec.mts [checkout=.] [passes=2]
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { loadCorpus } from "../../bench/workloads/corpus.ts";

const tree = resolve(process.argv[2] ?? ".");
const passes = Number(process.argv[3] ?? 2);
const from = (file: string) => import(pathToFileURL(`${tree}/runtime/src/${file}`).href);
const { execute } = await from("executor/execute.ts");
const { Interpreter } = await from("executor/interpreter.ts");
const { StateCache } = await from("executor/state-cache.ts");
const programs = loadCorpus().filter((e) => e.variant === "correct");
const interp = await Interpreter.create({});
const states = new StateCache(interp.baseline);
const exec: number[] = [];
const reset: number[] = [];
for (let pass = 0; pass <= passes; pass++) {
  for (let i = 0; i < programs.length; i++) {
    const entry = programs[(i * 97) % programs.length]!;
    const { outcome } = execute(interp, null, { code: entry.code, timeout_ms: 60_000, memory_mb: 256, max_output_bytes: 1 << 20 }, 0, states);
    const t = performance.now();
    interp.reset(states.overlay);
    states.reenter(interp);
    if (pass > 0) {
      exec.push(outcome.timing.exec_ms);
      reset.push(performance.now() - t);
    }
  }
}
const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
const p50 = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
console.log(`${tree}: ${exec.length} calls, Σ exec ${sum(exec).toFixed(0)} ms (p50 ${p50(exec).toFixed(3)}), Σ reset ${sum(reset).toFixed(0)} ms (p50 ${p50(reset).toFixed(3)})`);
interp.strategy.dispose();
