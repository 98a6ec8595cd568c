// userfaultfd async write-protect + PAGEMAP_SCAN: reset copies back only the pages written.
// Run: node --import tsx spikes/05-dirty-pages/run.mjs
import { dirtyFactory } from "../../runtime/src/restore/dirty.ts";
import { loadNative } from "../../runtime/src/restore/native.ts";
import { bootWithBaseline, iterations, now, report, sameAsBaseline } from "../lib.mjs";
import { measureStrategy } from "../lib-strategy.mjs";

const probe = dirtyFactory.probe();
console.log("probe:", probe);
if (!probe.ok) process.exit(0);
const booted = await bootWithBaseline();
const { memory, baseline, pyodide, stackPointer, baseStackPointer } = booted;
const strategy = dirtyFactory.create(memory, baseline);
measureStrategy(booted, strategy, "dirty");
strategy.dispose();

// Breakdown with the raw addon: scan, copy, re-arm (PAGEMAP_SCAN over the hull vs UFFDIO_WRITEPROTECT
// of the whole heap), and the alternative order that re-arms first and lets the copy re-dirty.
const { addon } = loadNative();
const { fd } = addon.uffdOpenAsyncWp();
const buf = () => memory.buffer;
const len = baseline.length;
new Uint8Array(buf()).set(baseline);
addon.uffdRegisterWp(fd, buf(), 0, len);
addon.uffdWriteProtect(fd, buf(), 0, len, true);
const scan = [], copy = [], rearmScan = [], rearmWhole = [], ranges = [];
for (let i = 0; i < iterations(1000); i++) {
  pyodide.runPython("print(2+2)");
  const t0 = now();
  const written = addon.scanWritten(buf(), 0, len, false);
  const t1 = now();
  addon.copyPages(buf(), baseline, written);
  const t2 = now();
  if (i % 2 === 0) {
    const first = written[0], last = written[written.length - 1];
    addon.scanWritten(buf(), first * 4096, (last - first) * 4096, true);
    rearmScan.push(now() - t2);
  } else {
    addon.uffdWriteProtect(fd, buf(), 0, len, true);
    rearmWhole.push(now() - t2);
  }
  stackPointer.value = baseStackPointer;
  scan.push(t1 - t0); copy.push(t2 - t1); ranges.push(written.length / 2);
}
report("scanWritten (no re-arm)", scan);
report("copyPages", copy);
report("re-arm: PAGEMAP_SCAN WP over hull", rearmScan);
report("re-arm: UFFDIO_WRITEPROTECT all", rearmWhole);
report("written ranges per trivial call", ranges, "ranges");

// Re-arm first (atomic scan+WP), copy afterwards: the copy itself writes protected pages, so the
// next scan sees them again. Shows why the strategy copies before re-arming.
pyodide.runPython("print(2+2)");
const w1 = addon.scanWritten(buf(), 0, len, true);
addon.copyPages(buf(), baseline, w1);
const w2 = addon.scanWritten(buf(), 0, len, false);
console.log(`re-arm-then-copy: ${w1.length / 2} ranges written by the call, ${w2.length / 2} ranges re-dirtied by the copy itself`);
addon.uffdWriteProtect(fd, buf(), 0, len, true);

// Hot-set variant: every reset call writes the same pages (the counts are constant), and each of
// those writes costs an async WP fault during the call. Leave the pages the first call wrote
// unprotected for good and copy them back on every reset; track only the rest.
pyodide.runPython("print(2+2)");
const hot = addon.scanWritten(buf(), 0, len, false);
const isHot = new Uint8Array(len / 4096);
for (let k = 0; k < hot.length; k += 2) isHot.fill(1, hot[k], hot[k + 1]);
addon.copyPages(buf(), baseline, hot);
stackPointer.value = baseStackPointer;
const hotCall = [], hotReset = [], hotTotal = [], extra = [];
for (let i = 0; i < iterations(1000) + 100; i++) {
  const t0 = now();
  pyodide.runPython("print(2+2)");
  const t1 = now();
  const written = addon.scanWritten(buf(), 0, len, false); // hot pages always show as written
  addon.copyPages(buf(), baseline, written);
  let cold = 0;
  for (let k = 0; k < written.length; k += 2) {
    for (let p = written[k]; p < written[k + 1]; p++) {
      if (!isHot[p]) { addon.uffdWriteProtect(fd, buf(), p * 4096, 4096, true); cold++; }
    }
  }
  stackPointer.value = baseStackPointer;
  const t2 = now();
  if (i >= 100) { hotCall.push(t1 - t0); hotReset.push(t2 - t1); hotTotal.push(t2 - t0); extra.push(cold); }
}
report("hot-set trivial: call", hotCall);
report("hot-set trivial: reset", hotReset);
report("hot-set trivial: call+reset", hotTotal);
report("hot-set: pages outside the hot set", extra, "pages");
console.log(`hot set: ${isHot.reduce((a, b) => a + b, 0)} pages`);
addon.uffdWriteProtect(fd, buf(), 0, len, true);
addon.closeFd(fd);
console.log(`byte-identical at the end: ${sameAsBaseline(memory, baseline)}`);
