// Spike 20 (README.md, section 4): where a tree walk's branch goes, in process. One interpreter
// and one StateCache (an executor holding every state), the bench's state as the root, then WALK
// requests of K checkpointing branches, each request from a node picked (fixed seed) among those
// made so far, as bench/sections/tree-walk.ts does over HTTP. Per branch, the time of each step
// the executor takes for a checkpointing job: enter the parent, run the cell, capture the child
// (compare, XOR, deflate), and the reset after it (with the child as overlay). Medians and sums.
//   node --import tsx spikes/20-entry-alias/tree-phases.mjs [walk=60] [K=8] ['{dirty options}']
import { Interpreter } from "../../runtime/src/executor/interpreter.ts";
import { PyodideEngine } from "../../runtime/src/engine/pyodide/pyodide-engine.ts";
import { createDirtyStrategy } from "../../runtime/src/restore/dirty.ts";
import { StateCache } from "../../runtime/src/executor/state-cache.ts";
import { STATE_SETUP } from "../../bench/sections/branching.ts";
import { deflateRawSync, inflateRawSync } from "node:zlib";

const walk = Number(process.argv[2] ?? 60);
const K = Number(process.argv[3] ?? 8);
const options = JSON.parse(process.argv[4] ?? "{}");
const engine = await PyodideEngine.create({});
const interp = new Interpreter(engine, (m, b) => createDirtyStrategy(m, b, options), "spike");
const cache = new StateCache(interp.baseline);
const cell = (code) => interp.runCellNow({ code, stdin: "", seed: 0 });
const time = (fn) => { const t = performance.now(); const r = fn(); return [performance.now() - t, r]; };

cell(STATE_SETUP);
cache.capture(interp, "root", null);
interp.reset(cache.overlay);
const nodes = ["root"];
let seed = 12_345;
const pick = () => { seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31; return nodes[seed % nodes.length]; };
const rows = { enter: [], exec: [], capture: [], reset: [], pages: [], packed: [], deflate: [] };
let n = 0;
const t0 = performance.now();
for (let i = 0; i < walk; i++) {
  const parent = pick();
  for (let k = 0; k < K; k++) {
    const id = `n${n++}`;
    const [enter] = time(() => cache.enter(interp, parent));
    const [exec] = time(() => cell(`path = globals().get("path", []) + [${k}]\nbig[${i * K + k}] = -1\nprint(len(path), sum(path), big[${i * K + k}])`));
    const [capture, blob] = time(() => cache.capture(interp, id, parent));
    const [reset] = time(() => interp.reset(cache.overlay));
    rows.enter.push(enter); rows.exec.push(exec); rows.capture.push(capture); rows.reset.push(reset);
    // The deflate inside capture, again on the same input (the XOR-ed pages), timed alone.
    const xored = inflateRawSync(Buffer.from(blob.pages_b64, "base64"));
    rows.deflate.push(time(() => deflateRawSync(xored, { level: 1 }))[0]);
    rows.pages.push(blob.page_index.length); rows.packed.push(Math.round((blob.pages_b64.length * 3) / 4));
    nodes.push(id);
  }
}
const wall = performance.now() - t0 - rows.deflate.reduce((a, b) => a + b, 0);
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
console.log(`${walk} × ${K} branches in ${wall.toFixed(0)} ms: ${((walk * K * 1000) / wall).toFixed(0)} branches/s in process, one interpreter`);
for (const k of ["enter", "exec", "capture", "reset", "deflate"]) console.log(`  ${k.padEnd(8)} median ${med(rows[k]).toFixed(3)} ms, sum ${sum(rows[k]).toFixed(0)} ms`);
console.log(`  child state: median ${med(rows.pages)} pages, ${med(rows.packed)} bytes packed`);
