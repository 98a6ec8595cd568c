// Spike 20 (README.md): in process, entering the fork bench's state with the dirty strategy's
// untracked view (alias, the default) and without it (traps lifted and set on <= 8 spans). One
// interpreter per variant, alternating VARIANTS times: the daemon's warm-up shape first, then the
// state made (captured) and handed to a second StateCache, as an executor that did not make it
// receives it. Per round: the first entry (inflate included), the first branch's exec after it,
// then ROUNDS exits and re-entries (state -> snapshot -> state) with a branch after each.
//   node --import tsx spikes/20-entry-alias/enter.mjs [rounds=20] [variants=3]
import { Interpreter } from "../../runtime/src/executor/interpreter.ts";
import { PyodideEngine } from "../../runtime/src/engine/pyodide/pyodide-engine.ts";
import { createDirtyStrategy } from "../../runtime/src/restore/dirty.ts";
import { StateCache } from "../../runtime/src/executor/state-cache.ts";
import { BRANCH_CODE, STATE_SETUP } from "../../bench/sections/branching.ts";

const rounds = Number(process.argv[2] ?? 20);
const variants = Number(process.argv[3] ?? 3);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const faults = () => process.resourceUsage().minorPageFault;

async function measure(alias) {
  const engine = await PyodideEngine.create({});
  const interp = new Interpreter(engine, (m, b) => createDirtyStrategy(m, b, { alias }), "spike");
  if (alias && !interp.strategy.untrackedView?.()) throw new Error("no untracked view: rebuild the addon (npm install)");
  const cell = (code) => interp.runCellNow({ code, stdin: "", seed: 0 });
  const maker = new StateCache(interp.baseline);
  // The daemon's warm-up shape: branches on a state of its own (its maker rests in it).
  cell('rows = [{"id": i, "name": f"item-{i}"} for i in range(400)]');
  maker.capture(interp, "warm", null);
  interp.reset(maker.overlay);
  for (let i = 0; i < 1280; i++) {
    cell(`picked = [r for r in rows if r["id"] % ${(i % 9) + 2} == 0]`);
    interp.reset(maker.overlay);
  }
  maker.enter(interp, null);
  cell(STATE_SETUP);
  const blob = maker.capture(interp, "s", null);
  interp.reset(maker.overlay);
  maker.enter(interp, null); // back to the snapshot: the state is now someone else's to enter
  const taker = new StateCache(interp.baseline);
  taker.add(blob);
  const branch = () => {
    const f = faults();
    const t = performance.now();
    cell(BRANCH_CODE);
    const exec = performance.now() - t;
    interp.reset(taker.overlay);
    return { exec, faults: faults() - f };
  };
  const timed = (fn) => { const t = performance.now(); fn(); return performance.now() - t; };
  const first = timed(() => taker.enter(interp, "s"));
  const firstBranch = branch();
  const exits = [], entries = [], execs = [], fs = [];
  for (let r = 0; r < rounds; r++) {
    exits.push(timed(() => taker.enter(interp, null)));
    interp.reset();
    entries.push(timed(() => taker.enter(interp, "s")));
    const b = branch();
    execs.push(b.exec);
    fs.push(b.faults);
  }
  interp.strategy.dispose();
  return { first, firstExec: firstBranch.exec, firstFaults: firstBranch.faults, exit: median(exits), entry: median(entries), exec: median(execs), faults: median(fs), pages: blob.page_index.length };
}

for (let v = 0; v < variants; v++) {
  for (const alias of (process.env.ONLY ? [process.env.ONLY === "alias"] : v % 2 ? [false, true] : [true, false])) {
    const m = await measure(alias);
    console.log(`${alias ? "alias       " : "lift + set  "} first entry ${m.first.toFixed(2)} ms, its branch ${m.firstExec.toFixed(2)} ms (${m.firstFaults} faults); then medians of ${rounds}: exit ${m.exit.toFixed(2)} ms, entry ${m.entry.toFixed(2)} ms, branch ${m.exec.toFixed(2)} ms (${m.faults} faults); state ${m.pages} page-index entries`);
  }
}
