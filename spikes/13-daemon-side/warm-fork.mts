// Does a warm-up of eval calls through HTTP make a fresh daemon's first fork requests fast?
// Two fresh daemons (2 workers, no spares); B gets N sequential evals of print(2+2) and N of the
// corpus from a throwaway client first; then spike 11's ab-fork.mjs alternates K=256 fork requests.
// Run: node --import tsx spikes/13-daemon-side/warm-fork.mts [N=1500]
import { spawnSync } from "node:child_process";
import { Pool } from "undici";
import { startDaemon } from "../../bench/lib/daemon.ts";
import { loadCorpus } from "../../bench/workloads/corpus.ts";

const n = Number(process.argv[2] ?? 1500);
const daemons = [await startDaemon(2, undefined, { config: { spares: 0 } }), await startDaemon(2, undefined, { config: { spares: 0 } })];
try {
  const pool = new Pool(daemons[1]!.url, { connections: 1 });
  const corpus = loadCorpus();
  const t = performance.now();
  for (let i = 0; i < n; i++) {
    for (const code of ["print(2+2)", corpus[i % corpus.length]!.code]) {
      const r = await pool.request({ path: "/v1/eval", method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code }) });
      await r.body.text();
    }
  }
  await pool.close();
  console.log(`B warmed with ${2 * n} evals in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const ab = spawnSync(process.execPath, [new URL("../11-pipelined-jobs/ab-fork.mjs", import.meta.url).pathname, daemons[0]!.url, daemons[1]!.url, "20", "256"], { encoding: "utf8" });
  console.log(ab.stdout + ab.stderr);
} finally {
  for (const d of daemons) await d.stop();
}
