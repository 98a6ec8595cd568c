// Spike 23: where a large capture's time goes now, in process. Captures the fork bench's state
// (~1,000 changed pages) N times, each a little different (`n = i`), timing the state cache's
// byte steps by wrapping them: `fresh` (the state's own page buffer), `pack` (encoding the spans
// and deflating them; before 2026-12-02's change a separate `encodeSpans` into a span buffer, then
// `pack`), and the rest of the capture (comparing candidates, copying pages, the page map).
//   node --import tsx spikes/23-large-checkpoint/capture-split.mts [captures=12] [size=1]
// size 10: the tenfold state of create-states.mts.
import { execute } from "../../runtime/src/executor/execute.ts";
import { Interpreter } from "../../runtime/src/executor/interpreter.ts";
import { StateCache } from "../../runtime/src/executor/state-cache.ts";
import { STATE_SETUP } from "../../bench/sections/branching.ts";

const captures = Number(process.argv[2] ?? 12);
const size = Number(process.argv[3] ?? 1);
const code = size === 10 ? "big = list(range(10**6))\nd = {i: str(i) for i in range(10**5)}" : STATE_SETUP;
const interp = await Interpreter.create({});
const states = new StateCache(interp.baseline, 256 << 20);
const pages = (states as unknown as { pages: Record<string, (...a: unknown[]) => unknown> }).pages;
const spent: Record<string, number> = {};
const steps = ["fresh", "encodeSpans", "pack"].filter((step) => step in pages);
for (const step of steps) {
  const inner = pages[step]!;
  pages[step] = (...args: unknown[]) => {
    const t = performance.now();
    try {
      return inner(...args);
    } finally {
      spent[step] = (spent[step] ?? 0) + performance.now() - t;
    }
  };
}
const rows: string[] = [];
for (let i = 0; i < captures; i++) {
  for (const k of Object.keys(spent)) spent[k] = 0;
  const ru = process.resourceUsage();
  const { outcome } = execute(interp, null, { code: `${code}\nn = ${i}`, timeout_ms: 60_000, memory_mb: 512, max_output_bytes: 1 << 20, checkpoint_id: `s${i}` }, 0, states);
  const ru2 = process.resourceUsage();
  const cp = outcome.timing.checkpoint_ms!;
  const rest = cp - steps.reduce((sum, step) => sum + spent[step]!, 0);
  rows.push(`${i}\t${outcome.checkpoint!.page_index.length}\t${cp.toFixed(1)}\t${steps.map((step) => spent[step]!.toFixed(2)).join("\t")}\t${rest.toFixed(2)}\t${ru2.minorPageFault - ru.minorPageFault}\t${outcome.checkpoint!.pages.length}`);
  interp.reset(states.overlay);
  states.reenter(interp);
  states.forget(interp, [`s${i}`]);
}
console.log(`capture\tpages\tcheckpoint_ms\t${steps.join("\t")}\trest\tfaults(call)\tpacked bytes`);
console.log(rows.join("\n"));
interp.strategy.dispose();
