// Scheduling policies against the overhead's floor: while the corpus runs at concurrency 2, does a
// request that runs no Python (GET /readyz) or a corpus call's wall − exec get the CPU sooner when
// the executors run at SCHED_IDLE or SCHED_BATCH, or the daemon at SCHED_RR? Policies are set from
// outside with chrt(1) on every thread, after the unrecorded warm-up pass; modes alternate by round.
//   node --import tsx spikes/30-sched-policy/policy.mts [rounds=2] [modes=default,exec-idle,exec-batch,daemon-rr]
import { execFileSync } from "node:child_process";
import { Pool } from "undici";
import { startDaemon } from "../../bench/lib/daemon.ts";
import { Recorder, type Summary } from "../../bench/lib/stats.ts";
import { loadCorpus } from "../../bench/workloads/corpus.ts";

const rounds = Number(process.argv[2] ?? 2);
const modes = (process.argv[3] ?? "default,exec-idle,exec-batch,daemon-rr").split(",");
const corpus = loadCorpus();
const fmt = (s: Summary) => `p50 ${s.p50_ms.toFixed(3)} / p99 ${s.p99_ms.toFixed(2)}`;

function children(pid: number): number[] {
  try {
    return execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" }).trim().split("\n").map(Number);
  } catch {
    return [];
  }
}

function applyPolicy(mode: string, daemonPid: number): void {
  const executors = children(daemonPid);
  const chrt = (args: string[], pid: number) => execFileSync("chrt", [...args, "-a", "-p", ...(args[0] === "-r" ? ["1"] : ["0"]), String(pid)]);
  if (mode === "exec-idle") for (const p of executors) chrt(["-i"], p);
  else if (mode === "exec-batch") for (const p of executors) chrt(["-b"], p);
  else if (mode === "daemon-rr") chrt(["-r"], daemonPid);
  else if (mode !== "default") throw new Error(`unknown mode ${mode}`);
}

async function readyz(pool: Pool): Promise<number> {
  const t = performance.now();
  const res = await pool.request({ path: "/readyz", method: "GET" });
  await res.body.text();
  return performance.now() - t;
}

/** The corpus once at concurrency 2; each call's wall − exec_ms; returns the pass's seconds. */
async function corpusPass(pool: Pool, overhead: Recorder[], exec: Recorder): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all([0, 1].map(async () => {
    while (next < corpus.length) {
      const entry = corpus[next++]!;
      const t = performance.now();
      const res = await pool.request({ path: "/v1/eval", method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: entry.code, timeout_ms: 30_000 }) });
      const body = JSON.parse(await res.body.text()) as { timing: { exec_ms: number } };
      const o = performance.now() - t - body.timing.exec_ms;
      for (const rec of overhead) rec.record(o);
      exec.record(body.timing.exec_ms);
    }
  }));
  return (performance.now() - t0) / 1000;
}

const totals = new Map<string, { ready: Recorder; over: Recorder; exec: Recorder; n: number; s: number }>();
for (let r = 0; r < rounds; r++) {
  for (const mode of r % 2 ? [...modes].reverse() : modes) {
    const d = await startDaemon(2);
    const load = new Pool(d.url, { connections: 2 });
    const side = new Pool(d.url, { connections: 1 });
    await corpusPass(load, [], new Recorder());
    applyPolicy(mode, d.pid!);
    await corpusPass(load, [], new Recorder());
    const t = totals.get(mode) ?? { ready: new Recorder(), over: new Recorder(), exec: new Recorder(), n: 0, s: 0 };
    totals.set(mode, t);
    const ready = new Recorder();
    let running = true;
    const prober = (async () => {
      while (running) {
        const ms = await readyz(side);
        ready.record(ms);
        t.ready.record(ms);
        await new Promise((res) => setTimeout(res, 3));
      }
    })();
    const over = new Recorder();
    const exec = new Recorder();
    let s = 0;
    for (let p = 0; p < 4; p++) s += await corpusPass(load, [over], exec);
    running = false;
    await prober;
    const noProbe = new Recorder();
    let s2 = 0;
    for (let p = 0; p < 4; p++) s2 += await corpusPass(load, [noProbe, t.over], t.exec);
    t.n += 4 * corpus.length;
    t.s += s2;
    console.log(`round ${r} ${mode.padEnd(10)} /readyz ${fmt(ready.summary())} | overhead w/ probe ${fmt(over.summary())}, w/o ${fmt(noProbe.summary())} | exec p50 ${exec.summary().p50_ms.toFixed(2)} | ${(4 * corpus.length / s2).toFixed(1)} programs/s w/o probe`);
    await load.close();
    await side.close();
    await d.stop();
  }
}
console.log("all rounds:");
for (const [mode, t] of totals) console.log(`  ${mode.padEnd(10)} /readyz ${fmt(t.ready.summary())} | overhead w/o probe ${fmt(t.over.summary())} | exec p50 ${t.exec.summary().p50_ms.toFixed(2)} | ${(t.n / t.s).toFixed(1)} programs/s`);
