// How many 4 KiB host pages does a call dirty? Uses the dirty strategy's writtenPages().
// Three baselines: right after `import json, re, collections` (cold), after warm-up calls (warm),
// and consecutive calls with no restore at all (what a reused interpreter dirties).
// Run: node --import tsx spikes/06-count-pages/run.mjs
import { createDirtyStrategy, dirtyFactory } from "../../runtime/src/restore/dirty.ts";
import { loadNative } from "../../runtime/src/restore/native.ts";
import { TRIVIAL, SMALL_JSON, bootWithBaseline, iterations, report } from "../lib.mjs";

const probe = dirtyFactory.probe();
if (!probe.ok) { console.log("dirty strategy unavailable:", probe.reason); process.exit(0); }
const booted = await bootWithBaseline();
const { pyodide, memory, stackPointer } = booted;
const cases = [["trivial print(2+2)", TRIVIAL], ["small json", SMALL_JSON], ["empty string", ""], ["x = 1", "x = 1"]];

function countWithReset(tag, baseline, baseStackPointer) {
  // Hot pages off: with them, writtenPages() lists every hot page whether written or not.
  const strategy = createDirtyStrategy(memory, baseline, { hot: false });
  for (const [label, code] of cases) {
    const counts = [];
    for (let i = 0; i < iterations(300); i++) {
      pyodide.runPython(code);
      counts.push(strategy.writtenPages().length);
      strategy.reset();
      stackPointer.value = baseStackPointer;
    }
    report(`${tag}: ${label}`, counts, "pages");
  }
  pyodide.runPython(TRIVIAL);
  const pages = strategy.writtenPages();
  strategy.reset();
  stackPointer.value = baseStackPointer;
  strategy.dispose();
  return pages;
}

const coldPages = countWithReset("cold baseline", booted.baseline, booted.baseStackPointer);

// No restore: re-arm after every call, so each count is what that call alone wrote.
const { addon } = loadNative();
const { fd } = addon.uffdOpenAsyncWp();
const len = memory.buffer.byteLength;
addon.uffdRegisterWp(fd, memory.buffer, 0, len);
addon.uffdWriteProtect(fd, memory.buffer, 0, len, true);
for (const [label, code] of cases) {
  const counts = [];
  for (let i = 0; i < iterations(300); i++) {
    pyodide.runPython(code);
    const r = addon.scanWritten(memory.buffer, 0, memory.buffer.byteLength, true);
    let n = 0;
    for (let k = 0; k < r.length; k += 2) n += r[k + 1] - r[k];
    counts.push(n);
  }
  report(`no restore (reused): ${label}`, counts, "pages");
}
addon.closeFd(fd);

// Warm baseline: taken after each kind of call has run a few times.
for (let i = 0; i < 3; i++) for (const [, code] of cases) pyodide.runPython(code);
const warm = new Uint8Array(memory.buffer.slice(0));
countWithReset("warm baseline", warm, stackPointer.value);

// Warm + gc.freeze(): objects alive at the baseline move to the permanent generation, so a
// collection during a call no longer walks (and writes the GC headers of) the whole heap.
pyodide.runPython("import gc; gc.collect(); gc.freeze()");
for (let i = 0; i < 3; i++) for (const [, code] of cases) pyodide.runPython(code);
const frozen = new Uint8Array(memory.buffer.slice(0));
countWithReset("warm + gc.freeze()", frozen, stackPointer.value);
console.log(`python ${pyodide.runPython("import sys; sys.version")}; gc thresholds ${pyodide.runPython("str(gc.get_threshold())")}`);

const runs = [];
for (const p of coldPages) {
  const last = runs[runs.length - 1];
  if (last && last[1] === p) last[1] = p + 1; else runs.push([p, p + 1]);
}
console.log(`heap ${booted.baseline.length / 4096} pages; a trivial call (cold baseline) wrote ${coldPages.length} pages in ${runs.length} runs:`);
console.log(runs.map(([s, e]) => (e - s > 1 ? `${s}-${e - 1}` : `${s}`)).join(" "));
