// Spike 17 (README.md): the workload corpus over HTTP on a fresh daemon (2 workers, default
// config), one unrecorded pass then 3 recorded, at concurrency 2 and 4: CPU time per call of the
// client (this process), the daemon and each executor (/proc utime + stime, 10 ms ticks), against
// the calls' exec_ms and the 2 cores' wall time per call.
//   node --import tsx spikes/17-cpu-split/cpu-split.mts
// DAEMON_CONFIG (JSON config keys), DAEMON_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof17").
import { readFileSync, readdirSync } from "node:fs";
import { Pool } from "undici";
import { startDaemon } from "../../bench/lib/daemon.ts";
import { loadCorpus } from "../../bench/workloads/corpus.ts";
const d = await startDaemon(2, undefined, { config: JSON.parse(process.env.DAEMON_CONFIG ?? "{}"), nodeArgs: process.env.DAEMON_NODE_ARGS?.split(" ") });
const ticks = (pid: number | "self") => { const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" "); return (Number(f[11]) + Number(f[12])) * 10; };
const kids = (pid: number): number[] => readdirSync("/proc").filter((x) => /^\d+$/.test(x)).filter((p) => { try { return Number(readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1]!.split(" ")[1]) === pid; } catch { return false; } }).map(Number).flatMap((k) => [k, ...kids(k)]);
const corpus = loadCorpus();
try {
  for (const c of [2, 4]) {
    const pool = new Pool(d.url, { connections: c });
    const drive = async (passes: number) => {
      const work = Array.from({ length: passes }, () => corpus).flat();
      let next = 0; let sumExec = 0;
      await Promise.all(Array.from({ length: c }, async () => { while (next < work.length) { const e = work[next++]!; const r = await pool.request({ path: "/v1/eval", method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: e.code, timeout_ms: 30000 }) }); const b = JSON.parse(await r.body.text()); sumExec += b.timing.exec_ms; } }));
      return { calls: work.length, sumExec };
    };
    await drive(1);
    const pids = kids(d.pid!);
    const c0 = { self: ticks("self"), daemon: ticks(d.pid!), ex: pids.map(ticks) };
    const t = performance.now();
    const { calls, sumExec } = await drive(3);
    const wall = performance.now() - t;
    const self = ticks("self") - c0.self, daemon = ticks(d.pid!) - c0.daemon, ex = pids.map((p, i) => ticks(p) - c0.ex[i]!);
    const per = (x: number) => (x / calls).toFixed(2);
    console.log(`c=${c}: ${(calls / wall * 1000).toFixed(1)} calls/s; CPU ms per call: client ${per(self)}, daemon ${per(daemon)}, executors ${ex.map(per).join(" + ")}; exec_ms ${per(sumExec)}; 2 cores × wall per call ${per(2 * wall)}`);
    await pool.close();
  }
} finally { await d.stop(); }
