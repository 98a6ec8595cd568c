// Which V8 flags and which Node version run Pyodide's CPython fastest, and what each costs at boot.
// For every Node version (20 = the installed one; 22 and 24 from the npm registry through npx) and
// every flag set below that the version knows, child.mjs boots an interpreter in its own process
// (Interpreter.create, timed), runs the workload corpus's 160 correct programs three times (the
// first pass meets every code path cold) and the compute suite (bench/compute/) RUNS times. The
// whole matrix runs ROUNDS times, interleaved, so a burst of load hits every configuration alike.
// Native python3 runs the same compute suite and corpus before and after the children. Ratios use
// CPU time (native: time.process_time; Arbor: the Node process's CPU, all threads), which other
// processes on the machine disturb far less than wall time; wall ratios are printed too.
//   node --import tsx spikes/09-compute/run.mjs     (RUNS=3 ROUNDS=2 NODES=20,22,24 CONFIGS=all)
//   RUNS=1 ROUNDS=1 NODES=20 CONFIGS=default,no-dynamic-tiering node --import tsx spikes/09-compute/run.mjs
import { execFileSync, spawn } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { loadComputeSuite, parseComputeOutput } from "../../bench/compute/suite.ts";
import { loadCorpus } from "../../bench/workloads/corpus.ts";
import { runNative, timeNative } from "../../bench/workloads/native.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CHILD = fileURLToPath(new URL("./child.mjs", import.meta.url));
const RUNS = Number(process.env.RUNS ?? 3);
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const NODES = (process.env.NODES ?? "20,22,24").split(",");

/** name → V8 flags. A set is run only on Node versions whose `--v8-options` list every flag. */
const ALL_CONFIGS = {
  default: [],
  "no-dynamic-tiering": ["--no-wasm-dynamic-tiering"],
  "no-liftoff": ["--no-liftoff"],
  "liftoff-only": ["--liftoff-only"],
  "no-lazy": ["--no-wasm-lazy-compilation"],
  "no-lazy+no-dynamic-tiering": ["--no-wasm-lazy-compilation", "--no-wasm-dynamic-tiering"],
  "tiering-budget-180k": ["--wasm-tiering-budget=180000"],
  // Speculative inlining of call_indirect (CPython calls through function pointers everywhere);
  // off by default in V8 13.6 (Node 24).
  "inline-indirect": ["--wasm-inlining-call-indirect", "--wasm-deopt"],
};
const CONFIGS = Object.entries(ALL_CONFIGS).filter(([k]) => !process.env.CONFIGS || process.env.CONFIGS.split(",").includes(k));

function nodeBinary(major) {
  if (process.versions.node.split(".")[0] === major) return process.execPath;
  // npx caches the package; the binary it runs is the one spawned directly afterwards.
  return execFileSync("npx", ["-y", "-p", `node@${major}`, "node", "-p", "process.execPath"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
}

function knownFlags(node) {
  const text = execFileSync(node, ["--v8-options"], { encoding: "utf8", maxBuffer: 64 << 20 });
  return new Set([...text.matchAll(/^\s+--([a-z0-9-]+)/gm)].map((m) => m[1]));
}

const flagName = (f) => f.replace(/^--(no-)?/, "").replace(/=.*/, "");

function runChild(node, flags) {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [...flags, "--import", "tsx", CHILD, JSON.stringify({ runs: RUNS })], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.once("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("@@spike "));
      if (code !== 0 || !line) reject(new Error(`exit ${code}: ${err.slice(-1500)}`));
      else resolve(JSON.parse(line.slice("@@spike ".length)));
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const geomean = (xs) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
const f2 = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const load = () => loadavg()[0].toFixed(1);

async function nativeBaseline(python3) {
  const compute = {};
  for (const b of loadComputeSuite()) {
    compute[b.name] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await runNative(python3, ["-"], b.code);
      if (r.code !== 0) throw new Error(`${b.name} (python3): ${r.stderr.slice(-500)}`);
      const out = parseComputeOutput(b, r.stdout);
      compute[b.name].push({ wall: out.ms_per_iter, cpu: out.cpu_ms_per_iter });
    }
  }
  const programs = loadCorpus().filter((e) => e.variant === "correct").map((e) => [e.program, e.code]);
  const sum = (t) => Object.values(t).reduce((a, b) => a + b, 0);
  return { compute, corpus: { wall_ms: sum(await timeNative(python3, programs, 3, "wall")), cpu_ms: sum(await timeNative(python3, programs, 3, "cpu")) } };
}

const python3 = execFileSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).trim();
const pyVersion = execFileSync(python3, ["--version"], { encoding: "utf8" }).trim();
const loadStart = loadavg().map((x) => x.toFixed(1)).join(" ");
console.error(`native baseline (${pyVersion}), load ${loadStart} ...`);
const before = await nativeBaseline(python3);

const matrix = [];
const notRun = [];
for (const major of NODES) {
  let node;
  try {
    node = nodeBinary(major);
  } catch (e) {
    notRun.push(`Node ${major}: could not get it through npx (${e.message.split("\n")[0]})`);
    continue;
  }
  const known = knownFlags(node);
  for (const [name, flags] of CONFIGS) {
    const missing = flags.filter((f) => !known.has(flagName(f)));
    if (missing.length) notRun.push(`Node ${major} ${name}: V8 has no ${missing.join(", ")}`);
    else matrix.push({ major, node, name, flags, outs: [], loads: [] });
  }
}
for (let round = 1; round <= ROUNDS; round++) {
  for (const m of matrix) {
    console.error(`round ${round}: Node ${m.major} ${m.name} (load ${load()}) ...`);
    m.loads.push(load());
    try {
      m.outs.push(await runChild(m.node, m.flags));
    } catch (e) {
      m.error = e.message.split("\n").slice(0, 3).join(" ");
    }
  }
}
console.error("native baseline again ...");
const after = await nativeBaseline(python3);

const names = Object.keys(before.compute);
const nativeCompute = (kind) => Object.fromEntries(names.map((n) => [n, median([...before.compute[n], ...after.compute[n]].map((x) => x[kind]))]));
const native = { cpu: nativeCompute("cpu"), wall: nativeCompute("wall") };
const nativeCorpus = { cpu: Math.min(before.corpus.cpu_ms, after.corpus.cpu_ms), wall: Math.min(before.corpus.wall_ms, after.corpus.wall_ms) };

/** Per benchmark: the median over every run of every round; "first": the median of each round's first run. */
function computeRatios(m, kind) {
  const per = Object.fromEntries(names.map((n) => [n, median(m.outs.flatMap((o) => o.compute[n].map((x) => x[kind]))) / native[kind][n]]));
  const first = geomean(names.map((n) => median(m.outs.map((o) => o.compute[n][0][kind])) / native[kind][n]));
  return { per, geo: geomean(Object.values(per)), first };
}

console.log(`# Compute spike: ${new Date().toISOString().slice(0, 16)}, ${pyVersion} native, RUNS=${RUNS}, ROUNDS=${ROUNDS}; load average ${loadStart} at the start, ${loadavg().map((x) => x.toFixed(1)).join(" ")} at the end\n`);
console.log(`Native python3 (CPU ms per iteration): ${names.map((n) => `${n} ${f2(native.cpu[n])}`).join(", ")}. Corpus, 160 correct programs warm (compile + exec): ${f2(nativeCorpus.cpu)} ms CPU, ${f2(nativeCorpus.wall)} ms wall.\n`);
console.log("| Node | flags | boot wall / CPU ms | corpus pass 1 / 2 / 3, CPU ÷ native | compute CPU ÷ native, geomean | … first run | compute wall ÷ native, geomean | loads |");
console.log("|---|---|---|---|---|---|---|---|");
for (const m of matrix) {
  if (!m.outs.length) continue;
  const boot = `${median(m.outs.map((o) => o.boot.wall_ms))} / ${median(m.outs.map((o) => o.boot.cpu_ms))}`;
  const passes = [0, 1, 2].map((i) => `${(median(m.outs.map((o) => o.corpus[i].cpu_ms)) / nativeCorpus.cpu).toFixed(2)}×`).join(" / ");
  const cpu = computeRatios(m, "cpu");
  const wall = computeRatios(m, "wall");
  console.log(`| ${m.outs[0].node} | ${m.name} \`${m.flags.join(" ") || "(none)"}\` | ${boot} | ${passes} | ${cpu.geo.toFixed(2)}× | ${cpu.first.toFixed(2)}× | ${wall.geo.toFixed(2)}× | ${m.loads.join(", ")} |`);
}
console.log("\nPer benchmark, CPU time ÷ native (median over runs and rounds):\n");
console.log(`| Node | flags | ${names.join(" | ")} |`);
console.log(`|---|---|${names.map(() => "---").join("|")}|`);
for (const m of matrix) {
  if (!m.outs.length) continue;
  const { per } = computeRatios(m, "cpu");
  console.log(`| ${m.outs[0].node} | ${m.name} | ${names.map((n) => per[n].toFixed(2)).join(" | ")} |`);
}
const failed = matrix.filter((m) => m.error).map((m) => `Node ${m.major} ${m.name}: ${m.error}`);
if (notRun.length || failed.length) console.log(`\nNot run or failed: ${[...notRun, ...failed].join("; ")}.`);
console.log(`\n@@raw ${JSON.stringify({ before, after, matrix: matrix.map(({ node: _n, ...m }) => m) })}`);
