// A/B of two checkouts of Arbor: one `arbor serve` daemon from each (2 workers, no spares),
// driven in alternating blocks so both see the same host. Per block: sequential print(2+2) and
// GET /readyz, then the corpus at concurrency 1, 2 and 4, with each call's restore_wait_ms.
// Run: node --import tsx spikes/13-daemon-side/ab.mts DIR_A DIR_B [rounds=6]
// AB_ENV_B='{"KEY":"value"}' adds environment variables to B's daemon (the keep-awake patch);
// AB_NICE_B=N renices B's executors to N before each of its blocks; AB_NODE_ARGS_B="--flag ..."
// gives B's daemon process Node flags (spike 19: --use-largepages=on); AB_SLICE_B=µs and
// AB_EXEC_SLICE_B=µs give B's daemon threads / executor threads an EEVDF slice before each of its
// blocks, through spikes/19-process-knobs/build/setslice (built by its README's command).
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { setPriority } from "node:os";
import { Pool } from "undici";
import { startDaemon, waitIdle } from "../../bench/lib/daemon.ts";
import { childPids } from "../../bench/lib/machine.ts";
import { loadCorpus, type CorpusEntry } from "../../bench/workloads/corpus.ts";

const [dirA, dirB, roundsArg] = process.argv.slice(2);
if (!dirA || !dirB) throw new Error("usage: ab.mts DIR_A DIR_B [rounds]");
const rounds = Number(roundsArg ?? 6);
const envB = JSON.parse(process.env.AB_ENV_B ?? "{}") as Record<string, string>;
const niceB = Number(process.env.AB_NICE_B ?? 0);
const nodeArgsB = process.env.AB_NODE_ARGS_B?.split(" ").filter(Boolean);
const sliceB = process.env.AB_SLICE_B;
const execSliceB = process.env.AB_EXEC_SLICE_B;
const SETSLICE = new URL("../19-process-knobs/build/setslice", import.meta.url).pathname;
const threadsOf = (pid: number) => readdirSync(`/proc/${pid}/task`);
const setSlice = (us: string, pids: number[]) => execFileSync(SETSLICE, [us, ...pids.flatMap(threadsOf)], { stdio: "ignore" });

interface Call { wall: number; exec: number; wait: number }
async function call(pool: Pool, code: string): Promise<Call> {
  const t = performance.now();
  const res = await pool.request({ path: "/v1/eval", method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code, timeout_ms: 10_000 }) });
  const r = (await res.body.json()) as { timing: { exec_ms: number; restore_wait_ms: number } };
  return { wall: performance.now() - t, exec: r.timing.exec_ms, wait: r.timing.restore_wait_ms };
}

async function drive(pool: Pool, entries: CorpusEntry[], c: number): Promise<{ perS: number; calls: Call[] }> {
  let next = 0;
  const calls: Call[] = [];
  const t = performance.now();
  await Promise.all(Array.from({ length: c }, async () => {
    while (next < entries.length) calls.push(await call(pool, entries[next++]!.code));
  }));
  return { perS: (entries.length / (performance.now() - t)) * 1000, calls };
}

const pct = (a: number[], q: number) => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(a.length * q))]!;
const corpus = loadCorpus();
const daemons = [
  await startDaemon(2, undefined, { checkout: dirA, config: { spares: 0 } }),
  await startDaemon(2, undefined, { checkout: dirB, config: { spares: 0 }, env: envB, nodeArgs: nodeArgsB }),
];
try {
  const pools = daemons.map((d) => new Pool(d.url, { connections: 4 }));
  const rows: Record<string, number[][]> = {};
  const put = (k: string, i: number, v: number) => ((rows[k] ??= [[], []])[i]!.push(v));
  for (let round = 0; round < rounds; round++) {
    for (const i of round % 2 ? [1, 0] : [0, 1]) {
      const pool = pools[i]!;
      await waitIdle(daemons[i]!.url);
      if (i === 1 && niceB !== 0) for (const pid of childPids(daemons[1]!.pid!)) setPriority(pid, niceB);
      if (i === 1 && sliceB) setSlice(sliceB, [daemons[1]!.pid!]);
      if (i === 1 && execSliceB) setSlice(execSliceB, childPids(daemons[1]!.pid!));
      const print: number[] = [];
      for (let n = 0; n < 1500; n++) print.push((await call(pool, "print(2+2)")).wall);
      const ready: number[] = [];
      for (let n = 0; n < 1500; n++) {
        const t = performance.now();
        const res = await pool.request({ path: "/readyz", method: "GET" });
        await res.body.text();
        ready.push(performance.now() - t);
      }
      put("print(2+2) wall p50 ms (calls 501-1500)", i, pct(print.slice(500), 0.5));
      put("GET /readyz wall p50 ms (calls 501-1500)", i, pct(ready.slice(500), 0.5));
      for (const c of [1, 2, 4]) {
        const r = await drive(pool, corpus, c);
        put(`corpus c=${c} programs/s`, i, r.perS);
        put(`corpus c=${c} overhead p50 ms`, i, pct(r.calls.map((x) => x.wall - x.exec), 0.5));
        put(`corpus c=${c} overhead p99 ms`, i, pct(r.calls.map((x) => x.wall - x.exec), 0.99));
        put(`corpus c=${c} restore_wait p50 ms`, i, pct(r.calls.map((x) => x.wait), 0.5));
        put(`corpus c=${c} restore_wait p99 ms`, i, pct(r.calls.map((x) => x.wait), 0.99));
      }
    }
    process.stderr.write(`round ${round + 1}/${rounds}\n`);
  }
  console.log(`| metric (median of ${rounds} blocks each) | A: ${dirA} | B: ${dirB} | B / A |`);
  console.log("|---|---|---|---|");
  for (const [k, [a, b]] of Object.entries(rows)) console.log(`| ${k} | ${pct(a!, 0.5).toFixed(3)} | ${pct(b!, 0.5).toFixed(3)} | ${(pct(b!, 0.5) / pct(a!, 0.5)).toFixed(3)} |`);
  for (const p of pools) await p.close();
} finally {
  for (const d of daemons) await d.stop();
}
