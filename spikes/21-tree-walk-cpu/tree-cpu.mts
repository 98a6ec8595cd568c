// Spike 21 (README.md): the bench's tree walk (60 fork requests of 8 checkpointing branches, each
// from a state picked among those made so far) on a fresh daemon (2 workers, no spares): CPU time
// of the client, the daemon and each executor (/proc utime + stime) per branch, against the
// branches' own restore_ms and exec_ms, and the 2 cores' wall time per branch. The walk runs
// twice: the first pass warms up (its states stay), the second is measured.
//   node --import tsx spikes/21-tree-walk-cpu/tree-cpu.mts
// CHECKPOINT=0: the same requests without checkpoints (every fork then starts from the root: the
// fork rows' case, for comparison). DAEMON_CONFIG (JSON config keys), DAEMON_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof21"),
// PERF_OUT=file: `perf record` of the executors over the measured walk (confined executors cannot
// write a V8 profile; perf sees their native and kernel frames, JIT code as unknown).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync, readdirSync } from "node:fs";
import { Pool } from "undici";
import { startDaemon } from "../../bench/lib/daemon.ts";
import { STATE_SETUP } from "../../bench/sections/branching.ts";

const REQUESTS = Number(process.env.REQUESTS ?? 60);
const K = 8;
const d = await startDaemon(2, undefined, { config: { spares: 0, ...JSON.parse(process.env.DAEMON_CONFIG ?? "{}") }, nodeArgs: process.env.DAEMON_NODE_ARGS?.split(" ") });
const ticks = (pid: number | "self") => {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(f[11]) + Number(f[12])) * 10;
};
const parentOf = (p: string) => {
  try {
    return Number(readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);
  } catch {
    return -1;
  }
};
const kids = (pid: number): number[] =>
  readdirSync("/proc")
    .filter((x) => /^\d+$/.test(x) && parentOf(x) === pid)
    .map(Number)
    .flatMap((k) => [k, ...kids(k)]);
const pool = new Pool(d.url, { connections: 1 });
const post = async (path: string, body: unknown) => {
  const res = await pool.request({ path, method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return (await res.body.json()) as any;
};
try {
  const nodes: string[] = [(await post("/v1/states", { code: STATE_SETUP })).state_id];
  let seed = 12_345;
  const pick = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), nodes[seed % nodes.length]!);
  const walk = async () => {
    const sums = { restore: 0, exec: 0, checkpoint: 0, total: 0, queue: 0 };
    for (let i = 0; i < REQUESTS; i++) {
      const branches = Array.from({ length: K }, (_, k) => ({
        code: `path = globals().get("path", []) + [${k}]\nbig[${i * K + k}] = -1\nprint(len(path), sum(path), big[${i * K + k}])`,
        checkpoint: process.env.CHECKPOINT !== "0",
      }));
      const f = await post(`/v1/states/${encodeURIComponent(pick())}/fork`, { branches });
      for (const b of f.results) {
        if (b.status !== "ok") throw new Error(JSON.stringify(b).slice(0, 300));
        if (b.state_id) nodes.push(b.state_id);
        sums.restore += b.timing.restore_ms;
        sums.exec += b.timing.exec_ms;
        sums.checkpoint += b.timing.checkpoint_ms ?? 0;
        sums.total += b.timing.total_ms;
        sums.queue += b.timing.queue_ms;
      }
    }
    return sums;
  };
  await walk();
  const pids = kids(d.pid!);
  const perf = process.env.PERF_OUT ? spawn("perf", ["record", "-F", "4000", "-g", "-o", process.env.PERF_OUT, "-p", pids.join(",")], { stdio: "inherit" }) : undefined;
  if (perf) await new Promise((r) => setTimeout(r, 500));
  const c0 = { self: ticks("self"), daemon: ticks(d.pid!), ex: pids.map(ticks) };
  const t = performance.now();
  const sums = await walk();
  const wall = performance.now() - t;
  if (perf) {
    perf.kill("SIGINT");
    await once(perf, "exit");
  }
  const n = REQUESTS * K;
  const per = (x: number) => (x / n).toFixed(2);
  const ex = pids.map((p, i) => ticks(p) - c0.ex[i]!).filter((x) => x > 0);
  console.log(
    `${n} branches, ${((n * 1000) / wall).toFixed(0)} forks/s; CPU ms per branch: client ${per(ticks("self") - c0.self)}, daemon ${per(ticks(d.pid!) - c0.daemon)}, ` +
      `executors ${ex.map(per).join(" + ")}; restore_ms ${per(sums.restore)}, exec_ms ${per(sums.exec)}, checkpoint_ms ${per(sums.checkpoint)}, queue_ms ${per(sums.queue)}, total_ms ${per(sums.total)}; 2 cores × wall ${per(2 * wall)}`,
  );
} finally {
  await pool.close();
  await d.stop();
}
