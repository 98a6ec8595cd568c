// Sequential calls against a fresh daemon (2 workers, no spare): wall and CPU per call of the
// client, the daemon and the executors, after 2,000 unmeasured calls.
//   node --import tsx spikes/25-cpu-per-branch/eval-cpu.mts            # POST /v1/eval print(2+2)
//   EVAL_PATH=/readyz node --import tsx spikes/25-cpu-per-branch/eval-cpu.mts
// PERF_OUT=file: perf record -g of the daemon (--perf-basic-prof); CPU_PROF_DIR=dir: its --cpu-prof.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { Pool } from "undici";
import { startDaemon } from "../../bench/lib/daemon.ts";
import { childPids, cpuTicks } from "../../bench/lib/machine.ts";

/** utime + stime of a process, in clock ticks (10 ms). */
const ticks = (pid: number) => {
  const t = cpuTicks(pid);
  return t.user + t.system;
};
const perfOut = process.env.PERF_OUT;
const profDir = process.env.CPU_PROF_DIR;
const nodeArgs = [...(perfOut ? ["--perf-basic-prof"] : []), ...(profDir ? ["--cpu-prof", `--cpu-prof-dir=${profDir}`] : [])];
const d = await startDaemon(2, undefined, { config: { spares: 0 }, nodeArgs });
const pool = new Pool(d.url, { connections: 1 });
const path = process.env.EVAL_PATH ?? "/v1/eval";
const request =
  path === "/v1/eval"
    ? { path, method: "POST" as const, headers: { "content-type": "application/json" }, body: '{"code":"print(2+2)"}' }
    : { path, method: "GET" as const };
const call = async () => {
  const r = await pool.request(request);
  await r.body.json();
};

for (let i = 0; i < 2000; i++) await call();
const ex = childPids(d.pid!).filter((p) => readFileSync(`/proc/${p}/cmdline`, "utf8").includes("node"));
const perf = perfOut ? spawn("perf", ["record", "-g", "-o", perfOut, "-p", String(d.pid)], { stdio: "ignore" }) : null;
const n = 5000;
const c0 = [d.pid!, ...ex].map(ticks);
const self0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < n; i++) await call();
const wall = performance.now() - t0;
perf?.kill("SIGINT");
const cu = process.cpuUsage(self0);
const per = (t: number) => (((t * 10) / n) * 1000).toFixed(0);
console.log(
  `${path}: ${n} calls, ${((wall / n) * 1000).toFixed(0)} µs each; CPU µs per call: client ${((cu.user + cu.system) / n).toFixed(0)}, ` +
    `daemon ${per(ticks(d.pid!) - c0[0]!)}, executors ${ex.map((p, i) => per(ticks(p) - c0[i + 1]!)).join(" + ")}`,
);
await pool.close();
await d.stop();
