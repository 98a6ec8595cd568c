// Where a realistic call's written pages are: static data and the C stack (below the heap), the
// heap as boot left it (objects that existed before the call), or past it (the call's own
// allocations, from the top chunk after the heap is settled).
import { Interpreter } from "../../runtime/src/executor/interpreter.ts";
import { loadCorpus } from "../../bench/workloads/corpus.ts";
const interp = await Interpreter.create({ strategy: "dirty" });
const M = interp.engine.pyodide._module;
const heapBase = M.___heap_base?.value ?? M._emscripten_stack_get_base?.() ?? 0;
const top = (M._sbrk(0) - interp.engine.heap.after.topBytes) / 4096;
const stackBase = M._emscripten_stack_get_base?.() ?? 0, stackEnd = M._emscripten_stack_get_end?.() ?? 0;
console.log({ heapBasePage: heapBase / 4096, stackPages: [stackEnd / 4096, stackBase / 4096], topStartPage: top, memoryPages: interp.memoryBytes / 4096 });
const sum = { low: 0, stack: 0, bootHeap: 0, fresh: 0 };
const programs = loadCorpus().filter((e) => e.variant === "correct");
for (let pass = 0; pass < 2; pass++) for (const p of programs) {
  interp.runCellNow({ code: p.code, stdin: "", seed: 0 });
  const w = interp.strategy.writtenPages();
  if (pass === 1) for (const page of w) {
    if (page >= stackEnd / 4096 && page < stackBase / 4096) sum.stack++;
    else if (page < heapBase / 4096) sum.low++;
    else if (page < top) sum.bootHeap++;
    else sum.fresh++;
  }
  interp.reset();
}
for (const k of Object.keys(sum)) sum[k] = (sum[k] / programs.length).toFixed(1);
console.log("pages per call, mean:", sum);
