// Spike 15 (README.md): one fresh daemon (2 workers, no spares), a state, then K=256 fork
// requests; per request: forks/s, branch timings (p50), the minor page faults and the CPU time
// (10 ms ticks) of the daemon and of its executors; for request 0 the four slowest branches (TOP).
//   node --import tsx spikes/15-fork-warm-up/faults.mts [requests=12] ['{"ENV":"of the daemon"}']
// Environment: DAEMON_CONFIG (JSON config keys, e.g. '{"warm_up_branches":0}'), WARM_REQUESTS
// (fork requests of 256 on another state over HTTP before the measured state is made),
// DAEMON_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof15"), TIMELINE=1 (request 0's
// branches in the order they started: queue/restore/exec/total ms), THREADS=1 (CPU per thread of
// the daemon and executors, per request), PROBE_DIR (requests 0 and 3, one line per branch in the
// order they started, with what spikes/18-first-requests/branch-probe.patch adds to stderr).
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { Pool } from "undici";
import { startDaemon } from "../../bench/lib/daemon.ts";

type T = { timing: { restore_ms: number; restore_wait_ms: number; exec_ms: number; total_ms: number; queue_ms: number } };

const n = Number(process.argv[2] ?? 12);
const d = await startDaemon(2, undefined, { config: { spares: 0, ...JSON.parse(process.env.DAEMON_CONFIG ?? "{}") }, env: JSON.parse(process.argv[3] ?? "{}"), nodeArgs: process.env.DAEMON_NODE_ARGS?.split(" ") });
const minflt = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[7]);
/** utime + stime in clock ticks (10 ms), all threads. */
const cpuTicks = (pid: number) => { const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" "); return Number(f[11]) + Number(f[12]); };
const descendants = (pid: number): number[] => {
  const kids: number[] = [];
  for (const p of readdirSync("/proc").filter((x) => /^\d+$/.test(x))) {
    try { if (Number(readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1]!.split(" ")[1]) === pid) kids.push(Number(p)); } catch {}
  }
  return kids.flatMap((k) => [k, ...descendants(k)]);
};
try {
  const pool = new Pool(d.url, { connections: 1 });
  const call = async (method: string, path: string, body?: unknown) => { const r = await pool.request({ path, method, headers: { "content-type": "application/json" }, body: body && JSON.stringify(body) }); return JSON.parse(await r.body.text()); };
  const warm = Number(process.env.WARM_REQUESTS ?? 0);
  if (warm > 0) {
    const t = performance.now();
    const ws = await call("POST", "/v1/states", { code: "w = [i * 3 for i in range(5000)]\nnames = {str(i): i for i in range(500)}" });
    const wb = { branches: Array.from({ length: 256 }, (_, i) => ({ code: `x = sum(w[:${i}]) + names.get("${i}", 0)\nprint(x)` })) };
    for (let i = 0; i < warm; i++) { const r = await call("POST", `/v1/states/${encodeURIComponent(ws.state_id)}/fork`, wb); if (!r.results) throw new Error(JSON.stringify(r)); }
    await call("DELETE", `/v1/states/${encodeURIComponent(ws.state_id)}`);
    console.log(`warm-up: ${warm} fork requests of 256 on another state, ${(performance.now() - t).toFixed(0)} ms`);
  }
  const st = await call("POST", "/v1/states", { code: "big = list(range(10**5))\nd = {i: str(i) for i in range(10**4)}" });
  const id = encodeURIComponent(st.state_id);
  const body = { branches: Array.from({ length: 256 }, () => ({ code: "print(len(big) + len(d))" })) };
  const pids = [d.pid!, ...descendants(d.pid!)];
  /** utime + stime (10 ms ticks) of every thread, keyed pid:name:tid. */
  const threadTicks = (): Record<string, number> =>
    Object.fromEntries(
      pids.flatMap((pid) =>
        readdirSync(`/proc/${pid}/task`).flatMap((tid) => {
          try {
            const st = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
            const f = st.split(") ")[1]!.split(" ");
            return [[`${pid}:${st.slice(st.indexOf("(") + 1, st.lastIndexOf(")"))}:${tid}`, Number(f[11]) + Number(f[12])]];
          } catch {
            return []; // the thread ended meanwhile
          }
        }),
      ),
    );
  for (let i = 0; i < n; i++) {
    const th0 = process.env.THREADS ? threadTicks() : {};
    const f0 = pids.map(minflt);
    const c0 = pids.map(cpuTicks);
    const t = performance.now();
    const r = await call("POST", `/v1/states/${id}/fork`, body);
    const w = performance.now() - t;
    if (!r.results || r.results.some((b: { stdout: string }) => b.stdout !== "110000\n")) throw new Error(JSON.stringify(r).slice(0, 300));
    if (i === 0) {
      const top = r.results.map((b: T, j: number) => ({ j, ...b.timing })).sort((a: any, b: any) => b.restore_ms + b.exec_ms - a.restore_ms - a.exec_ms).slice(0, 4);
      console.log("TOP " + JSON.stringify(top));
      console.log("largest restores: " + r.results.map((b: T) => b.timing.restore_ms).sort((a: number, b: number) => b - a).slice(0, 16).map((x: number) => x.toFixed(1)).join(" "));
      if (process.env.TIMELINE) {
        // queue/restore/exec/total per branch, in the order they left the queue
        const tl = r.results.map((b: T) => b.timing).sort((a: T["timing"], b: T["timing"]) => a.queue_ms - b.queue_ms);
        console.log(tl.map((t: T["timing"]) => [t.queue_ms, t.restore_ms, t.exec_ms, t.total_ms].map((x) => x.toFixed(1)).join("/")).join(" "));
      }
    }
    if (process.env.THREADS) {
      const th1 = threadTicks();
      console.log("  CPU ms per thread: " + Object.entries(th1).filter(([k, v]) => v > (th0[k] ?? 0)).map(([k, v]) => `${k.split(":").slice(0, 2).join(":")} ${(v - (th0[k] ?? 0)) * 10}`).join(", "));
    }
    if (process.env.PROBE_DIR && (i === 0 || i === 3)) {
      const rows = r.results.map((b: T & { stderr?: string }) => ({ ...b.timing, probe: /#P (.*)$/.exec(b.stderr ?? "")?.[1] ?? "" })).sort((a: T["timing"], b: T["timing"]) => a.queue_ms - b.queue_ms);
      const line = (t: T["timing"] & { probe: string }) => `${t.queue_ms.toFixed(2)} r=${t.restore_ms.toFixed(2)} rw=${t.restore_wait_ms.toFixed(2)} e=${t.exec_ms.toFixed(2)} t=${(t.total_ms - t.queue_ms).toFixed(2)} ${t.probe}`;
      writeFileSync(`${process.env.PROBE_DIR}/request-${i}.txt`, `${rows.map(line).join("\n")}\n`);
    }
    const sum = (f: (t: T["timing"]) => number) => r.results.reduce((a: number, b: T) => a + f(b.timing), 0).toFixed(0);
    console.log(`  sums over branches: restore ${sum((t) => t.restore_ms)} exec ${sum((t) => t.exec_ms)} restore_wait ${sum((t) => t.restore_wait_ms)} ms; wall ${w.toFixed(0)} ms`);
    const df = pids.map((p, j) => minflt(p) - f0[j]!).filter((x, j) => j === 0 || x > 0);
    const dc = pids.map((p, j) => (cpuTicks(p) - c0[j]!) * 10).filter((x, j) => j === 0 || x > 0);
    const q = (f: (t: T["timing"]) => number) => { const xs = r.results.map((b: T) => f(b.timing)).sort((a: number, b: number) => a - b); return xs[128].toFixed(3); };
    console.log(`request ${i}: ${((256 * 1000) / w).toFixed(0)} forks/s; branch p50 exec ${q((t) => t.exec_ms)} restore ${q((t) => t.restore_ms)} total ${q((t) => t.total_ms)} queue ${q((t) => t.queue_ms)}; faults daemon ${df[0]}, others ${df.slice(1).join(" ")}; CPU ms daemon ${dc[0]}, others ${dc.slice(1).join(" ")}`);
  }
  await pool.close();
} finally {
  await d.stop();
}
