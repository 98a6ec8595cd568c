// Where the CPU of a warm fork branch goes: a fresh `arbor serve` (2 workers, no spare), the
// bench's state, 5 fork requests at K = 256 not measured, then N measured ones. Prints the
// daemon's and each executor's CPU per branch from /proc (all threads, and the kernel's share),
// and the daemon's threads apart.
//   node --import tsx spikes/25-cpu-per-branch/fork-profile.mts [requests=20] [checkout]
// PROFILE=0: no --cpu-prof (default on: the daemon's main thread, self time by function and by
//   module over the measured window; the 100 µs sampling itself costs CPU, so compare CPU
//   numbers with PROFILE=0 only).
// PERF_OUT=file: `perf record -g` over the measured requests (the daemon, with --perf-basic-prof
//   so JS frames have names; PERF_EXECUTORS=1: the executors instead).
// DAEMON_CONFIG='{"idle_spin_us":0}': config keys for the daemon.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Pool } from "undici";
import { startDaemon } from "../../bench/lib/daemon.ts";
import { childPids, cpuTicks } from "../../bench/lib/machine.ts";
import { BRANCH_CODE, STATE_SETUP } from "../../bench/sections/branching.ts";

const requests = Number(process.argv[2] ?? 20);
const checkout = process.argv[3];
const K = 256;
const dir = mkdtempSync(join(tmpdir(), "arbor-prof25-"));
/** utime + stime, clock ticks (10 ms). */
const ticks = (pid: number, tid?: string) => {
  const t = cpuTicks(pid, tid);
  return t.user + t.system;
};
const sys = (pid: number) => cpuTicks(pid).system;

const profile = process.env.PROFILE !== "0";
const perfOut = process.env.PERF_OUT;
const nodeArgs = [...(profile ? ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--cpu-prof-interval=100"] : []), ...(perfOut ? ["--perf-basic-prof"] : [])];
const d = await startDaemon(2, undefined, { checkout, config: { spares: 0, ...JSON.parse(process.env.DAEMON_CONFIG ?? "{}") }, nodeArgs });
const threads = (pid: number) =>
  new Map(readdirSync(`/proc/${pid}/task`).map((tid) => [`${tid} ${readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trim()}`, ticks(pid, tid)]));
const pool = new Pool(d.url, { connections: 2 });
const post = async (path: string, body: unknown) => {
  const r = await pool.request({ path, method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return (await r.body.json()) as any;
};
const state = await post("/v1/states", { code: STATE_SETUP });
const body = { branches: Array.from({ length: K }, () => ({ code: BRANCH_CODE })) };
for (let i = 0; i < 5; i++) await post(`/v1/states/${state.state_id}/fork`, body); // the first ones: not measured
const ex = childPids(d.pid!).filter((p) => readFileSync(`/proc/${p}/cmdline`, "utf8").includes("node"));
const c0 = { sys: [d.pid!, ...ex].map(sys), daemon: ticks(d.pid!), ex: ex.map((p) => ticks(p)), threads: threads(d.pid!) };
const perfPids = process.env.PERF_EXECUTORS === "1" ? ex.join(",") : String(d.pid);
const perf = perfOut ? spawn("perf", ["record", "-g", "-o", perfOut, "-p", perfPids], { stdio: "ignore" }) : null;
const t0 = performance.now();
for (let i = 0; i < requests; i++) {
  const r = await post(`/v1/states/${state.state_id}/fork`, body);
  if (r.results?.length !== K) throw new Error(JSON.stringify(r).slice(0, 300));
}
const wall = performance.now() - t0;
perf?.kill("SIGINT");
const n = requests * K;
const per = (t: number) => ((t * 10) / n * 1000).toFixed(0);
console.log(`of which in the kernel (stime), µs per branch: daemon ${per(sys(d.pid!) - c0.sys[0]!)}, executors ${ex.map((p, i) => per(sys(p) - c0.sys[i + 1]!)).join(" + ")}`);
const busyThreads = [...threads(d.pid!)].map(([k, v]) => [k, v - (c0.threads.get(k) ?? 0)] as const).filter(([, v]) => v > 0);
console.log(`daemon threads, CPU µs per branch: ${busyThreads.map(([k, v]) => `${k} ${per(v)}`).join(", ")}`);
console.log(`${n} branches, ${((n * 1000) / wall).toFixed(0)} forks/s; CPU µs per branch: daemon ${per(ticks(d.pid!) - c0.daemon)}, executors ${ex.map((p, i) => per(ticks(p) - c0.ex[i]!)).join(" + ")}`);
await pool.close();
await d.stop();
if (!profile) process.exit(0);

// The profile covers boot and warm-up too: keep the measured requests, the last busy `wall` ms
// before shutdown's idle (plus 0.2 s of slack). The main thread's profile is the largest file.
interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
if (files.length === 0) throw new Error(`no profile in ${dir}`);
const file = files.reduce((a, b) => (statSync(join(dir, a)).size >= statSync(join(dir, b)).size ? a : b));
const prof = JSON.parse(readFileSync(join(dir, file), "utf8")) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const byId = new Map(prof.nodes.map((x) => [x.id, x]));
let t = 0;
const stamps = prof.timeDeltas.map((dt) => (t += dt));
let last = prof.samples.length - 1;
while (last > 0 && byId.get(prof.samples[last]!)!.callFrame.functionName === "(idle)") last--;
const from = stamps[last]! - wall * 1000 - 200_000;

/** A frame's module: a package, a Node built-in, one of our files, or V8's own (GC, program). */
function moduleOf(fr: Node["callFrame"], short: string): string {
  if (fr.url === "") return fr.functionName.startsWith("(") ? fr.functionName : "(native)";
  if (short.startsWith("nm:")) return short.split("/").slice(0, short.startsWith("nm:@") ? 2 : 1).join("/");
  if (short.startsWith("node:")) return `node:${short.slice(5).split("/")[0]}`;
  return short;
}

const self = new Map<string, number>();
const mods = new Map<string, number>();
let total = 0;
let idle = 0;
for (let i = 0; i < prof.samples.length; i++) {
  if (stamps[i]! < from || stamps[i]! > stamps[last]!) continue;
  const dt = prof.timeDeltas[i + 1] ?? 0;
  const fr = byId.get(prof.samples[i]!)!.callFrame;
  if (fr.functionName === "(idle)") {
    idle += dt;
    continue;
  }
  total += dt;
  const short = fr.url.replace(/^.*node_modules\//, "nm:").replace(/^file:\/\/.*?\/(daemon|runtime)\//, "$1/");
  const key = `${fr.functionName || "(anon)"} ${short}:${fr.lineNumber}`;
  self.set(key, (self.get(key) ?? 0) + dt);
  const mod = moduleOf(fr, short);
  mods.set(mod, (mods.get(mod) ?? 0) + dt);
}
const show = (m: Map<string, number>, k: number) =>
  [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, us]) => `  ${(us / n).toFixed(1).padStart(6)} µs/branch  ${((100 * us) / total).toFixed(1).padStart(5)} %  ${name}`).join("\n");
console.log(`profile window: busy ${(total / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms`);
console.log(`by module:\n${show(mods, 25)}`);
console.log(`by function (self):\n${show(self, 40)}`);
