// `npm run bench:restore`: what a fresh interpreter per call costs with each restore strategy,
// measured in-process on ONE real Pyodide (the executor's runner, `runCell`), in one run.
// Per call = runCellDirect(code) + the interpreter's reset (files if touched, linear memory via the
// strategy, JS-side state) — exactly what Interpreter.reset() does, without the executor's pipe.
// Rows: floor (the same interpreter reused, no reset), memcpy, cow, dirty; two workloads.
// Extra rows (table only, not in the JSON): dirty without hot pages, and dirty with a baseline
// taken after warm-up calls. The LAST line of stdout is JSON: {"rows":[{strategy, workload, p50_ms, p99_ms}]}.
// --quick: fewer iterations. ITER=n overrides the per-row iteration count.
import { cpus, loadavg } from "node:os";
import { bootInterpreter, encodeCell, type BootedInterpreter } from "../runtime/src/engine/pyodide/boot.ts";
import { FsState, type EmscriptenFs } from "../runtime/src/engine/pyodide/fs-state.ts";
import { JsState } from "../runtime/src/engine/pyodide/js-state.ts";
import { cowFactory } from "../runtime/src/restore/cow.ts";
import { createDirtyStrategy, dirtyFactory, type DirtyOptions } from "../runtime/src/restore/dirty.ts";
import { memcpyFactory } from "../runtime/src/restore/memcpy.ts";
import type { ResetStats, RestoreStrategy, StrategyFactory } from "../runtime/src/restore/strategy.ts";
import { Recorder, round, type Summary } from "./lib/stats.ts";

const WORKLOADS = {
  trivial: "print(2+2)",
  json: "import json\nd = {'items': [{'id': i, 'name': f'n{i}', 'tags': ['a', 'b']} for i in range(200)]}\ns = json.dumps(d)\nlen(json.loads(s)['items'])",
} as const;
type Workload = keyof typeof WORKLOADS;

interface Row {
  strategy: "floor" | "memcpy" | "cow" | "dirty";
  /** Shown in the table; rows with a variant are not in the JSON line. */
  variant?: string;
  workload: Workload;
  call: Summary;
  reset?: Summary;
  pages?: number;
  hot?: number;
}

const quick = process.argv.includes("--quick");
const N = Number(process.env.ITER ?? (quick ? 300 : 1500));
const WARMUP = 100;
const WARM_BASELINE_CALLS = 3;

const booted = await bootInterpreter();
const { pyodide, memory, stackPointer } = booted;
// The interpreter's snapshot, taken like Interpreter's constructor does.
const api = (pyodide as unknown as { _api: Parameters<typeof JsState.disarmFatalLatch>[0] })._api;
JsState.disarmFatalLatch(api);
const module = (pyodide as unknown as { _module: ConstructorParameters<typeof JsState>[0] })._module;
const fsState = new FsState(pyodide.FS as unknown as EmscriptenFs);
let jsState = new JsState(module, stackPointer);
let baseline = new Uint8Array(memory.buffer).slice();
console.error(`booted in ${Math.round(booted.bootMs)} ms; baseline ${(baseline.length / 2 ** 20).toFixed(1)} MiB; ${N} calls per row after ${WARMUP} warm-up calls`);

/** One cell through the runner's devices, as the executor runs it (no limits but the output cap). */
function runCellDirect(b: BootedInterpreter, job: { code: string }): { stdout: string; report: string | null } {
  b.calls.begin(encodeCell(job), new Uint8Array(0), 1 << 20);
  try {
    b.runCell();
  } catch (e) {
    b.calls.end();
    throw e;
  }
  return b.calls.end();
}

/** The cell's stdout and report together (what check() looks for is in one or the other). */
function cellOutput(code: string): string {
  const seen = runCellDirect(booted, { code });
  return `${seen.stdout} ${seen.report ?? ""}`;
}

function check(workload: Workload, out: string): void {
  const want = workload === "trivial" ? "4" : "200";
  if (!out.includes(want)) throw new Error(`${workload} returned ${out.slice(0, 200)}`);
}

/** One call and, with a strategy, the interpreter's reset; records both. */
function measureRow(workload: Workload, strategy: RestoreStrategy | null): { call: Summary; reset?: Summary; pages?: number; hot?: number } {
  const code = WORKLOADS[workload];
  check(workload, cellOutput(code));
  if (strategy) resetAll(strategy);
  const total = new Recorder();
  const resetOnly = new Recorder();
  const pages: number[] = [];
  const hot: number[] = [];
  let last: ResetStats | undefined;
  for (let i = 0; i < WARMUP + N; i++) {
    const t0 = performance.now();
    runCellDirect(booted, { code });
    const t1 = performance.now();
    if (strategy) last = resetAll(strategy);
    const t2 = performance.now();
    if (i < WARMUP) continue;
    total.record(t2 - t0);
    if (strategy) {
      resetOnly.record(t2 - t1);
      pages.push(last?.pagesRestored ?? 0);
      hot.push(last?.hotPages ?? 0);
    }
  }
  if (!strategy) return { call: total.summary() };
  return { call: total.summary(), reset: resetOnly.summary(), pages: median(pages), hot: last?.hotPages === undefined ? undefined : median(hot) };
}

/** Median of page counts (counts, not latencies: no histogram needed). */
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

/** Interpreter.reset(): files (only if touched), linear memory, JS-side state. */
function resetAll(strategy: RestoreStrategy): ResetStats {
  if (fsState.dirty) fsState.restore();
  const stats = strategy.reset();
  jsState.restore();
  return stats;
}

function sameAsBaseline(): boolean {
  const buf = memory.buffer;
  return Buffer.from(buf, 0, baseline.length).equals(baseline) && new Uint8Array(buf, baseline.length).every((b) => b === 0);
}

const rows: Row[] = [];
const skipped: string[] = [];

function runStrategy(name: Row["strategy"], make: () => RestoreStrategy, variant?: string): void {
  const strategy = make();
  try {
    for (const workload of Object.keys(WORKLOADS) as Workload[]) {
      const r = measureRow(workload, strategy);
      rows.push({ strategy: name, variant, workload, ...r });
      console.error(`${name}${variant ? ` (${variant})` : ""} ${workload}: p50 ${r.call.p50_ms} ms, reset p50 ${r.reset?.p50_ms} ms`);
    }
    if (!sameAsBaseline()) throw new Error(`${name}: memory differs from the baseline after the last reset`);
  } finally {
    strategy.dispose();
  }
}

// 1. Floor: the same interpreter reused, nothing restored.
for (const workload of Object.keys(WORKLOADS) as Workload[]) {
  rows.push({ strategy: "floor", workload, ...measureRow(workload, null) });
  console.error(`floor ${workload}: p50 ${rows.at(-1)!.call.p50_ms} ms`);
}

// 2. Every strategy this machine has, on the same memory (cow last: it leaves a file mapping behind).
const factories: StrategyFactory[] = [memcpyFactory, dirtyFactory, cowFactory];
for (const factory of factories) {
  const probe = factory.probe();
  if (!probe.ok) {
    skipped.push(`${factory.name}: ${probe.reason}`);
    continue;
  }
  if (factory.name === "dirty") {
    runStrategy("dirty", () => factory.create(memory, baseline));
    runStrategy("dirty", () => createDirtyStrategy(memory, baseline, { hot: false } satisfies DirtyOptions), "hot pages off");
    // Baseline after warm-up calls (what the interpreter would get by warming up before its snapshot).
    const restore = memcpyFactory.create(memory, baseline);
    resetAll(restore);
    restore.dispose();
    for (let i = 0; i < WARM_BASELINE_CALLS; i++) for (const code of Object.values(WORKLOADS)) runCellDirect(booted, { code });
    if (fsState.dirty) throw new Error("warm-up calls changed files; the warm baseline would not match the file tree");
    const cold = { baseline, jsState };
    baseline = new Uint8Array(memory.buffer).slice();
    jsState = new JsState(module, stackPointer);
    runStrategy("dirty", () => factory.create(memory, baseline), `baseline after ${WARM_BASELINE_CALLS}×2 warm-up calls`);
    ({ baseline, jsState } = cold);
  } else {
    runStrategy(factory.name, () => factory.create(memory, baseline));
  }
}

// Report.
const floorP50 = new Map(rows.filter((r) => r.strategy === "floor").map((r) => [r.workload, r.call.p50_ms]));
const memcpyP50 = new Map(rows.filter((r) => r.strategy === "memcpy").map((r) => [r.workload, r.call.p50_ms]));
const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}, ${process.platform} ${process.arch}, pyodide ${pyodide.version}`;
const lines = [
  `| strategy | workload | n | call+reset p50 ms | p99 ms | reset alone p50 ms | pages restored p50 | hot pages p50 | p50 ÷ floor | memcpy ÷ this |`,
  `|---|---|---|---|---|---|---|---|---|---|`,
  ...rows.map((r) => {
    const name = r.variant ? `${r.strategy} (${r.variant})` : r.strategy;
    const vsFloor = round(r.call.p50_ms / floorP50.get(r.workload)!, 2);
    const memcpy = memcpyP50.get(r.workload);
    const vsMemcpy = memcpy === undefined ? "–" : String(round(memcpy / r.call.p50_ms, 1));
    return `| ${name} | ${r.workload} | ${r.call.n} | ${r.call.p50_ms} | ${r.call.p99_ms} | ${r.reset?.p50_ms ?? "–"} | ${r.pages ?? "–"} | ${r.hot ?? "–"} | ${vsFloor} | ${vsMemcpy} |`;
  }),
  ...skipped.map((s) => `| ${s.split(":")[0]} | – | – | not available on this machine: ${s.slice(s.indexOf(":") + 2)} | | | | | | |`),
];
const load = loadavg().map((x) => x.toFixed(1)).join(" ");
console.log(`Machine: ${machine}\nCommand: npm run bench:restore${quick ? " -- --quick" : ""} (load average at the end: ${load}; other processes skew timings)\n`);
console.log(lines.join("\n"));
const json = rows
  .filter((r) => !r.variant)
  .map((r) => ({ strategy: r.strategy, workload: r.workload, p50_ms: r.call.p50_ms, p99_ms: r.call.p99_ms }));
console.log(JSON.stringify({ rows: json }));
