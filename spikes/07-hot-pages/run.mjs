// Where the time of a dirty-strategy call goes once hot pages are left writable: the call alone,
// scan, copy, re-arm and the JS-side restore, on the executor's runner (runCell), plus how much of
// the heap is backed by transparent huge pages before and after tracking starts.
// Run: node --import tsx spikes/07-hot-pages/run.mjs
import { readFileSync } from "node:fs";
import { bootInterpreter } from "../../runtime/src/engine/pyodide/boot.ts";
import { JsState } from "../../runtime/src/engine/pyodide/js-state.ts";
import { createDirtyStrategy } from "../../runtime/src/restore/dirty.ts";
import { loadNative } from "../../runtime/src/restore/native.ts";
import { iterations, now, report } from "../lib.mjs";

const OPTS = JSON.stringify({ max_output_bytes: 1 << 20, stdin: "", seed: null });
const CODE = process.env.CODE ?? "print(2+2)";
const booted = await bootInterpreter();
const { pyodide, memory, stackPointer, runCell } = booted;
JsState.disarmFatalLatch(pyodide._api);
const { addon } = loadNative();
const address = addon.bufferAddress(memory.buffer);

function hugeKb() {
  // AnonHugePages of the mapping that contains the wasm memory.
  const lines = readFileSync("/proc/self/smaps", "utf8").split("\n");
  let inside = false;
  for (const line of lines) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
    if (m) inside = BigInt(`0x${m[1]}`) <= address && address < BigInt(`0x${m[2]}`);
    else if (inside && line.startsWith("AnonHugePages:")) return line.trim();
  }
  return "mapping not found";
}

const warm = Number(process.env.WARM ?? 0);
for (let i = 0; i < warm; i++) runCell(CODE, OPTS);
const js = new JsState(pyodide._module, stackPointer);
const baseline = new Uint8Array(memory.buffer).slice();
const N = iterations(1000);
const floor = [];
for (let i = 0; i < N; i++) { const t = now(); runCell(CODE, OPTS); floor.push(now() - t); }
console.log(`heap THP before tracking: ${hugeKb()}`);
report("floor: call (no reset)", floor);

for (const hot of [true, false]) {
  const s = createDirtyStrategy(memory, baseline, { hot });
  js.restore();
  const call = [], reset = [], jsr = [], total = [];
  for (let i = 0; i < N + 100; i++) {
    const t0 = now();
    runCell(CODE, OPTS);
    const t1 = now();
    s.reset();
    const t2 = now();
    js.restore();
    const t3 = now();
    if (i >= 100) { call.push(t1 - t0); reset.push(t2 - t1); jsr.push(t3 - t2); total.push(t3 - t0); }
  }
  const tag = hot ? "hot pages on " : "hot pages off";
  report(`${tag}: call`, call);
  report(`${tag}: strategy.reset`, reset);
  report(`${tag}: jsState.restore`, jsr);
  report(`${tag}: call+reset`, total);
  console.log(`${tag}: hot set ${s.hotPages().length} pages; heap THP now: ${hugeKb()}`);
  if (hot) {
    // Raw pieces of one hot reset: scan (lists hot + cold written), copy.
    const buf = memory.buffer;
    const scan = [], copy = [];
    for (let i = 0; i < N; i++) {
      runCell(CODE, OPTS);
      const t0 = now();
      const w = addon.scanWritten(buf, 0, baseline.length, false);
      const t1 = now();
      addon.copyPages(buf, baseline, w);
      const t2 = now();
      s.reset(); js.restore();
      scan.push(t1 - t0); copy.push(t2 - t1);
    }
    report("hot: scanWritten", scan);
    report("hot: copyPages", copy);
  }
  s.dispose();
}
