// Full memcpy of the heap back to the baseline after every call (plus zeroing any grown part).
import { TRIVIAL, SMALL_JSON, bootWithBaseline, iterations, now, report, sameAsBaseline } from "../lib.mjs";

const N = iterations(1000);
const { pyodide, memory, stackPointer, baseline, baseStackPointer } = await bootWithBaseline();
console.log(`heap ${baseline.length} B = ${baseline.length / 4096} host pages`);

function memcpyReset() {
  const view = new Uint8Array(memory.buffer);
  view.set(baseline);
  if (view.length > baseline.length) view.fill(0, baseline.length);
  stackPointer.value = baseStackPointer;
}

for (const [label, code] of [["trivial", TRIVIAL], ["small json", SMALL_JSON]]) {
  const call = [], reset = [], total = [];
  for (let i = 0; i < N + 100; i++) {
    const t0 = now();
    pyodide.runPython(code);
    const t1 = now();
    memcpyReset();
    const t2 = now();
    if (i >= 100) { call.push(t1 - t0); reset.push(t2 - t1); total.push(t2 - t0); }
  }
  report(`memcpy ${label}: call`, call);
  report(`memcpy ${label}: reset`, reset);
  report(`memcpy ${label}: call+reset`, total);
}
console.log(`byte-identical after last reset: ${sameAsBaseline(memory, baseline)}`);
