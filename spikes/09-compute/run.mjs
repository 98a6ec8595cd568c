// Which V8 flags and which Node version run Pyodide's CPython fastest, and what each costs at boot.
// For every Node version (20 = the installed one; 22 and 24 from the npm registry through npx) and
// every flag set below that the version knows, child.mjs boots an interpreter in its own process
// (Interpreter.create, timed), runs the workload corpus's 160 correct programs three times (the first
// pass meets every code path cold) and the compute suite (bench/compute/) `RUNS` times. Native
// python3 runs the same compute suite and the same corpus in this run, before and after the
// children, for the ratios. Prints markdown tables; the findings are in README.md.
//   node --import tsx spikes/09-compute/run.mjs            (RUNS=3, NODES=20,22,24, CONFIGS=all)
//   RUNS=1 NODES=20 CONFIGS=default,no-dynamic-tiering node --import tsx spikes/09-compute/run.mjs
import { execFileSync, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { loadComputeSuite, parseComputeOutput } from "../../bench/compute/suite.ts";
import { loadCorpus } from "../../bench/workloads/corpus.ts";
import { runNative, timeNative } from "../../bench/workloads/native.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CHILD = fileURLToPath(new URL("./child.mjs", import.meta.url));
const RUNS = Number(process.env.RUNS ?? 3);
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
};
const CONFIGS = Object.fromEntries(Object.entries(ALL_CONFIGS).filter(([k]) => !process.env.CONFIGS || process.env.CONFIGS.split(",").includes(k)));

function nodeBinary(major) {
  if (process.versions.node.split(".")[0] === major) return process.execPath;
  // npx caches the package; the binary it runs is the one we spawn directly afterwards.
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

async function nativeBaseline(python3) {
  const suite = loadComputeSuite();
  const compute = {};
  for (const b of suite) {
    compute[b.name] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await runNative(python3, ["-"], b.code);
      if (r.code !== 0) throw new Error(`${b.name} (python3): ${r.stderr.slice(-500)}`);
      compute[b.name].push(parseComputeOutput(b, r.stdout).ms_per_iter);
    }
  }
  const programs = loadCorpus().filter((e) => e.variant === "correct");
  const times = await timeNative(python3, programs.map((e) => [e.program, e.code]), 3);
  return { compute, corpus_ms: Object.values(times).reduce((a, b) => a + b, 0) };
}

const python3 = execFileSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).trim();
const pyVersion = execFileSync(python3, ["--version"], { encoding: "utf8" }).trim();
console.error(`native baseline (${pyVersion}) ...`);
const before = await nativeBaseline(python3);

const results = [];
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
  for (const [name, flags] of Object.entries(CONFIGS)) {
    const missing = flags.filter((f) => !known.has(flagName(f)));
    if (missing.length) {
      notRun.push(`Node ${major} ${name}: V8 has no ${missing.join(", ")}`);
      continue;
    }
    console.error(`Node ${major} ${name} ...`);
    try {
      results.push({ major, name, ...(await runChild(node, flags)) });
    } catch (e) {
      notRun.push(`Node ${major} ${name}: ${e.message.split("\n").slice(0, 3).join(" ")}`);
    }
  }
}
console.error("native baseline again ...");
const after = await nativeBaseline(python3);

const names = Object.keys(before.compute);
const nativeMs = Object.fromEntries(names.map((n) => [n, median([...before.compute[n], ...after.compute[n]])]));
const nativeCorpus = Math.min(before.corpus_ms, after.corpus_ms);

console.log(`# Compute spike: ${new Date().toISOString().slice(0, 16)}, ${pyVersion} native, RUNS=${RUNS}\n`);
console.log(`Native python3: compute ms/iter ${names.map((n) => `${n} ${f2(nativeMs[n])}`).join(", ")}; corpus (160 correct programs, warm, compile + exec) ${f2(nativeCorpus)} ms (before ${f2(before.corpus_ms)}, after ${f2(after.corpus_ms)}).\n`);
console.log("| Node | flags | boot ms | corpus pass 1 / 2 / 3 ms (÷ native) | compute geomean ÷ native (median run) | compute geomean, first run |");
console.log("|---|---|---|---|---|---|");
for (const r of results) {
  const ratio = geomean(names.map((n) => median(r.compute[n]) / nativeMs[n]));
  const first = geomean(names.map((n) => r.compute[n][0] / nativeMs[n]));
  const passes = r.corpus_ms.map((ms) => `${ms} (${(ms / nativeCorpus).toFixed(1)}×)`).join(" / ");
  console.log(`| ${r.node} | ${r.name} \`${r.flags.join(" ") || "(none)"}\` | ${r.boot_ms} | ${passes} | ${ratio.toFixed(2)}× | ${first.toFixed(2)}× |`);
}
console.log("\nPer benchmark, Arbor-in-process ÷ native (median run):\n");
console.log(`| Node | flags | ${names.join(" | ")} |`);
console.log(`|---|---|${names.map(() => "---").join("|")}|`);
for (const r of results) console.log(`| ${r.node} | ${r.name} | ${names.map((n) => (median(r.compute[n]) / nativeMs[n]).toFixed(2)).join(" | ")} |`);
if (notRun.length) console.log(`\nNot run: ${notRun.join("; ")}.`);
console.log(`\n@@raw ${JSON.stringify({ before, after, results })}`);
