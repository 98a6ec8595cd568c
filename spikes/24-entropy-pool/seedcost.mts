// Spike 24 (README.md): what the per-call reseed of `random` costs in a trivial call, in process.
// p50 exec_ms of print(2+2) without a seed (the runner reseeds from os.urandom) and with one
// (random.seed(5)), alternating, and one os.urandom(1 MiB).
//   node --import tsx spikes/24-entropy-pool/seedcost.mts [checkout=.]
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const tree = resolve(process.argv[2] ?? ".");
const from = (file: string) => import(pathToFileURL(`${tree}/runtime/src/${file}`).href);
const { execute } = await from("executor/execute.ts");
const { Interpreter } = await from("executor/interpreter.ts");
const { StateCache } = await from("executor/state-cache.ts");
const interp = await Interpreter.create({});
const states = new StateCache(interp.baseline);
const run = (code: string, seed?: number) => {
  const { outcome } = execute(interp, null, { code, timeout_ms: 60_000, memory_mb: 256, max_output_bytes: 1 << 20, seed }, 0, states);
  interp.reset(states.overlay); states.reenter(interp);
  return outcome;
};
for (let i = 0; i < 300; i++) run("1");
const unseeded: number[] = [], seeded: number[] = [];
for (let i = 0; i < 2000; i++) (i % 2 ? seeded : unseeded).push(run("print(2+2)", i % 2 ? 5 : undefined).timing.exec_ms);
const p50 = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
const big = run("import os\nlen(os.urandom(1 << 20))", 5).timing.exec_ms;
console.log(`${tree}: print(2+2) exec p50 unseeded ${(p50(unseeded) * 1000).toFixed(1)} µs, seeded ${(p50(seeded) * 1000).toFixed(1)} µs; os.urandom(1 MiB) ${big.toFixed(1)} ms`);
interp.strategy.dispose();
