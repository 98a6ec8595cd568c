// Child process of bench/run.ts (its own process, so Pyodide instances do not sit in the heap
// of the process that hosts the HTTP client and the executors). Rows:
//   pyodide/reused-no-reset     one loadPyodide(), runPython per call, never reset: the floor,
//                               and what a naive service does (state leaks between calls)
//   pyodide/fresh-load          a new loadPyodide() per call (few calls: ≈2 s each)
//   pyodide/snapshot-load       loadPyodide({ _loadSnapshot }) per call, from a snapshot made
//                               once with _makeSnapshot + makeMemorySnapshot() after importing
//                               the modules the workloads use
// and the memory of one instance and of each further instance held in the same process.
// Input: argv[2] = JSON Plan. Output: last stdout line = RESULT_PREFIX + JSON.
import { loadPyodide, type PyodideAPI } from "pyodide";
import { procMemory } from "../lib/machine.ts";
import { RESULT_PREFIX, type MemoryReport, type Plan, type Row } from "../lib/results.ts";
import { measureFor, round } from "../lib/stats.ts";
import { checkOutput, workloadsNamed } from "../lib/workloads.ts";

const plan = JSON.parse(process.argv[2]!) as Plan;
const workloads = workloadsNamed(plan.workloads);
const rows: Row[] = [];
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
/** RSS after garbage collection has settled (V8 frees wasm memories of dead instances lazily). */
async function rssMb(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 100));
  }
  return procMemory(process.pid)?.rss_mb ?? 0;
}
const log = (s: string) => console.error(`  ${s}`);

type Loaded = { py: PyodideAPI; out: { text: string } };
async function load(options: Record<string, unknown> = {}): Promise<Loaded> {
  const out = { text: "" };
  const py = await loadPyodide({ stdout: (s: string) => void (out.text += `${s}\n`), stderr: () => {}, ...options });
  return { py, out };
}
function run(l: Loaded, code: string): string {
  l.out.text = "";
  l.py.runPython(code);
  return l.out.text;
}
function linearMemoryMb(py: PyodideAPI): number {
  const heap = (py as unknown as { _module: { HEAPU8: Uint8Array } })._module.HEAPU8;
  return round(heap.byteLength / 2 ** 20, 1);
}

const nodeBaseline = await rssMb();

// 1. The floor: one instance, reused, nothing reset.
const floor = await load();
const oneInstance = await rssMb();
for (const w of workloads) {
  const s = await measureFor(plan.row, () => run(floor, w.code), (o) => checkOutput(w, o, "reused"));
  rows.push({ section: "pyodide", row: "pyodide/reused-no-reset", workload: w.name, ...s });
  log(`reused-no-reset ${w.name}: p50 ${s.p50_ms} ms (n=${s.n})`);
}

// 2. A fresh loadPyodide() per call.
for (const w of workloads.filter((w) => plan.freshWorkloads.includes(w.name))) {
  const s = await measureFor({ maxN: plan.freshN, minN: plan.freshN, budgetMs: 0, warmup: 0 }, async () => {
    const l = await load();
    const o = run(l, w.code);
    return o;
  }, (o) => checkOutput(w, o, "fresh-load"));
  gc();
  rows.push({ section: "pyodide", row: "pyodide/fresh-load", workload: w.name, ...s });
  log(`fresh-load ${w.name}: p50 ${s.p50_ms} ms (n=${s.n})`);
}

// 3. loadPyodide from a memory snapshot per call.
const maker = await load({ _makeSnapshot: true });
maker.py.runPython("import json, re, sqlite3");
const snapshot = maker.py.makeMemorySnapshot();
const makerMemory = linearMemoryMb(maker.py);
let snapshotMemoryOk = true;
for (const w of workloads) {
  const s = await measureFor(plan.snapshot, async () => {
    const l = await load({ _loadSnapshot: snapshot });
    // The pitfall: the new instance's memory must be at least the snapshot's size.
    if (linearMemoryMb(l.py) < makerMemory) snapshotMemoryOk = false;
    return run(l, w.code);
  }, (o) => checkOutput(w, o, "snapshot-load"));
  gc();
  rows.push({ section: "pyodide", row: "pyodide/snapshot-load", workload: w.name, ...s });
  log(`snapshot-load ${w.name}: p50 ${s.p50_ms} ms (n=${s.n})`);
}
if (!snapshotMemoryOk) throw new Error("an instance loaded from the snapshot had less linear memory than the snapshot");

// 4. Memory: each further idle instance held in this process (loaded from the snapshot, which is
// the same memory a fresh load ends with).
const before = await rssMb();
const held: Loaded[] = [];
const EXTRA = plan.quick ? 2 : 4;
for (let i = 0; i < EXTRA; i++) held.push(await load({ _loadSnapshot: snapshot }));
const after = await rssMb();
const memory: MemoryReport["pyodide"] = {
  node_baseline_mb: nodeBaseline,
  one_instance_mb: round(oneInstance - nodeBaseline, 1),
  per_extra_instance_mb: round((after - before) / EXTRA, 1),
  instances_measured: EXTRA,
  linear_memory_mb: linearMemoryMb(floor.py),
  snapshot_mb: round(snapshot.byteLength / 2 ** 20, 1),
};
log(`memory: one instance +${memory.one_instance_mb} MiB RSS, each further instance +${memory.per_extra_instance_mb} MiB`);
console.log(RESULT_PREFIX + JSON.stringify({ rows, memory, pyodide: floor.py.version, held: held.length }));
process.exit(0);
