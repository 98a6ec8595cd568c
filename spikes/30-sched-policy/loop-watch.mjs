// Preloaded into the daemon only (NODE_OPTIONS=--import): its event loop's delay and its GC pauses.
// SIGUSR2 the first time: start afresh; the second time: print both to stderr.
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";

if (process.argv.includes("serve")) {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  let gc = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gc.push(e.duration);
  }).observe({ entryTypes: ["gc"] });
  let started = false;
  process.on("SIGUSR2", () => {
    if (!started) {
      started = true;
      loop.enable();
      loop.reset();
      gc = [];
      return;
    }
    loop.disable();
    const ms = (ns) => (ns / 1e6).toFixed(2);
    gc.sort((a, b) => a - b);
    process.stderr.write(
      `LOOPWATCH loop delay (1 ms timer) p50 ${ms(loop.percentile(50))} p90 ${ms(loop.percentile(90))} p99 ${ms(loop.percentile(99))} max ${ms(loop.max)} ms; ` +
        `GC ${gc.length} pauses, total ${gc.reduce((a, b) => a + b, 0).toFixed(1)} ms, max ${(gc.at(-1) ?? 0).toFixed(2)} ms\n`,
    );
  });
}
