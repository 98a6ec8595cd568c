// One configuration of the compute spike (see run.mjs): boots Pyodide in this process the way an
// executor does (Interpreter.create), then runs the workload corpus and the compute suite through
// the runner (runCellNow + reset after each call, like the executor) and prints one JSON line.
// Every measurement is taken twice: wall time, and this process's CPU time (process.cpuUsage, all
// threads: background compilation and GC count), which stays meaningful when other processes
// share the cores.
//   node [v8 flags] --import tsx spikes/09-compute/child.mjs '{"runs":3}'
import { Interpreter } from "../../runtime/src/executor/interpreter.ts";
import { loadComputeSuite, parseComputeOutput } from "../../bench/compute/suite.ts";
import { loadCorpus } from "../../bench/workloads/corpus.ts";

const { runs = 3 } = JSON.parse(process.argv[2] ?? "{}");
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

// Node 24 with --no-wasm-lazy-compilation: nothing keeps the event loop alive while V8 compiles the
// whole module in the background, and the process exits mid-boot ("unsettled top-level await").
// An executor has its pipe open; this script needs a handle of its own.
const keepAlive = setInterval(() => {}, 1000);
const t0 = performance.now();
const c0 = cpuMs();
// memcpy on every Node version: the native restore addon is built for the installed Node only, and
// the restore is outside every timed region here.
const interp = await Interpreter.create({ strategy: "memcpy" });
const boot = { wall_ms: Math.round(performance.now() - t0), cpu_ms: Math.round(cpuMs() - c0) };
clearInterval(keepAlive);

function call(code) {
  const t = performance.now();
  const c = cpuMs();
  const seen = interp.runCellNow({ code, stdin: "", seed: 0 }, 1 << 20);
  const out = { ...JSON.parse(seen.report ?? '{"status":"no report"}'), stdout: seen.stdout };
  const r = { out, ms: performance.now() - t, cpu: cpuMs() - c };
  interp.reset();
  return r;
}

// The corpus's correct programs, in file order: the first pass meets every code path cold.
const programs = loadCorpus().filter((e) => e.variant === "correct");
function corpusPass() {
  let wall = 0;
  let cpu = 0;
  for (const p of programs) {
    const { out, ms, cpu: c } = call(p.code);
    if (out.status !== "ok") throw new Error(`${p.name}: ${out.status} ${JSON.stringify(out.error)}`);
    wall += ms;
    cpu += c;
  }
  return { wall_ms: Math.round(wall), cpu_ms: Math.round(cpu) };
}

const corpus = [corpusPass(), corpusPass()];
const compute = {};
for (const b of loadComputeSuite()) {
  compute[b.name] = [];
  for (let i = 0; i < runs; i++) {
    const { out, cpu } = call(b.code);
    if (out.status !== "ok") throw new Error(`${b.name}: ${out.status} ${JSON.stringify(out.error)}`);
    const r = parseComputeOutput(b, out.stdout);
    // Warm-up iterations included, as in the harness's native cpu_ms_per_iter.
    compute[b.name].push({ wall: r.ms_per_iter, cpu: Math.round((cpu / (r.iterations + 2)) * 1e4) / 1e4 });
  }
}
corpus.push(corpusPass());
const flags = process.execArgv.filter((a) => a.startsWith("--") && !a.startsWith("--import"));
console.log(`@@spike ${JSON.stringify({ node: process.version, v8: process.versions.v8, flags, boot, corpus, compute })}`);
