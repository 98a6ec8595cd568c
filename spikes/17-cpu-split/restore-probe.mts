// Spike 17 (README.md, section 6): with restore-probe.patch applied to runtime/src/executor/main.ts
// of commit 59c54da (before restore_ms stopped counting the answer's send), the corpus over HTTP at
// concurrency 1, 2 and 4; each answer carries the previous call's send and reset, wall and CPU.
//   git apply spikes/17-cpu-split/restore-probe.patch && node --import tsx spikes/17-cpu-split/restore-probe.mts
// DAEMON_ENV: JSON of environment variables for the daemon.
import { Pool } from "undici";
import { startDaemon } from "../../bench/lib/daemon.ts";
import { loadCorpus } from "../../bench/workloads/corpus.ts";
const d = await startDaemon(2, undefined, { env: JSON.parse(process.env.DAEMON_ENV ?? "{}") });
const corpus = loadCorpus();
try {
  for (const c of [1, 2, 4]) {
    const pool = new Pool(d.url, { connections: c });
    const rows: number[][] = [];
    const drive = async (rec: boolean) => { let next = 0; await Promise.all(Array.from({ length: c }, async () => { while (next < corpus.length) { const e = corpus[next++]!; const r = await pool.request({ path: "/v1/eval", method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: e.code }) }); const b = JSON.parse(await r.body.text()); const m = /RPROBE ([\d. ]+)/.exec(b.stderr ?? ""); if (rec && m) rows.push([...m[1]!.trim().split(" ").map(Number).slice(0, 5), b.timing.restore_ms, ...m[1]!.trim().split(" ").map(Number).slice(5)]); } })); };
    await drive(false); await drive(true); await drive(true);
    const med = (i: number) => { const xs = rows.map((r) => r[i]!).sort((a, b) => a - b); return `${xs[xs.length >> 1]!.toFixed(3)}/${xs[Math.floor(xs.length * 0.9)]!.toFixed(3)}`; };
    const mean = (i: number) => (rows.reduce((a, r) => a + r[i]!, 0) / rows.length).toFixed(3);
    console.log(`restored p50 ${med(6)} hot p50 ${med(7)}`); console.log(`c=${c} n=${rows.length} p50/p90 (mean): pre-send ${med(0)} (${mean(0)}), send ${med(1)} (${mean(1)}), reset wall ${med(2)} (${mean(2)}), send CPU ${med(3)} (${mean(3)}), reset CPU ${med(4)} (${mean(4)}), restore_ms reported ${med(5)} (${mean(5)})`);
    await pool.close();
  }
} finally { await d.stop(); }
