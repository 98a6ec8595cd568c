// Runs calls against one restore strategy: per-call, per-reset and combined timings.
// Needs `node --import tsx` (imports the TypeScript strategies from runtime/src/restore).
import { TRIVIAL, SMALL_JSON, iterations, now, report, sameAsBaseline } from "./lib.mjs";

export function measureStrategy(booted, strategy, name) {
  const { pyodide, memory, stackPointer, baseline, baseStackPointer } = booted;
  const N = iterations(1000);
  for (const [label, code] of [["trivial", TRIVIAL], ["small json", SMALL_JSON]]) {
    const call = [], reset = [], total = [], pages = [];
    for (let i = 0; i < N + 100; i++) {
      const t0 = now();
      pyodide.runPython(code);
      const t1 = now();
      const stats = strategy.reset();
      stackPointer.value = baseStackPointer;
      const t2 = now();
      if (i >= 100) { call.push(t1 - t0); reset.push(t2 - t1); total.push(t2 - t0); pages.push(stats.pagesRestored); }
    }
    report(`${name} ${label}: call`, call);
    report(`${name} ${label}: reset`, reset);
    report(`${name} ${label}: call+reset`, total);
    report(`${name} ${label}: pagesRestored`, pages, "pages");
  }
  console.log(`byte-identical after last reset: ${sameAsBaseline(memory, baseline)}`);
}
