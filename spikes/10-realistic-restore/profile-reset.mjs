// Where a dirty-strategy reset spends its time after a realistic call: the PAGEMAP_SCAN that lists
// written pages, the copy back, and the re-protect (re-arm). Wraps the addon's functions with timers.
//   node --import tsx spikes/10-realistic-restore/profile-reset.mjs [passes]
import { Interpreter } from "../../runtime/src/executor/interpreter.ts";
import { loadNative } from "../../runtime/src/restore/native.ts";
import { loadCorpus } from "../../bench/workloads/corpus.ts";

const passes = Number(process.argv[2] ?? 3);
const { addon } = loadNative();
const spent = {};
for (const name of ["scanWritten", "copyPages", "rearmRanges", "madvise"]) {
  const f = addon[name].bind(addon);
  addon[name] = (...args) => {
    const t = performance.now();
    try { return f(...args); } finally { (spent[name] ??= []).push(performance.now() - t); }
  };
}
const interp = await Interpreter.create({ strategy: "dirty" });
const programs = loadCorpus().filter((e) => e.variant === "correct");
const resets = [];
const hull = [];
for (let pass = 0; pass < passes; pass++) {
  for (const k of Object.keys(spent)) spent[k] = [];
  resets.length = 0;
  for (const p of programs) {
    interp.runCellNow({ code: p.code, stdin: "", seed: 0 });
    const w = interp.strategy.writtenPages();
    if (w.length) hull.push(w[w.length - 1] - w[0] + 1);
    resets.push(interp.reset().ms);
  }
}
const pct = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(q * (s.length - 1))]?.toFixed(3); };
const line = (name, xs) => `${name.padEnd(12)} n=${xs.length} p50 ${pct(xs, 0.5)} p90 ${pct(xs, 0.9)} p99 ${pct(xs, 0.99)} ms`;
console.log(line("reset", resets));
for (const [k, v] of Object.entries(spent)) console.log(line(k, v));
console.log(`hull pages p50 ${pct(hull, 0.5)} p90 ${pct(hull, 0.9)}; memory ${interp.memoryBytes / 4096} pages`);
