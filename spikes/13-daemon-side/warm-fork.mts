// Does a warm-up of eval calls through HTTP make a fresh daemon's first fork requests fast?
// Two fresh daemons (2 workers, no spares); B gets N sequential evals of print(2+2) and N of the
// corpus from a throwaway client first; then spike 11's ab-fork.mjs alternates K=256 fork requests.
// Run: node --import tsx spikes/13-daemon-side/warm-fork.mts [N=1500]
import { spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { Pool } from "undici";
import { waitIdle } from "../../bench/lib/daemon.ts";
import { loadCorpus } from "../../bench/workloads/corpus.ts";

const n = Number(process.argv[2] ?? 1500);
writeFileSync("/tmp/warm13.json", JSON.stringify({ workers: 2, spares: 0 }));
const bin = new URL("../../daemon/bin/arbor.mjs", import.meta.url).pathname;
const daemons = [18651, 18652].map((port) => spawn(process.execPath, [bin, "serve", "--config", "/tmp/warm13.json", "--port", String(port), "--log-level", "warn"], { stdio: ["ignore", "ignore", "inherit"] }));
try {
  for (const port of [18651, 18652]) await waitIdle(`http://127.0.0.1:${port}`);
  const pool = new Pool("http://127.0.0.1:18652", { connections: 1 });
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
  const ab = spawnSync(process.execPath, [new URL("../11-pipelined-jobs/ab-fork.mjs", import.meta.url).pathname, "http://127.0.0.1:18651", "http://127.0.0.1:18652", "20", "256"], { encoding: "utf8" });
  console.log(ab.stdout + ab.stderr);
} finally {
  for (const d of daemons) d.kill("SIGTERM");
}
