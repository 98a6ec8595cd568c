// Spike 14: where a corpus call's time goes inside the executor, by function (V8's sampling
// profiler, started after boot so only the calls and their restores are sampled). Wasm functions
// are named from the module's export section where they are exported; the rest stay numbered.
//   node --import tsx spikes/14-python-side/profile.mjs [passes=3] [top=30]
import { Session } from "node:inspector/promises";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Interpreter } from "../../runtime/src/executor/interpreter.ts";
import { PyodideEngine } from "../../runtime/src/engine/pyodide/pyodide-engine.ts";
import { createDirtyStrategy } from "../../runtime/src/restore/dirty.ts";
import { loadCorpus } from "../../bench/workloads/corpus.ts";

const [passes = 3, top = 30] = process.argv.slice(2).map(Number);
const engine = await PyodideEngine.create();
const interp = new Interpreter(engine, (m, b) => createDirtyStrategy(m, b, {}), "spike");
const programs = loadCorpus().filter((e) => e.variant === "correct");
for (const p of programs) {
  interp.runCellNow({ code: p.code, stdin: "", seed: 0 });
  interp.reset();
}

const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 100 });
await session.post("Profiler.start");
for (let pass = 0; pass < passes; pass++) {
  for (const p of programs) {
    interp.runCellNow({ code: p.code, stdin: "", seed: 0 });
    interp.reset();
  }
}
const { profile } = await session.post("Profiler.stop");

const names = exportedWasmNames(createRequire(import.meta.url).resolve("pyodide/pyodide.asm.wasm"));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const frame = byId.get(profile.samples[i]).callFrame;
  const dt = profile.timeDeltas[i] ?? 0;
  total += dt;
  const wasm = /^wasm-function\[(\d+)\]$/.exec(frame.functionName);
  const key = wasm ? `wasm ${names.get(Number(wasm[1])) ?? frame.functionName}` : `js ${frame.functionName || "(anonymous)"} ${frame.url.split("/").pop()}`;
  self.set(key, (self.get(key) ?? 0) + dt);
}
console.log(`${programs.length} programs × ${passes} passes, ${(total / 1000).toFixed(0)} ms sampled (self time)`);
for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${(us / 1000).toFixed(1).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${key}`);
}

/** Function index → export name, from the wasm binary's import and export sections. */
function exportedWasmNames(path) {
  const buf = readFileSync(path);
  let pos = 8;
  const u32 = () => {
    let r = 0;
    let shift = 0;
    let b;
    do {
      b = buf[pos++];
      r |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    return r >>> 0;
  };
  const str = () => {
    const n = u32();
    pos += n;
    return buf.toString("utf8", pos - n, pos);
  };
  const out = new Map();
  while (pos < buf.length) {
    const id = buf[pos++];
    const size = u32();
    const end = pos + size;
    if (id === 7) {
      for (let i = 0, n = u32(); i < n; i++) {
        const name = str();
        const kind = buf[pos++];
        const index = u32();
        if (kind === 0) out.set(index, name);
      }
    }
    pos = end;
  }
  return out;
}
