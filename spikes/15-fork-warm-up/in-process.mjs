// Spike 15 (README.md): in process (no daemon), an optional warm-up of N branches on a throwaway
// state, then 16 rounds of 128 branches on the "user" state: exec / restore per branch (ms) and
// the process's minor page faults per round, then a SUMMARY line.
//   node --import tsx spikes/15-fork-warm-up/in-process.mjs <warm-branches> [same|other] ['{dirty options}']
// Environment: CHURN_MIB (short-lived JS garbage made before the state, in MiB), SLEEP_MS (idle
// before the state), SMAPS=1 (mappings whose RSS grew, at rounds 0, 9 and 15).
import tsx spikes/15-fork-warm-up/in-process.mjs <warm-branches> [same|other]
import { Interpreter } from "../../runtime/src/executor/interpreter.ts";
import { PyodideEngine } from "../../runtime/src/engine/pyodide/pyodide-engine.ts";
import { createDirtyStrategy } from "../../runtime/src/restore/dirty.ts";
import { StateCache } from "../../runtime/src/executor/state-cache.ts";
const warmN = Number(process.argv[2] ?? 0);
const warmCell = process.argv[3] === "same" ? "print(len(big) + len(d))" : "x = sum(w[:50])\nprint(x)";
const engine = await PyodideEngine.create({});
const interp = new Interpreter(engine, (m, b) => createDirtyStrategy(m, b, JSON.parse(process.argv[4] ?? "{}")), "spike");
const cache = new StateCache(interp.baseline);
const cell = (code) => interp.runCellNow({ code, stdin: "", seed: 0 });
const t0 = performance.now();
if (warmN > 0) {
  cell(warmCell.startsWith("print") ? "big = list(range(10**5))\nd = {i: str(i) for i in range(10**4)}" : "w = [i * 3 for i in range(5000)]");
  const wb = cache.capture(interp, "warm", null);
  interp.reset(); cache.add(wb); cache.enter(interp, "warm");
  for (let i = 0; i < warmN; i++) { cell(warmCell); interp.reset(cache.overlay); }
  cache.enter(interp, null); cache.forget(interp, ["warm"]);
}
const churnMiB = Number(process.env.CHURN_MIB ?? 0);
for (let i = 0, keep = []; i < churnMiB * 1024; i++) { keep.push(new Array(64).fill(i)); if (keep.length > 64) keep = []; } // ~1 KiB each, short-lived
const warmMs = performance.now() - t0;
await new Promise((r) => setTimeout(r, Number(process.env.SLEEP_MS ?? 0)));
cell("big = list(range(10**5))\nd = {i: str(i) for i in range(10**4)}");
const blob = cache.capture(interp, "s1", null);
interp.reset(); cache.add(blob); cache.enter(interp, "s1");
import { readFileSync } from "node:fs";
const smaps = () => { const m = new Map(); let key = ""; for (const l of readFileSync("/proc/self/smaps", "utf8").split("\n")) { if (/^[0-9a-f]+-[0-9a-f]+ /.test(l)) key = l.split(/\s+/).slice(0, 1).concat(l.split(/\s+/).slice(5)).join(" "); else if (l.startsWith("Rss:")) m.set(key, Number(l.split(/\s+/)[1])); } return m; };
let before = smaps();
const rows = [];
for (let r = 0; r < 16; r++) {
  let ex = 0, rs = 0; const f0 = process.resourceUsage().minorPageFault;
  for (let i = 0; i < 128; i++) {
    const t = performance.now();
    cell("print(len(big) + len(d))");
    ex += performance.now() - t;
    rs += interp.reset(cache.overlay).ms;
  }
  if (process.env.SMAPS && (r === 0 || r === 9 || r === 15)) { const now = smaps(); const grown = [...now].filter(([k, v]) => v - (before.get(k) ?? 0) >= 64).map(([k, v]) => `${k} +${v - (before.get(k) ?? 0)}k`); console.log(`round ${r}: ${grown.join("; ")}`); before = now; }
  rows.push(`${(ex / 128).toFixed(3)}/${(rs / 128).toFixed(3)}/${process.resourceUsage().minorPageFault - f0}`);
}
const ex = rows.map((r) => Number(r.split("/")[0])), flt = rows.map((r) => Number(r.split("/")[2]));
const mean = (a) => (a.reduce((x, y) => x + y, 0) / a.length).toFixed(3);
console.log(`SUMMARY exec rounds 0-4 ${mean(ex.slice(0, 5))} 10-15 ${mean(ex.slice(10))} faults 0-4 ${flt.slice(0, 5).reduce((x, y) => x + y)} 10-15 ${flt.slice(10).reduce((x, y) => x + y)}`);
console.log(`warm ${warmN} ${process.argv[3] ?? "other"} (${warmMs.toFixed(0)} ms): exec/restore per round ${rows.join(" ")}`);
