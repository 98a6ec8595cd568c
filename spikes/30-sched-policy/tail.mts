// Where the p99 of a no-Python round trip under the corpus comes from: GET /readyz probed at the
// same time from the load client's own process and from a process of its own; the daemon's main
// thread's schedstat over the recorded passes, its event-loop delay and GC pauses (loop-watch.mjs,
// preloaded), and V8's --trace-gc lines (the daemon's stdout, into GC_LOG, default /tmp/arbor-gc.log).
//   node --import tsx spikes/30-sched-policy/tail.mts [passes=4] [mode=default|exec-idle]
import { spawn } from "node:child_process";
import { openSync, readFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { Pool } from "undici";
import { waitIdle } from "../../bench/lib/daemon.ts";
import { Recorder, type Summary } from "../../bench/lib/stats.ts";
import { corpusPass, executorsIdle, probeReadyz } from "./load.mts";

const passes = Number(process.argv[2] ?? 4);
const mode = process.argv[3] ?? "default";
const fmt = (s: Summary) => `p50 ${s.p50_ms.toFixed(3)} / p90 ${s.p90_ms.toFixed(2)} / p99 ${s.p99_ms.toFixed(2)} ms (n=${s.n})`;

const port = await new Promise<number>((resolve) => {
  const srv = createServer().listen(0, "127.0.0.1", () => {
    const p = (srv.address() as AddressInfo).port;
    srv.close(() => resolve(p));
  });
});
const gcLog = openSync(process.env.GC_LOG ?? "/tmp/arbor-gc.log", "w");
const daemon = spawn(process.execPath, ["--trace-gc", new URL("../../daemon/bin/arbor.mjs", import.meta.url).pathname, "serve", "--host", "127.0.0.1", "--port", String(port), "--workers", "2", "--log-level", "warn"], { stdio: ["ignore", gcLog, "inherit"], env: { ...process.env, NODE_OPTIONS: `--import ${new URL("loop-watch.mjs", import.meta.url).pathname}` } });
const d = { url: `http://127.0.0.1:${port}`, pid: daemon.pid!, stop: async () => { daemon.kill("SIGTERM"); await new Promise((r) => daemon.once("exit", r)); } };
await waitIdle(d.url);
if (mode === "exec-idle") executorsIdle(d.pid);
const load = new Pool(d.url, { connections: 2 });
const side = new Pool(d.url, { connections: 1 });
await corpusPass(load); // warm-up
const child = spawn(process.execPath, ["--import", "tsx", new URL("probe-child.mts", import.meta.url).pathname, d.url], { stdio: ["pipe", "pipe", "inherit"] });
let childOut = "";
child.stdout.on("data", (b: Buffer) => (childOut += b));
const inProcess = new Recorder();
let done = false;
const prober = probeReadyz(side, () => done, (ms) => inProcess.record(ms));
await new Promise((r) => setTimeout(r, 1000)); // the child's startup
const sched = () => readFileSync(`/proc/${d.pid}/schedstat`, "utf8").trim().split(" ").map(Number);
const schedStart = sched();
process.kill(d.pid, "SIGUSR2");
for (let p = 0; p < passes; p++) await corpusPass(load);
const schedEnd = sched();
const [run, wait, slices] = [0, 1, 2].map((i) => schedEnd[i]! - schedStart[i]!);
console.log(`  daemon main thread: on CPU ${(run! / 1e6).toFixed(0)} ms, waiting for a CPU ${(wait! / 1e6).toFixed(0)} ms over ${slices} runs (${(wait! / slices! / 1e3).toFixed(0)} µs per run)`);
process.kill(d.pid, "SIGUSR2");
await new Promise((r) => setTimeout(r, 200));
done = true;
await prober;
child.stdin.end();
await new Promise((r) => child.once("exit", r));
console.log(`mode ${mode}`);
console.log(`  /readyz from the load client's process: ${fmt(inProcess.summary())}`);
console.log(`  /readyz from a process of its own:      ${fmt(JSON.parse(childOut) as Summary)}`);
await load.close();
await side.close();
await d.stop();
