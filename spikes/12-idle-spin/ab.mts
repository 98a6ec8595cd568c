// A/B of the executor's idle spin: two `arbor serve` daemons, the same except for idle_spin_us
// (AB_KEY=loop_spin_us: the daemon's poll, spikes/26-daemon-spin), driven in alternating blocks
// (so both see the same host weather, and an idle daemon's spin, which stops within ~2 ms of
// quiet, never runs under the other's block). Per block: sequential GET /readyz (added for spike
// 26) and print(2+2), the corpus sequentially, the corpus at concurrency 2 and 4; and the CPU time
// the daemon and its executors used (from /proc), to show what the spin costs.
// Run: [AB_KEY=loop_spin_us] node --import tsx spikes/12-idle-spin/ab.mts [spinA=0] [spinB=1000] [rounds=6]
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Pool } from "undici";
import { waitIdle } from "../../bench/lib/daemon.ts";
import { childPids } from "../../bench/lib/machine.ts";
import { loadCorpus, type CorpusEntry } from "../../bench/workloads/corpus.ts";

const KEY = process.env.AB_KEY ?? "idle_spin_us";
const [spinA = 0, spinB = 1000, rounds = 6] = process.argv.slice(2).map(Number);
const BIN = new URL("../../daemon/bin/arbor.mjs", import.meta.url).pathname;
const TICK_MS = 1000 / 100; // USER_HZ

function start(spin: number, port: number): { url: string; child: ChildProcess } {
  const config = join(tmpdir(), `arbor-ab-${port}.json`);
  writeFileSync(config, JSON.stringify({ [KEY]: spin, workers: 2, spares: 0 }));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("ARBOR_")));
  const child = spawn(process.execPath, [BIN, "serve", "--config", config, "--port", String(port), "--log-level", "warn"], { stdio: ["ignore", "ignore", "inherit"], env });
  return { url: `http://127.0.0.1:${port}`, child };
}

/** utime + stime of pid and all its descendants, in ms (0 for a process that is gone). */
function treeCpuMs(pid: number): number {
  let stat = "";
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return 0;
  }
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) * TICK_MS + childPids(pid).reduce((sum, c) => sum + treeCpuMs(c), 0);
}

async function call(pool: Pool, code: string): Promise<{ wall: number; exec: number }> {
  const t = performance.now();
  const res = await pool.request({ path: "/v1/eval", method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code, timeout_ms: 10_000 }) });
  const r = (await res.body.json()) as { timing: { exec_ms: number } };
  return { wall: performance.now() - t, exec: r.timing.exec_ms };
}

async function drive(pool: Pool, entries: CorpusEntry[], c: number): Promise<{ perS: number; overhead: number[] }> {
  let next = 0;
  const overhead: number[] = [];
  const t = performance.now();
  await Promise.all(Array.from({ length: c }, async () => {
    while (next < entries.length) {
      const e = entries[next++]!;
      const r = await call(pool, e.code);
      overhead.push(r.wall - r.exec);
    }
  }));
  return { perS: (entries.length / (performance.now() - t)) * 1000, overhead };
}

const p50 = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
const corpus = loadCorpus();
const daemons = [start(spinA, 18601), start(spinB, 18602)];
const spins = [spinA, spinB];
try {
  for (const d of daemons) await waitIdle(d.url);
  const pools = daemons.map((d) => new Pool(d.url, { connections: 4 }));
  const rows: Record<string, number[][]> = {};
  const put = (k: string, i: number, v: number) => ((rows[k] ??= [[], []])[i]!.push(v));
  for (let round = 0; round < rounds; round++) {
    for (const i of round % 2 ? [1, 0] : [0, 1]) {
      const pool = pools[i]!;
      await waitIdle(daemons[i]!.url);
      const cpu0 = treeCpuMs(daemons[i]!.child.pid!);
      const t0 = performance.now();
      const ready: number[] = [];
      for (let n = 0; n < 1500; n++) {
        const t = performance.now();
        const res = await pool.request({ path: "/readyz", method: "GET" });
        await res.body.json();
        ready.push(performance.now() - t);
      }
      put("GET /readyz wall p50 ms (calls 501-1500)", i, p50(ready.slice(500)));
      const print: number[] = [];
      for (let n = 0; n < 1500; n++) print.push((await call(pool, "print(2+2)")).wall);
      put("print(2+2) wall p50 ms (calls 501-1500)", i, p50(print.slice(500)));
      put("print(2+2) ÷ GET /readyz", i, p50(print.slice(500)) / p50(ready.slice(500)));
      const seq = await drive(pool, corpus, 1);
      put("corpus c=1 programs/s", i, seq.perS);
      put("corpus c=1 overhead p50 ms", i, p50(seq.overhead));
      for (const c of [2, 4]) {
        const r = await drive(pool, corpus, c);
        put(`corpus c=${c} programs/s`, i, r.perS);
        put(`corpus c=${c} overhead p50 ms`, i, p50(r.overhead));
      }
      put("CPU ms per wall s (daemon + executors)", i, ((treeCpuMs(daemons[i]!.child.pid!) - cpu0) / (performance.now() - t0)) * 1000);
    }
    process.stderr.write(`round ${round + 1}/${rounds}\n`);
  }
  console.log(`| metric (median of ${rounds} blocks each) | ${KEY} ${spinA} | ${KEY} ${spinB} | B / A |`);
  console.log("|---|---|---|---|");
  for (const [k, [a, b]] of Object.entries(rows)) console.log(`| ${k} | ${p50(a!).toFixed(3)} | ${p50(b!).toFixed(3)} | ${(p50(b!) / p50(a!)).toFixed(3)} |`);
  for (const p of pools) await p.close();
} finally {
  for (const d of daemons) d.child.kill("SIGTERM");
}
