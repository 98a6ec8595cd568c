// Scheduling policies against the overhead's floor: while the corpus runs at concurrency 2, does a
// request that runs no Python (GET /readyz) or a corpus call's wall − exec get the CPU sooner when
// the executors run at SCHED_IDLE or SCHED_BATCH, or the daemon at SCHED_RR? Policies are set from
// outside with chrt(1) on every thread, after the unrecorded warm-up pass; modes alternate by round.
//   node --import tsx spikes/30-sched-policy/policy.mts [rounds=2] [modes=default,exec-idle,exec-batch,daemon-rr]
import { execFileSync } from "node:child_process";
import { Pool } from "undici";
import { startDaemon } from "../../bench/lib/daemon.ts";
import { Recorder, type Summary } from "../../bench/lib/stats.ts";
import { corpusPass, corpusSize, executorsIdle, executorsOf, probeReadyz } from "./load.mts";

const rounds = Number(process.argv[2] ?? 2);
const modes = (process.argv[3] ?? "default,exec-idle,exec-batch,daemon-rr").split(",");
const fmt = (s: Summary) => `p50 ${s.p50_ms.toFixed(3)} / p99 ${s.p99_ms.toFixed(2)}`;

function applyPolicy(mode: string, daemonPid: number): void {
  if (mode === "exec-idle") executorsIdle(daemonPid);
  else if (mode === "exec-batch") for (const p of executorsOf(daemonPid)) execFileSync("chrt", ["-b", "-a", "-p", "0", String(p)]);
  else if (mode === "daemon-rr") execFileSync("chrt", ["-r", "-a", "-p", "1", String(daemonPid)]);
  else if (mode !== "default") throw new Error(`unknown mode ${mode}`);
}

const totals = new Map<string, { ready: Recorder; over: Recorder; exec: Recorder; n: number; s: number }>();
for (let r = 0; r < rounds; r++) {
  for (const mode of r % 2 ? [...modes].reverse() : modes) {
    const d = await startDaemon(2);
    const load = new Pool(d.url, { connections: 2 });
    const side = new Pool(d.url, { connections: 1 });
    await corpusPass(load);
    applyPolicy(mode, d.pid!);
    await corpusPass(load);
    const t = totals.get(mode) ?? { ready: new Recorder(), over: new Recorder(), exec: new Recorder(), n: 0, s: 0 };
    totals.set(mode, t);
    const ready = new Recorder();
    let done = false;
    const prober = probeReadyz(side, () => done, (ms) => {
      ready.record(ms);
      t.ready.record(ms);
    });
    const over = new Recorder();
    const exec = new Recorder();
    for (let p = 0; p < 4; p++) {
      await corpusPass(load, (wall, timing) => {
        over.record(wall - timing.exec_ms);
        exec.record(timing.exec_ms);
      });
    }
    done = true;
    await prober;
    const noProbe = new Recorder();
    let s = 0;
    for (let p = 0; p < 4; p++) {
      s += await corpusPass(load, (wall, timing) => {
        noProbe.record(wall - timing.exec_ms);
        t.over.record(wall - timing.exec_ms);
        t.exec.record(timing.exec_ms);
      });
    }
    t.n += 4 * corpusSize;
    t.s += s;
    console.log(`round ${r} ${mode.padEnd(10)} /readyz ${fmt(ready.summary())} | overhead w/ probe ${fmt(over.summary())}, w/o ${fmt(noProbe.summary())} | exec p50 ${exec.summary().p50_ms.toFixed(2)} | ${((4 * corpusSize) / s).toFixed(1)} programs/s w/o probe`);
    await load.close();
    await side.close();
    await d.stop();
  }
}
console.log("all rounds:");
for (const [mode, t] of totals) console.log(`  ${mode.padEnd(10)} /readyz ${fmt(t.ready.summary())} | overhead w/o probe ${fmt(t.over.summary())} | exec p50 ${t.exec.summary().p50_ms.toFixed(2)} | ${(t.n / t.s).toFixed(1)} programs/s`);
