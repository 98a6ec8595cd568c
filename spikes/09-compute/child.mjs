// One configuration of the compute spike (see run.mjs): boots Pyodide in this process the way an
// executor does (Interpreter.create), then runs the workload corpus and the compute suite through
// the runner (runCell + reset after each call, like the executor) and prints one JSON line.
//   node [v8 flags] --import tsx spikes/09-compute/child.mjs '{"runs":3,"passes":3}'
import { Interpreter } from "../../runtime/src/interpreter/interpreter.ts";
import { loadComputeSuite, parseComputeOutput } from "../../bench/compute/suite.ts";
import { loadCorpus } from "../../bench/workloads/corpus.ts";

const { runs = 3 } = JSON.parse(process.argv[2] ?? "{}");
const OPTIONS = JSON.stringify({ max_output_bytes: 1 << 20, stdin: "", seed: 0 });

const t0 = performance.now();
// memcpy on every Node version: the native restore addon is built for the installed Node only, and
// the restore is outside every timed region here.
const interp = await Interpreter.create({ strategy: "memcpy" });
const bootMs = performance.now() - t0;

function call(code) {
  const t = performance.now();
  const out = JSON.parse(interp.booted.runCell(code, OPTIONS));
  const ms = performance.now() - t;
  interp.reset();
  return { out, ms };
}

// The corpus's correct programs, in file order: the first pass meets every code path cold.
const programs = loadCorpus().filter((e) => e.variant === "correct");
function corpusPass() {
  let total = 0;
  for (const p of programs) {
    const { out, ms } = call(p.code);
    if (out.status !== "ok") throw new Error(`${p.name}: ${out.status} ${JSON.stringify(out.error)}`);
    total += ms;
  }
  return Math.round(total);
}

const corpus = [corpusPass(), corpusPass()];
const compute = {};
for (const b of loadComputeSuite()) {
  compute[b.name] = [];
  for (let i = 0; i < runs; i++) {
    const { out } = call(b.code);
    if (out.status !== "ok") throw new Error(`${b.name}: ${out.status} ${JSON.stringify(out.error)}`);
    compute[b.name].push(parseComputeOutput(b, out.stdout).ms_per_iter);
  }
}
corpus.push(corpusPass());
console.log(`@@spike ${JSON.stringify({ node: process.version, v8: process.versions.v8, flags: process.execArgv.filter((a) => a.startsWith("--") && !a.startsWith("--import")), boot_ms: Math.round(bootMs), corpus_ms: corpus, compute })}`);
