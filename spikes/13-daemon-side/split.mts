// Where a sequential realistic call's overhead (client wall − exec_ms) lies: inside the daemon
// (total_ms − exec_ms) or outside it (wall − total_ms), per call, for the corpus and for print(2+2).
// Run: node --import tsx spikes/13-daemon-side/split.mts [DIR=.]
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Pool } from "undici";
import { waitIdle } from "../../bench/lib/daemon.ts";
import { loadCorpus } from "../../bench/workloads/corpus.ts";

const dir = process.argv[2] ?? ".";
writeFileSync("/tmp/split13.json", JSON.stringify({ workers: 2, spares: 0 }));
const child = spawn(process.execPath, [join(dir, "daemon/bin/arbor.mjs"), "serve", "--config", "/tmp/split13.json", "--port", "18641", "--log-level", "warn"], { stdio: "inherit" });
const url = "http://127.0.0.1:18641";
type T = { wall: number; total: number; exec: number; wait: number; queue: number };
const p50 = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!.toFixed(3);
try {
  await waitIdle(url);
  const pool = new Pool(url, { connections: 1 });
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
  child.kill("SIGTERM");
}
