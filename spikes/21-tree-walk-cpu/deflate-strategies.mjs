// Spike 21 (README.md, section 3): zlib strategies for a state's pages. The fork bench's state as
// the root and 60 children of it (a three-line cell each, as in the tree walk); each child's
// XOR-ed pages (what StateCache.capture deflates) deflated with level 1 (the default), level 1
// with Z_RLE, Huffman only, and level 6 with Z_RLE: mean time and size per child, and the root's.
// Three rounds (the first warms zlib up).
//   node --import tsx spikes/21-tree-walk-cpu/deflate-strategies.mjs
import { deflateRawSync, inflateRawSync, constants } from "node:zlib";
import { Interpreter } from "../../runtime/src/executor/interpreter.ts";
import { PyodideEngine } from "../../runtime/src/engine/pyodide/pyodide-engine.ts";
import { createDirtyStrategy } from "../../runtime/src/restore/dirty.ts";
import { StateCache } from "../../runtime/src/executor/state-cache.ts";
import { STATE_SETUP } from "../../bench/sections/branching.ts";
const engine = await PyodideEngine.create({});
const interp = new Interpreter(engine, (m, b) => createDirtyStrategy(m, b), "spike");
const cache = new StateCache(interp.baseline);
const cell = (code) => interp.runCellNow({ code, stdin: "", seed: 0 });
cell(STATE_SETUP);
const root = cache.capture(interp, "root", null);
interp.reset(cache.overlay);
// What capture deflates: each page XOR-ed with the page it was taken against.
const inputs = [inflateRawSync(Buffer.from(root.pages_b64, "base64"))];
for (let k = 0; k < 60; k++) {
  cache.enter(interp, "root");
  cell(`path = globals().get("path", []) + [${k}]\nbig[${k}] = -1\nprint(len(path))`);
  const child = cache.capture(interp, `n${k}`, "root");
  interp.reset(cache.overlay);
  inputs.push(inflateRawSync(Buffer.from(child.pages_b64, "base64")));
}
const variants = {
  "level1": { level: 1 },
  "level1 RLE": { level: 1, strategy: constants.Z_RLE },
  "level1 huffman": { level: 1, strategy: constants.Z_HUFFMAN_ONLY },
  "level6 RLE": { level: 6, strategy: constants.Z_RLE },
};
const children = inputs.slice(1);
for (let round = 0; round < 3; round++) {
  for (const [name, options] of Object.entries(variants)) {
    let ms = 0;
    let bytes = 0;
    for (const input of children) {
      const t = performance.now();
      const out = deflateRawSync(input, options);
      ms += performance.now() - t;
      bytes += out.length;
      if (!inflateRawSync(out).equals(input)) throw new Error(`${name}: does not inflate back`);
    }
    const t = performance.now();
    const rootOut = deflateRawSync(inputs[0], options);
    const rootMs = performance.now() - t;
    const kib = (n) => (n / 1024).toFixed(1);
    console.log(
      `${name.padEnd(15)} children: ${(ms / children.length).toFixed(3)} ms, ${kib(bytes / children.length)} KiB each (input ${kib(children[0].length)} KiB); ` +
        `root ${rootMs.toFixed(2)} ms, ${kib(rootOut.length)} KiB of ${kib(inputs[0].length)} KiB`,
    );
  }
}
