// Where a corpus call's overhead (client wall − exec_ms) goes at concurrency 2: the daemon's part
// (total_ms − exec_ms: queue, restore wait, the executor round trip, the daemon's own work) and the
// part outside the daemon (wall − total_ms: HTTP parse and reply, the client, waiting for a vCPU).
//   node --import tsx spikes/30-sched-policy/split.mts [passes=4] [mode=default|exec-idle]
import { Pool } from "undici";
import { startDaemon } from "../../bench/lib/daemon.ts";
import { Recorder, type Summary } from "../../bench/lib/stats.ts";
import { corpusPass, executorsIdle } from "./load.mts";

const passes = Number(process.argv[2] ?? 4);
const mode = process.argv[3] ?? "default";
const fmt = (s: Summary) => `${s.p50_ms.toFixed(3)} / ${s.p90_ms.toFixed(2)} / ${s.p99_ms.toFixed(2)}`;

const rec = { overhead: new Recorder(), daemon: new Recorder(), transport: new Recorder(), outside: new Recorder(), queue: new Recorder(), wait: new Recorder() };

const d = await startDaemon(2);
if (mode === "exec-idle") executorsIdle(d.pid!);
const pool = new Pool(d.url, { connections: 2 });
await corpusPass(pool); // warm-up
for (let pass = 0; pass < passes; pass++) {
  await corpusPass(pool, (wall, timing) => {
    rec.overhead.record(wall - timing.exec_ms);
    rec.daemon.record(timing.total_ms - timing.exec_ms);
    rec.transport.record(timing.total_ms - timing.exec_ms - timing.queue_ms - timing.restore_wait_ms);
    rec.outside.record(wall - timing.total_ms);
    rec.queue.record(timing.queue_ms);
    rec.wait.record(timing.restore_wait_ms);
  });
}
console.log(`mode ${mode}, p50 / p90 / p99 ms over ${rec.overhead.count} calls:`);
for (const [k, r] of Object.entries(rec)) console.log(`  ${k.padEnd(9)} ${fmt(r.summary())}`);
await pool.close();
await d.stop();
