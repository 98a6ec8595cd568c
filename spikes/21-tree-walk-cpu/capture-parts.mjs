// Spike 21 (README.md, section 2): where StateCache.capture's time goes, in process. The walk of
// spikes/20-entry-alias/tree-phases.mjs (one interpreter holding every state; WALK requests of K
// checkpointing branches from picked states); around each capture, the strategy's writtenPages()
// and the filesystem's diff() are timed by wrapping them, and the deflate of the XOR-ed pages is
// timed again alone on the same input. Medians and sums per part, and the candidate pages
// (written or hot) against the pages that changed.
//   node --import tsx spikes/21-tree-walk-cpu/capture-parts.mjs [walk=60] [K=8]
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { Interpreter } from "../../runtime/src/executor/interpreter.ts";
import { PyodideEngine } from "../../runtime/src/engine/pyodide/pyodide-engine.ts";
import { createDirtyStrategy } from "../../runtime/src/restore/dirty.ts";
import { StateCache } from "../../runtime/src/executor/state-cache.ts";
import { STATE_SETUP } from "../../bench/sections/branching.ts";

const walk = Number(process.argv[2] ?? 60);
const K = Number(process.argv[3] ?? 8);
const engine = await PyodideEngine.create({});
const interp = new Interpreter(engine, (m, b) => createDirtyStrategy(m, b), "spike");
const cache = new StateCache(interp.baseline);
const cell = (code) => interp.runCellNow({ code, stdin: "", seed: 0 });
const time = (fn) => {
  const t = performance.now();
  const r = fn();
  return [performance.now() - t, r];
};
const rows = { capture: [], written: [], fsDiff: [], deflate: [], candidates: [], changed: [] };
const strategy = interp.strategy;
const written = strategy.writtenPages.bind(strategy);
strategy.writtenPages = () => {
  const [ms, pages] = time(written);
  rows.written.push(ms);
  rows.candidates.push(pages.length);
  return pages;
};
const files = interp.engine.files;
const diff = files.diff.bind(files);
files.diff = () => {
  const [ms, delta] = time(diff);
  rows.fsDiff.push(ms);
  return delta;
};

cell(STATE_SETUP);
cache.capture(interp, "root", null);
interp.reset(cache.overlay);
for (const k of Object.keys(rows)) rows[k].length = 0;
const nodes = ["root"];
let seed = 12_345;
const pick = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return nodes[seed % nodes.length];
};
let n = 0;
for (let i = 0; i < walk; i++) {
  const parent = pick();
  for (let k = 0; k < K; k++) {
    const id = `n${n++}`;
    cache.enter(interp, parent);
    cell(`path = globals().get("path", []) + [${k}]\nbig[${i * K + k}] = -1\nprint(len(path), sum(path), big[${i * K + k}])`);
    const [capture, blob] = time(() => cache.capture(interp, id, parent));
    interp.reset(cache.overlay);
    rows.capture.push(capture);
    rows.changed.push(blob.page_index.length);
    const xored = inflateRawSync(Buffer.from(blob.pages_b64, "base64"));
    rows.deflate.push(time(() => deflateRawSync(xored, { level: 1 }))[0]);
    nodes.push(id);
  }
}
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
console.log(`${walk * K} captures (Node ${process.versions.node})`);
for (const k of ["capture", "written", "fsDiff", "deflate"]) console.log(`  ${k.padEnd(8)} median ${med(rows[k]).toFixed(3)} ms, sum ${sum(rows[k]).toFixed(0)} ms`);
const rest = rows.capture.map((c, i) => c - rows.written[i] - rows.fsDiff[i] - rows.deflate[i]);
console.log(`  compare, copy, XOR (the rest) median ${med(rest).toFixed(3)} ms, sum ${sum(rest).toFixed(0)} ms`);
console.log(`  pages per capture: median ${med(rows.candidates)} candidates (written or hot), ${med(rows.changed)} changed`);
if (globalThis.__T) console.log(Object.entries(globalThis.__T).map(([k, v]) => `${k} ${med(v).toFixed(3)}`).join(", "));
