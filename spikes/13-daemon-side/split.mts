// Where a sequential realistic call's overhead (client wall − exec_ms) lies: inside the daemon
// (total_ms − exec_ms) or outside it (wall − total_ms), per call, for the corpus and for print(2+2).
// Run: node --import tsx spikes/13-daemon-side/split.mts [DIR=.]
import { Pool } from "undici";
import { startDaemon } from "../../bench/lib/daemon.ts";
import { loadCorpus } from "../../bench/workloads/corpus.ts";

const dir = process.argv[2] ?? ".";
const daemon = await startDaemon(2, undefined, { checkout: dir, config: { spares: 0 } });
type T = { wall: number; total: number; exec: number; wait: number; queue: number };
const p50 = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!.toFixed(3);
try {
  const pool = new Pool(daemon.url, { connections: 1 });
  const run = async (codes: string[], passes: number): Promise<T[]> => {
    const out: T[] = [];
    for (let p = 0; p < passes; p++) {
      for (const code of codes) {
        const t = performance.now();
        const res = await pool.request({ path: "/v1/eval", method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code }) });
        const r = (await res.body.json()) as { timing: { total_ms: number; exec_ms: number; restore_wait_ms: number; queue_ms: number } };
        if (p > 0) out.push({ wall: performance.now() - t, total: r.timing.total_ms, exec: r.timing.exec_ms, wait: r.timing.restore_wait_ms, queue: r.timing.queue_ms });
      }
    }
    return out;
  };
  const show = (name: string, ts: T[]) =>
    console.log(`${name}: overhead ${p50(ts.map((t) => t.wall - t.exec))}, in daemon (total − exec) ${p50(ts.map((t) => t.total - t.exec))}, outside (wall − total) ${p50(ts.map((t) => t.wall - t.total))}, restore_wait ${p50(ts.map((t) => t.wait))}, queue ${p50(ts.map((t) => t.queue))}`);
  const corpus = loadCorpus().map((e) => e.code);
  show("print(2+2)", await run(Array(1000).fill("print(2+2)"), 2));
  show("corpus", await run(corpus, 3));
  show("print(2+2)", await run(Array(1000).fill("print(2+2)"), 2));
  await pool.close();
} finally {
  await daemon.stop();
}
