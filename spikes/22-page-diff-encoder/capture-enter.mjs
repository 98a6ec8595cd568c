// Spike 22: a state's capture and its first entry elsewhere, in process, for the checkout the
// script is run from (run it from two checkouts, alternating, to compare). The tree walk of spike
// 21 (one interpreter; WALK requests of K checkpointing branches from picked states); after each
// capture, a second cache (another executor, in effect) is given the blob and enters it: the
// decompression and page writes a branch's state costs the executor that did not make it.
//   node --import tsx spikes/22-page-diff-encoder/capture-enter.mjs [walk=60] [K=8]   (from either checkout)
const root = process.cwd();
const { Interpreter } = await import(`${root}/runtime/src/executor/interpreter.ts`);
const { PyodideEngine } = await import(`${root}/runtime/src/engine/pyodide/pyodide-engine.ts`);
const { createDirtyStrategy } = await import(`${root}/runtime/src/restore/dirty.ts`);
const { StateCache } = await import(`${root}/runtime/src/executor/state-cache.ts`);
const { STATE_SETUP } = await import(`${root}/bench/sections/branching.ts`);
const { treeWalk } = await import("./walk.mjs");

const walk = Number(process.argv[2] ?? 60);
const K = Number(process.argv[3] ?? 8);
const engine = await PyodideEngine.create({});
const interp = new Interpreter(engine, (m, b) => createDirtyStrategy(m, b), "spike");
const cache = new StateCache(interp.baseline);
const other = new StateCache(interp.baseline);
const cell = (code) => interp.runCellNow({ code, stdin: "", seed: 0 });
const time = (fn) => {
  const t = performance.now();
  const r = fn();
  return [performance.now() - t, r];
};
const rows = { capture: [], enter: [], bytes: [] };
cell(STATE_SETUP);
const first = cache.capture(interp, "root", null);
interp.reset(cache.overlay);
other.add(first);
for (const { id, parent, code } of treeWalk(walk, K)) {
  cache.enter(interp, parent);
  cell(code);
  const [capture, blob] = time(() => cache.capture(interp, id, parent));
  interp.reset(cache.overlay);
  rows.capture.push(capture);
  rows.bytes.push(Buffer.byteLength(blob.pages_b64, "base64"));
  // The other executor: given the blob, it enters it (from wherever it rests).
  cache.enter(interp, null);
  other.add(blob);
  rows.enter.push(time(() => other.enter(interp, id))[0]);
  other.enter(interp, null);
}
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
console.log(`${root}: ${walk * K} branches (Node ${process.versions.node}); root state ${Buffer.byteLength(first.pages_b64, "base64")} bytes`);
console.log(`  capture median ${med(rows.capture).toFixed(3)} ms, sum ${sum(rows.capture).toFixed(0)} ms`);
console.log(`  enter   median ${med(rows.enter).toFixed(3)} ms, sum ${sum(rows.enter).toFixed(0)} ms`);
console.log(`  child page data median ${med(rows.bytes)} bytes`);
