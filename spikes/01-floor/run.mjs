// Floor: one Pyodide instance reused, no reset. Nothing can be faster than this per call.
import { TRIVIAL, SMALL_JSON, bootWithBaseline, iterations, now, report } from "../lib.mjs";

const N = iterations(2000);
const { pyodide } = await bootWithBaseline();
for (const [label, code] of [["trivial print(2+2)", TRIVIAL], ["small json", SMALL_JSON]]) {
  for (let i = 0; i < 200; i++) pyodide.runPython(code); // warm-up
  const t = [];
  for (let i = 0; i < N; i++) {
    const t0 = now();
    pyodide.runPython(code);
    t.push(now() - t0);
  }
  report(`floor call: ${label}`, t);
}
