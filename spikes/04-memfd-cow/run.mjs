// memfd copy-on-write: baseline in a sealed memfd mapped MAP_PRIVATE|MAP_FIXED over the heap;
// reset = map it again. Cheap reset, but the next call pays a fault for every page it touches.
// Run: node --import tsx spikes/04-memfd-cow/run.mjs
import { cowFactory } from "../../runtime/src/restore/cow.ts";
import { loadNative } from "../../runtime/src/restore/native.ts";
import { bootWithBaseline, iterations, now, report } from "../lib.mjs";
import { measureStrategy } from "../lib-strategy.mjs";

const probe = cowFactory.probe();
console.log("probe:", probe);
if (!probe.ok) process.exit(0);
const booted = await bootWithBaseline();
const strategy = cowFactory.create(booted.memory, booted.baseline);
measureStrategy(booted, strategy, "cow");

// Breakdown: the remap alone, and how many pages a call then has to fault back in.
const { addon } = loadNative();
const remap = [], faulted = [];
for (let i = 0; i < iterations(1000); i++) {
  booted.pyodide.runPython("print(2+2)");
  faulted.push(strategy.writtenPages()?.length ?? -1);
  const t0 = now();
  strategy.reset();
  remap.push(now() - t0);
  booted.stackPointer.value = booted.baseStackPointer;
}
report("cow reset (remap) alone", remap);
report("cow private copies per trivial call", faulted, "pages");

// Variant: prefault the whole baseline read-only right after the remap (MADV_POPULATE_READ), so
// the call only takes copy-on-write faults, not read faults. (MAP_POPULATE would be wrong here:
// on a private writable mapping it breaks CoW for every page, i.e. copies the whole heap.)
const populated = {
  name: "cow+populate",
  reset() {
    const stats = strategy.reset();
    addon.madvise(booted.memory.buffer, 0, booted.baseline.length, "populate_read");
    return stats;
  },
};
measureStrategy(booted, populated, "cow+populate_read");
strategy.dispose();
