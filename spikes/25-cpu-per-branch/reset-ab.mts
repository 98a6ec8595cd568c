// In process, two checkouts alternating: a trivial call's reset (`interp.reset`) and call + reset,
// p50 over blocks of calls, as the executor runs them (execute, reset, re-enter).
//   node --import tsx spikes/25-cpu-per-branch/reset-ab.mts <checkout A> <checkout B> [rounds=4]
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [a, b, roundsArg] = process.argv.slice(2);
if (!a || !b) throw new Error("usage: reset-ab.mts <checkout A> <checkout B> [rounds]");
const rounds = Number(roundsArg ?? 4);

async function load(tree: string) {
  const from = (file: string) => import(pathToFileURL(`${resolve(tree)}/runtime/src/${file}`).href);
  const { execute } = await from("executor/execute.ts");
  const { Interpreter } = await from("executor/interpreter.ts");
  const { StateCache } = await from("executor/state-cache.ts");
  const interp = await Interpreter.create({});
  const states = new StateCache(interp.baseline);
  return (code: string) => {
    const t0 = performance.now();
    execute(interp, null, { code, timeout_ms: 60_000, memory_mb: 256, max_output_bytes: 1 << 20 }, 0, states);
    const t1 = performance.now();
    interp.reset(states.overlay);
    states.reenter(interp);
    const t2 = performance.now();
    return { reset: t2 - t1, both: t2 - t0 };
  };
}

const runs = [await load(a), await load(b)];
for (const run of runs) for (let i = 0; i < 500; i++) run("print(2+2)");
const p50 = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
const cells = [{ reset: [] as number[], both: [] as number[] }, { reset: [] as number[], both: [] as number[] }];
for (let r = 0; r < rounds; r++) {
  for (const i of r % 2 ? [1, 0] : [0, 1]) {
    const reset: number[] = [], both: number[] = [];
    for (let k = 0; k < 1000; k++) {
      const t = runs[i]!("print(2+2)");
      reset.push(t.reset);
      both.push(t.both);
    }
    cells[i]!.reset.push(p50(reset) * 1000);
    cells[i]!.both.push(p50(both) * 1000);
  }
}
const show = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(" / ");
for (const [i, tree] of [a, b].entries()) console.log(`${tree}: reset p50 ${show(cells[i]!.reset)} µs; call + reset p50 ${show(cells[i]!.both)} µs`);
