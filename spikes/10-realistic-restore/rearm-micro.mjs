// Cost of re-protecting N written pages with one PAGEMAP_SCAN(WP_MATCHING) ioctl, by how the pages
// are spread: contiguous, one per 2 MiB region, or scattered over 28 MiB. Plain wasm memory.
import { loadNative } from "../../runtime/src/restore/native.ts";
const { addon } = loadNative();
const PAGE = 4096;
const memory = new WebAssembly.Memory({ initial: 9216 * PAGE / 65536 });
const buf = memory.buffer;
const view = new Uint8Array(buf);
view.fill(1);
const { fd } = addon.uffdOpenAsyncWp();
addon.uffdRegisterWp(fd, buf, 0, buf.byteLength);
addon.uffdWriteProtect(fd, buf, 0, buf.byteLength, true);
const total = buf.byteLength / PAGE;
const layouts = {
  contiguous: (n) => Array.from({ length: n }, (_, i) => 1000 + i),
  scattered: (n) => Array.from({ length: n }, (_, i) => Math.floor((i * 7180) / n) + 500),
};
const pct = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(q * (s.length - 1))].toFixed(3); };
for (const n of [50, 350, 1500]) {
  for (const [name, make] of Object.entries(layouts)) {
    const pages = make(n);
    const times = [], scans = [], writes = [];
    for (let r = 0; r < 200; r++) {
      let t = performance.now();
      for (const p of pages) view[p * PAGE] ^= 1;
      writes.push(performance.now() - t);
      t = performance.now();
      const w = addon.scanWritten(buf, 0, buf.byteLength, false);
      scans.push(performance.now() - t);
      t = performance.now();
      addon.rearmRanges(buf, Uint32Array.of(w[0], w[w.length - 1]));
      times.push(performance.now() - t);
    }
    console.log(`${String(n).padStart(5)} pages ${name.padEnd(10)} write(faults) p50 ${pct(writes, .5)} | scan p50 ${pct(scans, .5)} | rearm p50 ${pct(times, .5)} p90 ${pct(times, .9)} ms`);
  }
}
