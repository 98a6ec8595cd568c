// Spike 18 (README.md): in process, what the dirty strategy's audit of hot pages costs on fork
// branches. One state (the bench's), a warm-up of branches on another state first (as the daemon's
// startup warm-up does), then ROUNDS × 128 branches on the state. Per audit (every `auditEvery`
// resets): its reset's ms, hot pages before/after, how many runs of consecutive pages were
// demoted, and the next call's exec and faults. Then a SUMMARY of exec + restore per branch.
//   node --import tsx spikes/18-first-requests/audit-cost.mjs ['{dirty options}'] [rounds=16]
import { Interpreter } from "../../runtime/src/executor/interpreter.ts";
import { PyodideEngine } from "../../runtime/src/engine/pyodide/pyodide-engine.ts";
import { createDirtyStrategy } from "../../runtime/src/restore/dirty.ts";
import { StateCache } from "../../runtime/src/executor/state-cache.ts";

const options = JSON.parse(process.argv[2] ?? "{}");
const rounds = Number(process.argv[3] ?? 16);
const engine = await PyodideEngine.create({});
const interp = new Interpreter(engine, (m, b) => createDirtyStrategy(m, b, options), "spike");
const cache = new StateCache(interp.baseline);
const cell = (code) => interp.runCellNow({ code, stdin: "", seed: 0 });
const enterNew = (id, code) => {
  cell(code);
  const blob = cache.capture(interp, id, null);
  interp.reset();
  cache.enter(interp, null);
  cache.add(blob);
  cache.enter(interp, id);
};
// The daemon's warm-up: branches on a state of its own, then that state forgotten.
enterNew("warm", 'import json, re\nrows = [{"id": i, "name": f"item-{i}", "tags": ["a", "b"][: i % 3]} for i in range(400)]');
for (let i = 0; i < 1280; i++) {
  cell(`picked = [r for r in rows if r["id"] % ${(i % 9) + 2} == 0]\nprint(json.dumps({"b": ${i}, "n": len(picked)}))`);
  interp.reset(cache.overlay);
}
cache.enter(interp, null);
cache.forget(interp, ["warm"]);
interp.reset();
enterNew("s1", "big = list(range(10**5))\nd = {i: str(i) for i in range(10**4)}");

const runs = (pages) => { let n = 0; for (let i = 0; i < pages.length; i++) if (i === 0 || pages[i] !== pages[i - 1] + 1) n++; return n; };
const every = options.auditEvery ?? 256;
let total = 0, branches = 0, pendingAudit = null;
const audits = [];
const t0 = performance.now();
for (let r = 0; r < rounds; r++) {
  for (let i = 0; i < 128; i++) {
    const f0 = process.resourceUsage().minorPageFault;
    const t = performance.now();
    cell("print(len(big) + len(d))");
    const exec = performance.now() - t;
    if (pendingAudit) { pendingAudit.next_exec_ms = +exec.toFixed(2); pendingAudit.next_faults = process.resourceUsage().minorPageFault - f0; audits.push(pendingAudit); pendingAudit = null; }
    const auditing = every > 0 && (interp.resetCount + 1) % every === 0;
    const hotBefore = auditing ? interp.strategy.hotPages() : null;
    const report = interp.reset(cache.overlay);
    if (auditing) {
      const after = new Set(interp.strategy.hotPages());
      const demoted = hotBefore.filter((p) => !after.has(p));
      pendingAudit = { reset: interp.resetCount, ms: +report.ms.toFixed(2), hot_before: hotBefore.length, hot_after: after.size, demoted: demoted.length, demoted_runs: runs(demoted) };
    }
    total += exec + report.ms;
    branches++;
  }
}
for (const a of audits) console.log(JSON.stringify(a));
console.log(`SUMMARY ${JSON.stringify(options)}: ${branches} branches in ${(performance.now() - t0).toFixed(0)} ms; exec + restore per branch ${(total / branches).toFixed(3)} ms; audits ${audits.length}`);
