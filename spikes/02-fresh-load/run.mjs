// A fresh loadPyodide() per call: the naive way to get a clean interpreter.
import { loadPyodide } from "pyodide";
import { TRIVIAL, iterations, now, report } from "../lib.mjs";

const N = iterations(5);
const t = [];
for (let i = 0; i < N; i++) {
  const t0 = now();
  const pyodide = await loadPyodide({ stdout: () => {} });
  pyodide.runPython(TRIVIAL);
  t.push(now() - t0);
}
report("fresh loadPyodide + print(2+2)", t);
